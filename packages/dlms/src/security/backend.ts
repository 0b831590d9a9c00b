/**
 * The crypto backend: the one place where AES-GCM runs, so that a faster implementation can be swapped in.
 *
 * **Synchronous by design.** A codec that protects and unprotects APDUs is easiest to use, test and reason
 * about when it is a plain function; DLMS APDUs are small (a PDU is at most a few KiB, GBT blocks likewise)
 * and both available implementations are synchronous: `@noble/ciphers` (the default, everywhere) and
 * `node:crypto` (`@ami-interop/dlms/security/node`). WebCrypto is async-only and cannot produce 12-byte
 * GCM tags over arbitrary IVs any faster for these sizes, so it is not offered.
 *
 * Both backends pass the same conformance vectors (Green Book, NIST) in the tests, and agree on random inputs.
 *
 * @module
 */
import { gcmDecryptNoble, gcmEncryptNoble } from './gcm.ts';

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
