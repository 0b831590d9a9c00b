/**
 * Ephemeral Unified Model key agreement C(2e, 0s, ECC CDH), as the Security setup object's `key_agreement`
 * method (class 64 version 1, method 3) carries it for security suites 1 and 2:
 *
 * ```text
 * key_agreement (data)   data ::= array key_agreement_data
 * key_agreement_data ::= structure {
 *   key_id:             enum  (0) global unicast encryption key, (1) global broadcast encryption key,
 *                             (2) authentication key
 *   key_ciphered_data:  octet-string
 * }
 * ```
 *
 * Each party sends `key_ciphered_data` = Q_e (its ephemeral public key, FE2OS(x) ‖ FE2OS(y)) ‖ an ECDSA
 * signature with its static signing key; the client in the ACTION request, the server in the ACTION
 * response (return parameters: the same array). Then
 *
 * ```text
 * Z = ECDH(own ephemeral secret, peer's Q_e)        (both ephemeral: "2e, 0s")
 * K = KDF(Z, AlgorithmID, PartyUInfo = client system title, PartyVInfo = server system title)
 * ```
 *
 * with the SP 800-56A single-step KDF of {@link dlmsKdf} (checked against Green Book Table C.2), and K
 * becomes the key `key_id` names once the exchange is over.
 *
 * **Not verified against a published example.** What exactly is signed is our reading: the key_id byte
 * followed by Q_e ({@link keyAgreementSignedData}), so that a signed key cannot be replayed under another
 * key_id. Both sides here use that function; a meter that signs Q_e alone would fail verification
 * (`AUTHENTICATION_FAILED`), never agree on a wrong key.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { assertBytes, concat } from './bytes.ts';
import {
  type AsymmetricSuite,
  agreeKey,
  coordinateLength,
  eccKeyPair,
  eccPublicKey,
  ecdsaSign,
  ecdsaVerify,
} from './ecc.ts';

/** The key_id of key_agreement_data (the keys an agreement may establish). */
export type AgreementKeyId = 0 | 1 | 2;

export interface KeyAgreementData {
  keyId: AgreementKeyId;
  /** Q_e ‖ signature: 4 × 32 bytes (suite 1) or 4 × 48 bytes (suite 2). */
  keyCipheredData: Uint8Array;
}

/** The bytes each party signs: key_id ‖ Q_e (see the module note). */
export function keyAgreementSignedData(keyId: AgreementKeyId, ephemeralPublicKey: Uint8Array): Uint8Array {
  checkKeyId(keyId);
  return concat(Uint8Array.of(keyId), ephemeralPublicKey);
}

function checkKeyId(keyId: number): asserts keyId is AgreementKeyId {
  if (keyId !== 0 && keyId !== 1 && keyId !== 2) {
    throw new DlmsError('INVALID_ARGUMENT', `key_agreement key_id must be 0, 1 or 2, got ${String(keyId)}`);
  }
}

/** Our half of one key: the data to send, and the ephemeral secret to keep until the peer answers. */
export interface KeyAgreementHalf {
  data: KeyAgreementData;
  ephemeralSecretKey: Uint8Array;
}

/**
 * Makes one party's key_agreement_data: a fresh ephemeral key pair (or `ephemeralSecretKey`, for tests),
 * its public key signed with `signingKey`.
 */
export function createKeyAgreementData(
  suite: AsymmetricSuite,
  keyId: AgreementKeyId,
  signingKey: Uint8Array,
  ephemeralSecretKey?: Uint8Array,
): KeyAgreementHalf {
  checkKeyId(keyId);
  const secret = ephemeralSecretKey ?? eccKeyPair(suite).secretKey;
  const q = eccPublicKey(suite, secret);
  const signature = ecdsaSign(suite, signingKey, keyAgreementSignedData(keyId, q));
  return { data: { keyId, keyCipheredData: concat(q, signature) }, ephemeralSecretKey: secret };
}

/**
 * Checks the peer's key_agreement_data (its length for the suite, and its signature under
 * `peerSigningPublicKey`) and returns its ephemeral public key. `AUTHENTICATION_FAILED` when the signature
 * does not verify, `MALFORMED` when the data has the wrong length.
 */
export function verifyKeyAgreementData(
  suite: AsymmetricSuite,
  data: KeyAgreementData,
  peerSigningPublicKey: Uint8Array,
): Uint8Array {
  checkKeyId(data.keyId);
  assertBytes(data.keyCipheredData, 'keyCipheredData');
  const l = coordinateLength(suite);
  if (data.keyCipheredData.length !== 4 * l) {
    throw new DlmsError(
      'MALFORMED',
      `key_ciphered_data of suite ${suite} has ${4 * l} bytes (Q_e ‖ signature), got ${data.keyCipheredData.length}`,
    );
  }
  const q = data.keyCipheredData.subarray(0, 2 * l);
  ecdsaVerify(
    suite,
    peerSigningPublicKey,
    keyAgreementSignedData(data.keyId, q),
    data.keyCipheredData.subarray(2 * l),
  );
  return q;
}

export interface KeyAgreementParties {
  clientSystemTitle: Uint8Array;
  serverSystemTitle: Uint8Array;
}

/** Z = ECDH(own ephemeral secret, peer's Q_e), then the KDF with PartyU = client, PartyV = server. */
export function deriveAgreedKey(
  suite: AsymmetricSuite,
  ownEphemeralSecretKey: Uint8Array,
  peerEphemeralPublicKey: Uint8Array,
  parties: KeyAgreementParties,
): Uint8Array {
  assertBytes(parties.clientSystemTitle, 'clientSystemTitle', 8);
  assertBytes(parties.serverSystemTitle, 'serverSystemTitle', 8);
  return agreeKey(suite, ownEphemeralSecretKey, peerEphemeralPublicKey, {
    partyUInfo: parties.clientSystemTitle,
    partyVInfo: parties.serverSystemTitle,
  });
}

/**
 * The server's side of a whole key_agreement call: verifies every item of the client's request, answers
 * each with its own signed ephemeral key, and returns the response items and the agreed keys by key_id.
 * Nothing is returned (the call throws) unless every item verifies.
 */
export function answerKeyAgreement(
  suite: AsymmetricSuite,
  request: readonly KeyAgreementData[],
  p: KeyAgreementParties & { clientSigningPublicKey: Uint8Array; serverSigningKey: Uint8Array },
): { response: KeyAgreementData[]; keys: Map<AgreementKeyId, Uint8Array> } {
  if (request.length === 0) throw new DlmsError('INVALID_ARGUMENT', 'key_agreement: empty request');
  const seen = new Set<number>();
  const peers = request.map((item) => {
    if (seen.has(item.keyId)) {
      throw new DlmsError('INVALID_ARGUMENT', `key_agreement: key_id ${item.keyId} appears twice`);
    }
    seen.add(item.keyId);
    return verifyKeyAgreementData(suite, item, p.clientSigningPublicKey);
  });
  const response: KeyAgreementData[] = [];
  const keys = new Map<AgreementKeyId, Uint8Array>();
  request.forEach((item, i) => {
    const half = createKeyAgreementData(suite, item.keyId, p.serverSigningKey);
    response.push(half.data);
    keys.set(item.keyId, deriveAgreedKey(suite, half.ephemeralSecretKey, peers[i]!, p));
    half.ephemeralSecretKey.fill(0);
  });
  return { response, keys };
}

/**
 * The client's side after the server answered: verifies each response item against the server's signing
 * key, and derives the keys. `own` are the halves the client sent (their ephemeral secrets are wiped).
 */
export function completeKeyAgreement(
  suite: AsymmetricSuite,
  own: readonly KeyAgreementHalf[],
  response: readonly KeyAgreementData[],
  p: KeyAgreementParties & { serverSigningPublicKey: Uint8Array },
): Map<AgreementKeyId, Uint8Array> {
  if (response.length !== own.length) {
    throw new DlmsError(
      'MALFORMED',
      `key_agreement response has ${response.length} items for ${own.length} requested`,
    );
  }
  const keys = new Map<AgreementKeyId, Uint8Array>();
  own.forEach((half, i) => {
    const item = response[i]!;
    if (item.keyId !== half.data.keyId) {
      throw new DlmsError('MALFORMED', `key_agreement response item ${i} is for key_id ${item.keyId}`);
    }
    const q = verifyKeyAgreementData(suite, item, p.serverSigningPublicKey);
    keys.set(item.keyId, deriveAgreedKey(suite, half.ephemeralSecretKey, q, p));
  });
  for (const half of own) half.ephemeralSecretKey.fill(0);
  return keys;
}
