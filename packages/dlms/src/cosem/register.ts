/**
 * Interface class **Register** (class_id 3, version 0), IEC 62056-6-2 §4.3.2: a process value with its
 * scaler and unit.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 value | CHOICE (a simple numeric type) | dynamic |
 * | 3 scaler_unit | scal_unit_type ::= structure { scaler integer, unit enum } | static |
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 reset | data ::= integer (0) | optional: the value goes back to its default |
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { anyData } from './codec.ts';
import { type ScalerUnit, scalerUnit, zeroOf } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';

export interface RegisterAttributes {
  value: Data;
  scalerUnit: ScalerUnit;
}

export interface RegisterMethods {
  reset: undefined;
}

export const REGISTER_CLASS = /* @__PURE__ */ defineClass<RegisterAttributes, RegisterMethods>({
  classId: 3,
  version: 0,
  name: 'Register',
  attributes: {
    value: { id: 2, name: 'value', codec: anyData, access: 'read-only' },
    scalerUnit: { id: 3, name: 'scaler_unit', codec: scalerUnit, access: 'read-only' },
  },
  methods: { reset: { id: 1, name: 'reset', params: undefined, access: 'no-access' } },
});

export interface RegisterOptions {
  /** What `reset` sets the value to (default: zero of the value's type). */
  defaultValue?: Data;
}

export class RegisterObject extends CosemServerObject<RegisterAttributes, RegisterMethods> {
  readonly defaultValue: Data | undefined;
  constructor(logicalName: Obis | string, values: RegisterAttributes, options: RegisterOptions = {}) {
    super(REGISTER_CLASS, logicalName, values);
    this.defaultValue = options.defaultValue;
  }

  protected override invoke(_key: 'reset', _p: undefined, _ctx: CosemContext): Data | undefined {
    this.values.value = this.defaultValue ?? zeroOf(this.values.value);
    return undefined;
  }
}
