/**
 * The typed JSON form of {@link Data}: `{ type, value }` with the same type names, stable and JSON-safe, for
 * the CLI, logs, conformance vectors and the CIM mapping.
 *
 * | Data | JSON `value` |
 * |---|---|
 * | octet-string | upper-case hex, no separators (`"0100010800FF"`) |
 * | bit-string | `"0"`/`"1"` characters, first bit first (`"1011"`) |
 * | long64, long64-unsigned | decimal string (`"-9223372036854775808"`) |
 * | float32, float64 | a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"` |
 * | date-time | the fields with `null` for "not specified", plus `iso` beside `value` (or `null`) |
 * | date, time | the fields with `null` for "not specified" |
 * | array, structure | `DataJson[]`; compact-array also carries `typeDescription` |
 * | null-data, dont-care | no `value` |
 *
 * `iso` is derived ({@link tryCosemDateTimeToIso}) and ignored by {@link dataFromJson}.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { bitStringFromBits, bitStringToBits } from './bitstring.ts';
import {
  type ClockStatus,
  type CosemDate,
  type CosemDateTime,
  type CosemTime,
  tryCosemDateTimeToIso,
} from './datetime.ts';
import { DATA_TAGS, type Data, type TypeDescription } from './types.ts';

export type FloatJson = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export interface CosemDateJson {
  year: number | null;
  month: number | 'dst-end' | 'dst-begin' | null;
  dayOfMonth: number | 'second-last' | 'last' | null;
  dayOfWeek: number | null;
}

export interface CosemTimeJson {
  hour: number | null;
  minute: number | null;
  second: number | null;
  hundredths: number | null;
}

export interface CosemDateTimeJson extends CosemDateJson, CosemTimeJson {
  deviation: number | null;
  clockStatus: ClockStatus | null;
}

export type DataJson =
  | { type: 'null-data' }
  | { type: 'dont-care' }
  | { type: 'array'; value: DataJson[] }
  | { type: 'structure'; value: DataJson[] }
  | { type: 'compact-array'; typeDescription: TypeDescription; value: DataJson[] }
  | { type: 'boolean'; value: boolean }
  | { type: 'bit-string'; value: string }
  | {
      type:
        | 'double-long'
        | 'double-long-unsigned'
        | 'bcd'
        | 'integer'
        | 'long'
        | 'unsigned'
        | 'long-unsigned'
        | 'enum';
      value: number;
    }
  | { type: 'long64' | 'long64-unsigned'; value: string }
  | { type: 'octet-string'; value: string }
  | { type: 'visible-string' | 'utf8-string'; value: string }
  | { type: 'float32' | 'float64'; value: FloatJson }
  | { type: 'date-time'; value: CosemDateTimeJson; iso: string | null }
  | { type: 'date'; value: CosemDateJson }
  | { type: 'time'; value: CosemTimeJson };

const n2j = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function floatToJson(v: number): FloatJson {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

function dateToJson(d: CosemDate): CosemDateJson {
  return {
    year: n2j(d.year),
    month: n2j(d.month),
    dayOfMonth: n2j(d.dayOfMonth),
    dayOfWeek: n2j(d.dayOfWeek),
  };
}

function timeToJson(t: CosemTime): CosemTimeJson {
  return { hour: n2j(t.hour), minute: n2j(t.minute), second: n2j(t.second), hundredths: n2j(t.hundredths) };
}

/** The typed JSON form of a date-time's fields (`null` for not specified). */
export function cosemDateTimeToJson(dt: CosemDateTime): CosemDateTimeJson {
  const cs = dt.clockStatus;
  let clockStatus: ClockStatus | null = null;
  if (cs !== undefined) {
    clockStatus = {
      invalidValue: cs.invalidValue,
      doubtfulValue: cs.doubtfulValue,
      differentClockBase: cs.differentClockBase,
      invalidClockStatus: cs.invalidClockStatus,
      daylightSavingActive: cs.daylightSavingActive,
    };
    if (cs.reserved) clockStatus.reserved = cs.reserved;
  }
  return { ...dateToJson(dt), ...timeToJson(dt), deviation: n2j(dt.deviation), clockStatus };
}

/** Converts a Data value to its typed JSON form. */
export function dataToJson(d: Data): DataJson {
  switch (d.type) {
    case 'null-data':
    case 'dont-care':
      return { type: d.type };
    case 'array':
    case 'structure':
      return { type: d.type, value: d.value.map(dataToJson) };
    case 'compact-array':
      return { type: d.type, typeDescription: d.typeDescription, value: d.value.map(dataToJson) };
    case 'bit-string':
      return { type: d.type, value: bitStringToBits(d.value) };
    case 'long64':
    case 'long64-unsigned':
      return { type: d.type, value: d.value.toString() };
    case 'octet-string':
      return { type: d.type, value: toHex(d.value) };
    case 'float32':
    case 'float64':
      return { type: d.type, value: floatToJson(d.value) };
    case 'date-time':
      return {
        type: d.type,
        value: cosemDateTimeToJson(d.value),
        iso: tryCosemDateTimeToIso(d.value) ?? null,
      };
    case 'date':
      return { type: d.type, value: dateToJson(d.value) };
    case 'time':
      return { type: d.type, value: timeToJson(d.value) };
    default:
      return { type: d.type, value: d.value } as DataJson;
  }
}

// ---------------------------------------------------------------------------------------------------------

function bad(msg: string): never {
  throw new DlmsError('INVALID_ARGUMENT', msg);
}

function obj(j: unknown, what: string): Record<string, unknown> {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) bad(`${what} must be an object`);
  return j as Record<string, unknown>;
}

function under<T>(segment: string | number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DlmsError) e.path.unshift(segment);
    throw e;
  }
}

function list(v: unknown, fn: (x: unknown) => Data): Data[] {
  if (!Array.isArray(v)) bad('value must be an array');
  return under('value', () => v.map((x, i) => under(i, () => fn(x))));
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number') bad(`${what} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function optNum(o: Record<string, unknown>, k: string): number | undefined {
  const v = o[k];
  if (v === null || v === undefined) return undefined;
  return num(v, k);
}

function floatFromJson(v: unknown): number {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === '-0') return -0;
  return num(v, 'float value');
}

function dateFromJson(j: unknown): CosemDate {
  const o = obj(j, 'date');
  const month = o['month'];
  const day = o['dayOfMonth'];
  return {
    year: optNum(o, 'year'),
    month: month === 'dst-end' || month === 'dst-begin' ? month : optNum(o, 'month'),
    dayOfMonth: day === 'second-last' || day === 'last' ? day : optNum(o, 'dayOfMonth'),
    dayOfWeek: optNum(o, 'dayOfWeek'),
  };
}

function timeFromJson(j: unknown): CosemTime {
  const o = obj(j, 'time');
  return {
    hour: optNum(o, 'hour'),
    minute: optNum(o, 'minute'),
    second: optNum(o, 'second'),
    hundredths: optNum(o, 'hundredths'),
  };
}

function clockStatusFromJson(j: unknown): ClockStatus | undefined {
  if (j === null || j === undefined) return undefined;
  const o = obj(j, 'clockStatus');
  const flag = (k: string): boolean => {
    const v = o[k] ?? false;
    if (typeof v !== 'boolean') bad(`clockStatus.${k} must be a boolean`);
    return v;
  };
  const s: ClockStatus = {
    invalidValue: flag('invalidValue'),
    doubtfulValue: flag('doubtfulValue'),
    differentClockBase: flag('differentClockBase'),
    invalidClockStatus: flag('invalidClockStatus'),
    daylightSavingActive: flag('daylightSavingActive'),
  };
  const r = optNum(o, 'reserved');
  if (r) s.reserved = r;
  return s;
}

/** Reads a date-time's typed JSON fields back (`null` or absent = not specified). */
export function cosemDateTimeFromJson(j: unknown): CosemDateTime {
  const o = obj(j, 'date-time');
  return {
    ...dateFromJson(o),
    ...timeFromJson(o),
    deviation: optNum(o, 'deviation'),
    clockStatus: under('clockStatus', () => clockStatusFromJson(o['clockStatus'])),
  };
}

function typeDescriptionFromJson(j: unknown): TypeDescription {
  const o = obj(j, 'type description');
  const type = o['type'];
  if (typeof type !== 'string' || !(type in DATA_TAGS) || type === 'compact-array') {
    bad(`not a type description: ${JSON.stringify(type)}`);
  }
  if (type === 'array') {
    return {
      type,
      count: num(o['count'], 'count'),
      element: under('element', () => typeDescriptionFromJson(o['element'])),
    };
  }
  if (type === 'structure') {
    const els = o['elements'];
    if (!Array.isArray(els)) bad('structure type description needs elements[]');
    return {
      type,
      elements: under('elements', () => els.map((e, i) => under(i, () => typeDescriptionFromJson(e)))),
    };
  }
  return { type } as TypeDescription;
}

/**
 * Reads the typed JSON form back into a Data value. Anything that is not a valid typed JSON value is
 * `INVALID_ARGUMENT` with the path to it (ranges are checked when the value is encoded).
 */
export function dataFromJson(j: unknown): Data {
  const o = obj(j, 'Data JSON');
  const type = o['type'];
  const v = o['value'];
  switch (type) {
    case 'null-data':
    case 'dont-care':
      return { type };
    case 'array':
    case 'structure':
      return { type, value: list(v, dataFromJson) };
    case 'compact-array':
      return {
        type,
        typeDescription: under('typeDescription', () => typeDescriptionFromJson(o['typeDescription'])),
        value: list(v, dataFromJson),
      };
    case 'boolean':
      if (typeof v !== 'boolean') bad('boolean value must be true or false');
      return { type, value: v };
    case 'bit-string':
      if (typeof v !== 'string') bad('bit-string value must be a string of 0 and 1');
      return { type, value: under('value', () => bitStringFromBits(v)) };
    case 'double-long':
    case 'double-long-unsigned':
    case 'bcd':
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'enum':
      return { type, value: num(v, `${type} value`) };
    case 'long64':
    case 'long64-unsigned':
      if (typeof v !== 'string' || !/^-?\d+$/.test(v)) bad(`${type} value must be a decimal string`);
      return { type, value: BigInt(v) };
    case 'octet-string':
      if (typeof v !== 'string') bad('octet-string value must be a hex string');
      return { type, value: under('value', () => fromHex(v)) };
    case 'visible-string':
    case 'utf8-string':
      if (typeof v !== 'string') bad(`${type} value must be a string`);
      return { type, value: v };
    case 'float32':
    case 'float64':
      return { type, value: floatFromJson(v) };
    case 'date-time':
      return { type, value: under('value', () => cosemDateTimeFromJson(v)) };
    case 'date':
      return { type, value: under('value', () => dateFromJson(v)) };
    case 'time':
      return { type, value: under('value', () => timeFromJson(v)) };
    default:
      return bad(`unknown Data type ${JSON.stringify(type)}`);
  }
}
