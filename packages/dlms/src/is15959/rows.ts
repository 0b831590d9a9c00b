/**
 * Typed rows from IS 15959 profiles: a Profile generic buffer (attribute 2) and its capture objects
 * (attribute 3), with the scalers and units from the scaler profile, become rows of named columns:
 *
 * ```ts
 * profileRows({ captureObjects, buffer, scalerUnits: scalerProfile })
 * // [{ timestamp: '2024-03-15T10:15:00+05:30', avgVoltage: { value: 231.4, unit: 'V' },
 * //    blockEnergyWhImport: { value: 52, unit: 'Wh' }, … }]
 * ```
 *
 * **Columns come from what the meter reports**, never from their position in our catalogue: each capture
 * object is named by its `(logical name, attribute)` through {@link OBJECTS_BY_KEY} (or the caller's
 * `columnNames`); an object we do not know is named from its OBIS (`obis_1_0_96_10_1_255_a2`) and keeps its
 * raw typed value. A name that would repeat gets `_2`, `_3` ….
 *
 * **Cells** ({@link Cell}):
 * - numbers with a known scaler_unit: `{ value, unit }`, `value = raw × 10^scaler` computed exactly
 *   ({@link scaleExact}), `unit` the COSEM unit symbol (`unitSymbol`); a number whose object has no
 *   scaler_unit in `scalerUnits` stays the raw integer (a `number`, or a decimal string beyond 2^53);
 * - date-times (12-byte octet-string or `date-time`): ISO 8601 with the meter's offset (IST `+05:30`); a
 *   date-time without deviation (0x8000) is read at `defaultDeviation` (default −330, IST); hundredths
 *   appear as two fractional digits only when not zero;
 * - text (name plate strings, octet-strings of printable ASCII in a text column): a string;
 *   other octet-strings `{ hex }`, bit-strings `{ bits }`, structures and arrays `{ raw }` (the Data JSON);
 * - **missing values stay explicit**: `null-data`, `dont-care` and date-times that are not an instant
 *   (not-specified fields, out-of-range values) are `{ value: null, reason }`, never dropped.
 *
 * @module
 */

import { bitStringToBits } from '../axdr/bitstring.ts';
import { type CosemDateTime, cosemDateTimeToIso, decodeCosemDateTime } from '../axdr/datetime.ts';
import { type DataJson, dataToJson } from '../axdr/json.ts';
import type { Data } from '../axdr/types.ts';
import { arrayOf, type Codec } from '../cosem/codec.ts';
import {
  type CaptureObjectDefinition,
  captureObjectDefinition,
  type ScalerUnit,
  scalerUnit,
} from '../cosem/common.ts';
import { profileRow } from '../cosem/profile-generic.ts';
import { unitSymbol } from '../cosem/units.ts';
import { DlmsError, withPath } from '../errors.ts';
import { toHex } from '../internal/hex.ts';
import { formatObis, type Obis } from '../obis/index.ts';
import { columnKey, OBJECTS_BY_KEY, type ObjectDef } from './objects.ts';
import { scaleExact } from './scale.ts';

/** A scaled number with its unit symbol. */
export interface Quantity {
  readonly value: number;
  readonly unit: string;
}

/** A value the meter did not give: kept explicit, with why. */
export interface Missing {
  readonly value: null;
  readonly reason: string;
}

export type Cell =
  | Quantity
  | Missing
  | string
  | number
  | boolean
  | { readonly bits: string }
  | { readonly hex: string }
  | { readonly raw: DataJson };

export type Row = Record<string, Cell>;

/** True for a scaled number with its unit. */
export function isQuantity(c: unknown): c is Quantity {
  return typeof c === 'object' && c !== null && typeof (c as Quantity).value === 'number' && 'unit' in c;
}

/** True for a value the meter did not give (`{ value: null, reason }`). */
export function isMissing(c: unknown): c is Missing {
  return typeof c === 'object' && c !== null && (c as Missing).value === null && 'reason' in c;
}

/** How one column was interpreted. */
export interface ColumnInfo {
  readonly name: string;
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  readonly dataIndex: number;
  /** The catalogue definition matched by OBIS and attribute, if any. */
  readonly def: ObjectDef | undefined;
  readonly scalerUnit: ScalerUnit | undefined;
}

/** The scaler profile as read (its capture objects and its buffer, one row of scaler_unit structures). */
export interface ScalerProfileReading {
  readonly captureObjects: readonly CaptureObjectDefinition[] | Data;
  readonly buffer: readonly (readonly Data[])[] | Data;
}

/**
 * Scalers and units by logical name (dotted, `1.0.12.7.0.255`): a map, a record, or the scaler profile as
 * read (`{ captureObjects, buffer }`).
 */
export type ScalerUnitsInput =
  | ReadonlyMap<string, ScalerUnit>
  | Readonly<Record<string, ScalerUnit>>
  | ScalerProfileReading;

export interface ProfileRowsInput {
  /** attribute 3 of the Profile generic: typed, or the Data a meter sent. */
  readonly captureObjects: readonly CaptureObjectDefinition[] | Data;
  /** attribute 2: typed rows, or the Data a meter sent (an array of structures). */
  readonly buffer: readonly (readonly Data[])[] | Data;
  readonly scalerUnits?: ScalerUnitsInput | undefined;
  /** Column names by `obis/attribute` or by `obis` (dotted); wins over the catalogue. */
  readonly columnNames?: Readonly<Record<string, string>> | undefined;
  /** Deviation (minutes, UTC = local + deviation) for date-times that carry none. Default −330 (IST). */
  readonly defaultDeviation?: number | undefined;
}

const captureObjectsCodec: Codec<CaptureObjectDefinition[]> =
  /* @__PURE__ */ arrayOf(captureObjectDefinition);
const bufferCodec: Codec<Data[][]> = /* @__PURE__ */ arrayOf(profileRow);

function isData(x: unknown): x is Data {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    typeof (x as { type?: unknown }).type === 'string'
  );
}

function captureObjectsOf(x: readonly CaptureObjectDefinition[] | Data): readonly CaptureObjectDefinition[] {
  if (isData(x)) return withPath('captureObjects', () => captureObjectsCodec.decode(x));
  if (!Array.isArray(x)) throw new DlmsError('INVALID_ARGUMENT', 'captureObjects must be an array or Data');
  return x;
}

function bufferOf(x: readonly (readonly Data[])[] | Data): readonly (readonly Data[])[] {
  if (isData(x)) return withPath('buffer', () => bufferCodec.decode(x));
  if (!Array.isArray(x)) throw new DlmsError('INVALID_ARGUMENT', 'buffer must be an array of rows or Data');
  return x;
}

/** The scaler_unit of each object of a scaler profile, by dotted logical name. */
export function scalerUnitsFromProfile(reading: ScalerProfileReading): Map<string, ScalerUnit> {
  const co = captureObjectsOf(reading.captureObjects);
  const buf = bufferOf(reading.buffer);
  const out = new Map<string, ScalerUnit>();
  if (buf.length === 0) return out;
  // A scaler profile holds one row; if a meter keeps several, the newest (last, FIFO) one counts.
  const row = buf[buf.length - 1]!;
  withPath('scalerProfile', () => {
    for (let i = 0; i < co.length && i < row.length; i++) {
      const su = withPath(i, () => scalerUnit.decode(row[i]!));
      out.set(formatObis(co[i]!.logicalName), su);
    }
  });
  return out;
}

function normalizeScalers(s: ScalerUnitsInput | undefined): ReadonlyMap<string, ScalerUnit> {
  if (s === undefined) return new Map();
  if (s instanceof Map) return s;
  const r = s as Record<string, unknown>;
  if ('captureObjects' in r && 'buffer' in r) return scalerUnitsFromProfile(s as ScalerProfileReading);
  return new Map(Object.entries(s as Record<string, ScalerUnit>));
}

/** The generic column name of an object we do not know: `obis_1_0_96_10_1_255_a2` (`_d<n>` for a data index). */
export function genericColumnName(o: Obis, attribute: number, dataIndex = 0): string {
  const base = `obis_${o.a}_${o.b}_${o.c}_${o.d}_${o.e}_${o.f}_a${attribute}`;
  return dataIndex === 0 ? base : `${base}_d${dataIndex}`;
}

/** Names and interpretation of each capture object, in the meter's order. */
export function describeColumns(
  captureObjects: readonly CaptureObjectDefinition[] | Data,
  options: {
    scalerUnits?: ScalerUnitsInput | undefined;
    columnNames?: Readonly<Record<string, string>> | undefined;
  } = {},
): ColumnInfo[] {
  const co = captureObjectsOf(captureObjects);
  const scalers = normalizeScalers(options.scalerUnits);
  const used = new Map<string, number>();
  return co.map((c) => {
    const obis = formatObis(c.logicalName);
    const key = columnKey(obis, c.attributeIndex, c.dataIndex);
    const def = c.dataIndex === 0 ? OBJECTS_BY_KEY.get(key) : undefined;
    let name =
      options.columnNames?.[key] ??
      options.columnNames?.[obis] ??
      def?.column ??
      genericColumnName(c.logicalName, c.attributeIndex, c.dataIndex);
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    if (n > 1) name = `${name}_${n}`;
    return {
      name,
      obis,
      classId: c.classId,
      attribute: c.attributeIndex,
      dataIndex: c.dataIndex,
      def,
      scalerUnit: scalers.get(obis),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Cells

const missing = (reason: string): Missing => ({ value: null, reason });

/** The ISO form of a date-time, or why it is not an instant. */
export function dateTimeCell(dt: CosemDateTime, defaultDeviation = -330): string | Missing {
  // Zero hundredths are left out of the ISO form (`10:15:00+05:30`, not `10:15:00.00+05:30`): same instant.
  const x =
    dt.deviation === undefined || dt.hundredths === 0
      ? {
          ...dt,
          deviation: dt.deviation ?? defaultDeviation,
          hundredths: dt.hundredths === 0 ? undefined : dt.hundredths,
        }
      : dt;
  try {
    return cosemDateTimeToIso(x);
  } catch (e) {
    return missing(
      `date-time not an instant: ${(e as Error).message.replace(/^date-time is not an absolute instant: /, '')}`,
    );
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const p2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * The fast path of {@link dateTimeCell} for the 12 octets of a fully specified date-time: the same ISO
 * string, straight from the bytes (no intermediate object), or undefined when any field is a wildcard or
 * out of range (the caller then takes the slow path, which says why).
 */
function isoOfBytes(b: Uint8Array, defaultDeviation: number): string | undefined {
  const y = (b[0]! << 8) | b[1]!;
  const mo = b[2]!;
  const d = b[3]!;
  const h = b[5]!;
  const mi = b[6]!;
  const s = b[7]!;
  const hs = b[8]!;
  if (y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 || (hs !== 0xff && hs > 99)) {
    return undefined;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return undefined;
  let dev = (b[9]! << 8) | b[10]!;
  if (dev === 0x8000) dev = defaultDeviation;
  else if (dev & 0x8000) dev -= 0x10000;
  if (dev < -720 || dev > 720) return undefined;
  let out = `${y < 1000 ? String(y).padStart(4, '0') : y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}`;
  if (hs !== 0xff && hs !== 0) out += `.${p2(hs)}`;
  const off = -dev;
  if (off === 0) return `${out}Z`;
  const a = off < 0 ? -off : off;
  return `${out}${off > 0 ? '+' : '-'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

function printable(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function ascii(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function bigintCell(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

/** The cell of one value in a column (see the module doc). */
export function cellOf(
  d: Data,
  column: Pick<ColumnInfo, 'def' | 'scalerUnit'>,
  defaultDeviation = -330,
): Cell {
  const kind = column.def?.kind;
  switch (d.type) {
    case 'null-data':
      return missing('null-data');
    case 'dont-care':
      return missing('dont-care');
    case 'octet-string':
      if (kind === 'date-time' && d.value.length === 12) {
        return (
          isoOfBytes(d.value, defaultDeviation) ??
          dateTimeCell(decodeCosemDateTime(d.value), defaultDeviation)
        );
      }
      if (kind === 'date-time')
        return missing(`date-time octet-string of ${d.value.length} bytes, 12 expected`);
      if (kind === 'text' && printable(d.value)) return ascii(d.value);
      return { hex: toHex(d.value) };
    case 'date-time':
      return dateTimeCell(d.value, defaultDeviation);
    case 'visible-string':
    case 'utf8-string':
      return d.value;
    case 'boolean':
      return d.value;
    case 'bit-string':
      return { bits: bitStringToBits(d.value) };
    case 'double-long':
    case 'double-long-unsigned':
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'float32':
    case 'float64': {
      const su = column.scalerUnit;
      if (su !== undefined && kind !== 'count' && kind !== 'enum') {
        return { value: scaleExact(d.value, su.scaler), unit: unitSymbol(su.unit) };
      }
      return d.value;
    }
    case 'long64':
    case 'long64-unsigned': {
      const su = column.scalerUnit;
      if (su !== undefined && kind !== 'count' && kind !== 'enum') {
        return { value: scaleExact(d.value, su.scaler), unit: unitSymbol(su.unit) };
      }
      return bigintCell(d.value);
    }
    case 'enum':
    case 'bcd':
      return d.value;
    case 'date':
    case 'time':
    case 'array':
    case 'structure':
    case 'compact-array':
      return { raw: dataToJson(d) };
  }
}

/** Rows with named columns (see the module doc). */
export function profileRows(input: ProfileRowsInput): Row[] {
  if (typeof input !== 'object' || input === null) {
    throw new DlmsError('INVALID_ARGUMENT', 'profileRows expects { captureObjects, buffer, scalerUnits? }');
  }
  const columns = describeColumns(input.captureObjects, input);
  const buf = bufferOf(input.buffer);
  return rowsOf(columns, buf, input.defaultDeviation ?? -330);
}

/** Rows from already described columns (for callers that convert many buffers of one profile). */
export function rowsOf(
  columns: readonly ColumnInfo[],
  buffer: readonly (readonly Data[])[],
  defaultDeviation = -330,
): Row[] {
  const n = columns.length;
  const out: Row[] = new Array(buffer.length);
  for (let r = 0; r < buffer.length; r++) {
    const src = buffer[r]!;
    if (src.length !== n) {
      throw new DlmsError('MALFORMED', `buffer row ${r} has ${src.length} values for ${n} capture objects`, {
        path: ['buffer', r],
      });
    }
    const row: Row = {};
    for (let i = 0; i < n; i++) row[columns[i]!.name] = cellOf(src[i]!, columns[i]!, defaultDeviation);
    out[r] = row;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Typed views

/** The name plate (0.0.94.91.10.255) as a record; fields the meter did not capture are absent. */
export interface NamePlate {
  serialNumber?: Cell;
  deviceId?: Cell;
  manufacturer?: Cell;
  firmwareVersion?: Cell;
  meterType?: Cell;
  category?: Cell;
  currentRating?: Cell;
  yearOfManufacture?: Cell;
  /** Any other captured value, by its column name. */
  [column: string]: Cell | undefined;
}

/** The name plate's single row (the newest, when a meter keeps more). `MALFORMED` when the buffer is empty. */
export function namePlate(input: ProfileRowsInput): NamePlate {
  return singleRow(input, 'name plate');
}

/** The instantaneous profile's single row (the newest). */
export function instantaneousRow(input: ProfileRowsInput): Row {
  return singleRow(input, 'instantaneous profile');
}

function singleRow(input: ProfileRowsInput, what: string): Row {
  const rows = profileRows(input);
  const last = rows[rows.length - 1];
  if (last === undefined)
    throw new DlmsError('MALFORMED', `the ${what} buffer is empty`, { path: ['buffer'] });
  return last;
}
