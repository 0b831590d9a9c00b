/**
 * Interface class **Activity calendar** (class_id 20, version 0), IEC 62056-6-2 §4.5.5: the time-of-day
 * tariff calendar (IS 15959 0.0.13.0.0.255). Seasons select a week profile, week profiles a day profile
 * per weekday, day profiles the scripts (tariff switches) that run at given times.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 calendar_name_active | octet-string | |
 * | 3 season_profile_active | array of season_profile | |
 * | 4 week_profile_table_active | array of week_profile | |
 * | 5 day_profile_table_active | array of day_profile | |
 * | 6 calendar_name_passive | octet-string | |
 * | 7 season_profile_passive | array of season_profile | |
 * | 8 week_profile_table_passive | array of week_profile | |
 * | 9 day_profile_table_passive | array of day_profile | |
 * | 10 activate_passive_calendar_time | octet-string (date-time) | when the passive calendar becomes active |
 *
 * ```text
 * season_profile ::= structure { season_profile_name octet-string, season_start octet-string (date-time),
 *                                week_name octet-string }
 * week_profile ::= structure { week_profile_name octet-string, monday unsigned, tuesday unsigned,
 *   wednesday unsigned, thursday unsigned, friday unsigned, saturday unsigned, sunday unsigned }  -- day_ids
 * day_profile ::= structure { day_id unsigned, day_schedule array of day_profile_action }
 * day_profile_action ::= structure { start_time octet-string (SIZE(4)) time,
 *                                    script_logical_name octet-string, script_selector long-unsigned }
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 activate_passive_calendar | integer (0) | copies the passive calendar (attributes 6–9) to the active one (2–5) |
 *
 * **Server behaviour.**
 * - Only the passive calendar and the activation time are writable; the active one changes only by
 *   activation (the method, or {@link ActivityCalendarObject.tick} once `now` reaches a complete
 *   `activate_passive_calendar_time`, once per distinct time). Activation copies; the passive calendar
 *   stays as it was.
 * - {@link ActivityCalendarObject.scheduleAt} resolves what is in force at an instant, in the clock's local
 *   time: the season with the latest start at or before it (a start without a year recurs yearly; before
 *   the first start of the year, the last season of the previous year continues), its week profile, the
 *   weekday's day_id — replaced by a Special days table entry for that date when `ctx.objects` has one at
 *   0.0.11.0.0.255 — and the last action of that day profile whose start_time has passed.
 * - `tick` also runs the script of that action through its Script table when the action in force changes
 *   (including at the first tick), so the tariff follows the calendar. A GET of any attribute ticks first,
 *   so what a client reads is current.
 *
 * @module
 */
import type { CosemTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { type Obis, obis, obisEquals } from '../obis/index.ts';
import { clockNow, toInstant, UNSPECIFIED_DATE_TIME } from './clock.ts';
import {
  arrayOf,
  type DateTimeValue,
  dateTime,
  logicalName,
  longUnsigned,
  octetString,
  struct,
  unsigned,
} from './codec.ts';
import type { ActionItem } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { accessError } from './results.ts';
import { copyVia, executeActionItem } from './runtime.ts';
import { SPECIAL_DAYS_TABLE_LN, SpecialDaysTableObject } from './special-days-table.ts';
import { cosemTime, instantOf, type LocalDay, localDayOf, timeOfDayMs } from './time-codecs.ts';

export interface SeasonProfile {
  seasonProfileName: Uint8Array;
  seasonStart: DateTimeValue;
  weekName: Uint8Array;
}

export interface WeekProfile {
  weekProfileName: Uint8Array;
  monday: number;
  tuesday: number;
  wednesday: number;
  thursday: number;
  friday: number;
  saturday: number;
  sunday: number;
}

export interface DayProfileAction {
  startTime: CosemTime;
  scriptLogicalName: Obis;
  scriptSelector: number;
}

export interface DayProfile {
  dayId: number;
  daySchedule: DayProfileAction[];
}

export interface ActivityCalendarAttributes {
  calendarNameActive: Uint8Array;
  seasonProfileActive: SeasonProfile[];
  weekProfileTableActive: WeekProfile[];
  dayProfileTableActive: DayProfile[];
  calendarNamePassive: Uint8Array;
  seasonProfilePassive: SeasonProfile[];
  weekProfileTablePassive: WeekProfile[];
  dayProfileTablePassive: DayProfile[];
  activatePassiveCalendarTime: DateTimeValue;
}

export interface ActivityCalendarMethods {
  activatePassiveCalendar: undefined;
}

export const seasonProfiles = /* @__PURE__ */ arrayOf(
  struct({ seasonProfileName: octetString, seasonStart: dateTime, weekName: octetString }),
);

export const weekProfiles = /* @__PURE__ */ arrayOf(
  struct({
    weekProfileName: octetString,
    monday: unsigned,
    tuesday: unsigned,
    wednesday: unsigned,
    thursday: unsigned,
    friday: unsigned,
    saturday: unsigned,
    sunday: unsigned,
  }),
);

export const dayProfiles = /* @__PURE__ */ arrayOf(
  struct({
    dayId: unsigned,
    daySchedule: arrayOf(
      struct({ startTime: cosemTime, scriptLogicalName: logicalName, scriptSelector: longUnsigned }),
    ),
  }),
);

export const ACTIVITY_CALENDAR_CLASS = /* @__PURE__ */ defineClass<
  ActivityCalendarAttributes,
  ActivityCalendarMethods
>({
  classId: 20,
  version: 0,
  name: 'Activity calendar',
  attributes: {
    calendarNameActive: { id: 2, name: 'calendar_name_active', codec: octetString, access: 'read-only' },
    seasonProfileActive: {
      id: 3,
      name: 'season_profile_active',
      codec: seasonProfiles,
      access: 'read-only',
    },
    weekProfileTableActive: {
      id: 4,
      name: 'week_profile_table_active',
      codec: weekProfiles,
      access: 'read-only',
    },
    dayProfileTableActive: {
      id: 5,
      name: 'day_profile_table_active',
      codec: dayProfiles,
      access: 'read-only',
    },
    calendarNamePassive: {
      id: 6,
      name: 'calendar_name_passive',
      codec: octetString,
      access: 'read-and-write',
    },
    seasonProfilePassive: {
      id: 7,
      name: 'season_profile_passive',
      codec: seasonProfiles,
      access: 'read-and-write',
    },
    weekProfileTablePassive: {
      id: 8,
      name: 'week_profile_table_passive',
      codec: weekProfiles,
      access: 'read-and-write',
    },
    dayProfileTablePassive: {
      id: 9,
      name: 'day_profile_table_passive',
      codec: dayProfiles,
      access: 'read-and-write',
    },
    activatePassiveCalendarTime: {
      id: 10,
      name: 'activate_passive_calendar_time',
      codec: dateTime,
      access: 'read-and-write',
    },
  },
  methods: {
    activatePassiveCalendar: {
      id: 1,
      name: 'activate_passive_calendar',
      params: undefined,
      access: 'authenticated-access',
    },
  },
});

/** The IS 15959 activity calendar, 0.0.13.0.0.255. */
export const ACTIVITY_CALENDAR_LN: Obis = /* @__PURE__ */ obis(0, 0, 13, 0, 0, 255);

/** What the calendar has in force at an instant. */
export interface CalendarSchedule {
  season: SeasonProfile;
  week: WeekProfile;
  dayId: number;
  /** True when the day_id came from the Special days table. */
  specialDay: boolean;
  /** The action in force, or undefined before the day profile's first start_time (or without a profile). */
  action: DayProfileAction | undefined;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const ACTIVE_KEYS = [
  'calendarNameActive',
  'seasonProfileActive',
  'weekProfileTableActive',
  'dayProfileTableActive',
] as const;

export class ActivityCalendarObject extends CosemServerObject<
  ActivityCalendarAttributes,
  ActivityCalendarMethods
> {
  /** The activation time (ms) already acted on, so that one time activates once. */
  activatedAt: number | undefined;
  /** The action that the last tick found in force. */
  lastAction: DayProfileAction | undefined;
  /** Receives a failure of a tariff script run by `tick`. */
  onActionError: ((error: unknown, action: ActionItem) => void) | undefined;
  #ticking = false;

  constructor(
    logicalName: Obis | string = ACTIVITY_CALENDAR_LN,
    init: Partial<ActivityCalendarAttributes> = {},
  ) {
    super(ACTIVITY_CALENDAR_CLASS, logicalName, {
      calendarNameActive: new Uint8Array(0),
      seasonProfileActive: [],
      weekProfileTableActive: [],
      dayProfileTableActive: [],
      calendarNamePassive: new Uint8Array(0),
      seasonProfilePassive: [],
      weekProfileTablePassive: [],
      dayProfileTablePassive: [],
      activatePassiveCalendarTime: { ...UNSPECIFIED_DATE_TIME },
      ...init,
    });
  }

  /** Copies the passive calendar to the active one (method 1). */
  activatePassiveCalendar(): void {
    const v = this.values;
    for (const k of ACTIVE_KEYS) {
      const pk = k.replace('Active', 'Passive') as
        | 'calendarNamePassive'
        | 'seasonProfilePassive'
        | 'weekProfileTablePassive'
        | 'dayProfileTablePassive';
      const codec = ACTIVITY_CALENDAR_CLASS.attributes[pk].codec as never;
      (v as unknown as Record<string, unknown>)[k] = copyVia(codec, v[pk] as never);
    }
  }

  /**
   * Activates the passive calendar when its activation time has come, then runs the tariff script when
   * the action in force changed. Returns what is in force now.
   */
  tick(ctx: CosemContext): CalendarSchedule | undefined {
    if (this.#ticking) return undefined; // a tariff script that reads the calendar back
    this.#ticking = true;
    try {
      return this.#evaluate(ctx);
    } finally {
      this.#ticking = false;
    }
  }

  #evaluate(ctx: CosemContext): CalendarSchedule | undefined {
    const now = ctx.now().getTime();
    const deviation = clockNow(ctx).deviation ?? 0;
    const at = toInstant(this.values.activatePassiveCalendarTime, deviation)?.getTime();
    if (at !== undefined && now >= at && this.activatedAt !== at) {
      this.activatedAt = at;
      this.activatePassiveCalendar();
    }
    const s = this.scheduleAt(now, ctx);
    const a = s?.action;
    if (a && !sameAction(a, this.lastAction)) {
      try {
        executeActionItem(a, ctx);
      } catch (e) {
        this.onActionError?.(e, a);
      }
    }
    this.lastAction = a;
    return s;
  }

  /** What the active calendar has in force at `ms` (see the module doc), or undefined without a season. */
  scheduleAt(ms: number, ctx: CosemContext): CalendarSchedule | undefined {
    const v = this.values;
    const deviation = clockNow(ctx).deviation ?? 0;
    const day = localDayOf(ms, deviation);
    const season = this.#seasonAt(ms, day, deviation);
    if (!season) return undefined;
    const week = v.weekProfileTableActive.find((w) => sameBytes(w.weekProfileName, season.weekName));
    if (!week) return undefined;
    const sd = ctx.objects?.find(11, SPECIAL_DAYS_TABLE_LN);
    const special = sd instanceof SpecialDaysTableObject ? sd.dayIdFor(day) : undefined;
    const dayId = special ?? week[WEEKDAYS[day.dayOfWeek - 1]!];
    const profile = v.dayProfileTableActive.find((d) => d.dayId === dayId);
    const msOfDay = ms - instantOf(day, 0, deviation);
    let action: DayProfileAction | undefined;
    let best = -1;
    for (const x of profile?.daySchedule ?? []) {
      const t = timeOfDayMs(x.startTime);
      if (t !== undefined && t <= msOfDay && t >= best) {
        best = t;
        action = x;
      }
    }
    return { season, week, dayId, specialDay: special !== undefined, action };
  }

  #seasonAt(ms: number, day: LocalDay, deviation: number): SeasonProfile | undefined {
    let best: SeasonProfile | undefined;
    let bestStart = Number.NEGATIVE_INFINITY;
    for (const s of this.values.seasonProfileActive) {
      // a recurring start (no year) counts this year, or last year when this year's is still ahead
      for (const year of s.seasonStart.year === undefined ? [day.year, day.year - 1] : [s.seasonStart.year]) {
        const t = toInstant(
          {
            ...s.seasonStart,
            year,
            dayOfWeek: undefined,
            hour: s.seasonStart.hour ?? 0,
            minute: s.seasonStart.minute ?? 0,
            second: s.seasonStart.second ?? 0,
            hundredths: s.seasonStart.hundredths ?? 0,
          },
          deviation,
        )?.getTime();
        if (t !== undefined && t <= ms && t > bestStart) {
          bestStart = t;
          best = s;
        }
      }
    }
    return best;
  }

  protected override read<K extends keyof ActivityCalendarAttributes & string>(
    key: K,
    ctx: CosemContext,
  ): Data {
    this.tick(ctx);
    return super.read(key, ctx);
  }

  protected override write<K extends keyof ActivityCalendarAttributes & string>(
    key: K,
    value: ActivityCalendarAttributes[K],
    ctx: CosemContext,
  ): void {
    if ((ACTIVE_KEYS as readonly string[]).includes(key)) {
      throw accessError(
        'set',
        'read-write-denied',
        `${ACTIVITY_CALENDAR_CLASS.attributes[key].name} changes only by activation`,
      );
    }
    super.write(key, value, ctx);
  }

  protected override invoke(
    _key: 'activatePassiveCalendar',
    _p: undefined,
    _ctx: CosemContext,
  ): Data | undefined {
    this.activatePassiveCalendar();
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameAction(a: DayProfileAction, b: DayProfileAction | undefined): boolean {
  return (
    b !== undefined &&
    a.scriptSelector === b.scriptSelector &&
    obisEquals(a.scriptLogicalName, b.scriptLogicalName) &&
    timeOfDayMs(a.startTime) === timeOfDayMs(b.startTime)
  );
}
