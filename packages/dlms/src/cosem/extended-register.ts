/**
 * Interface class **Extended register** (class_id 4, version 0), IEC 62056-6-2 §4.3.3: a Register with a
 * status and the time the value was captured.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 value | CHOICE (simple numeric) | dynamic |
 * | 3 scaler_unit | structure { scaler integer, unit enum } | static |
 * | 4 status | CHOICE (any simple type, e.g. a bit-string or unsigned) | dynamic |
 * | 5 capture_time | octet-string (date-time) | dynamic |
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 reset | data ::= integer (0) | value to its default, status to its default, capture_time to now |
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { clockNow } from './clock.ts';
import { anyData, type DateTimeValue, dateTime } from './codec.ts';
import { type ScalerUnit, scalerUnit, zeroOf } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';

export interface ExtendedRegisterAttributes {
  value: Data;
  scalerUnit: ScalerUnit;
  status: Data;
  captureTime: DateTimeValue;
}

export interface ExtendedRegisterMethods {
  reset: undefined;
}

export const EXTENDED_REGISTER_CLASS = /* @__PURE__ */ defineClass<
  ExtendedRegisterAttributes,
  ExtendedRegisterMethods
>({
  classId: 4,
  version: 0,
  name: 'Extended register',
  attributes: {
    value: { id: 2, name: 'value', codec: anyData, access: 'read-only' },
    scalerUnit: { id: 3, name: 'scaler_unit', codec: scalerUnit, access: 'read-only' },
    status: { id: 4, name: 'status', codec: anyData, access: 'read-only' },
    captureTime: { id: 5, name: 'capture_time', codec: dateTime, access: 'read-only' },
  },
  methods: { reset: { id: 1, name: 'reset', params: undefined, access: 'no-access' } },
});

export class ExtendedRegisterObject extends CosemServerObject<
  ExtendedRegisterAttributes,
  ExtendedRegisterMethods
> {
  constructor(logicalName: Obis | string, values: ExtendedRegisterAttributes) {
    super(EXTENDED_REGISTER_CLASS, logicalName, values);
  }

  /** Stores a new value with the clock's capture time (local, as the metering application would). */
  update(value: Data, ctx: CosemContext, status?: Data): void {
    this.values.value = value;
    if (status !== undefined) this.values.status = status;
    this.values.captureTime = clockNow(ctx);
  }

  protected override invoke(_key: 'reset', _p: undefined, ctx: CosemContext): Data | undefined {
    this.values.value = zeroOf(this.values.value);
    this.values.status = zeroOf(this.values.status);
    this.values.captureTime = clockNow(ctx);
    return undefined;
  }
}
