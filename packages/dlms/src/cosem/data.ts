/**
 * Interface class **Data** (class_id 1, version 0), IEC 62056-6-2 §4.3.1: a value that is not a
 * measurement (a serial number, a counter, a configuration value).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 value | CHOICE (any simple or complex Data) | dynamic or static |
 *
 * No methods.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { anyData } from './codec.ts';
import { CosemServerObject, defineClass } from './object.ts';

export interface DataAttributes {
  value: Data;
}

export const DATA_CLASS = /* @__PURE__ */ defineClass<DataAttributes>({
  classId: 1,
  version: 0,
  name: 'Data',
  attributes: { value: { id: 2, name: 'value', codec: anyData, access: 'read-only' } },
});

/** A Data object holding its value in memory. */
export class DataObject extends CosemServerObject<DataAttributes> {
  constructor(logicalName: Obis | string, value: Data) {
    super(DATA_CLASS, logicalName, { value });
  }
}
