/**
 * OpenSSL through node:crypto as an independent oracle for the suite 1/2 tests: ECDSA verification,
 * ECDH + the SP 800-56A single-step KDF, and general-ciphering deciphering, written without our code.
 */
import { createDecipheriv, createECDH, createHash, createPublicKey, verify } from 'node:crypto';

type Suite = 1 | 2;

/** node:crypto's verifier over IEEE P1363 (R ‖ S) signatures. */
export function nodeVerifies(
  suite: Suite,
  publicKey: Uint8Array,
  message: Uint8Array,
  sig: Uint8Array,
): boolean {
  const l = suite === 1 ? 32 : 48;
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: suite === 1 ? 'P-256' : 'P-384',
      x: Buffer.from(publicKey.subarray(0, l)).toString('base64url'),
      y: Buffer.from(publicKey.subarray(l)).toString('base64url'),
    },
    format: 'jwk',
  });
  return verify(suite === 1 ? 'sha256' : 'sha384', message, { key, dsaEncoding: 'ieee-p1363' }, sig);
}

/**
 * Z = ECDH(secretKey, peer's FE2OS(x) ‖ FE2OS(y)) by OpenSSL, then Hash(00000001 ‖ Z ‖ AlgorithmID ‖
 * OtherInfo parts), the leftmost 16 (suite 1) or 32 (suite 2) bytes.
 */
export function nodeAgreedKey(
  suite: Suite,
  secretKey: Uint8Array,
  peerPublicKey: Uint8Array,
  algorithmId: Uint8Array,
  ...otherInfo: Uint8Array[]
): Buffer {
  const ecdh = createECDH(suite === 1 ? 'prime256v1' : 'secp384r1');
  ecdh.setPrivateKey(secretKey);
  const z = ecdh.computeSecret(Buffer.concat([Buffer.of(4), Buffer.from(peerPublicKey)]));
  const h = createHash(suite === 1 ? 'sha256' : 'sha384')
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(z)
    .update(algorithmId);
  for (const part of otherInfo) h.update(part);
  return h.digest().subarray(0, suite === 1 ? 16 : 32);
}

/**
 * Deciphers a general-ciphering body under authenticated encryption (SC 0x30 | suite) with OpenSSL: IV =
 * originator ST ‖ IC, AAD = SC ‖ AK ‖ transaction-id ‖ originator ST ‖ recipient ST ‖ empty date-time and
 * other-information (each A-XDR length-prefixed), 12-byte tag.
 */
export function nodeOpenGeneralCiphering(
  suite: Suite,
  key: Uint8Array,
  ak: Uint8Array,
  f: { transactionId: Uint8Array; originator: Uint8Array; recipient: Uint8Array; invocationCounter: number },
  payload: Uint8Array,
  tag: Uint8Array,
): Buffer {
  const ic = Buffer.alloc(4);
  ic.writeUInt32BE(f.invocationCounter);
  const fields = Buffer.concat([
    Buffer.of(f.transactionId.length),
    f.transactionId,
    Buffer.of(f.originator.length),
    f.originator,
    Buffer.of(f.recipient.length),
    f.recipient,
    Buffer.of(0, 0),
  ]);
  const d = createDecipheriv(
    suite === 1 ? 'aes-128-gcm' : 'aes-256-gcm',
    key,
    Buffer.concat([f.originator, ic]),
    {
      authTagLength: 12,
    },
  );
  d.setAAD(Buffer.concat([Buffer.of(0x30 | suite), ak, fields]));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(payload), d.final()]);
}
