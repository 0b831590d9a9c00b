/**
 * Byte helpers for the key file: strict base64 (RFC 4648 §4, canonical padding bits), hex, UTF-8,
 * big-endian integers, constant-time compare and wiping. Runtime-neutral.
 *
 * @module
 */
import { KeyfileError } from '../errors.ts';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX: Int16Array = /* @__PURE__ */ (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64 with `=` padding. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + B64[v & 63]!;
  }
  if (n - i === 1) {
    const v = bytes[i]! << 16;
    s += `${B64[v >>> 18]!}${B64[(v >>> 12) & 63]!}==`;
  } else if (n - i === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += `${B64[v >>> 18]!}${B64[(v >>> 12) & 63]!}${B64[(v >>> 6) & 63]!}=`;
  }
  return s;
}

/**
 * Strict base64 decoding: only the standard alphabet, padding required, non-zero unused bits refused
 * (so every byte string has exactly one accepted text, and a changed character is never silently ignored).
 */
export function fromBase64(s: string, what = 'base64'): Uint8Array<ArrayBuffer> {
  if (s.length % 4 !== 0) throw new KeyfileError('MALFORMED', `${what}: length is not a multiple of 4`);
  let pad = 0;
  if (s.endsWith('==')) pad = 2;
  else if (s.endsWith('=')) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  const n = s.length;
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 === n;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const ch = s.charCodeAt(i + k);
      let d: number;
      if (last && ch === 61 && k >= 4 - pad) d = 0;
      else {
        d = ch < 128 ? B64_INDEX[ch]! : -1;
        if (d < 0)
          throw new KeyfileError('MALFORMED', `${what}: invalid character at ${i + k}`, { offset: i + k });
      }
      v = (v << 6) | d;
    }
    if (last && pad === 2) {
      if ((v & 0xffff) !== 0) throw new KeyfileError('MALFORMED', `${what}: non-canonical padding bits`);
      out[o++] = v >>> 16;
    } else if (last && pad === 1) {
      if ((v & 0xff) !== 0) throw new KeyfileError('MALFORMED', `${what}: non-canonical padding bits`);
      out[o++] = v >>> 16;
      out[o++] = (v >>> 8) & 255;
    } else {
      out[o++] = v >>> 16;
      out[o++] = (v >>> 8) & 255;
      out[o++] = v & 255;
    }
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s.toUpperCase();
}

/** Hex (upper or lower case, no separators) to bytes; refuses anything else with INVALID_ARGUMENT. */
export function fromHex(hex: string, what = 'hex'): Uint8Array<ArrayBuffer> {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
    throw new KeyfileError('INVALID_ARGUMENT', `${what}: not an even-length hex string`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const ENC = /* @__PURE__ */ new TextEncoder();
const DEC = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array<ArrayBuffer> {
  return ENC.encode(s) as Uint8Array<ArrayBuffer>;
}

/** Decodes UTF-8, refusing invalid sequences with MALFORMED. */
export function fromUtf8(b: Uint8Array, what = 'text'): string {
  try {
    return DEC.decode(b);
  } catch (cause) {
    throw new KeyfileError('MALFORMED', `${what}: invalid UTF-8`, { cause });
  }
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

export function u32be(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

export function u64be(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

/** Constant-time equality for equal-length inputs (length itself is not secret). */
export function ctEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Overwrites buffers with zeros (best effort: the runtime may hold other copies). */
export function wipe(...bufs: (Uint8Array | undefined)[]): void {
  for (const b of bufs) b?.fill(0);
}

/**
 * Sets `obj[name] = value` as an own, enumerable data property. Plain assignment
 * of a name taken from input (`__proto__`) would call the prototype setter
 * instead, losing the field and changing the object's prototype.
 */
export function setOwn<T>(obj: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
}
