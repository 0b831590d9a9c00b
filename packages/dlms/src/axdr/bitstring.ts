import { DlmsError } from '../errors.ts';
import type { BitString } from './types.ts';

/**
 * A bit-string from `'0'`/`'1'` characters or booleans, first bit first (the most significant bit of the
 * first byte on the wire). IS 15959's event status word is `bitStringFromBits` of 128 flags.
 */
export function bitStringFromBits(bits: string | readonly boolean[]): BitString {
  const n = bits.length;
  const bytes = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    let on: boolean;
    if (typeof b === 'boolean') on = b;
    else if (b === '1') on = true;
    else if (b === '0') on = false;
    else
      throw new DlmsError('INVALID_ARGUMENT', `bit-string: '0' or '1' expected, got ${JSON.stringify(b)}`, {
        offset: i,
      });
    if (on) bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return { length: n, bytes };
}

/** The bits as a string of `'0'`/`'1'`, first bit first. */
export function bitStringToBits(bs: BitString): string {
  let s = '';
  for (let i = 0; i < bs.length; i++) s += (bs.bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  return s;
}

/** Bit `i` (0 = first bit, the most significant bit of the first byte). */
export function bitStringGet(bs: BitString, i: number): boolean {
  if (!Number.isInteger(i) || i < 0 || i >= bs.length) {
    throw new DlmsError('INVALID_ARGUMENT', `bit ${i} outside a bit-string of ${bs.length} bits`);
  }
  return ((bs.bytes[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
}

/** Mask of the meaningful bits of the last byte of a bit-string of `length` bits (0xFF when it is full). */
export function lastByteMask(length: number): number {
  const r = length & 7;
  return r === 0 ? 0xff : (0xff << (8 - r)) & 0xff;
}
