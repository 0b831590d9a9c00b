/**
 * Key management: how the file's content-encryption key (CEK, 32 random bytes) reaches the recipient.
 * In every mode the CEK is wrapped with AES Key Wrap (RFC 3394) under a key-encryption key (KEK):
 *
 * - `ECDH-ES-P256+HKDF-SHA256+A256KW`: ephemeral-static ECDH on P-256 to the HES's public key;
 *   Z = x-coordinate of the shared point; KEK = HKDF-SHA256(IKM = Z, salt = epk ‖ recipient public key
 *   (both uncompressed, 65 bytes), info = "AKF/1 ECDH-ES A256KW", L = 32).
 * - `SCRYPT+A256KW`: KEK = scrypt(password UTF-8, salt (16 bytes), N, r, p, dkLen = 32).
 * - `A128KW` / `A192KW` / `A256KW`: a KEK shared beforehand (16, 24 or 32 bytes), named by `kekId`.
 *
 * @module
 */
import { aeskw } from '@noble/ciphers/aes.js';
import { p256 } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KeyfileError } from './errors.ts';
import { concat, ctEqual, fromBase64, toBase64, utf8, wipe } from './internal/bytes.ts';
import { keyId, normalizePublicKey, type P256PrivateKey, privateKeyFromScalar } from './pki.ts';

export const ALG_ECDH = 'ECDH-ES-P256+HKDF-SHA256+A256KW';
export const ALG_SCRYPT = 'SCRYPT+A256KW';
const KW_ALGS = { 16: 'A128KW', 24: 'A192KW', 32: 'A256KW' } as const;
const HKDF_INFO = 'AKF/1 ECDH-ES A256KW';

/** Default scrypt cost: N = 2^15, r = 8, p = 1 (RFC 7914 §2 guidance for interactive use, ~32 MiB). */
export const DEFAULT_SCRYPT = { N: 32768, r: 8, p: 1 } as const;
/** Largest scrypt cost a reader accepts (a file could otherwise ask for gigabytes): N ≤ 2^20, r ≤ 16, p ≤ 4. */
export const MAX_SCRYPT = { N: 1 << 20, r: 16, p: 4 } as const;

/** Who can open the file (given when sealing). */
export type Recipient =
  /** The HES's P-256 public key (uncompressed or compressed point). */
  | { kind: 'ecdh'; publicKey: Uint8Array }
  | { kind: 'password'; password: string; scrypt?: { N: number; r: number; p: number } }
  /** A pre-shared key-encryption key of 16, 24 or 32 bytes; `kekId` names it in the header. */
  | { kind: 'kek'; kek: Uint8Array; kekId: string };

/** What opens the file (given when opening). */
export type OpeningKey =
  | { kind: 'ecdh'; privateKey: P256PrivateKey }
  | { kind: 'password'; password: string }
  | { kind: 'kek'; kek: Uint8Array };

/** The header's `keyManagement` object. */
export type KeyManagement =
  | { alg: typeof ALG_ECDH; recipientKeyId: string; epk: string; wrappedKey: string }
  | { alg: typeof ALG_SCRYPT; salt: string; N: number; r: number; p: number; wrappedKey: string }
  | { alg: 'A128KW' | 'A192KW' | 'A256KW'; kekId: string; wrappedKey: string };

function ecdhKek(z: Uint8Array, epk: Uint8Array, recipientPub: Uint8Array): Uint8Array {
  return hkdf(sha256, z, concat(epk, recipientPub), utf8(HKDF_INFO), 32);
}

function sharedX(d: Uint8Array, pub: Uint8Array): Uint8Array {
  const shared = p256.getSharedSecret(d, pub, true); // 33 bytes: 02/03 ‖ X
  const x = shared.slice(1);
  wipe(shared);
  return x;
}

/** Wraps `cek` for `recipient`; `random(n)` supplies the ephemeral key or the salt. */
export function wrapContentKey(
  cek: Uint8Array,
  recipient: Recipient,
  random: (n: number) => Uint8Array,
): KeyManagement {
  switch (recipient.kind) {
    case 'ecdh': {
      const pub = normalizePublicKey(recipient.publicKey);
      const eph = privateKeyFromScalar(random(32));
      const z = sharedX(eph.d.reveal(), pub);
      const kek = ecdhKek(z, eph.publicKey, pub);
      const wrapped = aeskw(kek).encrypt(cek);
      wipe(z, kek);
      eph.d.wipe();
      return {
        alg: ALG_ECDH,
        recipientKeyId: toBase64(keyId(pub)),
        epk: toBase64(eph.publicKey),
        wrappedKey: toBase64(wrapped),
      };
    }
    case 'password': {
      const { N, r, p } = recipient.scrypt ?? DEFAULT_SCRYPT;
      checkScrypt(N, r, p, 'INVALID_ARGUMENT');
      const salt = random(16);
      const kek = scrypt(utf8(recipient.password), salt, { N, r, p, dkLen: 32 });
      const wrapped = aeskw(kek).encrypt(cek);
      wipe(kek);
      return { alg: ALG_SCRYPT, salt: toBase64(salt), N, r, p, wrappedKey: toBase64(wrapped) };
    }
    case 'kek': {
      const alg = KW_ALGS[recipient.kek.length as 16 | 24 | 32];
      if (!alg) throw new KeyfileError('INVALID_ARGUMENT', 'kek: expected 16, 24 or 32 bytes');
      if (typeof recipient.kekId !== 'string' || recipient.kekId.length < 1 || recipient.kekId.length > 128)
        throw new KeyfileError('INVALID_ARGUMENT', 'kekId: expected 1..128 characters');
      return { alg, kekId: recipient.kekId, wrappedKey: toBase64(aeskw(recipient.kek).encrypt(cek)) };
    }
    default:
      throw new KeyfileError('INVALID_ARGUMENT', 'unknown recipient kind');
  }
}

function checkScrypt(N: unknown, r: unknown, p: unknown, code: 'INVALID_ARGUMENT' | 'LIMIT_EXCEEDED'): void {
  const ok =
    Number.isInteger(N) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    (N as number) >= 2 &&
    ((N as number) & ((N as number) - 1)) === 0 &&
    (r as number) >= 1 &&
    (p as number) >= 1;
  if (!ok)
    throw new KeyfileError(
      code === 'LIMIT_EXCEEDED' ? 'MALFORMED' : code,
      'scrypt: N must be a power of 2, r and p positive',
    );
  if ((N as number) > MAX_SCRYPT.N || (r as number) > MAX_SCRYPT.r || (p as number) > MAX_SCRYPT.p)
    throw new KeyfileError(code, `scrypt cost above N=${MAX_SCRYPT.N}, r=${MAX_SCRYPT.r}, p=${MAX_SCRYPT.p}`);
}

const isStr = (v: unknown, min = 1, max = 1024): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;

/** Checks the shape of a header's `keyManagement` (no key needed). */
export function parseKeyManagement(v: unknown): KeyManagement {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null)
    throw new KeyfileError('MALFORMED', 'keyManagement: expected an object');
  const keys = Object.keys(o).sort().join(',');
  const b64 = (name: string, len: number): void => {
    if (!isStr(o[name], 4, 200) || fromBase64(o[name] as string, name).length !== len)
      throw new KeyfileError('MALFORMED', `keyManagement.${name}: expected ${len} bytes in base64`);
  };
  switch (o.alg) {
    case ALG_ECDH:
      if (keys !== 'alg,epk,recipientKeyId,wrappedKey')
        throw new KeyfileError('MALFORMED', `keyManagement: fields ${keys}`);
      b64('recipientKeyId', 32);
      b64('epk', 65);
      b64('wrappedKey', 40);
      try {
        normalizePublicKey(fromBase64(o.epk as string));
      } catch (cause) {
        throw new KeyfileError('MALFORMED', 'keyManagement.epk: not a P-256 point', { cause });
      }
      return o as KeyManagement;
    case ALG_SCRYPT:
      if (keys !== 'N,alg,p,r,salt,wrappedKey')
        throw new KeyfileError('MALFORMED', `keyManagement: fields ${keys}`);
      b64('salt', 16);
      b64('wrappedKey', 40);
      checkScrypt(o.N, o.r, o.p, 'LIMIT_EXCEEDED');
      return o as KeyManagement;
    case 'A128KW':
    case 'A192KW':
    case 'A256KW':
      if (keys !== 'alg,kekId,wrappedKey')
        throw new KeyfileError('MALFORMED', `keyManagement: fields ${keys}`);
      if (!isStr(o.kekId, 1, 128))
        throw new KeyfileError('MALFORMED', 'keyManagement.kekId: 1..128 characters');
      b64('wrappedKey', 40);
      return o as KeyManagement;
    default:
      throw new KeyfileError('MALFORMED', `keyManagement.alg "${String(o.alg)}" not supported`);
  }
}

/** Recovers the CEK. WRONG_RECIPIENT when the key given is not the one the file was sealed for. */
export function unwrapContentKey(km: KeyManagement, key: OpeningKey): Uint8Array {
  const wrapped = fromBase64(km.wrappedKey);
  let kek: Uint8Array;
  switch (km.alg) {
    case ALG_ECDH: {
      if (key.kind !== 'ecdh')
        throw new KeyfileError('WRONG_RECIPIENT', `file is sealed with ${km.alg}; give the HES private key`);
      const id = fromBase64(km.recipientKeyId);
      if (!ctEqual(id, keyId(key.privateKey.publicKey)))
        throw new KeyfileError(
          'WRONG_RECIPIENT',
          'file was sealed for another recipient key (recipientKeyId differs)',
        );
      const epk = fromBase64(km.epk);
      const z = sharedX(key.privateKey.d.reveal(), epk);
      kek = ecdhKek(z, epk, key.privateKey.publicKey);
      wipe(z);
      break;
    }
    case ALG_SCRYPT:
      if (key.kind !== 'password')
        throw new KeyfileError('WRONG_RECIPIENT', `file is sealed with ${km.alg}; give the password`);
      kek = scrypt(utf8(key.password), fromBase64(km.salt), { N: km.N, r: km.r, p: km.p, dkLen: 32 });
      break;
    default:
      if (key.kind !== 'kek')
        throw new KeyfileError(
          'WRONG_RECIPIENT',
          `file is sealed with ${km.alg} (kekId "${km.kekId}"); give that KEK`,
        );
      if (KW_ALGS[key.kek.length as 16 | 24 | 32] !== km.alg)
        throw new KeyfileError(
          'WRONG_RECIPIENT',
          `file needs a ${km.alg} KEK, the KEK given has ${key.kek.length} bytes`,
        );
      kek = Uint8Array.from(key.kek);
  }
  try {
    return aeskw(kek).decrypt(wrapped);
  } catch (cause) {
    throw new KeyfileError(
      'WRONG_RECIPIENT',
      km.alg === ALG_SCRYPT
        ? 'wrong password (key unwrap failed)'
        : 'the key given cannot unwrap the content key',
      { cause },
    );
  } finally {
    wipe(kek);
  }
}
