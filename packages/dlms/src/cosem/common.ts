/**
 * Shapes shared by several interface classes (IEC 62056-6-2): scaler_unit, capture object definitions,
 * value definitions, script action items, and the default ("zero") value of a Register-like value.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { type Codec, enumeration, integer, logicalName, longUnsigned, struct } from './codec.ts';

/**
 * `scaler_unit_type ::= structure { scaler integer, unit enum }`: the value is `value × 10^scaler` in
 * `unit` (see `units.ts`). Example: `02 02 0F FF 16 1E` is scaler −1, unit 30 (Wh).
 */
export interface ScalerUnit {
  scaler: number;
  unit: number;
}

export const scalerUnit: Codec<ScalerUnit> = /* @__PURE__ */ struct({ scaler: integer, unit: enumeration });

/**
 * `capture_object_definition ::= structure { class_id long-unsigned, logical_name octet-string,
 * attribute_index integer, data_index long-unsigned }` (Profile generic capture_objects, sort_object, the
 * restricting object of a range descriptor). `dataIndex` 0 is the whole attribute; n ≥ 1 the n-th element
 * of an array or structure attribute.
 */
export interface CaptureObjectDefinition {
  classId: number;
  logicalName: Obis;
  attributeIndex: number;
  dataIndex: number;
}

export const captureObjectDefinition: Codec<CaptureObjectDefinition> = /* @__PURE__ */ struct({
  classId: longUnsigned,
  logicalName,
  attributeIndex: integer,
  dataIndex: longUnsigned,
});

/** `value_definition ::= structure { class_id long-unsigned, logical_name octet-string, attribute_index integer }`. */
export interface ValueDefinition {
  classId: number;
  logicalName: Obis;
  attributeIndex: number;
}

export const valueDefinition: Codec<ValueDefinition> = /* @__PURE__ */ struct({
  classId: longUnsigned,
  logicalName,
  attributeIndex: integer,
});

/** `action_item ::= structure { script_logical_name octet-string, script_selector long-unsigned }`. */
export interface ActionItem {
  scriptLogicalName: Obis;
  scriptSelector: number;
}

export const actionItem: Codec<ActionItem> = /* @__PURE__ */ struct({
  scriptLogicalName: logicalName,
  scriptSelector: longUnsigned,
});

/**
 * The default a Register-like value resets to: zero of the same numeric type, an empty string of the same
 * string type, FALSE, and null-data for anything else.
 */
export function zeroOf(d: Data): Data {
  switch (d.type) {
    case 'double-long':
    case 'double-long-unsigned':
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'float32':
    case 'float64':
    case 'bcd':
    case 'enum':
      return { type: d.type, value: 0 };
    case 'long64':
    case 'long64-unsigned':
      return { type: d.type, value: 0n };
    case 'octet-string':
      return { type: 'octet-string', value: new Uint8Array(0) };
    case 'visible-string':
    case 'utf8-string':
      return { type: d.type, value: '' };
    case 'boolean':
      return { type: 'boolean', value: false };
    default:
      return { type: 'null-data' };
  }
}

/** The scaled numeric value of a Register-like value (`value × 10^scaler`), or undefined for non-numbers. */
export function scaledValue(d: Data, su: ScalerUnit): number | undefined {
  switch (d.type) {
    case 'double-long':
    case 'double-long-unsigned':
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'float32':
    case 'float64':
      return d.value * 10 ** su.scaler;
    case 'long64':
    case 'long64-unsigned':
      return Number(d.value) * 10 ** su.scaler;
    default:
      return undefined;
  }
}
