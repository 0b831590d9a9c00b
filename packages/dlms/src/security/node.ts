/**
 * `@ami-interop/dlms/security/node`: a {@link CryptoBackend} on `node:crypto` (OpenSSL, AES-NI), for Node only.
 *
 * This subpath is the only part of the security module that imports a `node:` module; browsers never load
 * it. Choose it explicitly (`protectApdu(apdu, { …, backend: nodeCryptoBackend })`): there is no global
 * default to change (no module-level mutable state). The benchmark `packages/dlms/bench/security.bench.ts`
 * measures both backends; node:crypto is faster from about 256-byte APDUs upwards.
 *
 * Decryption note: OpenSSL deciphers in `update()` and checks the tag in `final()`; when the tag fails, the
 * deciphered bytes are zeroed and `AUTHENTICATION_FAILED` is thrown — they never reach the caller.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DlmsError } from '../errors.ts';
import type { CryptoBackend } from './backend.ts';
import { assertBytes } from './bytes.ts';
import { assertTagLength, authenticationFailed } from './gcm.ts';

function algorithm(key: Uint8Array, mode: 'gcm' | 'ctr'): 'aes-128-gcm' {
  return `aes-${key.length * 8}-${mode}` as 'aes-128-gcm';
}

function checkArgs(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, data: Uint8Array): void {
  assertBytes(key, 'key', 16, 24, 32);
  assertBytes(iv, 'iv', 12);
  assertBytes(aad, 'aad');
  assertBytes(data, 'data');
}

function j1(iv: Uint8Array): Uint8Array {
  const b = new Uint8Array(16);
  b.set(iv);
  b[15] = 2;
  return b;
}

function asBytes(b: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
}

export const nodeCryptoBackend: CryptoBackend = Object.freeze<CryptoBackend>({
  name: 'node:crypto',
  gcmEncrypt(key, iv, aad, plaintext, tagLength) {
    checkArgs(key, iv, aad, plaintext);
    assertTagLength(tagLength);
    if (tagLength === 0) {
      const c = createCipheriv(algorithm(key, 'ctr'), key, j1(iv));
      return asBytes(Buffer.concat([c.update(plaintext), c.final()]));
    }
    const c = createCipheriv(algorithm(key, 'gcm'), key, iv, { authTagLength: tagLength });
    if (aad.length > 0) c.setAAD(aad);
    const out = Buffer.allocUnsafeSlow(plaintext.length + tagLength);
    let n = c.update(plaintext).copy(out, 0);
    n += c.final().copy(out, n);
    c.getAuthTag().copy(out, n);
    return asBytes(out);
  },
  gcmDecrypt(key, iv, aad, ciphertext, tag) {
    checkArgs(key, iv, aad, ciphertext);
    assertBytes(tag, 'tag');
    assertTagLength(tag.length);
    if (tag.length === 0) {
      const d = createDecipheriv(algorithm(key, 'ctr'), key, j1(iv));
      return asBytes(Buffer.concat([d.update(ciphertext), d.final()]));
    }
    const d = createDecipheriv(algorithm(key, 'gcm'), key, iv, { authTagLength: tag.length });
    d.setAuthTag(tag);
    if (aad.length > 0) d.setAAD(aad);
    const out = Buffer.allocUnsafeSlow(ciphertext.length);
    const part = d.update(ciphertext);
    const n = part.copy(out, 0);
    part.fill(0);
    try {
      d.final().copy(out, n);
    } catch (e) {
      out.fill(0);
      if (e instanceof DlmsError) throw e;
      throw authenticationFailed();
    }
    return asBytes(out);
  },
});

export type { CryptoBackend } from './backend.ts';
