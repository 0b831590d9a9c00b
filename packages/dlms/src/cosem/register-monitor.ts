/**
 * Interface class **Register monitor** (class_id 21, version 0), IEC 62056-6-2 §4.5.6: compares a value
 * with a list of thresholds and runs a script when it crosses one, upwards or downwards.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 thresholds | array of CHOICE (simple type of the monitored value) | static |
 * | 3 monitored_value | value_definition | static |
 * | 4 actions | array of action_set | static: one per threshold, same order |
 *
 * ```text
 * value_definition ::= structure { class_id long-unsigned, logical_name octet-string, attribute_index integer }
 * action_set ::= structure { action_up action_item, action_down action_item }
 * action_item ::= structure { script_logical_name octet-string, script_selector long-unsigned }
 * ```
 *
 * No methods.
 *
 * **Server behaviour** ({@link RegisterMonitorObject.tick}, and before each GET of the monitor): the
 * monitored value is read from `ctx.objects`; threshold i is *crossed upwards* when the previous value was
 * ≤ threshold and the new one is > threshold, *downwards* when it was > and is now ≤. Each crossing runs
 * that threshold's `action_up` / `action_down` (through its Script table, or `onAction`), in threshold
 * order. The first evaluation only records the value. A value that is missing or not a number changes
 * nothing. A threshold without an action_set (actions shorter than thresholds) is watched but runs
 * nothing: the Blue Book pairs them by position and a client writes thresholds and actions one at a
 * time, so a transient mismatch is not refused.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { anyData, arrayOf, struct } from './codec.ts';
import { type ActionItem, actionItem, type ValueDefinition, valueDefinition } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { compareValues, executeActionItem, readValueDefinition } from './runtime.ts';

export interface ActionSet {
  actionUp: ActionItem;
  actionDown: ActionItem;
}

export interface RegisterMonitorAttributes {
  thresholds: Data[];
  monitoredValue: ValueDefinition;
  actions: ActionSet[];
}

export const actionSet = /* @__PURE__ */ struct({ actionUp: actionItem, actionDown: actionItem });

export const REGISTER_MONITOR_CLASS = /* @__PURE__ */ defineClass<RegisterMonitorAttributes>({
  classId: 21,
  version: 0,
  name: 'Register monitor',
  attributes: {
    thresholds: { id: 2, name: 'thresholds', codec: arrayOf(anyData), access: 'read-and-write' },
    monitoredValue: { id: 3, name: 'monitored_value', codec: valueDefinition, access: 'read-only' },
    actions: { id: 4, name: 'actions', codec: arrayOf(actionSet), access: 'read-and-write' },
  },
});

/** One crossing seen by a tick. */
export interface Crossing {
  threshold: number;
  direction: 'up' | 'down';
}

export class RegisterMonitorObject extends CosemServerObject<RegisterMonitorAttributes> {
  /** The value seen at the previous evaluation. */
  lastValue: Data | undefined;
  onAction: ((crossing: Crossing, item: ActionItem, ctx: CosemContext) => void) | undefined;
  onActionError: ((crossing: Crossing, error: unknown) => void) | undefined;
  #ticking = false;

  constructor(logicalName: Obis | string, values: RegisterMonitorAttributes) {
    super(REGISTER_MONITOR_CLASS, logicalName, values);
  }

  /** Evaluates the monitored value now; returns the crossings (and runs their actions). */
  tick(ctx: CosemContext): Crossing[] {
    // A monitor that (mis)monitors itself would recurse through its own GET: evaluate once.
    if (this.#ticking) return [];
    this.#ticking = true;
    try {
      return this.#evaluate(ctx);
    } finally {
      this.#ticking = false;
    }
  }

  #evaluate(ctx: CosemContext): Crossing[] {
    const v = this.values;
    const cur = readValueDefinition(v.monitoredValue, ctx);
    const out: Crossing[] = [];
    if (cur === undefined || compareValues(cur, cur) === undefined) return out;
    const prev = this.lastValue;
    this.lastValue = cur;
    if (prev === undefined) return out;
    v.thresholds.forEach((t, i) => {
      const before = compareValues(prev, t);
      const after = compareValues(cur, t);
      if (before === undefined || after === undefined) return;
      if (before <= 0 && after > 0) out.push({ threshold: i, direction: 'up' });
      else if (before > 0 && after <= 0) out.push({ threshold: i, direction: 'down' });
    });
    for (const c of out) {
      const set = v.actions[c.threshold];
      if (!set) continue;
      const item = c.direction === 'up' ? set.actionUp : set.actionDown;
      try {
        if (this.onAction) this.onAction(c, item, ctx);
        else executeActionItem(item, ctx);
      } catch (e) {
        this.onActionError?.(c, e);
      }
    }
    return out;
  }

  protected override read<K extends keyof RegisterMonitorAttributes & string>(
    key: K,
    ctx: CosemContext,
  ): Data {
    this.tick(ctx);
    return super.read(key, ctx);
  }
}
