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
 * empty string `00`, and a time is `0C` followed by the 12 octets of a COSEM date-time. Any length other
 * than 0 or 12 is `MALFORMED`.
 *
 * An interop pain: some devices send `09 0C …`, the Data-tagged form (Kaifa MA304 HAN-port meters do,
 * in public captures; see docs/interop.md). Read strictly, that is a 9-octet string, which no date-time
 * can be, so by default it is refused as `MALFORMED` with a message saying so. With the decode option
 * `tolerateTaggedDateTime` it is accepted: the model then says so in `dateTimeForm: 'data-tagged'`, and
 * the encoder writes the same `09 0C …` back, so nothing is silently normalised. Accepting it is
 * unambiguous: a conformant encoder can never start the date-time with the length 09.
 *
 * Example: `0F 00000001 00 <Data>`, or with a time (24 Nov 2022 10:30 IST, deviation -330)
 * `0F C0000005 0C 07E6 0B 18 04 0A 1E 00 00 FEB6 00 <Data>`.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import { type CosemDateTime, readCosemDateTime, writeCosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { DlmsError, withPath } from '../errors.ts';
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
  /**
   * Present only on a non-conformant date-time that was accepted: `'data-tagged'` means the device sent
   * `09 0C <12 octets>` (a tagged Data octet-string) instead of the OCTET STRING `0C <12 octets>`.
   * Only decoded with `tolerateTaggedDateTime`; encoded back the same way.
   */
  dateTimeForm?: 'data-tagged';
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

/** The Data tag of octet-string, which some devices put in front of the date-time. */
const OCTET_STRING_DATA_TAG = 0x09;

export function readDataNotification(
  r: Reader,
  rd: (r: Reader) => Data,
  tolerateTaggedDateTime = false,
): DataNotification {
  const longInvokeIdAndPriority = withPath('longInvokeIdAndPriority', () => readLongInvokeIdAndPriority(r));
  let tagged = false;
  const dateTime = withPath('dateTime', () => {
    // `09 0C`: a tagged Data octet-string of 12 octets. Only looked at when asked to, and only this exact
    // pair: `09` followed by anything else stays the 9-octet string that is refused.
    if (tolerateTaggedDateTime && r.peek() === OCTET_STRING_DATA_TAG) {
      r.need(2, 'date-time');
      r.pos++;
      if (r.peek() === 12) tagged = true;
      else r.pos--;
    }
    return readDateTimeOctetString(r, 'date-time', true);
  });
  const notificationBody = withPath('notificationBody', () => rd(r));
  const out = { type: 'data-notification', longInvokeIdAndPriority } as DataNotification;
  if (dateTime !== undefined) out.dateTime = dateTime;
  if (tagged) out.dateTimeForm = 'data-tagged';
  out.notificationBody = notificationBody;
  return out;
}

export function writeDataNotification(w: Writer, x: DataNotification): void {
  writeLongInvokeIdAndPriority(w, x.longInvokeIdAndPriority);
  if (x.dateTime === undefined) {
    if (x.dateTimeForm !== undefined)
      throw new DlmsError('INVALID_ARGUMENT', 'dateTimeForm is only meaningful with a dateTime');
    w.u8(0);
  } else {
    if (x.dateTimeForm === 'data-tagged') w.u8(OCTET_STRING_DATA_TAG);
    else if (x.dateTimeForm !== undefined)
      throw new DlmsError('INVALID_ARGUMENT', `unknown dateTimeForm ${String(x.dateTimeForm)}`);
    w.u8(12);
    withPath('dateTime', () => writeCosemDateTime(w, x.dateTime!));
  }
  withPath('notificationBody', () => writeData(w, x.notificationBody));
}
