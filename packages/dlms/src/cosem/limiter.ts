/**
 * Interface class **Limiter** (class_id 71, version 0), IEC 62056-6-2 §4.5.9: watches a value against a
 * threshold and runs a script when it stays over (or back under) for long enough. IS 15959: load limit
 * 0.0.17.0.0.255, monitoring active power 1.0.1.7.0.255 attribute 2, acting on the disconnect control.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 monitored_value | value_definition | static |
 * | 3 threshold_active | CHOICE (simple type of the monitored value) | dynamic |
 * | 4 threshold_normal | CHOICE (as 3) | static |
 * | 5 threshold_emergency | CHOICE (as 3) | static |
 * | 6 min_over_threshold_duration | double-long-unsigned | seconds |
 * | 7 min_under_threshold_duration | double-long-unsigned | seconds |
 * | 8 emergency_profile | emergency_profile | static |
 * | 9 emergency_profile_group_id_list | array of long-unsigned | static |
 * | 10 emergency_profile_active | boolean | dynamic |
 * | 11 actions | action_type | static |
 *
 * ```text
 * value_definition ::= structure { class_id long-unsigned, logical_name octet-string, attribute_index integer }
 * emergency_profile ::= structure { emergency_profile_id long-unsigned,
 *   emergency_activation_time octet-string (date-time), emergency_duration double-long-unsigned (s) }
 * action_type ::= structure { action_over_threshold action_item, action_under_threshold action_item }
 * action_item ::= structure { script_logical_name octet-string, script_selector long-unsigned }
 * ```
 *
 * No methods.
 *
 * **Server behaviour** (evaluated from `ctx.now()` on {@link LimiterObject.tick} and whenever a client
 * reads an attribute of the limiter, so what it reads is current):
 * - The monitored value is read from `ctx.objects` (as the meter). It is *over* when
 *   `value > threshold_active`, *under* otherwise; a value that is missing or not a number changes nothing.
 * - The limiter starts under. When the value has been over continuously for `min_over_threshold_duration`
 *   seconds, `action_over_threshold` runs once and the limiter is over; back under for
 *   `min_under_threshold_duration` seconds, `action_under_threshold` runs once. A duration of 0 acts on the
 *   first evaluation that sees the crossing. An excursion shorter than the duration restarts the timer.
 * - The emergency profile is active while its id is in `emergency_profile_group_id_list` and
 *   `activation_time ≤ now < activation_time + duration` (the activation time must be a complete
 *   date-time; a missing deviation is the clock's). While it is active `threshold_active` is
 *   `threshold_emergency`, otherwise `threshold_normal` (writing threshold_normal in normal operation
 *   changes threshold_active too; writing threshold_active directly holds until the next change of mode).
 * - Actions run through the Script table they name ({@link executeActionItem}) unless the owner supplies
 *   `onAction`, which then receives them instead. An action that fails does not stop the state change
 *   (the limiter has acted); the failure goes to `onActionError` when supplied.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { type Obis, obis } from '../obis/index.ts';
import { clockNow, toInstant, UNSPECIFIED_DATE_TIME } from './clock.ts';
import {
  anyData,
  arrayOf,
  boolean,
  type DateTimeValue,
  dateTime,
  doubleLongUnsigned,
  longUnsigned,
  struct,
} from './codec.ts';
import { type ActionItem, actionItem, type ValueDefinition, valueDefinition } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { accessError } from './results.ts';
import { compareValues, executeActionItem, readValueDefinition } from './runtime.ts';

export interface EmergencyProfile {
  id: number;
  activationTime: DateTimeValue;
  /** Seconds. */
  duration: number;
}

export interface LimiterActions {
  actionOverThreshold: ActionItem;
  actionUnderThreshold: ActionItem;
}

export interface LimiterAttributes {
  monitoredValue: ValueDefinition;
  thresholdActive: Data;
  thresholdNormal: Data;
  thresholdEmergency: Data;
  minOverThresholdDuration: number;
  minUnderThresholdDuration: number;
  emergencyProfile: EmergencyProfile;
  emergencyProfileGroupIdList: number[];
  emergencyProfileActive: boolean;
  actions: LimiterActions;
}

export const emergencyProfile = /* @__PURE__ */ struct({
  id: longUnsigned,
  activationTime: dateTime,
  duration: doubleLongUnsigned,
});

export const limiterActions = /* @__PURE__ */ struct({
  actionOverThreshold: actionItem,
  actionUnderThreshold: actionItem,
});

export const LIMITER_CLASS = /* @__PURE__ */ defineClass<LimiterAttributes>({
  classId: 71,
  version: 0,
  name: 'Limiter',
  attributes: {
    monitoredValue: { id: 2, name: 'monitored_value', codec: valueDefinition, access: 'read-only' },
    thresholdActive: { id: 3, name: 'threshold_active', codec: anyData, access: 'read-and-write' },
    thresholdNormal: { id: 4, name: 'threshold_normal', codec: anyData, access: 'read-and-write' },
    thresholdEmergency: { id: 5, name: 'threshold_emergency', codec: anyData, access: 'read-and-write' },
    minOverThresholdDuration: {
      id: 6,
      name: 'min_over_threshold_duration',
      codec: doubleLongUnsigned,
      access: 'read-and-write',
    },
    minUnderThresholdDuration: {
      id: 7,
      name: 'min_under_threshold_duration',
      codec: doubleLongUnsigned,
      access: 'read-and-write',
    },
    emergencyProfile: {
      id: 8,
      name: 'emergency_profile',
      codec: emergencyProfile,
      access: 'read-and-write',
    },
    emergencyProfileGroupIdList: {
      id: 9,
      name: 'emergency_profile_group_id_list',
      codec: arrayOf(longUnsigned),
      access: 'read-and-write',
    },
    emergencyProfileActive: {
      id: 10,
      name: 'emergency_profile_active',
      codec: boolean,
      access: 'read-only',
    },
    actions: { id: 11, name: 'actions', codec: limiterActions, access: 'read-and-write' },
  },
});

/** The IS 15959 load limit object, 0.0.17.0.0.255. */
export const LOAD_LIMIT_LN: Obis = /* @__PURE__ */ obis(0, 0, 17, 0, 0, 255);

/** What the limiter concluded at the last evaluation. */
export type LimiterState = 'under' | 'over';

export interface LimiterInit {
  monitoredValue: ValueDefinition;
  thresholdNormal: Data;
  thresholdEmergency?: Data;
  minOverThresholdDuration?: number;
  minUnderThresholdDuration?: number;
  emergencyProfile?: EmergencyProfile;
  emergencyProfileGroupIdList?: number[];
  actions?: LimiterActions;
  /** Receives the actions instead of the Script table (e.g. a disconnect control driven directly). */
  onAction?: (which: 'over' | 'under', item: ActionItem, ctx: CosemContext) => void;
  /** Receives a failure of an action (the state change stands). */
  onActionError?: (which: 'over' | 'under', error: unknown) => void;
}

const NO_ACTION: ActionItem = { scriptLogicalName: obis(0, 0, 0, 0, 0, 0), scriptSelector: 0 };

export class LimiterObject extends CosemServerObject<LimiterAttributes> {
  state: LimiterState = 'under';
  /** When the value was first seen on the other side of the threshold (ms), while the timer runs. */
  pendingSince: number | undefined;
  onAction: LimiterInit['onAction'];
  onActionError: LimiterInit['onActionError'];
  #ticking = false;

  constructor(logicalName: Obis | string, init: LimiterInit) {
    super(LIMITER_CLASS, logicalName, {
      monitoredValue: init.monitoredValue,
      thresholdActive: init.thresholdNormal,
      thresholdNormal: init.thresholdNormal,
      thresholdEmergency: init.thresholdEmergency ?? init.thresholdNormal,
      minOverThresholdDuration: init.minOverThresholdDuration ?? 0,
      minUnderThresholdDuration: init.minUnderThresholdDuration ?? 0,
      emergencyProfile: init.emergencyProfile ?? {
        id: 0,
        activationTime: { ...UNSPECIFIED_DATE_TIME },
        duration: 0,
      },
      emergencyProfileGroupIdList: init.emergencyProfileGroupIdList ?? [],
      emergencyProfileActive: false,
      actions: init.actions ?? { actionOverThreshold: NO_ACTION, actionUnderThreshold: NO_ACTION },
    });
    this.onAction = init.onAction;
    this.onActionError = init.onActionError;
  }

  /** True when the emergency profile applies at `ms` (see the module doc). */
  emergencyActiveAt(ms: number, ctx: CosemContext): boolean {
    const p = this.values.emergencyProfile;
    if (!this.values.emergencyProfileGroupIdList.includes(p.id)) return false;
    const deviation = clockNow(ctx).deviation ?? 0;
    const start = toInstant(p.activationTime, deviation)?.getTime();
    if (start === undefined) return false;
    return ms >= start && ms < start + p.duration * 1000;
  }

  /** Evaluates the limiter at `ctx.now()`: emergency mode, then the threshold timer; returns the state. */
  tick(ctx: CosemContext): LimiterState {
    // A limiter that (mis)monitors itself would recurse through its own GET: evaluate once.
    if (this.#ticking) return this.state;
    this.#ticking = true;
    try {
      return this.#evaluate(ctx);
    } finally {
      this.#ticking = false;
    }
  }

  #evaluate(ctx: CosemContext): LimiterState {
    const v = this.values;
    const now = ctx.now().getTime();
    const emergency = this.emergencyActiveAt(now, ctx);
    if (emergency !== v.emergencyProfileActive) {
      v.emergencyProfileActive = emergency;
      v.thresholdActive = emergency ? v.thresholdEmergency : v.thresholdNormal;
    }
    const c = compareValues(readValueDefinition(v.monitoredValue, ctx), v.thresholdActive);
    if (c === undefined) return this.state;
    const side: LimiterState = c > 0 ? 'over' : 'under';
    if (side === this.state) {
      this.pendingSince = undefined;
      return this.state;
    }
    this.pendingSince ??= now;
    const need = (side === 'over' ? v.minOverThresholdDuration : v.minUnderThresholdDuration) * 1000;
    if (now - this.pendingSince >= need) {
      this.state = side;
      this.pendingSince = undefined;
      this.#act(side, ctx);
    }
    return this.state;
  }

  #act(which: 'over' | 'under', ctx: CosemContext): void {
    const a = this.values.actions;
    const item = which === 'over' ? a.actionOverThreshold : a.actionUnderThreshold;
    try {
      if (this.onAction) this.onAction(which, item, ctx);
      else executeActionItem(item, ctx);
    } catch (e) {
      if (this.onActionError) this.onActionError(which, e);
    }
  }

  protected override read<K extends keyof LimiterAttributes & string>(key: K, ctx: CosemContext): Data {
    this.tick(ctx);
    return super.read(key, ctx);
  }

  protected override write<K extends keyof LimiterAttributes & string>(
    key: K,
    value: LimiterAttributes[K],
    ctx: CosemContext,
  ): void {
    if (key === 'emergencyProfileActive') {
      throw outOfRangeReadOnly('emergency_profile_active');
    }
    super.write(key, value, ctx);
    const v = this.values;
    if (key === 'thresholdNormal' && !v.emergencyProfileActive) v.thresholdActive = v.thresholdNormal;
    if (key === 'thresholdEmergency' && v.emergencyProfileActive) v.thresholdActive = v.thresholdEmergency;
    if (key === 'monitoredValue' || key === 'thresholdActive') this.pendingSince = undefined;
  }
}

function outOfRangeReadOnly(name: string) {
  return accessError('set', 'read-write-denied', `${name} is read-only`);
}
