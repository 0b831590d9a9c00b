/**
 * Key transfer: AES key wrap (RFC 3394, as IEC 62056-5-3 specifies for suites 0–2) and the parameter of the
 * Security setup (class_id 64) method `global_key_transfer` (method 2, IEC 62056-6-2):
 *
 * ```asn1
 * key_transfer_data ::= array key_data
 * key_data ::= structure {
 *   key_id:      enum (0) global unicast encryption key, (1) global broadcast encryption key,
 *                     (2) authentication key, (3) master key (KEK)
 *   key_wrapped: octet-string   -- the key wrapped with the master key (KEK), RFC 3394
 * }
 * ```
 *
 * A-XDR: `01 n` (array of n) then per element `02 02` (structure of 2), `16 id` (enum), `09 len data`
 * (octet-string).
 *
 * The wrap itself is `aeskw` from `@noble/ciphers` (audited, the same library as the GCM default).
 *
 * @module
 */
import { aeskw } from '@noble/ciphers/aes.js';
import { DlmsError, withPath } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { assertBytes } from './bytes.ts';
import { authenticationFailed } from './gcm.ts';

export type KeyId = 0 | 1 | 2 | 3;
export const KEY_ID = Object.freeze({
  globalUnicastEncryptionKey: 0,
  globalBroadcastEncryptionKey: 1,
  authenticationKey: 2,
  masterKey: 3,
} as const);

export interface KeyData {
  keyId: KeyId;
  /** The RFC 3394 wrapped key (24 bytes for a 128-bit key). */
  keyWrapped: Uint8Array;
}

/** RFC 3394 AES key wrap of `key` (a multiple of 8 bytes, at least 16) under `kek` (16, 24 or 32 bytes). */
export function wrapKey(kek: Uint8Array, key: Uint8Array): Uint8Array<ArrayBuffer> {
  assertBytes(kek, 'kek', 16, 24, 32);
  assertBytes(key, 'key');
  if (key.length < 16 || key.length % 8 !== 0) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `key to wrap must be a multiple of 8 bytes, ≥ 16; got ${key.length}`,
    );
  }
  return aeskw(kek).encrypt(key) as Uint8Array<ArrayBuffer>;
}

/** RFC 3394 unwrap; a wrong KEK or tampered data (integrity check A ≠ A6A6…) is `AUTHENTICATION_FAILED`. */
export function unwrapKey(kek: Uint8Array, wrapped: Uint8Array): Uint8Array<ArrayBuffer> {
  assertBytes(kek, 'kek', 16, 24, 32);
  assertBytes(wrapped, 'wrapped');
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new DlmsError(
      'MALFORMED',
      `wrapped key must be a multiple of 8 bytes, ≥ 24; got ${wrapped.length}`,
    );
  }
  try {
    return aeskw(kek).decrypt(wrapped) as Uint8Array<ArrayBuffer>;
  } catch {
    throw authenticationFailed();
  }
}

/** The A-XDR `key_transfer_data` array for `global_key_transfer`. */
export function encodeKeyTransferData(entries: readonly KeyData[]): Uint8Array<ArrayBuffer> {
  const w = new Writer(16 + entries.length * 32);
  w.u8(0x01).length(entries.length);
  for (const e of entries) {
    if (!Number.isInteger(e.keyId) || e.keyId < 0 || e.keyId > 3) {
      throw new DlmsError('INVALID_ARGUMENT', `key_id must be 0..3, got ${String(e.keyId)}`);
    }
    assertBytes(e.keyWrapped, 'keyWrapped');
    w.u8(0x02).u8(0x02).u8(0x16).u8(e.keyId).u8(0x09).length(e.keyWrapped.length).bytes(e.keyWrapped);
  }
  return w.finish();
}

/** Wraps each key with the KEK and encodes the `global_key_transfer` parameter. */
export function buildGlobalKeyTransfer(
  kek: Uint8Array,
  keys: readonly { keyId: KeyId; key: Uint8Array }[],
): Uint8Array<ArrayBuffer> {
  return encodeKeyTransferData(keys.map((k) => ({ keyId: k.keyId, keyWrapped: wrapKey(kek, k.key) })));
}

/** Decodes a `key_transfer_data` array (views into the input; no keys needed). */
export function decodeKeyTransferData(bytes: Uint8Array, base = 0): KeyData[] {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 0, bytes.length, base);
  const expect = (v: number, what: string): void => {
    const at = r.pos;
    const got = r.u8(what);
    if (got !== v)
      r.fail(`${what}: expected 0x${v.toString(16).padStart(2, '0')}, got 0x${got.toString(16)}`, at);
  };
  expect(0x01, 'array tag');
  // No allocation from the claimed count: elements are read one by one, so a count larger than the
  // bytes can hold stops at the first missing element with INCOMPLETE.
  const n = r.length('array length');
  const out: KeyData[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      withPath(i, () => {
        expect(0x02, 'structure tag');
        expect(0x02, 'structure length');
        const keyId = withPath('key_id', () => {
          expect(0x16, 'enum tag');
          const at = r.pos;
          const id = r.u8('key_id');
          if (id > 3) r.fail(`key_id ${id} is not defined`, at);
          return id as KeyId;
        });
        const keyWrapped = withPath('key_wrapped', () => {
          expect(0x09, 'octet-string tag');
          return r.bytes(r.length('octet-string length'), 'key_wrapped');
        });
        return { keyId, keyWrapped };
      }),
    );
  }
  r.expectEnd('key_transfer_data');
  return out;
}
