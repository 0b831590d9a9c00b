/**
 * The public-key primitives of security suites 1 and 2 (IEC 62056-5-3, "Cryptographic algorithms"):
 *
 * | suite | curve | hash    | ECDSA signature          | AES key |
 * |-------|-------|---------|--------------------------|---------|
 * | 1     | P-256 | SHA-256 | R ‖ S, 2 × 32 bytes      | 128-bit |
 * | 2     | P-384 | SHA-384 | R ‖ S, 2 × 48 bytes      | 256-bit |
 *
 * Signatures use the plain format (R = I2OS(r, l) ‖ S = I2OS(s, l), l = ⌈log2 n / 8⌉); public keys travel as
 * FE2OS(x) ‖ FE2OS(y) (no 0x04 prefix; one is accepted on input). ECDSA is deterministic (RFC 6979), and
 * high-S signatures are accepted: DLMS does not require low-S. ECDH yields Z = FE2OS(x) of the shared point.
 *
 * Key derivation: NIST SP 800-56A concatenation KDF with one hash block, as the Green Book specifies
 * (verified against Green Book Table C.2):
 *
 * ```text
 * K = Hash(00000001 ‖ Z ‖ AlgorithmID ‖ PartyUInfo ‖ PartyVInfo), leftmost 16 (suite 1) / 32 (suite 2) bytes
 * AlgorithmID = 60 85 74 05 08 03 00 (suite 1, AES-GCM-128) / 60 85 74 05 08 03 01 (suite 2, AES-GCM-256)
 * ```
 *
 * Built on `@noble/curves` (audited, pure JS) and `@noble/hashes`.
 *
 * @module
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { DlmsError } from '../errors.ts';
import { assertBytes, concat } from './bytes.ts';
import { authenticationFailed } from './gcm.ts';

export type AsymmetricSuite = 1 | 2;

/**
 * The AlgorithmID of the KDF's OtherInfo for a suite (the DLMS OIDs of AES-GCM-128 / AES-GCM-256), as a
 * fresh array (no shared mutable bytes).
 */
export function kdfAlgorithmId(suite: AsymmetricSuite): Uint8Array<ArrayBuffer> {
  curve(suite);
  return Uint8Array.of(0x60, 0x85, 0x74, 0x05, 0x08, 0x03, suite === 1 ? 0x00 : 0x01);
}

function curve(suite: AsymmetricSuite): typeof p256 {
  if (suite === 1) return p256;
  if (suite === 2) return p384;
  throw new DlmsError('INVALID_ARGUMENT', `suites 1 and 2 use ECC, got suite ${String(suite)}`);
}

/** Coordinate / scalar length in bytes: 32 (suite 1) or 48 (suite 2). */
export function coordinateLength(suite: AsymmetricSuite): number {
  curve(suite);
  return suite === 1 ? 32 : 48;
}

/** FE2OS(x) ‖ FE2OS(y) → the SEC1 uncompressed form noble expects; MALFORMED when it is not a curve point. */
function sec1(suite: AsymmetricSuite, publicKey: Uint8Array): Uint8Array {
  const l = coordinateLength(suite);
  assertBytes(publicKey, 'publicKey', 2 * l, 2 * l + 1);
  const full = publicKey.length === 2 * l ? concat(Uint8Array.of(4), publicKey) : publicKey;
  if (full[0] !== 4 || !curve(suite).utils.isValidPublicKey(full, false)) {
    throw new DlmsError('MALFORMED', 'public key is not a point of the suite curve');
  }
  return full;
}

/** The public key FE2OS(x) ‖ FE2OS(y) of a secret key. */
export function eccPublicKey(suite: AsymmetricSuite, secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, 'secretKey', coordinateLength(suite));
  return curve(suite).getPublicKey(secretKey, false).subarray(1);
}

/** A fresh key pair (secret key and FE2OS(x) ‖ FE2OS(y) public key), from the platform CSPRNG. */
export function eccKeyPair(suite: AsymmetricSuite): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = curve(suite).utils.randomSecretKey();
  return { secretKey, publicKey: eccPublicKey(suite, secretKey) };
}

/** ECDSA over SHA-256 (suite 1) / SHA-384 (suite 2) of `message`; returns R ‖ S (deterministic, RFC 6979). */
export function ecdsaSign(suite: AsymmetricSuite, secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes(secretKey, 'secretKey', coordinateLength(suite));
  assertBytes(message, 'message');
  return curve(suite).sign(message, secretKey, { prehash: true, lowS: false, format: 'compact' });
}

/** Verifies an R ‖ S signature; `AUTHENTICATION_FAILED` when it does not verify. */
export function ecdsaVerify(
  suite: AsymmetricSuite,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): void {
  const pk = sec1(suite, publicKey);
  assertBytes(message, 'message');
  assertBytes(signature, 'signature');
  if (signature.length !== 2 * coordinateLength(suite)) throw authenticationFailed();
  let ok = false;
  try {
    ok = curve(suite).verify(signature, message, pk, { prehash: true, lowS: false, format: 'compact' });
  } catch {
    ok = false;
  }
  if (!ok) throw authenticationFailed();
}

/** ECDH: Z = FE2OS(x) of secretKey × peerPublicKey (32 or 48 bytes). */
export function ecdhSharedSecret(
  suite: AsymmetricSuite,
  secretKey: Uint8Array,
  peerPublicKey: Uint8Array,
): Uint8Array {
  assertBytes(secretKey, 'secretKey', coordinateLength(suite));
  const pk = sec1(suite, peerPublicKey);
  return curve(suite).getSharedSecret(secretKey, pk, true).subarray(1);
}

export interface KdfParams {
  /** Default {@link kdfAlgorithmId}(suite). */
  algorithmId?: Uint8Array;
  /** PartyUInfo: the system title of party U (the initiator), plus any scheme-specific data. */
  partyUInfo: Uint8Array;
  /** PartyVInfo: the system title of party V. */
  partyVInfo: Uint8Array;
  /** Bytes of keying material (default: the suite's AES key length, 16 or 32). */
  length?: number;
}

/** The DLMS single-step KDF (NIST SP 800-56A concatenation KDF, counter 1 only). */
export function dlmsKdf(suite: AsymmetricSuite, z: Uint8Array, p: KdfParams): Uint8Array {
  assertBytes(z, 'z', coordinateLength(suite));
  const algorithmId = p.algorithmId ?? kdfAlgorithmId(suite);
  assertBytes(algorithmId, 'algorithmId');
  assertBytes(p.partyUInfo, 'partyUInfo');
  assertBytes(p.partyVInfo, 'partyVInfo');
  const hash = suite === 1 ? sha256 : sha384;
  const length = p.length ?? (suite === 1 ? 16 : 32);
  if (!Number.isInteger(length) || length < 1 || length > hash.outputLen) {
    throw new DlmsError('INVALID_ARGUMENT', `KDF output length must be 1..${hash.outputLen}, got ${length}`);
  }
  const k = hash(concat(Uint8Array.of(0, 0, 0, 1), z, algorithmId, p.partyUInfo, p.partyVInfo));
  return k.slice(0, length);
}

/** ECDH then {@link dlmsKdf}: the symmetric key both parties derive. */
export function agreeKey(
  suite: AsymmetricSuite,
  secretKey: Uint8Array,
  peerPublicKey: Uint8Array,
  p: KdfParams,
): Uint8Array {
  const z = ecdhSharedSecret(suite, secretKey, peerPublicKey);
  const k = dlmsKdf(suite, z, p);
  z.fill(0);
  return k;
}
