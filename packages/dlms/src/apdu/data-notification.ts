/**
 * The DataNotification APDU (IEC 62056-5-3 / Green Book, xDLMS ASN.1), used by push setups (IS 15959
 * instantaneous, alert and profile pushes):
 *
 * ```asn1
 * data-notification [15] IMPLICIT Data-Notification,
 *
 * Data-Notification ::= SEQUENCE {
 *   long-invoke-id-and-priority  Long-Invoke-Id-And-Priority,
 *   date-time                    OCTET STRING,
 *   notification-body            Notification-Body
 * }
 * Notification-Body ::= SEQUENCE {
 *   data-value  Data
 * }
 * ```
 *
 * `date-time` is a plain OCTET STRING, not an OPTIONAL component and not a tagged Data: "no time" is the
 * empty string `00`, and a time is `0C` followed by the 12 octets of a COSEM date-time. (An interop pain:
 * some devices send `09 0C …`, the Data-tagged form; that reads as a 9-octet string and is refused as
 * `MALFORMED` with a message saying so.) Any length other than 0 or 12 is `MALFORMED`.
 *
 * Example: `0F 00000001 00 <Data>`, or with a time (24 Nov 2022 10:30 IST, deviation -330)
 * `0F C0000005 0C 07E6 0B 18 04 0A 1E 00 00 FEB6 00 <Data>`.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import { type CosemDateTime, readCosemDateTime, writeCosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { hex2 } from './common.ts';
import {
  type LongInvokeIdAndPriority,
  readLongInvokeIdAndPriority,
  writeLongInvokeIdAndPriority,
} from './invoke-id.ts';

export const DATA_NOTIFICATION_TAG = 0x0f;

export interface DataNotification {
  type: 'data-notification';
  longInvokeIdAndPriority: LongInvokeIdAndPriority;
  /** Absent when the date-time octet string is empty. */
  dateTime?: CosemDateTime;
  /** notification-body.data-value. */
  notificationBody: Data;
}

/** Reads a date-time OCTET STRING that must be empty (undefined) or hold 12 octets. */
export function readDateTimeOctetString(
  r: Reader,
  what: string,
  allowEmpty: boolean,
): CosemDateTime | undefined {
  const at = r.pos;
  const n = r.length(`${what} length`);
  if (n === 0 && allowEmpty) return undefined;
  if (n !== 12) {
    const hint =
      n === 9 ? ' (09 is the Data tag of octet-string: the date-time must not be a tagged Data here)' : '';
    return r.fail(
      `${what} must be ${allowEmpty ? 'empty or ' : ''}12 octets, got length ${hex2(n)}${hint}`,
      at,
    );
  }
  return readCosemDateTime(r);
}

export function readDataNotification(r: Reader, rd: (r: Reader) => Data): DataNotification {
  const longInvokeIdAndPriority = withPath('longInvokeIdAndPriority', () => readLongInvokeIdAndPriority(r));
  const dateTime = withPath('dateTime', () => readDateTimeOctetString(r, 'date-time', true));
  const notificationBody = withPath('notificationBody', () => rd(r));
  const out = { type: 'data-notification', longInvokeIdAndPriority } as DataNotification;
  if (dateTime !== undefined) out.dateTime = dateTime;
  out.notificationBody = notificationBody;
  return out;
}

export function writeDataNotification(w: Writer, x: DataNotification): void {
  writeLongInvokeIdAndPriority(w, x.longInvokeIdAndPriority);
  if (x.dateTime === undefined) w.u8(0);
  else {
    w.u8(12);
    withPath('dateTime', () => writeCosemDateTime(w, x.dateTime!));
  }
  withPath('notificationBody', () => writeData(w, x.notificationBody));
}
