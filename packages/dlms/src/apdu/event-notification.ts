/**
 * The EventNotificationRequest APDU (IEC 62056-5-3 / Green Book, xDLMS ASN.1): an unsolicited report of
 * one attribute's value by the server.
 *
 * ```asn1
 * event-notification-request [194] IMPLICIT EventNotificationRequest,
 *
 * EventNotificationRequest ::= SEQUENCE {
 *   time                        OCTET STRING OPTIONAL,
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   attribute-value             Data
 * }
 * ```
 *
 * A-XDR: the usage flag of `time`, then (when present) the OCTET STRING `0C` + 12 octets of a COSEM
 * date-time; a present time of any other length is `MALFORMED`.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import { type CosemDateTime, writeCosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { readUsage } from './common.ts';
import { readDateTimeOctetString } from './data-notification.ts';
import {
  type CosemAttributeDescriptor,
  readCosemAttributeDescriptor,
  writeCosemAttributeDescriptor,
} from './descriptors.ts';

export const EVENT_NOTIFICATION_REQUEST_TAG = 0xc2;

export interface EventNotificationRequest {
  type: 'event-notification-request';
  time?: CosemDateTime;
  attribute: CosemAttributeDescriptor;
  attributeValue: Data;
}

export function readEventNotificationRequest(r: Reader, rd: (r: Reader) => Data): EventNotificationRequest {
  const time = withPath('time', () =>
    readUsage(r, 'time') ? readDateTimeOctetString(r, 'time', false) : undefined,
  );
  const attribute = withPath('attribute', () => readCosemAttributeDescriptor(r));
  const attributeValue = withPath('attributeValue', () => rd(r));
  const out = { type: 'event-notification-request' } as EventNotificationRequest;
  if (time !== undefined) out.time = time;
  out.attribute = attribute;
  out.attributeValue = attributeValue;
  return out;
}

export function writeEventNotificationRequest(w: Writer, x: EventNotificationRequest): void {
  if (x.time === undefined) w.u8(0);
  else {
    w.u8(1).u8(12);
    withPath('time', () => writeCosemDateTime(w, x.time!));
  }
  withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
  withPath('attributeValue', () => writeData(w, x.attributeValue));
}
