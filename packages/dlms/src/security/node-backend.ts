/**
 * The `node:crypto` GCM backend, written against the two cipher constructors it uses (no `node:` import here).
 *
 * Decryption note: OpenSSL deciphers in `update()` and checks the tag in `final()`; when the tag fails, the
 * deciphered bytes are zeroed and `AUTHENTICATION_FAILED` is thrown — they never reach the caller.
 *
 * @module
 */
import type { CryptoBackend } from './backend.ts';
import { assertBytes } from './bytes.ts';
import { assertTagLength, authenticationFailed } from './gcm.ts';

/** A cipher or decipher object of `node:crypto`, as far as this backend uses it. */
interface NodeCipher {
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  setAAD(aad: Uint8Array): unknown;
}

/** The part of `node:crypto` the backend needs (structural, so no Node types leak into the declarations). */
export interface NodeCipherFunctions {
  createCipheriv(
    algorithm: string,
    key: Uint8Array,
    iv: Uint8Array,
    options?: { authTagLength: number },
  ): NodeCipher & { getAuthTag(): Uint8Array };
  createDecipheriv(
    algorithm: string,
    key: Uint8Array,
    iv: Uint8Array,
    options?: { authTagLength: number },
  ): NodeCipher & { setAuthTag(tag: Uint8Array): unknown };
}

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

/** Runs a stream cipher over `data` into a private array (Node's outputs may be views into its shared pool). */
function stream(
  c: { update(d: Uint8Array): Uint8Array; final(): Uint8Array },
  data: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const part = c.update(data);
  c.final();
  const out = new Uint8Array(part);
  part.fill(0);
  return out;
}

/**
 * Builds the `node:crypto` backend from the two functions it needs, so that this file imports no `node:`
 * module: {@link defaultBackend} obtains them at run time with `process.getBuiltinModule('node:crypto')`, and
 * `@ami-interop/dlms/security/node` with a static import.
 */
export function createNodeCryptoBackend({
  createCipheriv,
  createDecipheriv,
}: NodeCipherFunctions): CryptoBackend {
  return Object.freeze<CryptoBackend>({
    name: 'node:crypto',
    gcmEncrypt(key, iv, aad, plaintext, tagLength) {
      checkArgs(key, iv, aad, plaintext);
      assertTagLength(tagLength);
      if (tagLength === 0) {
        const c = createCipheriv(algorithm(key, 'ctr'), key, j1(iv));
        return stream(c, plaintext);
      }
      const c = createCipheriv(algorithm(key, 'gcm'), key, iv, { authTagLength: tagLength });
      if (aad.length > 0) c.setAAD(aad);
      const out = new Uint8Array(plaintext.length + tagLength);
      out.set(c.update(plaintext));
      c.final();
      out.set(c.getAuthTag(), plaintext.length);
      return out;
    },
    gcmDecrypt(key, iv, aad, ciphertext, tag) {
      checkArgs(key, iv, aad, ciphertext);
      assertBytes(tag, 'tag');
      assertTagLength(tag.length);
      if (tag.length === 0) {
        const d = createDecipheriv(algorithm(key, 'ctr'), key, j1(iv));
        return stream(d, ciphertext);
      }
      const d = createDecipheriv(algorithm(key, 'gcm'), key, iv, { authTagLength: tag.length });
      d.setAuthTag(tag);
      if (aad.length > 0) d.setAAD(aad);
      const part = d.update(ciphertext);
      try {
        d.final();
      } catch {
        part.fill(0);
        throw authenticationFailed();
      }
      // A private copy: `part` may be a view into Node's shared Buffer pool.
      const out = new Uint8Array(part);
      part.fill(0);
      return out;
    },
  });
}
