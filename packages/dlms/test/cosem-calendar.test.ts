/**
 * Server behaviour of the calendar classes: Special days table (11), Activity calendar (20), Single
 * action schedule (22), with a fake clock and a registry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CosemDate, CosemTime } from '../src/axdr/datetime.ts';
import { type Data, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  ACTIVITY_CALENDAR_CLASS,
  ActivityCalendarObject,
  ClockObject,
  type CosemContext,
  CosemObjectSet,
  CosemServiceError,
  DataObject,
  type DayProfile,
  decodeAttribute,
  type ExecutionTimeDate,
  encodeAttribute,
  ScriptTableObject,
  SINGLE_ACTION_SCHEDULE_CLASS,
  SingleActionScheduleObject,
  SPECIAL_DAYS_TABLE_CLASS,
  SpecialDaysTableObject,
  specialDayEntry,
  tickAll,
  type WeekProfile,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis, parseObis } from '../src/obis/index.ts';

const zero: Data = { type: 'integer', value: 0 };
function refusal(fn: () => unknown): CosemServiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CosemServiceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
const date = (
  year: number | undefined,
  month: number | undefined,
  day: number | undefined,
  dow?: number,
): CosemDate => ({
  year,
  month,
  dayOfMonth: day,
  dayOfWeek: dow,
});
const time = (h: number, m = 0): CosemTime => ({ hour: h, minute: m, second: 0, hundredths: 0 });
const enc = (s: string) => new TextEncoder().encode(s);

function clockCtx(ms: number, objects?: CosemObjectSet) {
  let t = ms;
  const ctx: CosemContext = { now: () => new Date(t), objects };
  return {
    ctx,
    at(x: number) {
      t = x;
    },
    advance(s: number) {
      t += s * 1000;
    },
  };
}

/** A registry with a tariff register (Data 0.0.96.14.0.255) and a Script table whose script n writes n to it. */
function tariffMeter() {
  const set = new CosemObjectSet();
  const tariff = set.add(new DataObject('0.0.96.14.0.255', { type: 'unsigned', value: 0 }));
  const scripts = set.add(
    new ScriptTableObject(
      '0.0.10.0.100.255',
      [1, 2, 3].map((n) => ({
        scriptIdentifier: n,
        actions: [
          {
            serviceId: 1 as const,
            classId: 1,
            logicalName: parseObis('0.0.96.14.0.255'),
            index: 2,
            parameter: { type: 'unsigned', value: n } as Data,
          },
        ],
      })),
    ),
  );
  return { set, tariff, scripts };
}

describe('Special days table (class 11)', () => {
  it('insert replaces by index, delete removes, entries stay ordered', () => {
    const t = new SpecialDaysTableObject();
    const ctx: CosemContext = { now: () => new Date(0) };
    const entry = (index: number, d: CosemDate, dayId: number): Data =>
      specialDayEntry.encode({ index, specialdayDate: d, dayId });
    t.action(1, entry(5, date(undefined, 1, 26), 3), ctx);
    t.action(1, entry(2, date(2024, 8, 15), 3), ctx);
    t.action(1, entry(5, date(undefined, 1, 26), 4), ctx);
    expect(t.values.entries.map((e) => [e.index, e.dayId])).toEqual([
      [2, 3],
      [5, 4],
    ]);
    expect(t.dayIdFor({ year: 2031, month: 1, day: 26, dayOfWeek: 7 })).toBe(4);
    expect(t.dayIdFor({ year: 2024, month: 8, day: 15, dayOfWeek: 4 })).toBe(3);
    expect(t.dayIdFor({ year: 2025, month: 8, day: 15, dayOfWeek: 5 })).toBeUndefined();
    t.action(2, { type: 'long-unsigned', value: 2 }, ctx);
    t.action(2, { type: 'long-unsigned', value: 77 }, ctx);
    expect(t.values.entries.map((e) => e.index)).toEqual([5]);
    expect(refusal(() => t.action(1, { type: 'unsigned', value: 1 }, ctx)).result).toBe('type-unmatched');
  });

  it('refuses entries with a duplicate index and dates of the wrong size, naming the field', () => {
    const t = new SpecialDaysTableObject();
    const ctx: CosemContext = { now: () => new Date(0) };
    const two = decodeData(fromHex('01020203120001090507E8081504110302031200010905FFFF011AFF1104'));
    expect(refusal(() => t.set(2, two, ctx)).result).toBe('other-reason');
    let err: unknown;
    try {
      decodeAttribute(SPECIAL_DAYS_TABLE_CLASS, 2, decodeData(fromHex('010102031200010904FFFF011A1104')));
    } catch (e) {
      err = e;
    }
    expect(isDlmsError(err, 'MALFORMED')).toBe(true);
    expect((err as { path: unknown[] }).path).toEqual(['entries', 0, 'specialdayDate']);
  });
});

describe('Activity calendar (class 20)', () => {
  const week = (name: string, weekday: number, weekend: number): WeekProfile => ({
    weekProfileName: enc(name),
    monday: weekday,
    tuesday: weekday,
    wednesday: weekday,
    thursday: weekday,
    friday: weekday,
    saturday: weekend,
    sunday: weekend,
  });
  const day = (dayId: number, ...acts: [number, number][]): DayProfile => ({
    dayId,
    daySchedule: acts.map(([h, sel]) => ({
      startTime: time(h),
      scriptLogicalName: obis(0, 0, 10, 0, 100, 255),
      scriptSelector: sel,
    })),
  });
  const passive = () => ({
    calendarNamePassive: enc('TOD-2024'),
    seasonProfilePassive: [
      {
        seasonProfileName: enc('SUMMER'),
        seasonStart: {
          ...date(undefined, 4, 1),
          hour: 0,
          minute: 0,
          second: 0,
          hundredths: 0,
          deviation: undefined,
          clockStatus: undefined,
        },
        weekName: enc('W1'),
      },
      {
        seasonProfileName: enc('WINTER'),
        seasonStart: {
          ...date(undefined, 10, 1),
          hour: 0,
          minute: 0,
          second: 0,
          hundredths: 0,
          deviation: undefined,
          clockStatus: undefined,
        },
        weekName: enc('W2'),
      },
    ],
    weekProfileTablePassive: [week('W1', 1, 2), week('W2', 2, 2)],
    dayProfileTablePassive: [day(1, [0, 1], [9, 2], [18, 3]), day(2, [0, 1])],
  });

  it('activate_passive_calendar copies passive to active; the active calendar is not writable', () => {
    const cal = new ActivityCalendarObject(undefined, passive());
    const ctx: CosemContext = { now: () => new Date(Date.UTC(2024, 6, 1)) };
    expect(cal.values.seasonProfileActive).toEqual([]);
    cal.action(1, zero, ctx);
    expect(cal.values.calendarNameActive).toEqual(enc('TOD-2024'));
    expect(cal.values.seasonProfileActive).toEqual(passive().seasonProfilePassive);
    expect(cal.values.dayProfileTableActive).toEqual(passive().dayProfileTablePassive);
    // a copy: changing the passive calendar afterwards leaves the active one alone
    cal.values.dayProfileTablePassive[0]!.daySchedule[0]!.scriptSelector = 9;
    expect(cal.values.dayProfileTableActive[0]!.daySchedule[0]!.scriptSelector).toBe(1);
    const active2 = cal.get(2, ctx);
    expect(refusal(() => cal.set(2, active2, ctx)).result).toBe('read-write-denied');
    cal.set(6, { type: 'octet-string', value: enc('NEXT') }, ctx);
    expect(cal.values.calendarNamePassive).toEqual(enc('NEXT'));
  });

  it('activates at activate_passive_calendar_time, once, on tick', () => {
    const cal = new ActivityCalendarObject(undefined, {
      ...passive(),
      activatePassiveCalendarTime: {
        ...date(2024, 7, 1),
        hour: 12,
        minute: 0,
        second: 0,
        hundredths: 0,
        deviation: 0,
        clockStatus: undefined,
      },
    });
    const c = clockCtx(Date.UTC(2024, 6, 1, 11, 59, 59));
    cal.tick(c.ctx);
    expect(cal.values.calendarNameActive).toEqual(new Uint8Array(0));
    c.advance(1);
    cal.tick(c.ctx);
    expect(cal.values.calendarNameActive).toEqual(enc('TOD-2024'));
    // a later change of the passive calendar is not activated again by the same time
    cal.values.calendarNamePassive = enc('LATER');
    c.advance(3600);
    cal.tick(c.ctx);
    expect(cal.values.calendarNameActive).toEqual(enc('TOD-2024'));
  });

  it('resolves season, week, day (and special days) and runs the tariff script when it changes', () => {
    const m = tariffMeter();
    const cal = m.set.add(new ActivityCalendarObject(undefined, passive()));
    cal.activatePassiveCalendar();
    // 2024-07-03 is a Wednesday (summer, W1 → day 1)
    const c = clockCtx(Date.UTC(2024, 6, 3, 8, 0), m.set);
    expect(cal.tick(c.ctx)?.action?.scriptSelector).toBe(1);
    expect(m.tariff.values.value).toEqual({ type: 'unsigned', value: 1 });
    c.advance(3600); // 09:00
    expect(cal.tick(c.ctx)?.dayId).toBe(1);
    expect(m.tariff.values.value).toEqual({ type: 'unsigned', value: 2 });
    m.tariff.values.value = { type: 'unsigned', value: 0 };
    c.advance(60); // same action: the script does not run again
    cal.tick(c.ctx);
    expect(m.tariff.values.value).toEqual({ type: 'unsigned', value: 0 });
    // Saturday → day 2
    expect(cal.scheduleAt(Date.UTC(2024, 6, 6, 20, 0), c.ctx)?.dayId).toBe(2);
    // winter (from 1 October; before 1 April the previous year's winter continues)
    expect(
      new TextDecoder().decode(cal.scheduleAt(Date.UTC(2024, 10, 5), c.ctx)!.season.seasonProfileName),
    ).toBe('WINTER');
    expect(
      new TextDecoder().decode(cal.scheduleAt(Date.UTC(2025, 1, 5), c.ctx)!.season.seasonProfileName),
    ).toBe('WINTER');
    // a special day on 2024-07-03 selects day profile 2
    m.set.add(
      new SpecialDaysTableObject(undefined, [{ index: 1, specialdayDate: date(undefined, 7, 3), dayId: 2 }]),
    );
    const s = cal.scheduleAt(Date.UTC(2024, 6, 3, 20, 0), c.ctx)!;
    expect(s.specialDay).toBe(true);
    expect(s.dayId).toBe(2);
    expect(s.action?.scriptSelector).toBe(1);
  });

  it('uses the Clock object local time (IST) when there is one', () => {
    const m = tariffMeter();
    m.set.add(new ClockObject());
    const cal = m.set.add(new ActivityCalendarObject(undefined, passive()));
    cal.activatePassiveCalendar();
    // 03:31 UTC is 09:01 IST: the 09:00 action is in force
    expect(
      cal.scheduleAt(Date.UTC(2024, 6, 3, 3, 31), { now: () => new Date(0), objects: m.set })?.action
        ?.scriptSelector,
    ).toBe(2);
    expect(
      cal.scheduleAt(Date.UTC(2024, 6, 3, 3, 29), { now: () => new Date(0), objects: m.set })?.action
        ?.scriptSelector,
    ).toBe(1);
  });

  it('round-trips a day profile table and names a bad start_time', () => {
    const typed = [day(1, [0, 1], [18, 3])];
    const d = encodeAttribute(ACTIVITY_CALENDAR_CLASS, 5, typed);
    expect(decodeAttribute(ACTIVITY_CALENDAR_CLASS, 5, decodeData(encodeData(d)))).toEqual(typed);
    const bad = decodeData(fromHex('010102021101010102030903000000090600000A0064FF120001'));
    let err: unknown;
    try {
      decodeAttribute(ACTIVITY_CALENDAR_CLASS, 5, bad);
    } catch (e) {
      err = e;
    }
    expect((err as { path: unknown[] }).path).toEqual([
      'day_profile_table_active',
      0,
      'daySchedule',
      0,
      'startTime',
    ]);
  });
});

describe('Single action schedule (class 22)', () => {
  const item = { scriptLogicalName: obis(0, 0, 10, 0, 1, 255), scriptSelector: 1 };
  const at = (t: CosemTime, d: CosemDate): ExecutionTimeDate => ({ time: t, date: d });

  it('checks execution_time against the type', () => {
    const s = new SingleActionScheduleObject('0.0.15.0.0.255', {
      executedScript: item,
      type: 1,
      executionTime: [at(time(0), date(undefined, undefined, 1))],
    });
    const ctx: CosemContext = { now: () => new Date(0) };
    const two = encodeAttribute(SINGLE_ACTION_SCHEDULE_CLASS, 4, [
      at(time(0), date(2024, 5, 1)),
      at(time(6), date(2024, 6, 1)),
    ]);
    expect(refusal(() => s.set(4, two, ctx)).message).toMatch(/exactly one/);
    s.set(3, { type: 'enum', value: 5 }, ctx);
    s.set(4, two, ctx);
    expect(refusal(() => s.set(3, { type: 'enum', value: 2 }, ctx)).message).toMatch(/same time/);
    s.set(3, { type: 'enum', value: 4 }, ctx);
    const wild = encodeAttribute(SINGLE_ACTION_SCHEDULE_CLASS, 4, [at(time(0), date(undefined, 5, 1))]);
    expect(refusal(() => s.set(4, wild, ctx)).message).toMatch(/no wildcards/);
    const noHour = encodeAttribute(SINGLE_ACTION_SCHEDULE_CLASS, 4, [
      at({ hour: undefined, minute: 0, second: 0, hundredths: 0 }, date(2024, 5, 1)),
    ]);
    expect(refusal(() => s.set(4, noHour, ctx)).message).toMatch(/hour and a minute/);
    expect(refusal(() => s.set(3, { type: 'enum', value: 6 }, ctx)).result).toBe('type-unmatched');
    expect(
      () =>
        new SingleActionScheduleObject('0.0.15.0.0.255', {
          executedScript: item,
          type: 1,
          executionTime: [],
        }),
    ).toThrow(/exactly one/);
  });

  it('runs the billing script at 00:00 on the 1st of every month, through the Script table', () => {
    const set = new CosemObjectSet();
    const counter = set.add(new DataObject('0.0.0.1.0.255', { type: 'unsigned', value: 0 }));
    set.add(
      new ScriptTableObject('0.0.10.0.1.255', [
        {
          scriptIdentifier: 1,
          actions: [
            {
              serviceId: 1,
              classId: 1,
              logicalName: parseObis('0.0.0.1.0.255'),
              index: 2,
              parameter: { type: 'unsigned', value: 1 },
            },
          ],
        },
      ]),
    );
    const s = set.add(
      new SingleActionScheduleObject('0.0.15.0.0.255', {
        executedScript: item,
        type: 1,
        executionTime: [at(time(0), date(undefined, undefined, 1))],
      }),
    );
    const c = clockCtx(Date.UTC(2024, 0, 31, 23, 0), set);
    expect(s.tick(c.ctx)).toEqual([]); // the first tick only sets the starting point
    c.advance(3599);
    expect(s.tick(c.ctx)).toEqual([]);
    expect(counter.values.value).toEqual({ type: 'unsigned', value: 0 });
    c.advance(1);
    expect(s.tick(c.ctx)).toEqual([new Date(Date.UTC(2024, 1, 1))]);
    expect(counter.values.value).toEqual({ type: 'unsigned', value: 1 });
    // three months without a tick: catches up three executions, in order
    c.at(Date.UTC(2024, 4, 15));
    expect(s.tick(c.ctx).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2024-03-01',
      '2024-04-01',
      '2024-05-01',
    ]);
    // the clock set backwards only moves the starting point
    c.at(Date.UTC(2024, 3, 15));
    expect(s.tick(c.ctx)).toEqual([]);
  });

  it('executes in the clock local time (IST)', () => {
    const set = new CosemObjectSet();
    set.add(new ClockObject());
    const runs: Date[] = [];
    const s = set.add(
      new SingleActionScheduleObject('0.0.15.0.4.255', {
        executedScript: item,
        type: 3,
        executionTime: [at(time(6), date(undefined, undefined, undefined))],
        onExecute: (_i, when) => runs.push(when),
      }),
    );
    const c = clockCtx(Date.UTC(2024, 2, 15, 0, 0), set);
    s.tick(c.ctx);
    c.advance(86_400);
    s.tick(c.ctx);
    expect(runs.map((d) => d.toISOString())).toEqual(['2024-03-15T00:30:00.000Z']);
  });

  it('ticking in pieces runs the same executions as one tick over the whole span', () => {
    const arbTimes = fc.array(
      fc.record({
        h: fc.integer({ min: 0, max: 23 }),
        m: fc.integer({ min: 0, max: 59 }),
        day: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
        dow: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(
        arbTimes,
        fc.array(fc.integer({ min: 1, max: 3 * 86_400 }), { minLength: 1, maxLength: 20 }),
        (times, steps) => {
          const et = times.map((t) => at(time(t.h, t.m), date(undefined, undefined, t.day, t.dow)));
          const mk = (runs: number[]) =>
            new SingleActionScheduleObject('0.0.15.0.0.255', {
              executedScript: item,
              type: 5,
              executionTime: et,
              onExecute: (_i, when) => runs.push(when.getTime()),
            });
          const start = Date.UTC(2024, 1, 20, 7, 13);
          const pieces: number[] = [];
          const whole: number[] = [];
          const a = mk(pieces);
          const b = mk(whole);
          const c = clockCtx(start);
          a.tick(c.ctx);
          b.tick(c.ctx);
          for (const s of steps) {
            c.advance(s);
            a.tick(c.ctx);
          }
          b.tick(c.ctx);
          expect(pieces).toEqual(whole);
          // and each run is a due time: in range, at the listed hour:minute
          for (const w of whole) {
            expect(w).toBeGreaterThan(start);
            const d = new Date(w);
            expect(times.some((t) => t.h === d.getUTCHours() && t.m === d.getUTCMinutes())).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round-trips execution_time and names the field on a bad shape', () => {
    const bytes = fromHex('01010202090400000000090507E8050103');
    const typed = decodeAttribute(SINGLE_ACTION_SCHEDULE_CLASS, 4, decodeData(bytes));
    expect(toHex(encodeData(encodeAttribute(SINGLE_ACTION_SCHEDULE_CLASS, 4, typed)))).toBe(toHex(bytes));
    let err: unknown;
    try {
      decodeAttribute(
        SINGLE_ACTION_SCHEDULE_CLASS,
        4,
        decodeData(fromHex('010102020904000000000904E8050103')),
      );
    } catch (e) {
      err = e;
    }
    expect((err as { path: unknown[] }).path).toEqual(['execution_time', 0, 'date']);
  });
});

describe('tickAll', () => {
  it('ticks the time-driven objects of a registry and skips the others', () => {
    const m = tariffMeter();
    const runs: Date[] = [];
    m.set.add(
      new SingleActionScheduleObject('0.0.15.0.0.255', {
        executedScript: { scriptLogicalName: obis(0, 0, 10, 0, 100, 255), scriptSelector: 2 },
        type: 1,
        executionTime: [{ time: time(6), date: date(undefined, undefined, undefined) }],
        onExecute: (_i, when) => runs.push(when),
      }),
    );
    const c = clockCtx(Date.UTC(2024, 6, 3, 5, 0));
    expect(tickAll(m.set, c.ctx)).toBe(1); // the Script table and the Data object have no tick
    c.advance(3600);
    tickAll(m.set, c.ctx);
    expect(runs).toEqual([new Date(Date.UTC(2024, 6, 3, 6, 0))]);
  });
});
