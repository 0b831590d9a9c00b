import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../src/envelope/index.ts';
import {
  checkCode,
  isXsdDateTime,
  isXsdFloat,
  validateMessage,
  validateProfile,
} from '../src/validate/index.ts';
import { dateTime, readingTypeMrid } from './xml-arbitraries.ts';

const good: Message = {
  kind: 'EventMessage',
  Header: { Verb: 'created', Noun: 'MeterReadings', Timestamp: '2024-04-01T10:00:00Z' },
  Payload: {
    MeterReadings: {
      MeterReading: [
        {
          Meter: { mRID: 'M1', Names: [{ name: 'SN123' }] },
          Readings: [
            {
              value: '1234.5',
              timeStamp: '2024-04-01T00:00:00+05:30',
              ReadingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
            },
          ],
        },
      ],
    },
  },
};

describe('typed validator', () => {
  it('accepts a well-formed message', () => {
    expect(validateMessage(good)).toEqual([]);
  });

  it('reports every violation with its path', () => {
    const bad = {
      kind: 'ResponseMessage',
      Header: {
        Verb: 'created',
        Noun: 'EndDeviceEvents',
        Timestamp: '2024-13-01T10:00:00Z',
        AckRequired: 'yes',
      },
      Reply: { Result: 'MAYBE', Error: [{ level: 'INFORM' }] },
      Payload: {
        MeterReadings: {
          MeterReading: [
            {
              Readings: [
                { value: '1,5', ReadingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72' },
                { value: 'NaN', ReadingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.x' },
                { ReadingQualities: [{ ReadingQualityType: '1.0' }] },
              ],
            },
          ],
        },
        Compressed: 'H4sI',
      },
    } as unknown as Message;
    const v = validateMessage(bad).map((x) => `${x.code} ${x.path}`);
    expect(v).toEqual(
      expect.arrayContaining([
        'INVALID_VALUE Header.Timestamp',
        'INVALID_VALUE Header.AckRequired',
        'INVALID_VALUE Header.Verb',
        'INVALID_VALUE Reply.Result',
        'MISSING_FIELD Reply.Error[0].code',
        'INVALID_VALUE Payload.MeterReadings.MeterReading[0].Readings[0].value',
        'INVALID_VALUE Payload.MeterReadings.MeterReading[0].Readings[0].ReadingType',
        'INVALID_VALUE Payload.MeterReadings.MeterReading[0].Readings[1].ReadingType',
        'MISSING_FIELD Payload.MeterReadings.MeterReading[0].Readings[2].ReadingType',
        'INVALID_VALUE Payload.MeterReadings.MeterReading[0].Readings[2].ReadingQualities[0].ReadingQualityType',
        'INVALID_VALUE Payload.MeterReadings',
        'INVALID_VALUE Payload',
      ]),
    );
    expect(v).toHaveLength(12);
  });

  it('checks the ReadingType mRID: 18 integer fields, only the multiplier may be negative', () => {
    fc.assert(
      fc.property(readingTypeMrid, (m) => {
        expect(checkCode('readingType', m)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
    expect(checkCode('readingType', '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.-3.72.0')).toBeUndefined();
    expect(checkCode('readingType', '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.-72.0')).toMatch(/field 17/);
    expect(checkCode('readingType', '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0.0')).toMatch(/18/);
    expect(checkCode('eventType', '3.26.0.85')).toBeUndefined();
    expect(checkCode('eventType', '3.26.0')).toMatch(/4/);
    expect(checkCode('qualityType', '1.0.0')).toBeUndefined();
  });

  it('xs:dateTime and xs:float lexical checks', () => {
    fc.assert(
      fc.property(dateTime, (d) => {
        expect(isXsdDateTime(d)).toBe(true);
      }),
      { numRuns: 200 },
    );
    for (const ok of [
      '2024-02-29T23:59:59Z',
      '2024-04-01T24:00:00',
      '2024-04-01T10:00:00.123+05:30',
      '-0044-03-15T12:00:00Z',
    ]) {
      expect(isXsdDateTime(ok), ok).toBe(true);
    }
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2024-04-01',
      '2024-04-01 10:00:00',
      '2024-04-01T10:00Z',
      '2024-04-01T10:00:00+15:00',
      '0000-01-01T00:00:00Z',
      '2024-04-01T24:00:01',
    ]) {
      expect(isXsdDateTime(bad), bad).toBe(false);
    }
    for (const ok of ['1', '-1.5', '.5', '1e10', '1.E-3', 'INF', '-INF', 'NaN'])
      expect(isXsdFloat(ok), ok).toBe(true);
    for (const bad of ['', '1,5', 'Infinity', 'nan', '1e', '0x10']) expect(isXsdFloat(bad), bad).toBe(false);
  });

  it('validates a bare profile, and the draft bound on ReadingType.Names', () => {
    expect(
      validateProfile('MeterReadings', {
        ReadingType: [
          { mRID: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0', Names: [{ name: 'kWh' }, { name: 'Energy' }] },
        ],
      }).map((x) => x.path),
    ).toEqual(['MeterReadings.ReadingType[0].Names']);
    expect(validateProfile('Nope', {})).toHaveLength(1);
  });
});
