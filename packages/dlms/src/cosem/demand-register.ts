/**
 * Interface class **Demand register** (class_id 5, version 0), IEC 62056-6-2 §4.3.4: a sliding or block
 * demand (average over `period` seconds, `number_of_periods` sub-periods).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 current_average_value | CHOICE (simple numeric) | dynamic |
 * | 3 last_average_value | CHOICE (simple numeric) | dynamic |
 * | 4 scaler_unit | structure { scaler integer, unit enum } | static |
 * | 5 status | CHOICE (any simple type) | dynamic |
 * | 6 capture_time | octet-string (date-time) | dynamic: end of the last period |
 * | 7 start_time_current | octet-string (date-time) | dynamic |
 * | 8 period | double-long-unsigned | static, seconds |
 * | 9 number_of_periods | long-unsigned | static, ≥ 1 |
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 reset | integer (0) | averages to default, capture_time and start_time_current to now |
 * | 2 next_period | integer (0) | closes the current period: last ← current, a new period starts now |
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { clockNow } from './clock.ts';
import { anyData, type DateTimeValue, dateTime, doubleLongUnsigned, longUnsigned } from './codec.ts';
import { type ScalerUnit, scalerUnit, zeroOf } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';

export interface DemandRegisterAttributes {
  currentAverageValue: Data;
  lastAverageValue: Data;
  scalerUnit: ScalerUnit;
  status: Data;
  captureTime: DateTimeValue;
  startTimeCurrent: DateTimeValue;
  period: number;
  numberOfPeriods: number;
}

export interface DemandRegisterMethods {
  reset: undefined;
  nextPeriod: undefined;
}

export const DEMAND_REGISTER_CLASS = /* @__PURE__ */ defineClass<
  DemandRegisterAttributes,
  DemandRegisterMethods
>({
  classId: 5,
  version: 0,
  name: 'Demand register',
  attributes: {
    currentAverageValue: { id: 2, name: 'current_average_value', codec: anyData, access: 'read-only' },
    lastAverageValue: { id: 3, name: 'last_average_value', codec: anyData, access: 'read-only' },
    scalerUnit: { id: 4, name: 'scaler_unit', codec: scalerUnit, access: 'read-only' },
    status: { id: 5, name: 'status', codec: anyData, access: 'read-only' },
    captureTime: { id: 6, name: 'capture_time', codec: dateTime, access: 'read-only' },
    startTimeCurrent: { id: 7, name: 'start_time_current', codec: dateTime, access: 'read-only' },
    period: { id: 8, name: 'period', codec: doubleLongUnsigned, access: 'read-and-write' },
    numberOfPeriods: { id: 9, name: 'number_of_periods', codec: longUnsigned, access: 'read-and-write' },
  },
  methods: {
    reset: { id: 1, name: 'reset', params: undefined, access: 'no-access' },
    nextPeriod: { id: 2, name: 'next_period', params: undefined, access: 'no-access' },
  },
});

export class DemandRegisterObject extends CosemServerObject<DemandRegisterAttributes, DemandRegisterMethods> {
  constructor(logicalName: Obis | string, values: DemandRegisterAttributes) {
    super(DEMAND_REGISTER_CLASS, logicalName, values);
  }

  protected override write<K extends keyof DemandRegisterAttributes & string>(
    key: K,
    value: DemandRegisterAttributes[K],
    ctx: CosemContext,
  ): void {
    if (key === 'numberOfPeriods' && (value as number) < 1)
      throw outOfRange('number_of_periods', 'must be ≥ 1');
    if (key === 'period' && (value as number) < 1) throw outOfRange('period', 'must be ≥ 1 s');
    super.write(key, value, ctx);
  }

  protected override invoke(
    key: keyof DemandRegisterMethods,
    _p: undefined,
    ctx: CosemContext,
  ): Data | undefined {
    const now = clockNow(ctx);
    const v = this.values;
    if (key === 'reset') {
      v.currentAverageValue = zeroOf(v.currentAverageValue);
      v.lastAverageValue = zeroOf(v.lastAverageValue);
    } else {
      v.lastAverageValue = v.currentAverageValue;
      v.currentAverageValue = zeroOf(v.currentAverageValue);
    }
    v.captureTime = now;
    v.startTimeCurrent = now;
    return undefined;
  }
}
