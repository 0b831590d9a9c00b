/**
 * Interface class **Profile generic** (class_id 7, version 1), IEC 62056-6-2 §4.3.6: a buffer of captured
 * rows (load profiles, billing history, event logs).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 buffer | array of structure (one element per capture object) | dynamic; selective access 1, 2 |
 * | 3 capture_objects | array of capture_object_definition | static |
 * | 4 capture_period | double-long-unsigned | seconds; 0 = captured on trigger only |
 * | 5 sort_method | enum | 1 fifo, 2 lifo, 3 largest, 4 smallest, 5 nearest_to_zero, 6 farthest_from_zero |
 * | 6 sort_object | capture_object_definition | the column sorting is by (3–6) |
 * | 7 entries_in_use | double-long-unsigned | dynamic |
 * | 8 profile_entries | double-long-unsigned | the buffer's capacity |
 *
 * ```text
 * capture_object_definition ::= structure { class_id long-unsigned, logical_name octet-string,
 *                                           attribute_index integer, data_index long-unsigned }
 * range_descriptor (access_selector 1) ::= structure {
 *   restricting_object capture_object_definition, from_value Data, to_value Data,
 *   selected_values array of capture_object_definition }     -- empty array: every column
 * entry_descriptor (access_selector 2) ::= structure {
 *   from_entry double-long-unsigned, to_entry double-long-unsigned,            -- 1-based; to 0 = last
 *   from_selected_value long-unsigned, to_selected_value long-unsigned }      -- 1-based; to 0 = last
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 reset | integer (0) | empties the buffer |
 * | 2 capture | integer (0) | captures one row now |
 *
 * **Server behaviour (and where the standard leaves room).**
 * - `capture(ctx)` reads each capture object's attribute from `ctx.objects` (bypassing access rights: it
 *   is the meter capturing); `data_index` n ≥ 1 takes the n-th element of an array/structure value.
 *   An object that is missing or refuses gives `null-data` in its column.
 * - Range: rows whose restricting column is `from_value ≤ v ≤ to_value` (both inclusive). Date-times
 *   (12-byte octet-string or date-time) compare as instants (a missing deviation counts as 0), numbers
 *   numerically, strings byte-wise. Parameters that cannot be compared with the column, a restricting
 *   object or selected value not among the capture objects: `scope-of-access-violated`.
 * - Entry: `from_entry` 0 is read as 1; a `from_entry` past the last entry answers an empty array;
 *   `to_entry` past it is clamped; `from_entry > to_entry` (to ≠ 0) is `scope-of-access-violated`.
 *   Columns likewise, except that a column range outside the capture objects is refused.
 * - Storage: fifo drops the oldest row when full; lifo keeps the oldest rows and replaces the newest;
 *   the sorted methods keep the buffer ordered by the sort object (best first) and drop the worst.
 *   Setting capture_objects, sort_method or sort_object empties the buffer; lowering profile_entries drops
 *   rows as a capture would.
 *
 * @module
 */
import { cosemDateTimeToDate, decodeCosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { type Obis, obisEquals } from '../obis/index.ts';
import {
  anyData,
  arrayOf,
  type Codec,
  doubleLongUnsigned,
  enumOf,
  longUnsigned,
  malformed,
  struct,
} from './codec.ts';
import { type CaptureObjectDefinition, captureObjectDefinition } from './common.ts';
import {
  type CosemContext,
  CosemServerObject,
  defineClass,
  outOfRange,
  type SelectiveAccess,
} from './object.ts';
import { accessError, CosemServiceError } from './results.ts';

export type SortMethod = 1 | 2 | 3 | 4 | 5 | 6;

/** A buffer row: one Data per capture object. */
export const profileRow: Codec<Data[]> = {
  shape: 'structure of captured values',
  decode: (d) => {
    if (d?.type !== 'structure') malformed(`expected a structure (a buffer row), got ${d?.type}`);
    return d.value;
  },
  encode: (v) => ({ type: 'structure', value: v }),
};

export interface ProfileGenericAttributes {
  buffer: Data[][];
  captureObjects: CaptureObjectDefinition[];
  capturePeriod: number;
  sortMethod: SortMethod;
  sortObject: CaptureObjectDefinition;
  entriesInUse: number;
  profileEntries: number;
}

export interface ProfileGenericMethods {
  reset: undefined;
  capture: undefined;
}

export interface RangeDescriptor {
  restrictingObject: CaptureObjectDefinition;
  fromValue: Data;
  toValue: Data;
  selectedValues: CaptureObjectDefinition[];
}

export interface EntryDescriptor {
  fromEntry: number;
  toEntry: number;
  fromSelectedValue: number;
  toSelectedValue: number;
}

/** access_selector 1 parameters. */
export const rangeDescriptor: Codec<RangeDescriptor> = /* @__PURE__ */ struct({
  restrictingObject: captureObjectDefinition,
  fromValue: anyData,
  toValue: anyData,
  selectedValues: arrayOf(captureObjectDefinition),
});

/** access_selector 2 parameters. */
export const entryDescriptor: Codec<EntryDescriptor> = /* @__PURE__ */ struct({
  fromEntry: doubleLongUnsigned,
  toEntry: doubleLongUnsigned,
  fromSelectedValue: longUnsigned,
  toSelectedValue: longUnsigned,
});

const NO_SORT_OBJECT: CaptureObjectDefinition = Object.freeze({
  classId: 0,
  logicalName: Object.freeze({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 }) as unknown as Obis,
  attributeIndex: 0,
  dataIndex: 0,
});

export const PROFILE_GENERIC_CLASS = /* @__PURE__ */ defineClass<
  ProfileGenericAttributes,
  ProfileGenericMethods
>({
  classId: 7,
  version: 1,
  name: 'Profile generic',
  attributes: {
    buffer: { id: 2, name: 'buffer', codec: arrayOf(profileRow), access: 'read-only', selective: [1, 2] },
    captureObjects: {
      id: 3,
      name: 'capture_objects',
      codec: arrayOf(captureObjectDefinition),
      access: 'read-only',
    },
    capturePeriod: { id: 4, name: 'capture_period', codec: doubleLongUnsigned, access: 'read-and-write' },
    sortMethod: {
      id: 5,
      name: 'sort_method',
      codec: enumOf([1, 2, 3, 4, 5, 6], 'sort_method'),
      access: 'read-only',
    },
    sortObject: { id: 6, name: 'sort_object', codec: captureObjectDefinition, access: 'read-only' },
    entriesInUse: { id: 7, name: 'entries_in_use', codec: doubleLongUnsigned, access: 'read-only' },
    profileEntries: { id: 8, name: 'profile_entries', codec: doubleLongUnsigned, access: 'read-only' },
  },
  methods: {
    reset: { id: 1, name: 'reset', params: undefined, access: 'no-access' },
    capture: { id: 2, name: 'capture', params: undefined, access: 'no-access' },
  },
});

/** Same column: class, logical name, attribute and data index. */
export function sameCaptureObject(x: CaptureObjectDefinition, y: CaptureObjectDefinition): boolean {
  return (
    x.classId === y.classId &&
    x.attributeIndex === y.attributeIndex &&
    x.dataIndex === y.dataIndex &&
    obisEquals(x.logicalName, y.logicalName)
  );
}

const scope = (m: string): CosemServiceError => accessError('get', 'scope-of-access-violated', m);

/** A comparable key of a Data value for range selection, or undefined when it has none. */
type SortKey = { kind: 'n' | 't'; v: number | bigint } | { kind: 'b'; v: Uint8Array };

/** Numbers (n), instants (t) and byte strings (b) compare only with their own kind. */
function sortKey(d: Data): SortKey | undefined {
  switch (d.type) {
    case 'double-long':
    case 'double-long-unsigned':
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'enum':
    case 'float32':
    case 'float64':
    case 'long64':
    case 'long64-unsigned':
    case 'bcd':
      return { kind: 'n', v: d.value };
    case 'date-time':
      return instantKey(d.value);
    case 'octet-string':
      if (d.value.length === 12) {
        const k = instantKey(decodeCosemDateTime(d.value));
        if (k) return k;
      }
      return { kind: 'b', v: d.value };
    case 'visible-string':
    case 'utf8-string':
      return { kind: 'b', v: new TextEncoder().encode(d.value) };
    default:
      return undefined;
  }
}

function instantKey(dt: Parameters<typeof cosemDateTimeToDate>[0]): SortKey | undefined {
  try {
    return {
      kind: 't',
      v: cosemDateTimeToDate(dt.deviation === undefined ? { ...dt, deviation: 0 } : dt).getTime(),
    };
  } catch {
    return undefined;
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.kind !== 'b' && a.kind === b.kind) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.kind === 'b' && b.kind === 'b') {
    const n = Math.min(a.v.length, b.v.length);
    for (let i = 0; i < n; i++) if (a.v[i] !== b.v[i]) return a.v[i]! - b.v[i]!;
    return a.v.length - b.v.length;
  }
  return Number.NaN;
}

function numeric(d: Data | undefined): number {
  const k = d === undefined ? undefined : sortKey(d);
  return k !== undefined && k.kind !== 'b' ? Number(k.v) : Number.NaN;
}

export interface ProfileGenericInit {
  captureObjects: CaptureObjectDefinition[];
  profileEntries: number;
  capturePeriod?: number;
  sortMethod?: SortMethod;
  sortObject?: CaptureObjectDefinition;
  buffer?: Data[][];
}

export class ProfileGenericObject extends CosemServerObject<ProfileGenericAttributes, ProfileGenericMethods> {
  constructor(logicalName: Obis | string, init: ProfileGenericInit) {
    const buffer = init.buffer ?? [];
    super(PROFILE_GENERIC_CLASS, logicalName, {
      buffer,
      captureObjects: init.captureObjects,
      capturePeriod: init.capturePeriod ?? 0,
      sortMethod: init.sortMethod ?? 1,
      sortObject: init.sortObject ?? NO_SORT_OBJECT,
      entriesInUse: buffer.length,
      profileEntries: init.profileEntries,
    });
  }

  /** Captures one row from the registry (see the module doc) and stores it per the sort method. */
  capture(ctx: CosemContext): Data[] {
    const row = this.values.captureObjects.map((c) => this.#captureValue(c, ctx));
    this.store(row);
    return row;
  }

  /** Stores a row per the sort method and capacity (for owners that compute rows themselves). */
  store(row: Data[]): void {
    const v = this.values;
    const cap = v.profileEntries;
    if (cap === 0) return;
    if (v.sortMethod === 1) {
      v.buffer.push(row);
    } else if (v.sortMethod === 2) {
      if (v.buffer.length >= cap) v.buffer[v.buffer.length - 1] = row;
      else v.buffer.push(row);
    } else {
      const col = this.#sortColumn();
      const better = this.#better(col);
      let i = v.buffer.length;
      while (i > 0 && better(row, v.buffer[i - 1]!)) i--;
      v.buffer.splice(i, 0, row);
    }
    this.#trim();
  }

  protected override read<K extends keyof ProfileGenericAttributes & string>(
    key: K,
    ctx: CosemContext,
    selectiveAccess?: SelectiveAccess,
  ): Data {
    this.values.entriesInUse = this.values.buffer.length;
    if (key === 'buffer' && selectiveAccess) return this.selectBuffer(selectiveAccess);
    return super.read(key, ctx);
  }

  /** The buffer as GET with selective access answers it. */
  selectBuffer(sel: SelectiveAccess): Data {
    const rows = sel.selector === 1 ? this.#byRange(sel.parameters) : this.#byEntry(sel.parameters);
    return { type: 'array', value: rows.map((r) => ({ type: 'structure', value: r })) };
  }

  protected override write<K extends keyof ProfileGenericAttributes & string>(
    key: K,
    value: ProfileGenericAttributes[K],
    ctx: CosemContext,
  ): void {
    const v = this.values;
    switch (key) {
      case 'entriesInUse':
        throw accessError('set', 'read-write-denied', 'entries_in_use cannot be written');
      case 'buffer': {
        const rows = value as Data[][];
        if (rows.some((r) => r.length !== v.captureObjects.length)) {
          throw accessError(
            'set',
            'type-unmatched',
            `buffer rows must have ${v.captureObjects.length} columns`,
          );
        }
        if (rows.length > v.profileEntries) throw outOfRange('buffer', 'more rows than profile_entries');
        v.buffer = rows;
        break;
      }
      case 'captureObjects':
      case 'sortMethod':
      case 'sortObject':
        super.write(key, value, ctx);
        v.buffer = [];
        break;
      case 'profileEntries':
        super.write(key, value, ctx);
        this.#trim();
        break;
      default:
        super.write(key, value, ctx);
    }
    v.entriesInUse = v.buffer.length;
  }

  protected override invoke(
    key: keyof ProfileGenericMethods,
    _p: undefined,
    ctx: CosemContext,
  ): Data | undefined {
    if (key === 'reset') this.values.buffer = [];
    else this.capture(ctx);
    this.values.entriesInUse = this.values.buffer.length;
    return undefined;
  }

  #trim(): void {
    const v = this.values;
    const excess = v.buffer.length - v.profileEntries;
    if (excess > 0) {
      if (v.sortMethod === 1) v.buffer.splice(0, excess);
      else v.buffer.splice(v.profileEntries, excess);
    }
    v.entriesInUse = v.buffer.length;
  }

  #sortColumn(): number {
    const i = this.values.captureObjects.findIndex((c) => sameCaptureObject(c, this.values.sortObject));
    return i;
  }

  /** "a ranks strictly before b" for the sorted methods. */
  #better(col: number): (a: Data[], b: Data[]) => boolean {
    const m = this.values.sortMethod;
    return (a, b) => {
      const x = numeric(a[col]);
      const y = numeric(b[col]);
      if (Number.isNaN(x) || Number.isNaN(y)) return false;
      switch (m) {
        case 3:
          return x > y;
        case 4:
          return x < y;
        case 5:
          return Math.abs(x) < Math.abs(y);
        default:
          return Math.abs(x) > Math.abs(y);
      }
    };
  }

  #captureValue(c: CaptureObjectDefinition, ctx: CosemContext): Data {
    const o = ctx.objects?.find(c.classId, c.logicalName);
    if (!o || o === this) return { type: 'null-data' };
    let d: Data;
    try {
      d = o.get(c.attributeIndex, ctx);
    } catch (e) {
      if (e instanceof CosemServiceError) return { type: 'null-data' };
      throw e;
    }
    if (c.dataIndex === 0) return d;
    if ((d.type === 'array' || d.type === 'structure') && c.dataIndex <= d.value.length) {
      return d.value[c.dataIndex - 1]!;
    }
    return { type: 'null-data' };
  }

  #columns(selected: CaptureObjectDefinition[]): number[] {
    const cols = this.values.captureObjects;
    if (selected.length === 0) return cols.map((_, i) => i);
    return selected.map((s) => {
      const i = cols.findIndex((c) => sameCaptureObject(c, s));
      if (i < 0) throw scope(`selected value ${s.logicalName} attribute ${s.attributeIndex} is not captured`);
      return i;
    });
  }

  #byRange(p: Data): Data[][] {
    let r: RangeDescriptor;
    try {
      r = rangeDescriptor.decode(p);
    } catch (e) {
      throw accessError('get', 'type-unmatched', `range_descriptor: ${(e as Error).message}`, e);
    }
    const col = this.values.captureObjects.findIndex((c) => sameCaptureObject(c, r.restrictingObject));
    if (col < 0) throw scope(`restricting object ${r.restrictingObject.logicalName} is not a capture object`);
    const cols = this.#columns(r.selectedValues);
    const from = sortKey(r.fromValue);
    const to = sortKey(r.toValue);
    if (!from || !to) throw scope('from_value and to_value must be comparable values');
    const out: Data[][] = [];
    for (const row of this.values.buffer) {
      const v = row[col];
      const k = v === undefined ? undefined : sortKey(v);
      if (!k) continue;
      const lo = compareKeys(k, from);
      const hi = compareKeys(k, to);
      if (Number.isNaN(lo) || Number.isNaN(hi))
        throw scope('from_value / to_value do not compare with the column');
      if (lo >= 0 && hi <= 0) out.push(cols.map((i) => row[i]!));
    }
    return out;
  }

  #byEntry(p: Data): Data[][] {
    let e: EntryDescriptor;
    try {
      e = entryDescriptor.decode(p);
    } catch (err) {
      throw accessError('get', 'type-unmatched', `entry_descriptor: ${(err as Error).message}`, err);
    }
    const n = this.values.buffer.length;
    const ncol = this.values.captureObjects.length;
    const from = Math.max(1, e.fromEntry);
    if (e.toEntry !== 0 && from > e.toEntry) throw scope(`from_entry ${e.fromEntry} > to_entry ${e.toEntry}`);
    const fromCol = Math.max(1, e.fromSelectedValue);
    const toCol = e.toSelectedValue === 0 ? ncol : e.toSelectedValue;
    if (fromCol > toCol || toCol > ncol) {
      throw scope(`selected values ${e.fromSelectedValue}..${e.toSelectedValue} outside 1..${ncol}`);
    }
    if (from > n) return [];
    const to = e.toEntry === 0 ? n : Math.min(e.toEntry, n);
    const out: Data[][] = [];
    for (let i = from - 1; i < to; i++) out.push(this.values.buffer[i]!.slice(fromCol - 1, toCol));
    return out;
  }
}
