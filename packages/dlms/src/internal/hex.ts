import { DlmsError } from '../errors.ts';

const HEX = '0123456789ABCDEF';

/** Upper-case hex, no separators (the form the standards' examples use). */
export function toHex(bytes: Uint8Array, separator = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) s += separator;
    const b = bytes[i]!;
    s += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s;
}

/**
 * Parses hex as people paste it: upper or lower case, with optional spaces, tabs, newlines, colons,
 * dashes or a `0x` prefix. Anything else is `INVALID_ARGUMENT` with the offending character's offset.
 */
export function fromHex(text: string): Uint8Array<ArrayBuffer> {
  let s = text.trim();
  if (s.startsWith('0x') || s.startsWith('0X')) s = s.slice(2);
  const out = new Uint8Array(s.length >> 1);
  let n = 0;
  let hi = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 70) v = c - 55;
    else if (c >= 97 && c <= 102) v = c - 87;
    else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 58 || c === 45) {
      if (hi >= 0)
        throw new DlmsError('INVALID_ARGUMENT', 'hex digit pairs must not be split', { offset: i });
      continue;
    } else {
      throw new DlmsError('INVALID_ARGUMENT', `not a hex digit: ${JSON.stringify(s[i])}`, { offset: i });
    }
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) throw new DlmsError('INVALID_ARGUMENT', 'odd number of hex digits', { offset: s.length });
  return out.slice(0, n);
}
