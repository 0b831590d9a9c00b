/**
 * Authentication of application associations (IEC 62056-5-3 "Authentication mechanisms").
 *
 * LLS (mechanism 1): the client sends the secret (password) in calling-authentication-value; the server
 * compares. HLS (mechanisms 2–7): four passes — CtoS in the AARQ, StoC in the AARE, then each side proves
 * knowledge of the secret by processing the other side's challenge, carried by the Association LN method
 * `reply_to_HLS_authentication`:
 *
 * | mech | f(StoC), computed by the client                   | f(CtoS), computed by the server                   |
 * |------|---------------------------------------------------|---------------------------------------------------|
 * | 2    | manufacturer specific (see {@link hls2AesEcb})    | same                                              |
 * | 3    | MD5(StoC ‖ HLS secret)                            | MD5(CtoS ‖ HLS secret)                            |
 * | 4    | SHA-1(StoC ‖ HLS secret)                          | SHA-1(CtoS ‖ HLS secret)                          |
 * | 5    | SC ‖ IC ‖ GMAC(SC ‖ AK ‖ StoC), IV = ST-C ‖ IC    | SC ‖ IC ‖ GMAC(SC ‖ AK ‖ CtoS), IV = ST-S ‖ IC    |
 * | 6    | SHA-256(secret ‖ ST-C ‖ ST-S ‖ StoC ‖ CtoS)       | SHA-256(secret ‖ ST-S ‖ ST-C ‖ CtoS ‖ StoC)       |
 * | 7    | ECDSA(ST-C ‖ ST-S ‖ StoC ‖ CtoS), client's key    | ECDSA(ST-S ‖ ST-C ‖ CtoS ‖ StoC), server's key    |
 *
 * In mechanism 5, SC = 0x10 | suite (authentication only), GMAC is AES-GCM with the block cipher key EK,
 * an empty plaintext and the 12-byte tag; IC is the invocation counter of the party computing it. (Green Book
 * HLS-GMAC example, reproduced in the tests.) Challenges are 8–64 random bytes (32–64 for mechanism 7).
 * Mechanism 7 signs with the suite's ECDSA (P-256/SHA-256 or P-384/SHA-384), R ‖ S; its composition follows
 * the Green Book table but has not been checked against a published example.
 *
 * @module
 */
import { ecb } from '@noble/ciphers/aes.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DlmsError } from '../errors.ts';
import { type CryptoBackend, defaultBackend } from './backend.ts';
import { assertBytes, assertU32, concat, constantTimeEqual } from './bytes.ts';
import { DLMS_TAG_LENGTH, SYSTEM_TITLE_LENGTH } from './ciphered-apdu.ts';
import { type AsymmetricSuite, ecdsaSign, ecdsaVerify } from './ecc.ts';
import { authenticationFailed } from './gcm.ts';

/** Fills `buf` with cryptographically secure random bytes (the shape of `crypto.getRandomValues`). */
export type RandomSource = (buf: Uint8Array<ArrayBuffer>) => unknown;

/** A challenge (CtoS or StoC) of `length` bytes (8..64), from `random` or `globalThis.crypto`. */
export function generateChallenge(length = 16, random?: RandomSource): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(length) || length < 8 || length > 64) {
    throw new DlmsError('INVALID_ARGUMENT', `HLS challenges are 8..64 bytes, got ${length}`);
  }
  const buf = new Uint8Array(length);
  const source =
    random ??
    ((b: Uint8Array<ArrayBuffer>) => {
      const c = (globalThis as { crypto?: { getRandomValues?: (b: Uint8Array) => unknown } }).crypto;
      if (c?.getRandomValues === undefined) {
        throw new DlmsError('UNSUPPORTED', 'no crypto.getRandomValues here: pass a random source');
      }
      return c.getRandomValues(b);
    });
  source(buf);
  return buf;
}

/** LLS (mechanism 1): compares the received password with the expected one in constant time. */
export function verifyLlsPassword(expected: Uint8Array, received: Uint8Array): void {
  assertBytes(expected, 'expected');
  assertBytes(received, 'received');
  if (!constantTimeEqual(expected, received)) throw authenticationFailed();
}

function assertChallenge(c: Uint8Array, title: string): void {
  assertBytes(c, title);
  if (c.length < 8 || c.length > 64) {
    throw new DlmsError('INVALID_ARGUMENT', `"${title}" must be 8..64 bytes, got ${c.length}`);
  }
}

export interface HlsGmacParams {
  /** The other party's challenge being answered (StoC for the client, CtoS for the server). */
  challenge: Uint8Array;
  /** The system title of the party computing the response (client for f(StoC), server for f(CtoS)). */
  systemTitle: Uint8Array;
  /** That party's invocation counter for this response. */
  invocationCounter: number;
  /** Block cipher key (global unicast encryption key). */
  ek: Uint8Array;
  /** Authentication key. */
  ak: Uint8Array;
  /** Security suite id (default 0). */
  suite?: 0 | 1 | 2;
  backend?: CryptoBackend;
}

function gmacTag(p: Omit<HlsGmacParams, 'invocationCounter'>, sc: number, ic: number): Uint8Array {
  assertChallenge(p.challenge, 'challenge');
  assertBytes(p.systemTitle, 'systemTitle', SYSTEM_TITLE_LENGTH);
  assertU32(ic, 'invocationCounter');
  const klen = (p.suite ?? 0) === 2 ? 32 : 16;
  assertBytes(p.ek, 'ek', klen);
  assertBytes(p.ak, 'ak', klen);
  const iv = new Uint8Array(12);
  iv.set(p.systemTitle);
  new DataView(iv.buffer).setUint32(8, ic);
  const aad = concat(Uint8Array.of(sc), p.ak, p.challenge);
  return (p.backend ?? defaultBackend).gcmEncrypt(p.ek, iv, aad, new Uint8Array(0), DLMS_TAG_LENGTH);
}

/** HLS mechanism 5 (GMAC): `SC ‖ IC ‖ GMAC(SC ‖ AK ‖ challenge)`, 17 bytes. */
export function hlsGmacResponse(p: HlsGmacParams): Uint8Array<ArrayBuffer> {
  const suite = p.suite ?? 0;
  const sc = 0x10 | suite;
  const tag = gmacTag(p, sc, p.invocationCounter);
  const out = new Uint8Array(5 + tag.length);
  out[0] = sc;
  new DataView(out.buffer).setUint32(1, p.invocationCounter);
  out.set(tag, 5);
  return out;
}

/**
 * Verifies a mechanism-5 response of the peer (`systemTitle` = the peer's, `challenge` = ours). Returns the
 * peer's invocation counter carried in it (check it against your counter store). A wrong length or SC is
 * `MALFORMED`; a tag that does not verify is `AUTHENTICATION_FAILED`.
 */
export function verifyHlsGmac(p: Omit<HlsGmacParams, 'invocationCounter'> & { response: Uint8Array }): {
  invocationCounter: number;
} {
  assertBytes(p.response, 'response');
  const suite = p.suite ?? 0;
  if (p.response.length !== 5 + DLMS_TAG_LENGTH) {
    throw new DlmsError('MALFORMED', `HLS-GMAC response must be 17 bytes, got ${p.response.length}`, {
      offset: Math.min(p.response.length, 17),
    });
  }
  if (p.response[0] !== (0x10 | suite)) {
    throw new DlmsError('MALFORMED', `HLS-GMAC response SC must be 0x${(0x10 | suite).toString(16)}`, {
      offset: 0,
    });
  }
  const ic = new DataView(p.response.buffer, p.response.byteOffset, 5).getUint32(1);
  const tag = gmacTag(p, p.response[0], ic);
  if (!constantTimeEqual(tag, p.response.subarray(5))) throw authenticationFailed();
  return { invocationCounter: ic };
}

/** HLS mechanism 3: MD5(challenge ‖ secret). */
export function hlsMd5Response(challenge: Uint8Array, secret: Uint8Array): Uint8Array {
  assertChallenge(challenge, 'challenge');
  assertBytes(secret, 'secret');
  return md5(concat(challenge, secret));
}

/** HLS mechanism 4: SHA-1(challenge ‖ secret). */
export function hlsSha1Response(challenge: Uint8Array, secret: Uint8Array): Uint8Array {
  assertChallenge(challenge, 'challenge');
  assertBytes(secret, 'secret');
  return sha1(concat(challenge, secret));
}

export interface HlsSha256Params {
  secret: Uint8Array;
  /** System title of the party computing the response. */
  ownSystemTitle: Uint8Array;
  /** System title of the other party. */
  peerSystemTitle: Uint8Array;
  /** The other party's challenge, being answered. */
  challenge: Uint8Array;
  /** This party's own challenge (sent earlier). */
  ownChallenge: Uint8Array;
}

/**
 * HLS mechanism 6: SHA-256(secret ‖ own ST ‖ peer ST ‖ peer's challenge ‖ own challenge) — for the client
 * SHA-256(secret ‖ ST-C ‖ ST-S ‖ StoC ‖ CtoS), for the server SHA-256(secret ‖ ST-S ‖ ST-C ‖ CtoS ‖ StoC).
 */
export function hlsSha256Response(p: HlsSha256Params): Uint8Array {
  assertBytes(p.secret, 'secret');
  assertBytes(p.ownSystemTitle, 'ownSystemTitle', SYSTEM_TITLE_LENGTH);
  assertBytes(p.peerSystemTitle, 'peerSystemTitle', SYSTEM_TITLE_LENGTH);
  assertChallenge(p.challenge, 'challenge');
  assertChallenge(p.ownChallenge, 'ownChallenge');
  return sha256(concat(p.secret, p.ownSystemTitle, p.peerSystemTitle, p.challenge, p.ownChallenge));
}

/** Mechanism 2 is manufacturer specific: a processor turns a challenge and the HLS secret into a response. */
export type Hls2Processor = (challenge: Uint8Array, secret: Uint8Array) => Uint8Array;

/**
 * The mechanism-2 variant implemented here (the one commonly found on IS 15959 meters for the Utility
 * Settings and Firmware associations): AES-128 in ECB mode, the 16-byte HLS secret as the key, over the
 * challenge zero-padded on the right to a multiple of 16 bytes (16-byte challenges — the usual length — are
 * encrypted as they are). It is **not** defined by any standard and has not been checked against a published
 * example: pass your own {@link Hls2Processor} to {@link hls2Response} for meters that differ.
 */
export const hls2AesEcb: Hls2Processor = (challenge, secret) => {
  assertBytes(secret, 'secret', 16);
  const padded = new Uint8Array(Math.ceil(challenge.length / 16) * 16);
  padded.set(challenge);
  return ecb(secret, { disablePadding: true }).encrypt(padded);
};

/** HLS mechanism 2 with a pluggable processor (default {@link hls2AesEcb}). */
export function hls2Response(
  challenge: Uint8Array,
  secret: Uint8Array,
  processor: Hls2Processor = hls2AesEcb,
): Uint8Array {
  assertChallenge(challenge, 'challenge');
  assertBytes(secret, 'secret');
  return processor(challenge, secret);
}

/**
 * Checks a received HLS response (mechanisms 2, 3, 4, 6) against the one we compute, in constant time;
 * `AUTHENTICATION_FAILED` when they differ.
 */
export function verifyHlsResponse(expected: Uint8Array, received: Uint8Array): void {
  assertBytes(expected, 'expected');
  assertBytes(received, 'received');
  if (!constantTimeEqual(expected, received)) throw authenticationFailed();
}

export interface HlsEcdsaParams {
  suite: AsymmetricSuite;
  /** System title of the signer (the party computing the response). */
  ownSystemTitle: Uint8Array;
  /** System title of the other party. */
  peerSystemTitle: Uint8Array;
  /** The other party's challenge, being answered. */
  challenge: Uint8Array;
  /** The signer's own challenge. */
  ownChallenge: Uint8Array;
}

function ecdsaMessage(p: HlsEcdsaParams): Uint8Array {
  assertBytes(p.ownSystemTitle, 'ownSystemTitle', SYSTEM_TITLE_LENGTH);
  assertBytes(p.peerSystemTitle, 'peerSystemTitle', SYSTEM_TITLE_LENGTH);
  for (const [c, t] of [
    [p.challenge, 'challenge'],
    [p.ownChallenge, 'ownChallenge'],
  ] as const) {
    assertBytes(c, t);
    if (c.length < 32 || c.length > 64) {
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `HLS-ECDSA challenges are 32..64 bytes, "${t}" has ${c.length}`,
      );
    }
  }
  return concat(p.ownSystemTitle, p.peerSystemTitle, p.challenge, p.ownChallenge);
}

/** HLS mechanism 7: the signer's ECDSA over own ST ‖ peer ST ‖ peer's challenge ‖ own challenge (R ‖ S). */
export function hlsEcdsaResponse(p: HlsEcdsaParams & { secretKey: Uint8Array }): Uint8Array {
  return ecdsaSign(p.suite, p.secretKey, ecdsaMessage(p));
}

/**
 * Verifies the peer's mechanism-7 response. The parameters are from the signer's side: `ownSystemTitle` is
 * the peer's (the signer's) title, `challenge` is the one we sent, `ownChallenge` the peer's.
 */
export function verifyHlsEcdsa(p: HlsEcdsaParams & { publicKey: Uint8Array; response: Uint8Array }): void {
  ecdsaVerify(p.suite, p.publicKey, ecdsaMessage(p), p.response);
}
