/**
 * Interface class **Clock** (class_id 8, version 0), IEC 62056-6-2 §4.5.1.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static (0.0.1.0.0.255) |
 * | 2 time | octet-string (date-time) | dynamic: local time, with deviation and clock status |
 * | 3 time_zone | long | minutes of deviation of local normal time to UTC (IST −330) |
 * | 4 status | unsigned | clock status byte |
 * | 5 daylight_savings_begin | octet-string (date-time) | wildcards allowed (recurring) |
 * | 6 daylight_savings_end | octet-string (date-time) | |
 * | 7 daylight_savings_deviation | integer | minutes added in DST (−120..120) |
 * | 8 daylight_savings_enabled | boolean | |
 * | 9 clock_base | enum | 0 not defined, 1 internal crystal, 2 mains 50 Hz, 3 mains 60 Hz, 4 GPS, 5 radio controlled |
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 adjust_to_quarter | integer (0) | to the nearest quarter hour (xx:00, :15, :30, :45) |
 * | 2 adjust_to_measuring_period | integer (0) | to the nearest measuring period |
 * | 3 adjust_to_minute | integer (0) | to the nearest minute (seconds ≥ 30 round up) |
 * | 4 adjust_to_preset_time | integer (0) | to the preset time, if now is within its validity interval |
 * | 5 preset_adjusting_time | structure { preset_time, validity_interval_start, validity_interval_end } (date-times) | |
 * | 6 shift_time | long (−900..900) | seconds to add |
 *
 * **Server model.** The clock keeps an offset from `ctx.now()` (the host clock), so setting the time or
 * shifting it never touches a global. Local time is `UTC − deviation`, with
 * `deviation = time_zone − daylight_savings_deviation` while DST is active (and bit 7 of the clock status
 * set). Rounding (methods 1–3) is done in local time, so that quarters align for IST's half-hour offset.
 * Writing `time` needs a fully specified date-time; without a deviation (0x8000) it is taken as local
 * time at the current deviation. Writing `time` clears the invalid and doubtful status bits.
 *
 * @module
 */
import { cosemDateTimeFromDate, cosemDateTimeToDate } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { DlmsError } from '../errors.ts';
import { type Obis, obis } from '../obis/index.ts';
import { boolean, type DateTimeValue, dateTime, enumOf, integer, long, struct, unsigned } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';
import { actionError } from './results.ts';

export interface ClockAttributes {
  time: DateTimeValue;
  timeZone: number;
  status: number;
  daylightSavingsBegin: DateTimeValue;
  daylightSavingsEnd: DateTimeValue;
  daylightSavingsDeviation: number;
  daylightSavingsEnabled: boolean;
  clockBase: 0 | 1 | 2 | 3 | 4 | 5;
}

export interface PresetAdjustingTime {
  presetTime: DateTimeValue;
  validityIntervalStart: DateTimeValue;
  validityIntervalEnd: DateTimeValue;
}

export interface ClockMethods {
  adjustToQuarter: undefined;
  adjustToMeasuringPeriod: undefined;
  adjustToMinute: undefined;
  adjustToPresetTime: undefined;
  presetAdjustingTime: PresetAdjustingTime;
  shiftTime: number;
}

const presetAdjustingTime = /* @__PURE__ */ struct({
  presetTime: dateTime,
  validityIntervalStart: dateTime,
  validityIntervalEnd: dateTime,
});

export const CLOCK_CLASS = /* @__PURE__ */ defineClass<ClockAttributes, ClockMethods>({
  classId: 8,
  version: 0,
  name: 'Clock',
  attributes: {
    time: { id: 2, name: 'time', codec: dateTime, access: 'read-and-write' },
    timeZone: { id: 3, name: 'time_zone', codec: long, access: 'read-and-write' },
    status: { id: 4, name: 'status', codec: unsigned, access: 'read-only' },
    daylightSavingsBegin: {
      id: 5,
      name: 'daylight_savings_begin',
      codec: dateTime,
      access: 'read-and-write',
    },
    daylightSavingsEnd: { id: 6, name: 'daylight_savings_end', codec: dateTime, access: 'read-and-write' },
    daylightSavingsDeviation: {
      id: 7,
      name: 'daylight_savings_deviation',
      codec: integer,
      access: 'read-and-write',
    },
    daylightSavingsEnabled: {
      id: 8,
      name: 'daylight_savings_enabled',
      codec: boolean,
      access: 'read-and-write',
    },
    clockBase: {
      id: 9,
      name: 'clock_base',
      codec: enumOf([0, 1, 2, 3, 4, 5], 'clock_base'),
      access: 'read-only',
    },
  },
  methods: {
    adjustToQuarter: { id: 1, name: 'adjust_to_quarter', params: undefined, access: 'access' },
    adjustToMeasuringPeriod: {
      id: 2,
      name: 'adjust_to_measuring_period',
      params: undefined,
      access: 'access',
    },
    adjustToMinute: { id: 3, name: 'adjust_to_minute', params: undefined, access: 'access' },
    adjustToPresetTime: { id: 4, name: 'adjust_to_preset_time', params: undefined, access: 'access' },
    presetAdjustingTime: {
      id: 5,
      name: 'preset_adjusting_time',
      params: presetAdjustingTime,
      access: 'access',
    },
    shiftTime: { id: 6, name: 'shift_time', params: long, access: 'access' },
  },
});

/** The standard logical name of the clock, 0.0.1.0.0.255. */
export const CLOCK_LN: Obis = /* @__PURE__ */ obis(0, 0, 1, 0, 0, 255);

/** A date-time with every field "not specified": the default for unused DST dates. */
export const UNSPECIFIED_DATE_TIME: Readonly<DateTimeValue> = Object.freeze({
  year: undefined,
  month: undefined,
  dayOfMonth: undefined,
  dayOfWeek: undefined,
  hour: undefined,
  minute: undefined,
  second: undefined,
  hundredths: undefined,
  deviation: undefined,
  clockStatus: undefined,
});

export interface ClockOptions {
  /** Minutes of local normal time to UTC (default −330, IST). */
  timeZone?: number;
  /** The measuring period for `adjust_to_measuring_period`, in seconds (default 900). */
  measuringPeriodSeconds?: number;
  clockBase?: ClockAttributes['clockBase'];
}

const STATUS_INVALID = 0x01;
const STATUS_DOUBTFUL = 0x02;
const STATUS_DST = 0x80;

/** Clock server object: time from `ctx.now()` plus an offset; see the module doc. */
export class ClockObject extends CosemServerObject<ClockAttributes, ClockMethods> {
  /** Clock time minus host time, in milliseconds. */
  offsetMs = 0;
  measuringPeriodSeconds: number;
  preset: PresetAdjustingTime | undefined;

  constructor(logicalName: Obis | string = CLOCK_LN, options: ClockOptions = {}) {
    super(CLOCK_CLASS, logicalName, {
      time: { ...UNSPECIFIED_DATE_TIME },
      timeZone: options.timeZone ?? -330,
      status: 0,
      daylightSavingsBegin: { ...UNSPECIFIED_DATE_TIME },
      daylightSavingsEnd: { ...UNSPECIFIED_DATE_TIME },
      daylightSavingsDeviation: 0,
      daylightSavingsEnabled: false,
      clockBase: options.clockBase ?? 1,
    });
    this.measuringPeriodSeconds = options.measuringPeriodSeconds ?? 900;
  }

  /** The clock's instant for this request. */
  instant(ctx: CosemContext): Date {
    return new Date(ctx.now().getTime() + this.offsetMs);
  }

  /** True when DST is enabled and the instant falls between begin (inclusive) and end (exclusive). */
  dstActive(at: Date): boolean {
    const v = this.values;
    if (!v.daylightSavingsEnabled) return false;
    const b = resolveInYear(v.daylightSavingsBegin, at, v.timeZone);
    const e = resolveInYear(v.daylightSavingsEnd, at, v.timeZone - v.daylightSavingsDeviation);
    if (b === undefined || e === undefined) return false;
    const t = at.getTime();
    return b <= e ? t >= b && t < e : t >= b || t < e;
  }

  /** The deviation (minutes, UTC = local + deviation) in force at `at`. */
  deviationAt(at: Date): number {
    return this.values.timeZone - (this.dstActive(at) ? this.values.daylightSavingsDeviation : 0);
  }

  /** The clock's local date-time now, as attribute 2 reads. */
  now(ctx: CosemContext): DateTimeValue {
    const at = this.instant(ctx);
    const dst = this.dstActive(at);
    const dev = this.values.timeZone - (dst ? this.values.daylightSavingsDeviation : 0);
    const status = (this.values.status & ~STATUS_DST) | (dst ? STATUS_DST : 0);
    const dt = cosemDateTimeFromDate(at, clampDeviation(dev));
    return { ...dt, clockStatus: clockStatusOf(status) };
  }

  /** Sets the clock to an instant (local, not over DLMS). */
  setInstant(ctx: CosemContext, to: Date): void {
    this.offsetMs = to.getTime() - ctx.now().getTime();
    this.values.status &= ~(STATUS_INVALID | STATUS_DOUBTFUL);
  }

  protected override read<K extends keyof ClockAttributes & string>(key: K, ctx: CosemContext): Data {
    if (key === 'time') return CLOCK_CLASS.attributes.time.codec.encode(this.now(ctx));
    return super.read(key, ctx);
  }

  protected override write<K extends keyof ClockAttributes & string>(
    key: K,
    value: ClockAttributes[K],
    ctx: CosemContext,
  ): void {
    switch (key) {
      case 'time': {
        const dt = value as DateTimeValue;
        const withDev =
          dt.deviation === undefined ? { ...dt, deviation: this.deviationAt(this.instant(ctx)) } : dt;
        let to: Date;
        try {
          to = cosemDateTimeToDate(withDev);
        } catch (e) {
          throw outOfRange('time', e instanceof DlmsError ? e.message : String(e));
        }
        this.setInstant(ctx, to);
        return;
      }
      case 'timeZone': {
        const tz = value as number;
        if (tz < -720 || tz > 720) throw outOfRange('time_zone', `${tz} is outside -720..720`);
        break;
      }
      case 'daylightSavingsDeviation': {
        const d = value as number;
        if (d < -120 || d > 120) throw outOfRange('daylight_savings_deviation', `${d} is outside -120..120`);
        break;
      }
    }
    super.write(key, value, ctx);
  }

  protected override invoke<K extends keyof ClockMethods & string>(
    key: K,
    params: ClockMethods[K],
    ctx: CosemContext,
  ): Data | undefined {
    switch (key) {
      case 'adjustToQuarter':
        this.#round(ctx, 900_000);
        return undefined;
      case 'adjustToMeasuringPeriod':
        this.#round(ctx, this.measuringPeriodSeconds * 1000);
        return undefined;
      case 'adjustToMinute':
        this.#round(ctx, 60_000);
        return undefined;
      case 'presetAdjustingTime': {
        const p = params as PresetAdjustingTime;
        for (const [n, v] of Object.entries(p)) {
          if (!toInstant(v as DateTimeValue, this.values.timeZone)) {
            throw actionError('other-reason', `preset_adjusting_time: ${n} is not a complete date-time`);
          }
        }
        this.preset = p;
        return undefined;
      }
      case 'adjustToPresetTime': {
        const p = this.preset;
        if (!p) throw actionError('other-reason', 'adjust_to_preset_time: no preset time');
        const tz = this.values.timeZone;
        const t = this.instant(ctx).getTime();
        const start = toInstant(p.validityIntervalStart, tz)!.getTime();
        const end = toInstant(p.validityIntervalEnd, tz)!.getTime();
        if (t < start || t > end) {
          throw actionError('other-reason', 'adjust_to_preset_time: now is outside the validity interval');
        }
        this.setInstant(ctx, toInstant(p.presetTime, tz)!);
        this.preset = undefined;
        return undefined;
      }
      case 'shiftTime': {
        const s = params as number;
        if (s < -900 || s > 900) throw actionError('other-reason', `shift_time: ${s} s is outside -900..900`);
        this.offsetMs += s * 1000;
        return undefined;
      }
    }
    return super.invoke(key, params, ctx);
  }

  #round(ctx: CosemContext, periodMs: number): void {
    if (!(periodMs > 0)) throw actionError('other-reason', 'measuring period must be positive');
    const at = this.instant(ctx);
    const dev = this.deviationAt(at);
    const local = at.getTime() - dev * 60_000;
    const rounded = Math.round(local / periodMs) * periodMs;
    this.setInstant(ctx, new Date(rounded + dev * 60_000));
  }
}

function clampDeviation(d: number): number {
  return Math.max(-720, Math.min(720, d));
}

function clockStatusOf(b: number): DateTimeValue['clockStatus'] {
  return {
    invalidValue: (b & 0x01) !== 0,
    doubtfulValue: (b & 0x02) !== 0,
    differentClockBase: (b & 0x04) !== 0,
    invalidClockStatus: (b & 0x08) !== 0,
    daylightSavingActive: (b & 0x80) !== 0,
    ...(((b >> 4) & 7) !== 0 ? { reserved: (b >> 4) & 7 } : {}),
  };
}

/** The instant of a fully specified date-time (deviation defaulting to `defaultDeviation`), or undefined. */
export function toInstant(dt: DateTimeValue, defaultDeviation: number): Date | undefined {
  try {
    return cosemDateTimeToDate(dt.deviation === undefined ? { ...dt, deviation: defaultDeviation } : dt);
  } catch {
    return undefined;
  }
}

/**
 * A DST begin/end date-time resolved to an instant in the year of `at`: the year may be a wildcard
 * (recurring every year); month and day of month must be numbers, hour/minute default to 0.
 */
function resolveInYear(dt: DateTimeValue, at: Date, deviation: number): number | undefined {
  if (typeof dt.month !== 'number' || typeof dt.dayOfMonth !== 'number') return undefined;
  const year = dt.year ?? new Date(at.getTime() - deviation * 60_000).getUTCFullYear();
  const local = Date.UTC(year, dt.month - 1, dt.dayOfMonth, dt.hour ?? 0, dt.minute ?? 0, dt.second ?? 0);
  return local + (dt.deviation ?? deviation) * 60_000;
}

/**
 * The clock date-time for a request: from the registry's Clock object (0.0.1.0.0.255) when there is one,
 * otherwise UTC from `ctx.now()` with deviation 0. Objects use it for capture times.
 */
export function clockNow(ctx: CosemContext): DateTimeValue {
  const c = ctx.objects?.find(8, CLOCK_LN);
  if (c instanceof ClockObject) return c.now(ctx);
  return cosemDateTimeFromDate(ctx.now(), 0);
}
