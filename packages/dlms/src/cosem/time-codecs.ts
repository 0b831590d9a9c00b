/**
 * Codecs for the COSEM `date` (octet-string SIZE(5)) and `time` (octet-string SIZE(4)) formats used by the
 * calendar classes (Special days table, Activity calendar, Single action schedule), and the local-time
 * arithmetic those classes share.
 *
 * ```text
 * date ::= octet-string (SIZE(5)) { year-highbyte, year-lowbyte, month, day-of-month, day-of-week }
 *   year 0xFFFF, month/day/day-of-week 0xFF: not specified (wildcard); month 0xFD dst-end, 0xFE dst-begin;
 *   day-of-month 0xFD second-last, 0xFE last day of the month; day-of-week 1 = Monday … 7 = Sunday
 * time ::= octet-string (SIZE(4)) { hour, minute, second, hundredths }, 0xFF: not specified
 * ```
 *
 * @module
 */
import {
  type CosemDate,
  type CosemTime,
  readCosemDate,
  readCosemTime,
  writeCosemDate,
  writeCosemTime,
} from '../axdr/datetime.ts';
import { DlmsError } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { type Codec, malformed } from './codec.ts';

function sized<T>(
  n: number,
  what: string,
  read: (r: Reader) => T,
  write: (w: Writer, v: T) => void,
): Codec<T> {
  const shape = `octet-string (SIZE(${n})) ${what}`;
  return {
    shape,
    decode: (d) => {
      if (d?.type !== 'octet-string') malformed(`expected ${shape}, got ${d?.type ?? String(d)}`);
      if (d.value.length !== n) malformed(`a ${what} octet-string has ${n} bytes, got ${d.value.length}`);
      return read(new Reader(d.value));
    },
    encode: (v) => {
      if (typeof v !== 'object' || v === null)
        throw new DlmsError('INVALID_ARGUMENT', `${what}: an object expected`);
      const w = new Writer(n);
      write(w, v);
      return { type: 'octet-string', value: w.finish() };
    },
  };
}

/** A COSEM date as `octet-string (SIZE(5))`. */
export const cosemDate: Codec<CosemDate> = /* @__PURE__ */ sized(5, 'date', readCosemDate, writeCosemDate);

/** A COSEM time as `octet-string (SIZE(4))`. */
export const cosemTime: Codec<CosemTime> = /* @__PURE__ */ sized(4, 'time', readCosemTime, writeCosemTime);

/** A local calendar day: year, month 1..12, day 1..31, day of week 1 (Monday) .. 7. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
  dayOfWeek: number;
}

/** The local day of a UTC millisecond instant at `deviation` minutes (UTC = local + deviation). */
export function localDayOf(ms: number, deviation: number): LocalDay {
  const l = new Date(ms - deviation * 60_000);
  const dow = l.getUTCDay();
  return {
    year: l.getUTCFullYear(),
    month: l.getUTCMonth() + 1,
    day: l.getUTCDate(),
    dayOfWeek: dow === 0 ? 7 : dow,
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Does a date (with wildcards) match a local day? Not-specified fields match anything; `last` and
 * `second-last` match the last two days of the month; the DST markers of month never match (they name
 * the month of a DST change, which this layer does not track).
 */
export function dateMatches(d: CosemDate, day: LocalDay): boolean {
  if (d.year !== undefined && d.year !== day.year) return false;
  if (d.month !== undefined && d.month !== day.month) return false;
  const dim = daysInMonth(day.year, day.month);
  if (d.dayOfMonth === 'last') {
    if (day.day !== dim) return false;
  } else if (d.dayOfMonth === 'second-last') {
    if (day.day !== dim - 1) return false;
  } else if (d.dayOfMonth !== undefined && d.dayOfMonth !== day.day) return false;
  if (d.dayOfWeek !== undefined && d.dayOfWeek !== day.dayOfWeek) return false;
  return true;
}

/** True when the date has no wildcard or special value (a single, fully specified day). */
export function dateIsSpecific(d: CosemDate): boolean {
  return typeof d.year === 'number' && typeof d.month === 'number' && typeof d.dayOfMonth === 'number';
}

/** Milliseconds since local midnight of a time; not-specified second and hundredths count as 0. */
export function timeOfDayMs(t: CosemTime): number | undefined {
  if (t.hour === undefined || t.minute === undefined) return undefined;
  if (t.hour > 23 || t.minute > 59 || (t.second ?? 0) > 59 || (t.hundredths ?? 0) > 99) return undefined;
  return ((t.hour * 60 + t.minute) * 60 + (t.second ?? 0)) * 1000 + (t.hundredths ?? 0) * 10;
}

/** The UTC instant (ms) of a local day at a local time of day, at `deviation`. */
export function instantOf(day: LocalDay, msOfDay: number, deviation: number): number {
  return Date.UTC(day.year, day.month - 1, day.day) + msOfDay + deviation * 60_000;
}
