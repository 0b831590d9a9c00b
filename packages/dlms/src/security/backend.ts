/**
 * The crypto backend: the one place where AES-GCM runs, so that a faster implementation can be swapped in.
 *
 * **Synchronous by design.** A codec that protects and unprotects APDUs is easiest to use, test and reason
 * about when it is a plain function; DLMS APDUs are small (a PDU is at most a few KiB, GBT blocks likewise)
 * and both available implementations are synchronous: `@noble/ciphers` (everywhere) and `node:crypto`.
 * {@link defaultBackend}, used wherever no backend is passed, is `node:crypto` when the runtime offers it
 * through `process.getBuiltinModule` (Node ≥ 20.16, Bun, Deno), else noble: `node:crypto` is faster at every
 * APDU size measured (docs/benchmarks.md: 2.4× at 64 B, 60× at 64 KiB). WebCrypto is async-only and cannot produce 12-byte
 * GCM tags over arbitrary IVs any faster for these sizes, so it is not offered.
 *
 * Both backends pass the same conformance vectors (Green Book, NIST) in the tests, and agree on random inputs.
 *
 * @module
 */
import { gcmDecryptNoble, gcmEncryptNoble } from './gcm.ts';
import { createNodeCryptoBackend, type NodeCipherFunctions } from './node-backend.ts';

export interface CryptoBackend {
  /** For reports and benchmarks, e.g. "noble" or "node:crypto". */
  readonly name: string;
  /**
   * AES-GCM encryption (key of 16, 24 or 32 bytes, 12-byte IV). Returns ciphertext ‖ tag, the tag truncated
   * to `tagLength` bytes (0 = no tag, plain GCTR as for the "encryption only" policy; else 4, 8 or 12..16).
   */
  gcmEncrypt(
    key: Uint8Array,
    iv: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
    tagLength: number,
  ): Uint8Array<ArrayBuffer>;
  /**
   * AES-GCM decryption; `tag` may be empty (no authentication) or 4, 8 or 12..16 bytes. A tag that does not verify
   * throws `DlmsError` `AUTHENTICATION_FAILED`, and no plaintext is returned.
   */
  gcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
  ): Uint8Array<ArrayBuffer>;
}

/** The default backend: `@noble/ciphers` (audited, pure JS, browser and Node alike). */
export const nobleBackend: CryptoBackend = Object.freeze<CryptoBackend>({
  name: 'noble',
  gcmEncrypt: gcmEncryptNoble,
  gcmDecrypt: gcmDecryptNoble,
});

/** What {@link pickDefaultBackend} looks at: `globalThis.process` by default (`null`: no runtime). */
export interface BackendRuntime {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * The faster backend this runtime offers: `node:crypto` when `runtime.getBuiltinModule('node:crypto')`
 * returns a module that lists `aes-128-gcm` among its ciphers, else {@link nobleBackend}. No `import` of a
 * `node:` module is involved, so bundlers for the browser see nothing to polyfill.
 */
export function pickDefaultBackend(
  runtime: BackendRuntime | null | undefined = (globalThis as { process?: BackendRuntime }).process,
): CryptoBackend {
  try {
    const crypto = runtime?.getBuiltinModule?.('node:crypto') as
      | (NodeCipherFunctions & { getCiphers?: () => string[] })
      | undefined;
    if (
      crypto &&
      typeof crypto.createCipheriv === 'function' &&
      typeof crypto.createDecipheriv === 'function' &&
      crypto.getCiphers?.().includes('aes-128-gcm')
    )
      return createNodeCryptoBackend(crypto);
  } catch {
    // A runtime whose getBuiltinModule throws (a sandbox, a polyfill) gets the portable backend.
  }
  return nobleBackend;
}

/**
 * The backend used when none is given: chosen once, when this module is first evaluated, by
 * {@link pickDefaultBackend} (immutable afterwards; pass `backend` to any API to choose another).
 */
export const defaultBackend: CryptoBackend = /* @__PURE__ */ pickDefaultBackend();
