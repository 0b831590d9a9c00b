/**
 * Small helpers shared by the targets.
 *
 * @module
 */
import { hexToBytes } from '@ami-interop/conformance-vectors';

/** Hex to bytes (for fixed keys). */
export const hex = (s: string): Uint8Array => hexToBytes(s);

const TEXT = new TextDecoder('utf-8', { fatal: false });

/** The input as UTF-8 text (invalid sequences become U+FFFD, as a socket reader would do). */
export function utf8(input: Uint8Array): string {
  return TEXT.decode(input);
}

/** The input as Latin-1 text (one character per byte). */
export function latin1(input: Uint8Array): string {
  let s = '';
  for (let i = 0; i < input.length; i++) s += String.fromCharCode(input[i]!);
  return s;
}

/**
 * Runs `fn`, returning its result, or undefined when it throws one of our typed errors (any package: they
 * share the `Symbol.for('ami-interop.error')` brand). Anything else is rethrown, so the target reports it.
 */
export function tryTyped<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (isBranded(e)) return undefined;
    throw e;
  }
}

const BRAND = Symbol.for('ami-interop.error');

/** True for an error of any ami-interop package (they all carry the shared brand). */
export function isBranded(e: unknown): boolean {
  return typeof e === 'object' && e !== null && typeof (e as { [BRAND]?: unknown })[BRAND] === 'string';
}

/**
 * Splits the input into uneven chunks, deterministically from its length, so stream parsers see
 * boundaries inside headers, lengths and flags: sizes cycle 1, 2, 3, 5, 8, 13, … shifted by the length.
 */
export function chunked(input: Uint8Array): Uint8Array[] {
  const sizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
  const out: Uint8Array[] = [];
  let k = input.length % sizes.length;
  for (let i = 0; i < input.length; ) {
    const n = sizes[k++ % sizes.length]!;
    out.push(input.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** A JSON text of any decoded value: bytes as hex, bigints with an `n`, so two values compare as strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array)
      return `0x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
    return v;
  });
}

/**
 * The round-trip oracle for a decoder that has an encoder: whatever the decoder accepted must encode, and
 * decode again to the same value (`decode ∘ encode ∘ decode = decode`). Byte equality is not asked for:
 * decoders accept some non-canonical forms (long-form lengths, for one). Returns a problem or undefined.
 */
export function roundTrip<T>(
  decoded: T,
  encode: (value: T) => Uint8Array,
  decode: (bytes: Uint8Array) => T,
  view: (value: T) => unknown = (v) => v,
): string | undefined {
  let again: T;
  let bytes: Uint8Array;
  try {
    bytes = encode(decoded);
  } catch (e) {
    return `a decoded value does not encode: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    again = decode(bytes);
  } catch (e) {
    return `the re-encoding does not decode: ${e instanceof Error ? e.message : String(e)}`;
  }
  const a = canonical(view(decoded));
  const b = canonical(view(again));
  return a === b
    ? undefined
    : `decode(encode(decode(x))) differs from decode(x):\n${a.slice(0, 400)}\n${b.slice(0, 400)}`;
}

/**
 * The truncation oracle for a self-delimiting decoder: once it accepted `input`, every strict prefix must be
 * refused as `INCOMPLETE` (never decoded, never `MALFORMED`), as the conformance runner demands of the
 * vectors. Inputs up to 256 bytes are checked at every length, longer ones at 64 spread lengths plus the
 * last 16. Returns a problem or undefined.
 */
export function prefixesIncomplete(
  input: Uint8Array,
  decode: (b: Uint8Array) => unknown,
): string | undefined {
  const lengths: number[] = [];
  if (input.length <= 256) for (let n = 0; n < input.length; n++) lengths.push(n);
  else {
    for (let k = 0; k < 64; k++) lengths.push(Math.floor((k * input.length) / 64));
    for (let n = input.length - 16; n < input.length; n++) lengths.push(n);
  }
  for (const n of lengths) {
    let outcome: string;
    try {
      decode(input.subarray(0, n));
      outcome = 'decoded';
    } catch (e) {
      if (!isBranded(e)) throw e;
      const code = (e as { code?: unknown }).code;
      if (code === 'INCOMPLETE') continue;
      outcome = `refused with ${String(code)}: ${(e as Error).message}`;
    }
    return `accepted ${input.length} bytes, but the ${n}-byte prefix was ${outcome} instead of INCOMPLETE`;
  }
  return undefined;
}
