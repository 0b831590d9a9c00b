/**
 * Fuzz targets for `@ami-interop/cim`: the code parsers, the IEC 61968-100 XML reader and the JSON reader.
 * Inputs are bytes read as UTF-8 (what a socket or file reader hands over).
 *
 * @module
 */

import {
  describeEndDeviceEventType,
  describeReadingQualityType,
  describeReadingType,
  parseEndDeviceControlType,
  parseEndDeviceEventType,
  parseReadingQualityType,
  parseReadingType,
} from '@ami-interop/cim/codes';
import { fromJson } from '@ami-interop/cim/json';
import { fromXml, profileFromXml } from '@ami-interop/cim/xml';
import { loadVectors } from '@ami-interop/conformance-vectors';
import type { FuzzTarget } from '../target.ts';
import { tryTyped, utf8 } from './util.ts';

const XML_TOKENS = [
  '<',
  '</',
  '>',
  '/>',
  '"',
  "'",
  '=',
  '&amp;',
  '&lt;',
  '&#x41;',
  '&#65;',
  '&bogus;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x>',
  'xmlns="http://iec.ch/TC57/2011/schema/message"',
  'xmlns:m="http://iec.ch/TC57/2011/MeterReadings#"',
  'xmlns:ns2=',
  'xsi:nil="true"',
  '<Header>',
  '<Verb>get</Verb>',
  '<Noun>MeterReadings</Noun>',
  '<Payload>',
  '<Request>',
  '<Reply>',
  '<Result>OK</Result>',
  '<MeterReadings>',
  '<ReadingType ref="0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0"/>',
  '<value>',
  '<timeStamp>2026-01-01T00:00:00Z</timeStamp>',
  '<Compressed>',
  '<Format>',
];

const JSON_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  'null',
  'true',
  '1e999',
  '-0',
  '"\\u0000"',
  '"Header"',
];

export const cimTargets: readonly FuzzTarget[] = [
  {
    name: 'cim-codes',
    pkg: 'cim',
    description: 'parse/describe ReadingType, ReadingQualityType, EndDeviceEventType and ControlType',
    families: ['cim/reading-type', 'cim/reading-quality-type', 'cim/end-device-event-type'],
    text: true,
    dictionary: [
      '.',
      '0',
      '1',
      '-1',
      '00',
      '4294967296',
      ' ',
      '3.26.0.85',
      '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
    ],
    run(input) {
      const s = utf8(input);
      tryTyped(() => describeReadingType(s));
      tryTyped(() => parseReadingType(s));
      tryTyped(() => describeReadingQualityType(s));
      tryTyped(() => parseReadingQualityType(s));
      tryTyped(() => parseEndDeviceControlType(s));
      tryTyped(() => parseEndDeviceEventType(s));
      describeEndDeviceEventType(s);
      return undefined;
    },
  },
  {
    name: 'cim-xml',
    pkg: 'cim',
    description: 'fromXml (61968-100 envelope and 61968-9 profiles), then profileFromXml on the same text',
    families: ['cim/messages'],
    text: true,
    dictionary: XML_TOKENS,
    run(input) {
      const s = utf8(input);
      tryTyped(() => profileFromXml(s));
      fromXml(s);
      return undefined;
    },
  },
  {
    name: 'cim-json',
    pkg: 'cim',
    description: 'fromJson (the JSON form of 61968-100 messages)',
    families: [],
    extraSeeds: () =>
      loadVectors('cim/messages')
        .vectors.filter((v) => v.decoded !== undefined && v.error === undefined)
        .map((v) => new TextEncoder().encode(JSON.stringify(v.decoded))),
    text: true,
    dictionary: JSON_TOKENS,
    run(input) {
      fromJson(utf8(input));
      return undefined;
    },
  },
];
