/**
 * Typed views of attribute values: small codecs between a COSEM attribute's {@link Data} and its typed
 * form, composed per interface class. A meter that sends the wrong shape gets a `DlmsError` with code
 * `MALFORMED`, a message naming the expected and received types, and a `path` from the attribute down to
 * the failing element (built on unwind with `withPath`). Encoding a value that does not fit is
 * `INVALID_ARGUMENT`.
 *
 * Decoding is lenient where meters are: an enum is any 0..255 (unknown values are kept), an IS 15959
 * date-time may come as a 12-byte octet-string or as the `date-time` type (and re-encodes as it came).
 *
 * @module
 */
import { dateTimeAsOctetString, octetStringAsDateTime } from '../axdr/codec.ts';
import type { CosemDateTime } from '../axdr/datetime.ts';
import type { BitString, Data, DataOf, DataType } from '../axdr/types.ts';
import { DlmsError, withPath } from '../errors.ts';
import { type Obis, obisToBytes, parseObis } from '../obis/index.ts';

/** Between a Data value and its typed form. */
export interface Codec<T> {
  /** A short description of the expected A-XDR shape, for messages and docs. */
  readonly shape: string;
  decode(d: Data): T;
  encode(v: T): Data;
}

/** The typed form a codec decodes to. */
export type TypeOf<C> = C extends Codec<infer T> ? T : never;

export function malformed(message: string): never {
  throw new DlmsError('MALFORMED', message);
}

function invalid(message: string): never {
  throw new DlmsError('INVALID_ARGUMENT', message);
}

function expectType<T extends DataType>(d: Data, type: T, shape: string): DataOf<T> {
  if (d?.type !== type) malformed(`expected ${shape}, got ${d?.type ?? String(d)}`);
  return d as DataOf<T>;
}

type IntType =
  | 'integer'
  | 'long'
  | 'double-long'
  | 'unsigned'
  | 'long-unsigned'
  | 'double-long-unsigned'
  | 'enum';
const RANGES: Record<IntType, readonly [number, number]> = {
  integer: [-128, 127],
  long: [-32768, 32767],
  'double-long': [-0x80000000, 0x7fffffff],
  unsigned: [0, 255],
  enum: [0, 255],
  'long-unsigned': [0, 0xffff],
  'double-long-unsigned': [0, 0xffffffff],
};

function intCodec(type: IntType): Codec<number> {
  const [min, max] = RANGES[type];
  return {
    shape: type,
    decode: (d) => expectType(d, type, type).value as number,
    encode: (v) => {
      if (!Number.isInteger(v) || v < min || v > max)
        invalid(`${type} must be an integer ${min}..${max}, got ${v}`);
      return { type, value: v } as Data;
    },
  };
}

export const integer: Codec<number> = /* @__PURE__ */ intCodec('integer');
export const long: Codec<number> = /* @__PURE__ */ intCodec('long');
export const doubleLong: Codec<number> = /* @__PURE__ */ intCodec('double-long');
export const unsigned: Codec<number> = /* @__PURE__ */ intCodec('unsigned');
export const longUnsigned: Codec<number> = /* @__PURE__ */ intCodec('long-unsigned');
export const doubleLongUnsigned: Codec<number> = /* @__PURE__ */ intCodec('double-long-unsigned');
export const enumeration: Codec<number> = /* @__PURE__ */ intCodec('enum');

/** An enum restricted to the listed values (others are MALFORMED on decode, INVALID_ARGUMENT on encode). */
export function enumOf<const V extends number>(values: readonly V[], shape = 'enum'): Codec<V> {
  const set = new Set<number>(values);
  return {
    shape: `${shape} (${values.join(', ')})`,
    decode: (d) => {
      const v = expectType(d, 'enum', 'enum').value;
      if (!set.has(v)) malformed(`${shape}: value ${v} is not one of ${values.join(', ')}`);
      return v as V;
    },
    encode: (v) => {
      if (!set.has(v)) invalid(`${shape}: value ${v} is not one of ${values.join(', ')}`);
      return { type: 'enum', value: v };
    },
  };
}

export const boolean: Codec<boolean> = {
  shape: 'boolean',
  decode: (d) => expectType(d, 'boolean', 'boolean').value,
  encode: (v) => {
    if (typeof v !== 'boolean') invalid(`boolean expected, got ${String(v)}`);
    return { type: 'boolean', value: v };
  },
};

export const octetString: Codec<Uint8Array> = {
  shape: 'octet-string',
  decode: (d) => expectType(d, 'octet-string', 'octet-string').value,
  encode: (v) => {
    if (!(v instanceof Uint8Array)) invalid('octet-string expects a Uint8Array');
    return { type: 'octet-string', value: v };
  },
};

/** An octet-string of exactly `n` bytes. */
export function octetStringOf(n: number): Codec<Uint8Array> {
  return {
    shape: `octet-string (SIZE(${n}))`,
    decode: (d) => {
      const v = expectType(d, 'octet-string', `octet-string (SIZE(${n}))`).value;
      if (v.length !== n) malformed(`expected an octet-string of ${n} bytes, got ${v.length}`);
      return v;
    },
    encode: (v) => {
      if (!(v instanceof Uint8Array) || v.length !== n) invalid(`expected ${n} bytes`);
      return { type: 'octet-string', value: v };
    },
  };
}

export const visibleString: Codec<string> = {
  shape: 'visible-string',
  decode: (d) => expectType(d, 'visible-string', 'visible-string').value,
  encode: (v) => {
    if (typeof v !== 'string') invalid('visible-string expects a string');
    return { type: 'visible-string', value: v };
  },
};

export const bitString: Codec<BitString> = {
  shape: 'bit-string',
  decode: (d) => expectType(d, 'bit-string', 'bit-string').value,
  encode: (v) => ({ type: 'bit-string', value: v }),
};

/** Any Data value, unchanged (for attributes whose type is "CHOICE of simple types", e.g. a Register value). */
export const anyData: Codec<Data> = {
  shape: 'any Data',
  decode: (d) => {
    if (typeof d !== 'object' || d === null || typeof d.type !== 'string') malformed('Data expected');
    return d;
  },
  encode: (v) => v,
};

/** A logical name: `octet-string (SIZE(6))`. */
export const logicalName: Codec<Obis> = {
  shape: 'octet-string (SIZE(6)) logical name',
  decode: (d) => {
    const v = expectType(d, 'octet-string', 'octet-string (SIZE(6)) logical name').value;
    if (v.length !== 6) malformed(`a logical name has 6 bytes, got ${v.length}`);
    return parseObis(v);
  },
  encode: (v) => ({ type: 'octet-string', value: obisToBytes(parseObis(v)) }),
};

/**
 * A date-time attribute. IS 15959 and the Blue Book carry it as `octet-string (SIZE(12))`; a meter that
 * sends the `date-time` type is accepted, and the typed value remembers the form (`asType`) so that it
 * re-encodes as it came.
 */
export interface DateTimeValue extends CosemDateTime {
  /** True when the value came (or is to go) as the `date-time` Data type rather than an octet-string. */
  asType?: true;
}

export const dateTime: Codec<DateTimeValue> = {
  shape: 'octet-string (SIZE(12)) date-time',
  decode: (d) => {
    if (d?.type === 'date-time') return { ...d.value, asType: true };
    if (d?.type !== 'octet-string') malformed(`expected octet-string (SIZE(12)) date-time, got ${d?.type}`);
    if (d.value.length !== 12) malformed(`a date-time octet-string has 12 bytes, got ${d.value.length}`);
    try {
      return octetStringAsDateTime(d);
    } catch (e) {
      return malformed(`bad date-time: ${(e as Error).message}`);
    }
  },
  encode: (v) => {
    const { asType, ...dt } = v;
    return asType ? { type: 'date-time', value: dt } : dateTimeAsOctetString(dt);
  },
};

type Fields = Record<string, Codec<unknown>>;
type StructOf<F extends Fields> = { -readonly [K in keyof F]: TypeOf<F[K]> };

/**
 * A `structure` whose elements are, in order, the given fields. A structure with the wrong number of
 * elements is MALFORMED; each field's error carries the field name in its path.
 */
export function struct<const F extends Fields>(fields: F): Codec<StructOf<F>> {
  const keys = Object.keys(fields);
  const shape = `structure {${keys.map((k) => `${k} ${fields[k]!.shape}`).join(', ')}}`;
  return {
    shape,
    decode: (d) => {
      const s = expectType(d, 'structure', `structure of ${keys.length}`);
      if (s.value.length !== keys.length) {
        malformed(
          `expected a structure of ${keys.length} elements (${keys.join(', ')}), got ${s.value.length}`,
        );
      }
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out[k] = withPath(k, () => fields[k]!.decode(s.value[i]!));
      }
      return out as StructOf<F>;
    },
    encode: (v) => {
      if (typeof v !== 'object' || v === null) invalid(`${shape}: an object expected`);
      const value: Data[] = [];
      for (const k of keys)
        value.push(withPath(k, () => fields[k]!.encode((v as Record<string, unknown>)[k])));
      return { type: 'structure', value };
    },
  };
}

/** An `array` of one element codec; `maxLength` (when given) is checked on decode and encode. */
export function arrayOf<T>(element: Codec<T>, maxLength = Number.POSITIVE_INFINITY): Codec<T[]> {
  return {
    shape: `array of ${element.shape}`,
    decode: (d) => {
      const a = expectType(d, 'array', `array of ${element.shape}`);
      if (a.value.length > maxLength)
        malformed(`array of ${a.value.length} elements, at most ${maxLength} allowed`);
      const out: T[] = [];
      for (let i = 0; i < a.value.length; i++) out.push(withPath(i, () => element.decode(a.value[i]!)));
      return out;
    },
    encode: (v) => {
      if (!Array.isArray(v)) invalid('an array expected');
      if (v.length > maxLength) invalid(`array of ${v.length} elements, at most ${maxLength} allowed`);
      return { type: 'array', value: v.map((e, i) => withPath(i, () => element.encode(e))) };
    },
  };
}

/** `null-data` or the inner codec's shape; null-data decodes to `undefined`. */
export function nullable<T>(inner: Codec<T>): Codec<T | undefined> {
  return {
    shape: `null-data | ${inner.shape}`,
    decode: (d) => (d?.type === 'null-data' ? undefined : inner.decode(d)),
    encode: (v) => (v === undefined ? { type: 'null-data' } : inner.encode(v)),
  };
}

/** Maps a codec's typed form (e.g. numbers to names), both ways. */
export function mapped<A, B>(
  inner: Codec<A>,
  to: (a: A) => B,
  from: (b: B) => A,
  shape = inner.shape,
): Codec<B> {
  return { shape, decode: (d) => to(inner.decode(d)), encode: (v) => inner.encode(from(v)) };
}

/** Runs a decode and names the attribute in the error path. */
export function decodeNamed<T>(codec: Codec<T>, name: string, d: Data): T {
  return withPath(name, () => codec.decode(d));
}
