/**
 * A-XDR encoding and decoding of {@link Data} (IEC 62056-6-2 with the A-XDR rules of IEC 61334-6).
 *
 * Decisions where the standard leaves room (each has a conformance vector):
 * - **boolean**: any non-zero byte decodes as TRUE (the BER rule A-XDR inherits; some meters send 0xFF);
 *   TRUE encodes as 0x01.
 * - **bit-string padding**: non-zero padding bits after the last bit are accepted and cleared.
 * - **visible-string**: bytes map one-to-one to the characters U+0000..U+00FF, without checking the
 *   printable range (meters pad names with NUL), so every byte sequence round-trips; encoding a character
 *   above U+00FF is `INVALID_ARGUMENT`.
 * - **utf8-string**: malformed UTF-8 is `MALFORMED` (offset of the string's first byte); encoding a string
 *   with a lone surrogate is `INVALID_ARGUMENT`.
 * - **bcd**: the ASN.1 says Integer8, but the byte holds two decimal digits; it is kept as the octet 0..255.
 * - **array**: elements are not checked to share one type (meters do not always honour it).
 * - **tags 7 and 11** (IEC 61334-4-41 floating-point and time, "not usable in DLMS/COSEM") and every tag not in
 *   the table are `MALFORMED`.
 * - **compact-array**: `array-contents` is an octet-string of the elements encoded back to back **without**
 *   their tags (the type description says what they are); an array element type carries its element count in
 *   the description, so its elements follow without a count; variable-length types keep their length. The
 *   number of elements is however many fill the contents exactly; contents ending inside an element are
 *   `MALFORMED` (the octet-string length was complete). An element type that encodes to zero bytes (e.g.
 *   null-data) cannot delimit elements: such contents must be empty.
 *
 * Hostile input: counts are checked against {@link DataLimits} (`LIMIT_EXCEEDED`) and against the bytes left
 * (each tagged element needs at least one byte, so a larger count is `INCOMPLETE`) before anything is
 * allocated; nesting deeper than `maxDepth` is `LIMIT_EXCEEDED` before the stack can overflow.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { lastByteMask } from './bitstring.ts';
import {
  type CosemDateTime,
  decodeCosemDateTime,
  readCosemDate,
  readCosemDateTime,
  readCosemTime,
  writeCosemDate,
  writeCosemDateTime,
  writeCosemTime,
} from './datetime.ts';
import {
  DATA_TAGS,
  type Data,
  type DataLimits,
  type DataType,
  DEFAULT_DATA_LIMITS,
  dataTypeOfTag,
  type SimpleDataType,
  type TypeDescription,
} from './types.ts';

/** Nesting beyond this is refused whatever the limits say, so that recursion cannot overflow the stack. */
const HARD_MAX_DEPTH = 1000;

interface State {
  readonly maxDepth: number;
  readonly maxElements: number;
  elements: number;
}

function state(limits: Partial<DataLimits> | undefined): State {
  const maxDepth = Math.min(limits?.maxDepth ?? DEFAULT_DATA_LIMITS.maxDepth, HARD_MAX_DEPTH);
  const maxElements = limits?.maxElements ?? DEFAULT_DATA_LIMITS.maxElements;
  return { maxDepth, maxElements, elements: 0 };
}

function atPath(e: unknown, segment: string | number): unknown {
  if (e instanceof DlmsError) e.path.unshift(segment);
  return e;
}

function enter(r: Reader, st: State, depth: number, at: number): number {
  const d = depth + 1;
  if (d > st.maxDepth) {
    throw new DlmsError('LIMIT_EXCEEDED', `Data nested deeper than maxDepth ${st.maxDepth}`, {
      offset: r.base + at,
    });
  }
  return d;
}

/** Accounts for `n` elements: the element limit first, then (when `minBytes` > 0) the bytes left. */
function claim(r: Reader, st: State, n: number, minBytes: number, at: number): void {
  if (st.elements + n > st.maxElements) {
    throw new DlmsError(
      'LIMIT_EXCEEDED',
      `${n} more element(s) would exceed maxElements ${st.maxElements} (${st.elements} so far)`,
      { offset: r.base + at },
    );
  }
  if (minBytes > 0 && n > r.remaining / minBytes) {
    throw new DlmsError(
      'INCOMPLETE',
      `input ended: ${n} element(s) claimed, only ${r.remaining} byte(s) left`,
      { offset: r.base + r.end },
    );
  }
  st.elements += n;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Reads one tagged Data value at the reader's position (for embedding in APDUs). Octet-strings and
 * bit-strings are views into the reader's bytes (no copy).
 */
export function readData(r: Reader, limits?: Partial<DataLimits>): Data {
  return readTagged(r, state(limits), 0);
}

/** Decodes a whole input as one Data value; bytes after it are `MALFORMED`. */
export function decodeData(bytes: Uint8Array, limits?: Partial<DataLimits>): Data {
  const r = new Reader(bytes);
  const d = readTagged(r, state(limits), 0);
  r.expectEnd('Data');
  return d;
}

function readTagged(r: Reader, st: State, depth: number): Data {
  const at = r.pos;
  const tag = r.u8('Data tag');
  const type = dataTypeOfTag(tag);
  switch (type) {
    case undefined:
      return r.fail(`unknown Data tag ${tag} (0x${tag.toString(16).padStart(2, '0')})`, at);
    case 'array':
    case 'structure': {
      const d = enter(r, st, depth, at);
      const n = r.length(`${type} element count`);
      claim(r, st, n, 1, at);
      const value: Data[] = [];
      for (let i = 0; i < n; i++) {
        try {
          value.push(readTagged(r, st, d));
        } catch (e) {
          throw atPath(e, i);
        }
      }
      return { type, value };
    }
    case 'compact-array': {
      const d = enter(r, st, depth, at);
      let typeDescription: TypeDescription;
      try {
        typeDescription = readTd(r, st, d);
      } catch (e) {
        throw atPath(e, 'typeDescription');
      }
      const len = r.length('compact-array contents length');
      const sub = r.sub(len, 'compact-array contents');
      const value: Data[] = [];
      if (len > 0 && minSize(typeDescription) === 0) {
        sub.fail('compact-array: an element type of zero bytes cannot fill non-empty contents');
      }
      while (!sub.done) {
        const i = value.length;
        try {
          claim(sub, st, 1, 0, sub.pos);
          value.push(readUntagged(sub, typeDescription, st, d));
        } catch (e) {
          if (e instanceof DlmsError && e.code === 'INCOMPLETE') {
            const m = new DlmsError('MALFORMED', `compact-array contents end inside element ${i}`, {
              offset: e.offset,
              path: e.path,
              cause: e,
            });
            throw atPath(atPath(m, i), 'value');
          }
          throw atPath(atPath(e, i), 'value');
        }
      }
      return { type, typeDescription, value };
    }
    default:
      return readSimple(r, type, at);
  }
}

function readUntagged(r: Reader, td: TypeDescription, st: State, depth: number): Data {
  switch (td.type) {
    case 'array': {
      const d = enter(r, st, depth, r.pos);
      claim(r, st, td.count, 0, r.pos);
      const value: Data[] = [];
      for (let i = 0; i < td.count; i++) {
        try {
          value.push(readUntagged(r, td.element, st, d));
        } catch (e) {
          throw atPath(e, i);
        }
      }
      return { type: 'array', value };
    }
    case 'structure': {
      const d = enter(r, st, depth, r.pos);
      claim(r, st, td.elements.length, 0, r.pos);
      const value: Data[] = [];
      for (let i = 0; i < td.elements.length; i++) {
        try {
          value.push(readUntagged(r, td.elements[i]!, st, d));
        } catch (e) {
          throw atPath(e, i);
        }
      }
      return { type: 'structure', value };
    }
    default:
      return readSimple(r, td.type, r.pos);
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

function readSimple(r: Reader, type: SimpleDataType, at: number): Data {
  switch (type) {
    case 'null-data':
    case 'dont-care':
      return { type };
    case 'boolean':
      return { type, value: r.u8('boolean') !== 0 };
    case 'bit-string': {
      const length = r.length('bit-string length');
      let bytes = r.bytes(Math.ceil(length / 8), 'bit-string');
      const mask = lastByteMask(length);
      if (bytes.length > 0 && (bytes[bytes.length - 1]! & ~mask & 0xff) !== 0) {
        bytes = bytes.slice();
        bytes[bytes.length - 1]! &= mask;
      }
      return { type, value: { length, bytes } };
    }
    case 'double-long':
      return { type, value: r.i32(type) };
    case 'double-long-unsigned':
      return { type, value: r.u32(type) };
    case 'octet-string':
      return { type, value: r.bytes(r.length('octet-string length'), type) };
    case 'visible-string':
      return { type, value: latin1(r.bytes(r.length('visible-string length'), type)) };
    case 'utf8-string': {
      const n = r.length('utf8-string length');
      const start = r.pos;
      const b = r.bytes(n, type);
      try {
        return { type, value: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b) };
      } catch (cause) {
        throw new DlmsError('MALFORMED', 'utf8-string is not valid UTF-8', { offset: r.base + start, cause });
      }
    }
    case 'bcd':
    case 'unsigned':
    case 'enum':
      return { type, value: r.u8(type) };
    case 'integer':
      return { type, value: r.i8(type) };
    case 'long':
      return { type, value: r.i16(type) };
    case 'long-unsigned':
      return { type, value: r.u16(type) };
    case 'long64':
      return { type, value: r.i64(type) };
    case 'long64-unsigned':
      return { type, value: r.u64(type) };
    case 'float32':
      return { type, value: r.f32(type) };
    case 'float64':
      return { type, value: r.f64(type) };
    case 'date-time':
      return { type, value: readCosemDateTime(r) };
    case 'date':
      return { type, value: readCosemDate(r) };
    case 'time':
      return { type, value: readCosemTime(r) };
    default:
      return r.fail(`unknown Data type ${String(type)}`, at);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Type descriptions

/** Reads a TypeDescription (the contents-description of a compact-array). */
export function readTypeDescription(r: Reader, limits?: Partial<DataLimits>): TypeDescription {
  return readTd(r, state(limits), 0);
}

function readTd(r: Reader, st: State, depth: number): TypeDescription {
  const at = r.pos;
  const tag = r.u8('type description tag');
  const type = dataTypeOfTag(tag);
  switch (type) {
    case undefined:
    case 'compact-array':
      return r.fail(`tag ${tag} is not a type description`, at);
    case 'array': {
      const d = enter(r, st, depth, at);
      const count = r.u16('number-of-elements');
      let element: TypeDescription;
      try {
        element = readTd(r, st, d);
      } catch (e) {
        throw atPath(e, 'element');
      }
      return { type, count, element };
    }
    case 'structure': {
      const d = enter(r, st, depth, at);
      const n = r.length('structure type description count');
      claim(r, st, n, 1, at);
      const elements: TypeDescription[] = [];
      for (let i = 0; i < n; i++) {
        try {
          elements.push(readTd(r, st, d));
        } catch (e) {
          throw atPath(e, i);
        }
      }
      return { type, elements };
    }
    default:
      return { type };
  }
}

export function writeTypeDescription(w: Writer, td: TypeDescription): void {
  writeTd(w, td, 0);
}

function writeTd(w: Writer, td: TypeDescription, depth: number): void {
  if (depth > HARD_MAX_DEPTH) invalid(`type description nested deeper than ${HARD_MAX_DEPTH}`);
  const tag = (DATA_TAGS as Record<string, number | undefined>)[td?.type];
  if (tag === undefined || (td.type as string) === 'compact-array') {
    invalid(`not a type description: ${JSON.stringify((td as { type?: unknown })?.type)}`);
  }
  w.u8(tag);
  if (td.type === 'array') {
    if (!Number.isInteger(td.count) || td.count < 0 || td.count > 0xffff) {
      invalid(`type description array count must be 0..65535, got ${td.count}`);
    }
    w.u16(td.count);
    withPathInvalid('element', () => writeTd(w, td.element, depth + 1));
  } else if (td.type === 'structure') {
    if (!Array.isArray(td.elements)) invalid('type description structure needs elements[]');
    w.length(td.elements.length);
    for (let i = 0; i < td.elements.length; i++)
      withPathInvalid(i, () => writeTd(w, td.elements[i]!, depth + 1));
  }
}

const FIXED_SIZE: Partial<Record<DataType, number>> = {
  'null-data': 0,
  'dont-care': 0,
  boolean: 1,
  bcd: 1,
  integer: 1,
  unsigned: 1,
  enum: 1,
  long: 2,
  'long-unsigned': 2,
  'double-long': 4,
  'double-long-unsigned': 4,
  float32: 4,
  time: 4,
  date: 5,
  long64: 8,
  'long64-unsigned': 8,
  float64: 8,
  'date-time': 12,
};

/** The fewest bytes one untagged element of this type can take (a length byte for variable-size types). */
export function minSize(td: TypeDescription): number {
  switch (td.type) {
    case 'array':
      return td.count === 0 ? 0 : td.count * minSize(td.element);
    case 'structure': {
      let n = 0;
      for (const e of td.elements) n += minSize(e);
      return n;
    }
    default:
      return FIXED_SIZE[td.type] ?? 1;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

function invalid(msg: string): never {
  throw new DlmsError('INVALID_ARGUMENT', msg);
}

function withPathInvalid(segment: string | number, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw atPath(e, segment);
  }
}

/** Writes one tagged Data value (for embedding in APDUs). Out-of-range values are `INVALID_ARGUMENT`. */
export function writeData(w: Writer, d: Data): void {
  writeTagged(w, d, 0);
}

/** The A-XDR bytes of one Data value. */
export function encodeData(d: Data): Uint8Array<ArrayBuffer> {
  const w = new Writer();
  writeTagged(w, d, 0);
  return w.finish();
}

function writeTagged(w: Writer, d: Data, depth: number): void {
  if (depth > HARD_MAX_DEPTH) invalid(`Data nested deeper than ${HARD_MAX_DEPTH}`);
  const tag = (DATA_TAGS as Record<string, number | undefined>)[(d as { type?: unknown })?.type as string];
  if (tag === undefined) invalid(`not a Data value: type ${JSON.stringify((d as { type?: unknown })?.type)}`);
  w.u8(tag);
  switch (d.type) {
    case 'array':
    case 'structure': {
      if (!Array.isArray(d.value)) invalid(`${d.type} value must be an array`);
      w.length(d.value.length);
      for (let i = 0; i < d.value.length; i++) {
        try {
          writeTagged(w, d.value[i]!, depth + 1);
        } catch (e) {
          throw atPath(e, i);
        }
      }
      return;
    }
    case 'compact-array': {
      const td = d.typeDescription;
      withPathInvalid('typeDescription', () => writeTd(w, td, 0));
      if (!Array.isArray(d.value)) invalid('compact-array value must be an array');
      if (d.value.length > 0 && minSize(td) === 0) {
        invalid('compact-array: elements of a zero-byte type cannot be delimited; value must be empty');
      }
      w.fork();
      for (let i = 0; i < d.value.length; i++) {
        try {
          writeUntagged(w, d.value[i]!, td, depth + 1);
        } catch (e) {
          throw atPath(atPath(e, i), 'value');
        }
      }
      w.join();
      return;
    }
    default:
      writeSimple(w, d);
  }
}

function writeUntagged(w: Writer, d: Data, td: TypeDescription, depth: number): void {
  if (depth > HARD_MAX_DEPTH) invalid(`Data nested deeper than ${HARD_MAX_DEPTH}`);
  if (d?.type !== td.type) {
    invalid(`compact-array element is ${JSON.stringify(d?.type)}, its type description says ${td.type}`);
  }
  if (td.type === 'array') {
    const v = (d as { value: Data[] }).value;
    if (!Array.isArray(v) || v.length !== td.count) {
      invalid(`compact-array element array must have ${td.count} elements, has ${v?.length}`);
    }
    for (let i = 0; i < v.length; i++) {
      try {
        writeUntagged(w, v[i]!, td.element, depth + 1);
      } catch (e) {
        throw atPath(e, i);
      }
    }
  } else if (td.type === 'structure') {
    const v = (d as { value: Data[] }).value;
    if (!Array.isArray(v) || v.length !== td.elements.length) {
      invalid(`compact-array element structure must have ${td.elements.length} elements, has ${v?.length}`);
    }
    for (let i = 0; i < v.length; i++) {
      try {
        writeUntagged(w, v[i]!, td.elements[i]!, depth + 1);
      } catch (e) {
        throw atPath(e, i);
      }
    }
  } else {
    writeSimple(w, d);
  }
}

function int(v: unknown, min: number, max: number, type: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    invalid(`${type} must be an integer ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

function big(v: unknown, min: bigint, max: bigint, type: string): bigint {
  if (typeof v !== 'bigint' || v < min || v > max)
    invalid(`${type} must be a bigint ${min}..${max}, got ${String(v)}`);
  return v;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

function writeSimple(w: Writer, d: Data): void {
  // Values may come from untyped callers (JSON, JavaScript): each case checks its value's type.
  switch (d.type) {
    case 'null-data':
    case 'dont-care':
      return;
    case 'boolean': {
      const v: unknown = d.value;
      if (typeof v !== 'boolean') invalid(`boolean must be true or false, got ${String(v)}`);
      w.u8(v ? 1 : 0);
      return;
    }
    case 'bit-string': {
      const bs = d.value;
      const length = int(bs?.length, 0, 0xffffffff, 'bit-string length');
      if (!(bs.bytes instanceof Uint8Array) || bs.bytes.length !== Math.ceil(length / 8)) {
        invalid(`bit-string of ${length} bits needs ${Math.ceil(length / 8)} bytes, has ${bs.bytes?.length}`);
      }
      w.length(length);
      if (bs.bytes.length === 0) return;
      w.bytes(bs.bytes.subarray(0, bs.bytes.length - 1));
      w.u8(bs.bytes[bs.bytes.length - 1]! & lastByteMask(length));
      return;
    }
    case 'double-long':
      w.i32(int(d.value, -0x80000000, 0x7fffffff, d.type));
      return;
    case 'double-long-unsigned':
      w.u32(int(d.value, 0, 0xffffffff, d.type));
      return;
    case 'octet-string':
      if (!(d.value instanceof Uint8Array)) invalid('octet-string value must be a Uint8Array');
      w.length(d.value.length).bytes(d.value);
      return;
    case 'visible-string': {
      const s = d.value;
      if (typeof s !== 'string') invalid('visible-string value must be a string');
      w.length(s.length);
      w.ensure(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0xff)
          invalid(`visible-string character U+${c.toString(16).toUpperCase()} at ${i} is not one byte`);
        w.u8(c);
      }
      return;
    }
    case 'utf8-string': {
      if (typeof d.value !== 'string') invalid('utf8-string value must be a string');
      if (!isWellFormed(d.value)) invalid('utf8-string contains a lone surrogate');
      const b = new TextEncoder().encode(d.value);
      w.length(b.length).bytes(b);
      return;
    }
    case 'bcd':
    case 'unsigned':
    case 'enum':
      w.u8(int(d.value, 0, 255, d.type));
      return;
    case 'integer':
      w.i8(int(d.value, -128, 127, d.type));
      return;
    case 'long':
      w.i16(int(d.value, -0x8000, 0x7fff, d.type));
      return;
    case 'long-unsigned':
      w.u16(int(d.value, 0, 0xffff, d.type));
      return;
    case 'long64':
      w.i64(big(d.value, I64_MIN, I64_MAX, d.type));
      return;
    case 'long64-unsigned':
      w.u64(big(d.value, 0n, U64_MAX, d.type));
      return;
    case 'float32':
      if (typeof d.value !== 'number') invalid('float32 value must be a number');
      w.f32(d.value);
      return;
    case 'float64':
      if (typeof d.value !== 'number') invalid('float64 value must be a number');
      w.f64(d.value);
      return;
    case 'date-time':
      writeCosemDateTime(w, d.value);
      return;
    case 'date':
      writeCosemDate(w, d.value);
      return;
    case 'time':
      writeCosemTime(w, d.value);
      return;
    default:
      invalid(`cannot write ${(d as { type: string }).type} as a simple value`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// IS 15959 helpers

/**
 * IS 15959 meters carry date-times as a 12-byte `octet-string` rather than the `date-time` type: this reads
 * such a value. Anything but a 12-byte octet-string (or a `date-time`) is `INVALID_ARGUMENT`.
 */
export function octetStringAsDateTime(d: Data): CosemDateTime {
  if (d.type === 'date-time') return d.value;
  if (d.type !== 'octet-string') return invalid(`a date-time octet-string was expected, got ${d.type}`);
  if (d.value.length !== 12) invalid(`a date-time octet-string has 12 bytes, got ${d.value.length}`);
  return decodeCosemDateTime(d.value);
}

/** The 12-byte `octet-string` form of a date-time, as IS 15959 meters expect it in SET and ACTION. */
export function dateTimeAsOctetString(dt: CosemDateTime): Data {
  const w = new Writer(12);
  writeCosemDateTime(w, dt);
  return { type: 'octet-string', value: w.finish() };
}
