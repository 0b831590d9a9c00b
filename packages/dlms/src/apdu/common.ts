/**
 * Shared A-XDR pieces of the xDLMS service APDUs (IEC 62056-5-3 / Green Book, xDLMS ASN.1): usage flags of
 * OPTIONAL components, BOOLEAN, SEQUENCE OF counts checked against the bytes left, and argument checks for
 * the encoders. Internal to `/apdu`.
 *
 * A-XDR rules (IEC 61334-6) applied throughout:
 * - a CHOICE is one tag octet (the context number), then the alternative;
 * - an OPTIONAL component is preceded by a usage flag, `00` absent or `01` present (anything else is
 *   `MALFORMED`);
 * - BOOLEAN is one octet, `00` FALSE and any other value TRUE (written `01`, as the Data codec does);
 * - SEQUENCE OF is a variable-length count, then the elements; OCTET STRING a variable-length length, then
 *   the octets; OCTET STRING (SIZE(n)) is the n octets alone;
 * - UnsignedN / IntegerN / ENUMERATED are fixed-size big-endian.
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';

/** Reads an A-XDR usage flag: `00` absent, `01` present, anything else `MALFORMED`. */
export function readUsage(r: Reader, what: string): boolean {
  const at = r.pos;
  const flag = r.u8(what);
  if (flag === 0) return false;
  if (flag === 1) return true;
  return r.fail(`${what}: usage flag must be 00 or 01, got ${hex2(flag)}`, at);
}

/** Reads a BOOLEAN: `00` FALSE, any other octet TRUE. */
export function readBoolean(r: Reader, what: string): boolean {
  return r.u8(what) !== 0;
}

/**
 * Reads a SEQUENCE OF count and checks it against the bytes left, given the smallest encoding of one
 * element: a hostile count can never make us allocate or loop beyond what the input could hold.
 */
export function readCount(r: Reader, what: string, minElementSize: number): number {
  const n = r.length(`${what} count`);
  if (n * minElementSize > r.remaining) {
    // Not enough bytes for the claimed count: more input could complete it.
    throw new DlmsError(
      'INCOMPLETE',
      `input ended: ${what} claims ${n} element(s) needing at least ${n * minElementSize} byte(s), ${r.remaining} left`,
      { offset: r.base + r.end },
    );
  }
  return n;
}

/** Reads an OCTET STRING (length, then the octets) as a view into the input. */
export function readOctetString(r: Reader, what: string): Uint8Array {
  const n = r.length(`${what} length`);
  return r.bytes(n, what);
}

export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export function invalid(message: string, field?: string | number): never {
  throw new DlmsError('INVALID_ARGUMENT', message, field === undefined ? {} : { path: [field] });
}

/** Checks an integer argument for an encoder. */
export function checkInt(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(`${field} must be an integer in ${min}..${max}, got ${show(value)}`, field);
  }
  return value;
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') invalid(`${field} must be a boolean, got ${show(value)}`, field);
  return value;
}

export function checkBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) invalid(`${field} must be a Uint8Array`, field);
  return value;
}

export function checkArray<T>(value: unknown, field: string): readonly T[] {
  if (!Array.isArray(value)) invalid(`${field} must be an array`, field);
  return value as T[];
}

/** Writes an OCTET STRING: length, then the octets. */
export function writeOctetString(w: Writer, b: Uint8Array): void {
  w.length(b.length).bytes(b);
}

/** Reads the tag octet of a CHOICE, returning it with its offset for messages. */
export function readChoice(r: Reader, what: string): { tag: number; at: number } {
  const at = r.pos;
  return { tag: r.u8(what), at };
}

/** Number of octets the A-XDR length of `n` takes. */
export function lengthSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

/** Writes a SEQUENCE OF: the count, then each element, errors naming `field` and the index. */
export function writeSequenceOf<T>(
  w: Writer,
  value: unknown,
  field: string,
  write: (w: Writer, x: T) => void,
): void {
  const list = checkArray<T>(value, field);
  w.length(list.length);
  for (let i = 0; i < list.length; i++) {
    const x = list[i] as T;
    withPath(field, () => withPath(i, () => write(w, x)));
  }
}

/** A short description of any value for messages; never throws (unlike `String(v)` on hostile objects). */
export function show(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
