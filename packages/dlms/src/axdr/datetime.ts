/**
 * COSEM date, time and date-time (IEC 62056-6-2, "Date and time formats"): the 12 bytes carried by the
 * `date-time` Data type (tag 25) and, in IS 15959 meters, by a 12-byte `octet-string` (the Clock object's
 * attribute 2 and every profile's capture-time column).
 *
 * ```text
 * date-time  OCTET STRING (SIZE(12)) {
 *   year highbyte, year lowbyte,   -- Unsigned16, 0xFFFF = not specified
 *   month,                         -- 1..12, 0xFD daylight_savings_end, 0xFE daylight_savings_begin, 0xFF n.s.
 *   day of month,                  -- 1..31, 0xFD second last day of month, 0xFE last day, 0xFF n.s.
 *   day of week,                   -- 1..7 (1 = Monday), 0xFF n.s.
 *   hour, minute, second,          -- 0..23, 0..59, 0..59, 0xFF n.s.
 *   hundredths of second,          -- 0..99, 0xFF n.s.
 *   deviation highbyte, lowbyte,   -- Integer16, -720..720 minutes "of local time to UTC", 0x8000 n.s.
 *   clock status                   -- Unsigned8 bit field, 0xFF n.s.
 * }
 * date  OCTET STRING (SIZE(5))  { year highbyte, year lowbyte, month, day of month, day of week }
 * time  OCTET STRING (SIZE(4))  { hour, minute, second, hundredths }
 * ```
 *
 * **Deviation sign.** The deviation is the number of minutes to add to local time to obtain UTC:
 * `UTC = local + deviation`. India (IST, UTC+05:30) is therefore **-330** (`FE B6`), Central European Summer
 * Time -120. This is the convention in the Blue Book wording ("deviation of local time to UTC") as applied by
 * independent implementations (e.g. the OSGP smart-metering platform's time synchronisation, which sends -120
 * for CEST, and meter readers that compute `utc = local + deviation`). It is the opposite sign of an ISO 8601
 * offset: {@link cosemDateTimeToIso} prints `+05:30` for a deviation of -330.
 *
 * **Clock status bits** (bit 0 = least significant): 0 invalid value, 1 doubtful value, 2 different clock
 * base, 3 invalid clock status, 4..6 reserved, 7 daylight saving active. 0xFF means "not specified".
 *
 * **Leniency.** Decoding never rejects a field value: meters send all-zero or out-of-range dates (a billing
 * date never set, a month 0). Each byte is kept as it came (sentinels become `undefined` or a named marker)
 * so that it re-encodes byte-exact; interpretation ({@link cosemDateTimeToIso}) is where values are checked.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';

/** A COSEM date; `undefined` is "not specified" (0xFF / 0xFFFF on the wire). */
export interface CosemDate {
  year: number | undefined;
  /** 1..12, or the daylight-saving markers (0xFD end, 0xFE begin). */
  month: number | 'dst-end' | 'dst-begin' | undefined;
  /** 1..31, or 0xFD second-last / 0xFE last day of the month. */
  dayOfMonth: number | 'second-last' | 'last' | undefined;
  /** 1..7, 1 = Monday. */
  dayOfWeek: number | undefined;
}

/** A COSEM time; `undefined` is "not specified" (0xFF on the wire). */
export interface CosemTime {
  hour: number | undefined;
  minute: number | undefined;
  second: number | undefined;
  hundredths: number | undefined;
}

/** The clock status byte of a date-time. */
export interface ClockStatus {
  /** Bit 0. */
  invalidValue: boolean;
  /** Bit 1. */
  doubtfulValue: boolean;
  /** Bit 2. */
  differentClockBase: boolean;
  /** Bit 3. */
  invalidClockStatus: boolean;
  /** Bit 7. */
  daylightSavingActive: boolean;
  /** Bits 4..6 (reserved by the standard) as a number 0..7, kept so that the byte re-encodes exactly. */
  reserved?: number;
}

/** A COSEM date-time (12 bytes). */
export interface CosemDateTime extends CosemDate, CosemTime {
  /** Minutes to add to local time to obtain UTC (IST = -330); `undefined` = 0x8000, not specified. */
  deviation: number | undefined;
  /** `undefined` = 0xFF, not specified. */
  clockStatus: ClockStatus | undefined;
}

const invalid = (msg: string): never => {
  throw new DlmsError('INVALID_ARGUMENT', msg);
};

function u8Field(v: number | undefined, name: string, sentinels = 0xff): number {
  if (v === undefined) return 0xff;
  if (!Number.isInteger(v) || v < 0 || v >= sentinels) {
    invalid(`${name} must be an integer 0..${sentinels - 1} or undefined, got ${v}`);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// Clock status

export function clockStatusFromByte(b: number): ClockStatus | undefined {
  if (b === 0xff) return undefined;
  const s: ClockStatus = {
    invalidValue: (b & 0x01) !== 0,
    doubtfulValue: (b & 0x02) !== 0,
    differentClockBase: (b & 0x04) !== 0,
    invalidClockStatus: (b & 0x08) !== 0,
    daylightSavingActive: (b & 0x80) !== 0,
  };
  const reserved = (b >> 4) & 0x07;
  if (reserved !== 0) s.reserved = reserved;
  return s;
}

export function clockStatusToByte(s: ClockStatus | undefined): number {
  if (s === undefined) return 0xff;
  const reserved = s.reserved ?? 0;
  if (!Number.isInteger(reserved) || reserved < 0 || reserved > 7) {
    invalid(`clockStatus.reserved must be 0..7, got ${reserved}`);
  }
  const b =
    (s.invalidValue ? 0x01 : 0) |
    (s.doubtfulValue ? 0x02 : 0) |
    (s.differentClockBase ? 0x04 : 0) |
    (s.invalidClockStatus ? 0x08 : 0) |
    (reserved << 4) |
    (s.daylightSavingActive ? 0x80 : 0);
  if (b === 0xff) invalid('clock status with every bit set is the "not specified" marker 0xFF');
  return b;
}

// ---------------------------------------------------------------------------------------------------------
// Raw bytes

/** Reads the 5 bytes of a COSEM date. Values are kept as they came (see the module doc). */
export function readCosemDate(r: Reader): CosemDate {
  r.need(5, 'date');
  const year = r.u16();
  const month = r.u8();
  const day = r.u8();
  const dow = r.u8();
  return {
    year: year === 0xffff ? undefined : year,
    month: month === 0xff ? undefined : month === 0xfd ? 'dst-end' : month === 0xfe ? 'dst-begin' : month,
    dayOfMonth: day === 0xff ? undefined : day === 0xfd ? 'second-last' : day === 0xfe ? 'last' : day,
    dayOfWeek: dow === 0xff ? undefined : dow,
  };
}

/** Reads the 4 bytes of a COSEM time. */
export function readCosemTime(r: Reader): CosemTime {
  r.need(4, 'time');
  const hour = r.u8();
  const minute = r.u8();
  const second = r.u8();
  const hundredths = r.u8();
  return {
    hour: hour === 0xff ? undefined : hour,
    minute: minute === 0xff ? undefined : minute,
    second: second === 0xff ? undefined : second,
    hundredths: hundredths === 0xff ? undefined : hundredths,
  };
}

/** Reads the 12 bytes of a COSEM date-time. */
export function readCosemDateTime(r: Reader): CosemDateTime {
  r.need(12, 'date-time');
  const date = readCosemDate(r);
  const time = readCosemTime(r);
  const deviation = r.i16();
  const status = r.u8();
  // A plain literal, not `{...date, ...time}`: object spread costs ~200× more on V8 here, and this runs
  // once per row of every load profile.
  return {
    year: date.year,
    month: date.month,
    dayOfMonth: date.dayOfMonth,
    dayOfWeek: date.dayOfWeek,
    hour: time.hour,
    minute: time.minute,
    second: time.second,
    hundredths: time.hundredths,
    deviation: deviation === -0x8000 ? undefined : deviation,
    clockStatus: clockStatusFromByte(status),
  };
}

export function writeCosemDate(w: Writer, d: CosemDate): void {
  const year = d.year === undefined ? 0xffff : d.year;
  if (!Number.isInteger(year) || year < 0 || year > 0xffff || (d.year !== undefined && year === 0xffff)) {
    invalid(`year must be an integer 0..65534 or undefined, got ${d.year}`);
  }
  const month =
    d.month === 'dst-end' ? 0xfd : d.month === 'dst-begin' ? 0xfe : u8Field(d.month, 'month', 0xfd);
  const day =
    d.dayOfMonth === 'second-last'
      ? 0xfd
      : d.dayOfMonth === 'last'
        ? 0xfe
        : u8Field(d.dayOfMonth, 'dayOfMonth', 0xfd);
  w.u16(year).u8(month).u8(day).u8(u8Field(d.dayOfWeek, 'dayOfWeek'));
}

export function writeCosemTime(w: Writer, t: CosemTime): void {
  w.u8(u8Field(t.hour, 'hour'))
    .u8(u8Field(t.minute, 'minute'))
    .u8(u8Field(t.second, 'second'))
    .u8(u8Field(t.hundredths, 'hundredths'));
}

export function writeCosemDateTime(w: Writer, dt: CosemDateTime): void {
  const status = clockStatusToByte(dt.clockStatus);
  const dev = dt.deviation;
  if (dev !== undefined && (!Number.isInteger(dev) || dev < -0x7fff || dev > 0x7fff)) {
    invalid(`deviation must be an integer -32767..32767 or undefined (0x8000), got ${dev}`);
  }
  writeCosemDate(w, dt);
  writeCosemTime(w, dt);
  w.i16(dev === undefined ? -0x8000 : dev).u8(status);
}

/** Decodes exactly 12 bytes (e.g. the value of a 12-byte octet-string) as a COSEM date-time. */
export function decodeCosemDateTime(bytes: Uint8Array): CosemDateTime {
  const r = new Reader(bytes);
  const dt = readCosemDateTime(r);
  r.expectEnd('date-time');
  return dt;
}

// ---------------------------------------------------------------------------------------------------------
// Interpretation

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why a date-time is not one absolute instant, or undefined when it is (deviation aside). */
function wildcardReason(dt: CosemDateTime): string | undefined {
  const bad: string[] = [];
  const { year, month, dayOfMonth: day, hour, minute, second, hundredths } = dt;
  if (year === undefined || year > 9999) bad.push(`year ${year ?? 'not specified'}`);
  if (typeof month !== 'number' || month < 1 || month > 12) bad.push(`month ${month ?? 'not specified'}`);
  if (
    typeof day !== 'number' ||
    day < 1 ||
    day >
      (year !== undefined && typeof month === 'number' && month >= 1 && month <= 12
        ? daysInMonth(year, month)
        : 31)
  ) {
    bad.push(`day of month ${day ?? 'not specified'}`);
  }
  if (hour === undefined || hour > 23) bad.push(`hour ${hour ?? 'not specified'}`);
  if (minute === undefined || minute > 59) bad.push(`minute ${minute ?? 'not specified'}`);
  if (second === undefined || second > 59) bad.push(`second ${second ?? 'not specified'}`);
  if (hundredths !== undefined && hundredths > 99) bad.push(`hundredths ${hundredths}`);
  if (dt.deviation !== undefined && (dt.deviation < -720 || dt.deviation > 720)) {
    bad.push(`deviation ${dt.deviation}`);
  }
  return bad.length > 0 ? bad.join(', ') : undefined;
}

function formatIso(dt: CosemDateTime, withOffset: boolean): string {
  let s = `${pad(dt.year!, 4)}-${pad(dt.month as number)}-${pad(dt.dayOfMonth as number)}T${pad(dt.hour!)}:${pad(dt.minute!)}:${pad(dt.second!)}`;
  if (dt.hundredths !== undefined) s += `.${pad(dt.hundredths)}`;
  if (withOffset) {
    const off = -dt.deviation!;
    if (off === 0) s += 'Z';
    else {
      const a = Math.abs(off);
      s += `${off > 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
    }
  }
  return s;
}

export interface IsoOptions {
  /**
   * When the deviation is not specified (0x8000), return the local time without an offset instead of
   * throwing. Default false: an ISO string without an offset is not an instant.
   */
  allowLocal?: boolean;
}

/**
 * The ISO 8601 form of a fully specified date-time, with the UTC offset from the deviation (IST deviation
 * -330 → `2024-03-15T10:30:00+05:30`; deviation 0 → `Z`). Hundredths, when specified, become two
 * fractional digits. The day of week and clock status are not part of the result.
 *
 * Throws `INVALID_ARGUMENT` naming the fields when wildcards (not-specified fields, 0xFD/0xFE markers) or
 * out-of-range values mean the value is not one instant; see {@link tryCosemDateTimeToIso}.
 */
export function cosemDateTimeToIso(dt: CosemDateTime, options: IsoOptions = {}): string {
  const reason = wildcardReason(dt);
  if (reason !== undefined) invalid(`date-time is not an absolute instant: ${reason}`);
  if (dt.deviation === undefined && !options.allowLocal) {
    invalid('date-time has no deviation (0x8000): local time only; pass { allowLocal: true } to accept');
  }
  return formatIso(dt, dt.deviation !== undefined);
}

/** {@link cosemDateTimeToIso} that returns undefined instead of throwing (and never a local-only form). */
export function tryCosemDateTimeToIso(dt: CosemDateTime): string | undefined {
  if (dt.deviation === undefined || wildcardReason(dt) !== undefined) return undefined;
  return formatIso(dt, true);
}

/** The instant of a fully specified date-time as a `Date` (same checks as {@link cosemDateTimeToIso}). */
export function cosemDateTimeToDate(dt: CosemDateTime): Date {
  const reason = wildcardReason(dt);
  if (reason !== undefined) invalid(`date-time is not an absolute instant: ${reason}`);
  if (dt.deviation === undefined) invalid('date-time has no deviation (0x8000): local time only');
  const local = Date.UTC(
    dt.year!,
    (dt.month as number) - 1,
    dt.dayOfMonth as number,
    dt.hour!,
    dt.minute!,
    dt.second!,
    (dt.hundredths ?? 0) * 10,
  );
  // Date.UTC maps years 0..99 to 1900..1999; set the year explicitly.
  const d = new Date(local);
  d.setUTCFullYear(dt.year!);
  return new Date(d.getTime() + dt.deviation! * 60_000);
}

/**
 * The date-time of an instant as a meter at `deviation` would show it (local = UTC − deviation; IST is
 * -330, the default 0 is UTC). Milliseconds are truncated to hundredths; the day of week is computed;
 * the clock status defaults to all bits clear.
 */
export function cosemDateTimeFromDate(date: Date, deviation = 0, clockStatus?: ClockStatus): CosemDateTime {
  const t = date.getTime();
  if (!Number.isFinite(t)) invalid('cosemDateTimeFromDate: invalid Date');
  if (!Number.isInteger(deviation) || deviation < -720 || deviation > 720) {
    invalid(`deviation must be an integer -720..720 minutes, got ${deviation}`);
  }
  const l = new Date(t - deviation * 60_000);
  const year = l.getUTCFullYear();
  if (year < 0 || year > 0xfffe) invalid(`year ${year} cannot be encoded`);
  const dow = l.getUTCDay();
  return {
    year,
    month: l.getUTCMonth() + 1,
    dayOfMonth: l.getUTCDate(),
    dayOfWeek: dow === 0 ? 7 : dow,
    hour: l.getUTCHours(),
    minute: l.getUTCMinutes(),
    second: l.getUTCSeconds(),
    hundredths: Math.floor(l.getUTCMilliseconds() / 10),
    deviation,
    clockStatus: clockStatus ?? {
      invalidValue: false,
      doubtfulValue: false,
      differentClockBase: false,
      invalidClockStatus: false,
      daylightSavingActive: false,
    },
  };
}
