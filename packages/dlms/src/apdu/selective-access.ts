/**
 * Selective access (IEC 62056-5-3 / Green Book) and its two Profile Generic forms (IEC 62056-6-2 / Blue
 * Book, interface class 7, attribute 2 `buffer`).
 *
 * ```asn1
 * Selective-Access-Descriptor ::= SEQUENCE {
 *   access-selector    Unsigned8,
 *   access-parameters  Data
 * }
 * ```
 *
 * Profile Generic, selector 1, `range_descriptor`:
 *
 * ```text
 * range_descriptor ::= structure {
 *   restricting_object  capture_object_definition,
 *   from_value          CHOICE-Data,   -- e.g. an octet-string date-time for the clock
 *   to_value            CHOICE-Data,
 *   selected_values     array capture_object_definition   -- empty: all columns
 * }
 * capture_object_definition ::= structure {
 *   class_id        long-unsigned,
 *   logical_name    octet-string,
 *   attribute_index integer,
 *   data_index      long-unsigned
 * }
 * ```
 *
 * Profile Generic, selector 2, `entry_descriptor`:
 *
 * ```text
 * entry_descriptor ::= structure {
 *   from_entry          double-long-unsigned,   -- first entry is 1
 *   to_entry            double-long-unsigned,   -- 0: the last (most recent) entry
 *   from_selected_value long-unsigned,          -- first column is 1
 *   to_selected_value   long-unsigned           -- 0: the last column
 * }
 * ```
 *
 * {@link rangeDescriptor} / {@link entryDescriptor} build the descriptor; {@link parseProfileSelection}
 * gives the typed form back when the parameters have exactly one of these shapes.
 *
 * @module
 */
import { dateTimeAsOctetString, writeData } from '../axdr/codec.ts';
import type { CosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { type Obis, obis, obisToBytes, parseObis } from '../obis/index.ts';
import { checkInt, invalid } from './common.ts';

/** Selective-Access-Descriptor. */
export interface SelectiveAccessDescriptor {
  /** Unsigned8: 1 range, 2 entry for Profile Generic; meaning depends on the interface class. */
  accessSelector: number;
  accessParameters: Data;
}

/** Profile Generic `capture_object_definition`. */
export interface CaptureObjectDefinition {
  classId: number;
  logicalName: Obis;
  /** integer (Integer8). */
  attributeIndex: number;
  /** long-unsigned; 0 for the whole attribute. */
  dataIndex: number;
}

/** Profile Generic `range_descriptor` (access selector 1). */
export interface RangeDescriptor {
  restrictingObject: CaptureObjectDefinition;
  fromValue: Data;
  toValue: Data;
  /** Empty for all columns. */
  selectedValues: CaptureObjectDefinition[];
}

/** Profile Generic `entry_descriptor` (access selector 2). */
export interface EntryDescriptor {
  fromEntry: number;
  toEntry: number;
  fromSelectedValue: number;
  toSelectedValue: number;
}

export const RANGE_DESCRIPTOR_SELECTOR = 1;
export const ENTRY_DESCRIPTOR_SELECTOR = 2;

export function readSelectiveAccessDescriptor(
  r: Reader,
  readData: (r: Reader) => Data,
): SelectiveAccessDescriptor {
  const accessSelector = withPath('accessSelector', () => r.u8('access-selector'));
  const accessParameters = withPath('accessParameters', () => readData(r));
  return { accessSelector, accessParameters };
}

export function writeSelectiveAccessDescriptor(w: Writer, s: SelectiveAccessDescriptor): void {
  if (typeof s !== 'object' || s === null) invalid('selective-access-descriptor must be an object');
  w.u8(checkInt(s.accessSelector, 0, 255, 'accessSelector'));
  withPath('accessParameters', () => writeData(w, s.accessParameters));
}

function captureObjectToData(c: CaptureObjectDefinition): Data {
  return {
    type: 'structure',
    value: [
      { type: 'long-unsigned', value: checkInt(c.classId, 0, 0xffff, 'classId') },
      { type: 'octet-string', value: obisToBytes(parseObis(c.logicalName)) },
      { type: 'integer', value: checkInt(c.attributeIndex, -128, 127, 'attributeIndex') },
      { type: 'long-unsigned', value: checkInt(c.dataIndex, 0, 0xffff, 'dataIndex') },
    ],
  };
}

function captureObjectFromData(d: Data): CaptureObjectDefinition | undefined {
  if (d.type !== 'structure' || d.value.length !== 4) return undefined;
  const [c, ln, a, i] = d.value as [Data, Data, Data, Data];
  if (c.type !== 'long-unsigned' || ln.type !== 'octet-string' || ln.value.length !== 6) return undefined;
  if (a.type !== 'integer' || i.type !== 'long-unsigned') return undefined;
  return { classId: c.value, logicalName: parseObis(ln.value), attributeIndex: a.value, dataIndex: i.value };
}

/** The Selective-Access-Descriptor of a Profile Generic range read (selector 1). */
export function rangeDescriptor(x: RangeDescriptor): SelectiveAccessDescriptor {
  if (!Array.isArray(x.selectedValues)) invalid('selectedValues must be an array', 'selectedValues');
  return {
    accessSelector: RANGE_DESCRIPTOR_SELECTOR,
    accessParameters: {
      type: 'structure',
      value: [
        withPath('restrictingObject', () => captureObjectToData(x.restrictingObject)),
        x.fromValue,
        x.toValue,
        {
          type: 'array',
          value: x.selectedValues.map((c, i) =>
            withPath('selectedValues', () => withPath(i, () => captureObjectToData(c))),
          ),
        },
      ],
    },
  };
}

/**
 * A range read on the clock column (class 8, 0.0.1.0.0.255, attribute 2): the usual way to read a block-load
 * or daily profile between two instants. `from`/`to` are sent as 12-byte octet-string date-times.
 */
export function clockRangeDescriptor(
  from: CosemDateTime,
  to: CosemDateTime,
  selectedValues: CaptureObjectDefinition[] = [],
): SelectiveAccessDescriptor {
  return rangeDescriptor({
    restrictingObject: { classId: 8, logicalName: obis(0, 0, 1, 0, 0, 255), attributeIndex: 2, dataIndex: 0 },
    fromValue: dateTimeAsOctetString(from),
    toValue: dateTimeAsOctetString(to),
    selectedValues,
  });
}

/** The Selective-Access-Descriptor of a Profile Generic entry read (selector 2). */
export function entryDescriptor(x: EntryDescriptor): SelectiveAccessDescriptor {
  return {
    accessSelector: ENTRY_DESCRIPTOR_SELECTOR,
    accessParameters: {
      type: 'structure',
      value: [
        { type: 'double-long-unsigned', value: checkInt(x.fromEntry, 0, 0xffffffff, 'fromEntry') },
        { type: 'double-long-unsigned', value: checkInt(x.toEntry, 0, 0xffffffff, 'toEntry') },
        { type: 'long-unsigned', value: checkInt(x.fromSelectedValue, 0, 0xffff, 'fromSelectedValue') },
        { type: 'long-unsigned', value: checkInt(x.toSelectedValue, 0, 0xffff, 'toSelectedValue') },
      ],
    },
  };
}

/** The typed Profile Generic selection, when the descriptor has exactly the range or entry shape. */
export type ProfileSelection =
  | { kind: 'range'; value: RangeDescriptor }
  | { kind: 'entry'; value: EntryDescriptor };

/**
 * Reads a Selective-Access-Descriptor back as a Profile Generic range or entry descriptor. Returns
 * `undefined` when the selector or the parameters' shape is anything else (other interface classes use
 * other selectors; this never throws on a well-formed descriptor).
 */
export function parseProfileSelection(s: SelectiveAccessDescriptor): ProfileSelection | undefined {
  const p = s.accessParameters;
  if (p.type !== 'structure' || p.value.length !== 4) return undefined;
  if (s.accessSelector === RANGE_DESCRIPTOR_SELECTOR) {
    const [ro, from, to, sel] = p.value as [Data, Data, Data, Data];
    const restrictingObject = captureObjectFromData(ro);
    if (restrictingObject === undefined || sel.type !== 'array') return undefined;
    const selectedValues: CaptureObjectDefinition[] = [];
    for (const e of sel.value) {
      const c = captureObjectFromData(e);
      if (c === undefined) return undefined;
      selectedValues.push(c);
    }
    return { kind: 'range', value: { restrictingObject, fromValue: from, toValue: to, selectedValues } };
  }
  if (s.accessSelector === ENTRY_DESCRIPTOR_SELECTOR) {
    const [a, b, c, d] = p.value as [Data, Data, Data, Data];
    if (a.type !== 'double-long-unsigned' || b.type !== 'double-long-unsigned') return undefined;
    if (c.type !== 'long-unsigned' || d.type !== 'long-unsigned') return undefined;
    return {
      kind: 'entry',
      value: { fromEntry: a.value, toEntry: b.value, fromSelectedValue: c.value, toSelectedValue: d.value },
    };
  }
  return undefined;
}
