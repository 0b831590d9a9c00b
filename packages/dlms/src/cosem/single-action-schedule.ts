/**
 * Interface class **Single action schedule** (class_id 22, version 0), IEC 62056-6-2 §4.5.7: runs one
 * script at given dates and times. IS 15959: billing dates 0.0.15.0.0.255, image activation
 * 0.0.15.0.2.255, push 0.0.15.0.4.255.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 executed_script | script (action_item) | static |
 * | 3 type | enum | static, see below |
 * | 4 execution_time | array of execution_time_date | static |
 *
 * ```text
 * script ::= structure { script_logical_name octet-string, script_selector long-unsigned }
 * execution_time_date ::= structure { time octet-string (SIZE(4)), date octet-string (SIZE(5)) }
 * type: 1 size of execution_time = 1; wildcard in date allowed
 *       2 size of execution_time = n; all time values the same; wildcards in date not allowed
 *       3 size of execution_time = n; all time values the same; wildcards in date allowed
 *       4 size of execution_time = n; time values may differ; wildcards in date not allowed
 *       5 size of execution_time = n; time values may differ; wildcards in date allowed
 * ```
 *
 * No methods.
 *
 * **Server behaviour.**
 * - Writes are checked against the type: an `execution_time` (or a `type`) that breaks the rule above is
 *   refused with `other-reason` and nothing changes. So changing both goes in the order that keeps the
 *   pair valid (e.g. type 4 then a longer list; a one-entry list then type 1). Hour and minute must be
 *   specified (not-specified second and hundredths count as 0); otherwise `other-reason`.
 * - {@link SingleActionScheduleObject.tick} runs the script (through its Script table) once for every
 *   execution time that fell in `(previous tick, now]`, in time order, in the clock's local time. The
 *   first tick only sets the starting point (nothing is caught up from before the object existed); a clock
 *   set backwards also only resets the starting point; a gap longer than {@link MAX_CATCH_UP_DAYS} days
 *   catches up only that many days.
 *
 * @module
 */
import type { CosemDate, CosemTime } from '../axdr/datetime.ts';
import { DlmsError } from '../errors.ts';
import type { Obis } from '../obis/index.ts';
import { clockNow } from './clock.ts';
import { arrayOf, enumOf, struct } from './codec.ts';
import { type ActionItem, actionItem } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';
import { executeActionItem } from './runtime.ts';
import {
  cosemDate,
  cosemTime,
  dateIsSpecific,
  dateMatches,
  instantOf,
  localDayOf,
  timeOfDayMs,
} from './time-codecs.ts';

export type ScheduleType = 1 | 2 | 3 | 4 | 5;

export interface ExecutionTimeDate {
  time: CosemTime;
  date: CosemDate;
}

export interface SingleActionScheduleAttributes {
  executedScript: ActionItem;
  type: ScheduleType;
  executionTime: ExecutionTimeDate[];
}

export const executionTimeDate = /* @__PURE__ */ struct({ time: cosemTime, date: cosemDate });

export const SINGLE_ACTION_SCHEDULE_CLASS = /* @__PURE__ */ defineClass<SingleActionScheduleAttributes>({
  classId: 22,
  version: 0,
  name: 'Single action schedule',
  attributes: {
    executedScript: { id: 2, name: 'executed_script', codec: actionItem, access: 'read-and-write' },
    type: { id: 3, name: 'type', codec: enumOf([1, 2, 3, 4, 5], 'type'), access: 'read-and-write' },
    executionTime: {
      id: 4,
      name: 'execution_time',
      codec: arrayOf(executionTimeDate),
      access: 'read-and-write',
    },
  },
});

/** The longest gap between ticks that is caught up, in days. */
export const MAX_CATCH_UP_DAYS = 366;

/** Why a type and execution_time do not go together, or undefined when they do. */
export function scheduleProblem(type: ScheduleType, times: readonly ExecutionTimeDate[]): string | undefined {
  if (type === 1 && times.length !== 1) return `type 1 needs exactly one execution time, got ${times.length}`;
  for (const [i, t] of times.entries()) {
    if (timeOfDayMs(t.time) === undefined)
      return `execution_time ${i + 1}: the time needs an hour and a minute within the day`;
    if ((type === 2 || type === 4) && !dateIsSpecific(t.date))
      return `execution_time ${i + 1}: type ${type} allows no wildcards in the date`;
  }
  if (type === 2 || type === 3) {
    const first = times[0] && timeOfDayMs(times[0].time);
    if (times.some((t) => timeOfDayMs(t.time) !== first))
      return `type ${type} needs the same time in every execution time`;
  }
  return undefined;
}

export interface SingleActionScheduleInit {
  executedScript: ActionItem;
  type: ScheduleType;
  executionTime: ExecutionTimeDate[];
  /** Receives the script instead of the Script table. */
  onExecute?: (item: ActionItem, at: Date, ctx: CosemContext) => void;
  /** Receives a failure of the script (the schedule moves on). */
  onError?: (error: unknown, at: Date) => void;
}

export class SingleActionScheduleObject extends CosemServerObject<SingleActionScheduleAttributes> {
  /** The instant (ms) of the previous tick; undefined before the first. */
  lastTick: number | undefined;
  onExecute: SingleActionScheduleInit['onExecute'];
  onError: SingleActionScheduleInit['onError'];

  constructor(logicalName: Obis | string, init: SingleActionScheduleInit) {
    const problem = scheduleProblem(init.type, init.executionTime);
    if (problem) throw new DlmsError('INVALID_ARGUMENT', `execution_time: ${problem}`);
    super(SINGLE_ACTION_SCHEDULE_CLASS, logicalName, {
      executedScript: init.executedScript,
      type: init.type,
      executionTime: init.executionTime,
    });
    this.onExecute = init.onExecute;
    this.onError = init.onError;
  }

  /** The execution instants in `(from, to]` (ms), in order, in local time at the clock's deviation. */
  dueBetween(from: number, to: number, deviation: number): number[] {
    const out: number[] = [];
    if (!(to > from)) return out;
    const start = Math.max(from, to - MAX_CATCH_UP_DAYS * 86_400_000);
    // local days from the one holding `start` to the one holding `to`
    const first = localDayOf(start, deviation);
    let dayStart = instantOf(first, 0, deviation);
    for (; dayStart <= to; dayStart += 86_400_000) {
      const day = localDayOf(dayStart, deviation);
      for (const e of this.values.executionTime) {
        const tod = timeOfDayMs(e.time);
        if (tod === undefined || !dateMatches(e.date, day)) continue;
        const t = instantOf(day, tod, deviation);
        if (t > start && t <= to) out.push(t);
      }
    }
    return out.sort((a, b) => a - b);
  }

  /** Runs the script for every execution time since the previous tick; returns the instants run. */
  tick(ctx: CosemContext): Date[] {
    const now = ctx.now().getTime();
    const prev = this.lastTick;
    this.lastTick = now;
    if (prev === undefined || now <= prev) return [];
    const deviation = clockNow(ctx).deviation ?? 0;
    const ran: Date[] = [];
    for (const t of this.dueBetween(prev, now, deviation)) {
      const at = new Date(t);
      try {
        if (this.onExecute) this.onExecute(this.values.executedScript, at, ctx);
        else executeActionItem(this.values.executedScript, ctx);
      } catch (e) {
        this.onError?.(e, at);
      }
      ran.push(at);
    }
    return ran;
  }

  protected override write<K extends keyof SingleActionScheduleAttributes & string>(
    key: K,
    value: SingleActionScheduleAttributes[K],
    ctx: CosemContext,
  ): void {
    const v = this.values;
    const type = key === 'type' ? (value as ScheduleType) : v.type;
    const times = key === 'executionTime' ? (value as ExecutionTimeDate[]) : v.executionTime;
    const problem = scheduleProblem(type, times);
    if (problem) throw outOfRange(key === 'type' ? 'type' : 'execution_time', problem);
    super.write(key, value, ctx);
  }
}
