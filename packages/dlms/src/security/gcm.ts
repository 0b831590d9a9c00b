/**
 * AES-GCM with the short tags DLMS uses, built on `@noble/ciphers` (pure JavaScript, runs anywhere).
 *
 * noble's `gcm` always produces and checks a 16-byte tag (SP 800-38D §5.2.1.2 lets the tag be its leftmost
 * t bits). Decrypting with a 12-byte tag cannot go through noble's `gcm().decrypt`, so both directions are
 * built here from noble's exported `ecb`, `ctr` and `ghash` (SP 800-38D Algorithms 4 and 5):
 *
 * ```text
 * H   = E_K(0^128)                        (ECB, one block)
 * J0  = IV ‖ 0^31 ‖ 1                     (96-bit IV)
 * S   = GHASH_H(A ‖ 0^v ‖ C ‖ 0^u ‖ [len(A)]64 ‖ [len(C)]64)
 * T   = MSB_t(E_K(J0) ⊕ S)
 * P   = GCTR_K(inc32(J0), C)              (only after T compares equal, in constant time)
 * ```
 *
 * With a 96-bit IV the counter block's low word starts at 2, so the full 128-bit increment of noble's `ctr`
 * equals `inc32` for every message shorter than 2^32 − 2 blocks (far beyond any APDU).
 *
 * @module
 */
import { ghash } from '@noble/ciphers/_polyval.js';
import { ctr, ecb } from '@noble/ciphers/aes.js';
import { DlmsError } from '../errors.ts';
import { assertBytes, constantTimeEqual, wipe } from './bytes.ts';

/**
 * Tag lengths accepted: 0 (no authentication: plain GCTR, the "encryption only" policy) or one of the
 * lengths SP 800-38D §5.2.1.2 allows: 4, 8, 12, 13, 14, 15 or 16 bytes (DLMS uses 12).
 */
export function assertTagLength(t: number): void {
  if (!(t === 0 || t === 4 || t === 8 || (Number.isInteger(t) && t >= 12 && t <= 16))) {
    throw new DlmsError('INVALID_ARGUMENT', `GCM tag length must be 0, 4, 8 or 12..16 bytes, got ${t}`);
  }
}

function counterBlock(iv: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(16);
  b.set(iv);
  b[15] = n;
  return b;
}

function checkArgs(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, data: Uint8Array): void {
  assertBytes(key, 'key', 16, 24, 32);
  assertBytes(iv, 'iv', 12);
  assertBytes(aad, 'aad');
  assertBytes(data, 'data');
}

/** H = E_K(0^128) and E_K(J0), from one ECB call over two blocks. */
function hashKeyAndMask(key: Uint8Array, j0: Uint8Array): Uint8Array {
  const blocks = new Uint8Array(32);
  blocks.set(j0, 16);
  const enc = ecb(key, { disablePadding: true }).encrypt(blocks);
  wipe(blocks);
  return enc;
}

/** The full 16-byte tag E_K(J0) ⊕ GHASH_H(A, C), written into a fresh array. */
function fullTag(enc: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const lengths = new Uint8Array(16);
  const view = new DataView(lengths.buffer);
  view.setBigUint64(0, BigInt(aad.length) * 8n);
  view.setBigUint64(8, BigInt(ciphertext.length) * 8n);
  // GHASH pads each update() to a block boundary, which is exactly A ‖ 0^v ‖ C ‖ 0^u ‖ lengths.
  const s = ghash
    .create(enc.subarray(0, 16), aad.length + ciphertext.length)
    .update(aad)
    .update(ciphertext)
    .update(lengths)
    .digest();
  for (let i = 0; i < 16; i++) s[i] = s[i]! ^ enc[16 + i]!;
  return s;
}

/**
 * GCM encryption: returns ciphertext ‖ tag (the tag truncated to `tagLength` bytes; none when 0). Built from
 * the same pieces as decryption (noble's `ctr`, `ecb` and `ghash`), so both directions share one code path
 * and the output is written at its final size; speed is on par with noble's `gcm` in our measurements.
 */
export function gcmEncryptNoble(
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  tagLength: number,
): Uint8Array<ArrayBuffer> {
  checkArgs(key, iv, aad, plaintext);
  assertTagLength(tagLength);
  const out = new Uint8Array(plaintext.length + tagLength);
  const ct = out.subarray(0, plaintext.length);
  ctr(key, counterBlock(iv, 2)).encrypt(plaintext, ct);
  if (tagLength > 0) {
    const enc = hashKeyAndMask(key, counterBlock(iv, 1));
    const s = fullTag(enc, aad, ct);
    out.set(s.subarray(0, tagLength), plaintext.length);
    wipe(enc, s);
  }
  return out;
}

/**
 * GCM decryption with a tag of any allowed length (0 = no tag: plain GCTR). The tag is checked in constant
 * time before any plaintext is produced; a mismatch is `AUTHENTICATION_FAILED` with one opaque message.
 */
export function gcmDecryptNoble(
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array<ArrayBuffer> {
  checkArgs(key, iv, aad, ciphertext);
  assertBytes(tag, 'tag');
  assertTagLength(tag.length);
  if (tag.length > 0) {
    const enc = hashKeyAndMask(key, counterBlock(iv, 1));
    const s = fullTag(enc, aad, ciphertext);
    const ok = constantTimeEqual(s.subarray(0, tag.length), tag);
    wipe(enc, s);
    if (!ok) throw authenticationFailed();
  }
  return ctr(key, counterBlock(iv, 2)).decrypt(ciphertext) as Uint8Array<ArrayBuffer>;
}

/** The one error every integrity failure becomes: no detail that could serve as an oracle. */
export function authenticationFailed(): DlmsError {
  return new DlmsError('AUTHENTICATION_FAILED', 'authentication failed');
}
