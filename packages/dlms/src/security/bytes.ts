/**
 * Small byte helpers private to the security module: constant-time comparison, concatenation, wiping.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/**
 * Compares two byte strings in time that depends only on their lengths (never on where they differ).
 * Lengths are not secret in any DLMS use (tag and response lengths are fixed by the suite).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Overwrites temporary secret material. */
export function wipe(...arrays: Uint8Array[]): void {
  for (const a of arrays) a.fill(0);
}

/** Throws `INVALID_ARGUMENT` unless `value` is a Uint8Array (of one of the allowed lengths, when given). */
export function assertBytes(
  value: unknown,
  title: string,
  ...lengths: number[]
): asserts value is Uint8Array {
  if (value instanceof Uint8Array && (lengths.length === 0 || lengths.includes(value.length))) return;
  if (!(value instanceof Uint8Array)) {
    throw new DlmsError('INVALID_ARGUMENT', `"${title}" must be a Uint8Array, got ${describe(value)}`);
  }
  throw new DlmsError(
    'INVALID_ARGUMENT',
    `"${title}" must be ${lengths.join(' or ')} bytes long, got ${value.length}`,
  );
}

/** Throws `INVALID_ARGUMENT` unless `value` is an unsigned 32-bit integer. */
export function assertU32(value: unknown, title: string): asserts value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return;
  throw new DlmsError(
    'INVALID_ARGUMENT',
    `"${title}" must be an integer 0..0xFFFFFFFF, got ${describe(value)}`,
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'number' ? String(v) : typeof v;
}
