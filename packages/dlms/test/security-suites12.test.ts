/**
 * Suites 1 and 2: ECDSA (RFC 6979 vectors, node:crypto as the verifying oracle), ECDH and the DLMS KDF
 * (Green Book Table C.2), HLS mechanism 7 and general-signing.
 */
import { createECDH, createHash } from 'node:crypto';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import { DlmsError, fromHex, isDlmsError, toHex } from '@ami-interop/dlms';
import {
  type AsymmetricSuite,
  agreeKey,
  decodeCipheredApdu,
  decodeGeneralSigning,
  dlmsKdf,
  eccKeyPair,
  eccPublicKey,
  ecdhSharedSecret,
  ecdsaSign,
  ecdsaVerify,
  encodeCipheredApdu,
  encodeGeneralSigning,
  hlsEcdsaResponse,
  kdfAlgorithmId,
  protectGeneralCiphering,
  signGeneralSigning,
  staticUnifiedKdfParties,
  unprotectApdu,
  verifyGeneralSigning,
  verifyHlsEcdsa,
} from '@ami-interop/dlms/security';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeAgreedKey, nodeOpenGeneralCiphering, nodeVerifies } from './openssl-oracle.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
const utf8 = (s: string) => new TextEncoder().encode(s);
const hexParam = (v: { params?: Record<string, unknown> }, k: string) => fromHex(v.params![k] as string);

runConformance('dlms/security-ecdsa', {
  decode(bytes, v) {
    const message = (v.params!['message'] as string | undefined) ?? (v.decoded as string);
    ecdsaVerify(v.params!['suite'] as AsymmetricSuite, hexParam(v, 'publicKey'), utf8(message), bytes);
    return message;
  },
  encode: (decoded, v) =>
    ecdsaSign(v.params!['suite'] as AsymmetricSuite, hexParam(v, 'secretKey'), utf8(decoded as string)),
  errorCode: codeOf,
});

runConformance('dlms/security-kdf', {
  decode: (bytes, v) =>
    toHex(
      dlmsKdf(v.params!['suite'] as AsymmetricSuite, bytes, {
        algorithmId: hexParam(v, 'algorithmId'),
        partyUInfo: hexParam(v, 'partyUInfo'),
        partyVInfo: hexParam(v, 'partyVInfo'),
        length: v.params!['length'] as number | undefined,
      }),
    ),
  errorCode: codeOf,
});

describe('ECDSA', () => {
  it('P-384 / SHA-384 deterministic signature of "sample" is RFC 6979 A.2.6, and node:crypto verifies it', () => {
    const sk = fromHex(
      '6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5',
    );
    const sig = ecdsaSign(2, sk, utf8('sample'));
    expect(toHex(sig)).toBe(
      '94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46' +
        '99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8',
    );
    expect(nodeVerifies(2, eccPublicKey(2, sk), utf8('sample'), sig)).toBe(true);
  });

  it('signatures on random messages verify in node:crypto and here; tampering fails', () => {
    for (const suite of [1, 2] as const) {
      const { secretKey, publicKey } = eccKeyPair(suite);
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (msg, flip) => {
          const sig = ecdsaSign(suite, secretKey, msg);
          expect(sig.length).toBe(suite === 1 ? 64 : 96);
          expect(nodeVerifies(suite, publicKey, msg, sig)).toBe(true);
          ecdsaVerify(suite, publicKey, msg, sig);
          const bad = sig.slice();
          bad[flip % bad.length]! ^= 1 << (flip % 8);
          expect(codeOf(thrown(() => ecdsaVerify(suite, publicKey, msg, bad)))).toBe('AUTHENTICATION_FAILED');
        }),
        { numRuns: 10 },
      );
    }
  });

  it('refuses public keys that are not curve points, and wrong lengths', () => {
    const { publicKey } = eccKeyPair(1);
    const off = publicKey.slice();
    off[63]! ^= 1;
    expect(codeOf(thrown(() => ecdsaVerify(1, off, utf8('x'), new Uint8Array(64))))).toBe('MALFORMED');
    expect(codeOf(thrown(() => ecdsaVerify(1, publicKey.subarray(1), utf8('x'), new Uint8Array(64))))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(thrown(() => ecdsaVerify(1, publicKey, utf8('x'), new Uint8Array(63))))).toBe(
      'AUTHENTICATION_FAILED',
    );
    expect(codeOf(thrown(() => ecdsaSign(3 as AsymmetricSuite, new Uint8Array(32), utf8('x'))))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('ECDH and the DLMS KDF', () => {
  it('Z agrees with node:crypto createECDH, both ways, for both suites', () => {
    for (const [suite, name] of [
      [1, 'prime256v1'],
      [2, 'secp384r1'],
    ] as const) {
      const a = eccKeyPair(suite);
      const b = createECDH(name);
      b.generateKeys();
      const bPub = new Uint8Array(b.getPublicKey()).subarray(1);
      const z = ecdhSharedSecret(suite, a.secretKey, bPub);
      expect(toHex(z)).toBe(toHex(b.computeSecret(Buffer.concat([Buffer.of(4), Buffer.from(a.publicKey)]))));
      expect(toHex(ecdhSharedSecret(suite, new Uint8Array(b.getPrivateKey()), a.publicKey))).toBe(toHex(z));
    }
  });

  it('agreeKey gives both parties the same key, equal to the KDF composed with node:crypto hashes', () => {
    for (const suite of [1, 2] as const) {
      const u = eccKeyPair(suite);
      const v = eccKeyPair(suite);
      const params = { partyUInfo: fromHex('4D4D4D0000BC614E'), partyVInfo: fromHex('4D4D4D0000000001') };
      const ku = agreeKey(suite, u.secretKey, v.publicKey, params);
      expect(toHex(agreeKey(suite, v.secretKey, u.publicKey, params))).toBe(toHex(ku));
      const z = ecdhSharedSecret(suite, u.secretKey, v.publicKey);
      const h = createHash(suite === 1 ? 'sha256' : 'sha384')
        .update(Uint8Array.of(0, 0, 0, 1))
        .update(z)
        .update(kdfAlgorithmId(suite))
        .update(params.partyUInfo)
        .update(params.partyVInfo)
        .digest();
      expect(toHex(ku)).toBe(toHex(h.subarray(0, suite === 1 ? 16 : 32)));
    }
  });
});

describe('HLS mechanism 7 (ECDSA)', () => {
  const stc = fromHex('4D4D4D0000000001');
  const sts = fromHex('4D4D4D0000BC614E');
  it('f(StoC) by the client verifies on the server, over ST-C ‖ ST-S ‖ StoC ‖ CtoS (checked by node:crypto)', () => {
    for (const suite of [1, 2] as const) {
      const client = eccKeyPair(suite);
      const ctos = new Uint8Array(32).fill(1);
      const stoc = new Uint8Array(48).fill(2);
      const f = hlsEcdsaResponse({
        suite,
        secretKey: client.secretKey,
        ownSystemTitle: stc,
        peerSystemTitle: sts,
        challenge: stoc,
        ownChallenge: ctos,
      });
      expect(nodeVerifies(suite, client.publicKey, Buffer.concat([stc, sts, stoc, ctos]), f)).toBe(true);
      verifyHlsEcdsa({
        suite,
        publicKey: client.publicKey,
        response: f,
        ownSystemTitle: stc,
        peerSystemTitle: sts,
        challenge: stoc,
        ownChallenge: ctos,
      });
      // The server's own f(CtoS) composition differs, so a client response cannot be replayed as it.
      expect(
        codeOf(
          thrown(() =>
            verifyHlsEcdsa({
              suite,
              publicKey: client.publicKey,
              response: f,
              ownSystemTitle: sts,
              peerSystemTitle: stc,
              challenge: ctos,
              ownChallenge: stoc,
            }),
          ),
        ),
      ).toBe('AUTHENTICATION_FAILED');
      expect(
        codeOf(
          thrown(() =>
            hlsEcdsaResponse({
              suite,
              secretKey: client.secretKey,
              ownSystemTitle: stc,
              peerSystemTitle: sts,
              challenge: stoc.subarray(0, 31),
              ownChallenge: ctos,
            }),
          ),
        ),
      ).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('general-signing', () => {
  const fields = {
    transactionId: fromHex('0000000000000001'),
    originatorSystemTitle: fromHex('4D4D4D0000000001'),
    recipientSystemTitle: fromHex('4D4D4D0000BC614E'),
    dateTime: new Uint8Array(0),
    otherInformation: new Uint8Array(0),
    content: fromHex('C0010000080000010000FF0200'),
  };

  it('encodes as DF then seven A-XDR octet strings, and decodes back', () => {
    const bytes = encodeGeneralSigning({ ...fields, signature: new Uint8Array(0) });
    expect(toHex(bytes)).toBe(
      'DF080000000000000001084D4D4D0000000001084D4D4D0000BC614E00000DC0010000080000010000FF020000',
    );
    const back = decodeGeneralSigning(bytes);
    expect(toHex(back.content)).toBe(toHex(fields.content));
    for (let n = 0; n < bytes.length; n++)
      expect(codeOf(thrown(() => decodeGeneralSigning(bytes.subarray(0, n))))).toBe('INCOMPLETE');
  });

  it('signs from the tag to the end of content; node:crypto verifies; every bit flip is refused', () => {
    for (const suite of [1, 2] as const) {
      const { secretKey, publicKey } = eccKeyPair(suite);
      const bytes = signGeneralSigning(fields, suite, secretKey);
      const l = suite === 1 ? 64 : 96;
      const signedEnd = bytes.length - l - 1;
      expect(bytes[signedEnd]).toBe(l);
      expect(
        nodeVerifies(suite, publicKey, bytes.subarray(0, signedEnd), bytes.subarray(signedEnd + 1)),
      ).toBe(true);
      expect(toHex(verifyGeneralSigning(bytes, suite, publicKey).content)).toBe(toHex(fields.content));
      for (let bit = 0; bit < bytes.length * 8; bit += suite === 1 ? 5 : 13) {
        const t = bytes.slice();
        t[bit >> 3]! ^= 0x80 >> (bit & 7);
        expect(['AUTHENTICATION_FAILED', 'MALFORMED', 'INCOMPLETE'], `bit ${bit}`).toContain(
          codeOf(thrown(() => verifyGeneralSigning(t, suite, publicKey))),
        );
      }
    }
  });

  it('random bytes never raise anything but a DlmsError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (rest) => {
        const e = thrown(() => decodeGeneralSigning(Uint8Array.of(0xdf, ...rest)));
        if (e !== undefined) expect(e).toBeInstanceOf(DlmsError);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('general-ciphering with a One-Pass Diffie-Hellman agreed key', () => {
  it('round-trips for both suites, and node:crypto alone reproduces the key and deciphers it', () => {
    for (const suite of [1, 2] as const) {
      const signer = eccKeyPair(suite);
      const recipient = eccKeyPair(suite);
      const klen = suite === 1 ? 16 : 32;
      const ak = new Uint8Array(klen).fill(0xa5);
      const orig = fromHex('4D4D4D0000BC614E');
      const rcpt = fromHex('4D4D4D0000000001');
      const plain = fromHex('C401C100090548656C6C6F');
      const bytes = protectGeneralCiphering(plain, {
        suite,
        policy: 'auth+enc',
        invocationCounter: 7,
        transactionId: fromHex('0102030405060708'),
        originatorSystemTitle: orig,
        recipientSystemTitle: rcpt,
        ek: new Uint8Array(klen),
        ak,
        keyInfo: {
          type: 'agreed-key',
          recipientPublicKey: recipient.publicKey,
          signingKey: signer.secretKey,
        },
      });
      const r = unprotectApdu(
        bytes,
        {
          ek: new Uint8Array(klen),
          ak,
          agreement: { secretKey: recipient.secretKey, originatorSigningPublicKey: signer.publicKey },
        },
        { suite },
      );
      expect(toHex(r.plain)).toBe(toHex(plain));

      // The independent path: node:crypto verifies, agrees, derives and deciphers.
      const env = decodeCipheredApdu(bytes);
      if (env.kind !== 'general-ciphering' || env.keyInfo?.type !== 'agreed-key') throw new Error('shape');
      const l = suite === 1 ? 32 : 48;
      const q = env.keyInfo.keyCipheredData.subarray(0, 2 * l);
      expect(nodeVerifies(suite, signer.publicKey, q, env.keyInfo.keyCipheredData.subarray(2 * l))).toBe(
        true,
      );
      const key = nodeAgreedKey(suite, recipient.secretKey, q, kdfAlgorithmId(suite), orig, rcpt);
      const f = {
        transactionId: fromHex('0102030405060708'),
        originator: orig,
        recipient: rcpt,
        invocationCounter: 7,
      };
      expect(toHex(nodeOpenGeneralCiphering(suite, key, ak, f, env.payload, env.authTag))).toBe(toHex(plain));

      // A signature by anyone else, or a flipped bit in the ephemeral key, is refused.
      const other = eccKeyPair(suite);
      expect(
        codeOf(
          thrown(() =>
            unprotectApdu(
              bytes,
              {
                ek: new Uint8Array(klen),
                ak,
                agreement: { secretKey: recipient.secretKey, originatorSigningPublicKey: other.publicKey },
              },
              { suite },
            ),
          ),
        ),
      ).toBe('AUTHENTICATION_FAILED');
    }
  });
});

describe('general-ciphering with a Static Unified Model agreed key C(0e, 2s)', () => {
  const orig = fromHex('4D4D4D0000BC614E');
  const rcpt = fromHex('4D4D4D0000000001');
  const txid = fromHex('A1A2A3A4A5A6A7A8');
  const plain = fromHex('C401C100090548656C6C6F');

  function setup(suite: 1 | 2) {
    const klen = suite === 1 ? 16 : 32;
    const u = eccKeyPair(suite);
    const v = eccKeyPair(suite);
    const ak = new Uint8Array(klen).fill(0x5a);
    const protect = (extra: Partial<Parameters<typeof protectGeneralCiphering>[1]> = {}) =>
      protectGeneralCiphering(plain, {
        suite,
        policy: 'auth+enc',
        invocationCounter: 9,
        transactionId: txid,
        originatorSystemTitle: orig,
        recipientSystemTitle: rcpt,
        ek: new Uint8Array(klen),
        ak,
        keyInfo: {
          type: 'agreed-key',
          scheme: 'static-unified',
          secretKey: u.secretKey,
          recipientPublicKey: v.publicKey,
        },
        ...extra,
      });
    const keys = (originatorAgreementPublicKey = u.publicKey) => ({
      ek: new Uint8Array(klen),
      ak,
      agreement: { secretKey: v.secretKey, originatorAgreementPublicKey },
    });
    return { klen, u, v, ak, protect, keys };
  }

  it('round-trips for both suites; node:crypto alone derives the same key from the other side and deciphers', () => {
    for (const suite of [1, 2] as const) {
      const { u, v, ak, protect, keys } = setup(suite);
      const bytes = protect();
      const env = decodeCipheredApdu(bytes);
      if (env.kind !== 'general-ciphering' || env.keyInfo?.type !== 'agreed-key') throw new Error('shape');
      expect(toHex(env.keyInfo.keyParameters)).toBe('02');
      expect(env.keyInfo.keyCipheredData.length).toBe(0);
      expect(toHex(unprotectApdu(bytes, keys(), { suite }).plain)).toBe(toHex(plain));

      // Independent: Z from the recipient's side with OpenSSL, the SP 800-56A KDF with node's hash.
      const key = nodeAgreedKey(suite, v.secretKey, u.publicKey, kdfAlgorithmId(suite), orig, txid, rcpt);
      const f = { transactionId: txid, originator: orig, recipient: rcpt, invocationCounter: 9 };
      expect(toHex(nodeOpenGeneralCiphering(suite, key, ak, f, env.payload, env.authTag))).toBe(toHex(plain));
    }
  });

  it('a different transaction-id (nonce) derives a different key', () => {
    const { protect } = setup(1);
    const a = decodeCipheredApdu(protect());
    const b = decodeCipheredApdu(protect({ transactionId: fromHex('B1A2A3A4A5A6A7A8') }));
    expect(toHex(a.payload)).not.toBe(toHex(b.payload));
  });

  it('refuses the wrong originator key, a tampered transaction-id, key-ciphered-data, and a short nonce', () => {
    const { protect, keys } = setup(1);
    const bytes = protect();
    expect(codeOf(thrown(() => unprotectApdu(bytes, keys(eccKeyPair(1).publicKey), { suite: 1 })))).toBe(
      'AUTHENTICATION_FAILED',
    );
    expect(
      codeOf(thrown(() => unprotectApdu(bytes, { ...keys(), agreement: undefined }, { suite: 1 }))),
    ).toBe('AUTHENTICATION_FAILED');
    const env = decodeCipheredApdu(bytes);
    if (env.kind !== 'general-ciphering' || env.keyInfo?.type !== 'agreed-key') throw new Error('shape');
    const tampered = encodeCipheredApdu({ ...env, transactionId: fromHex('A1A2A3A4A5A6A7A9') });
    expect(codeOf(thrown(() => unprotectApdu(tampered, keys(), { suite: 1 })))).toBe('AUTHENTICATION_FAILED');
    const withData = encodeCipheredApdu({
      ...env,
      keyInfo: { ...env.keyInfo, keyCipheredData: Uint8Array.of(1) },
    });
    expect(codeOf(thrown(() => unprotectApdu(withData, keys(), { suite: 1 })))).toBe('AUTHENTICATION_FAILED');
    const unknown = encodeCipheredApdu({
      ...env,
      keyInfo: { ...env.keyInfo, keyParameters: Uint8Array.of(3) },
    });
    expect(codeOf(thrown(() => unprotectApdu(unknown, keys(), { suite: 1 })))).toBe('UNSUPPORTED');
    expect(codeOf(thrown(() => protect({ transactionId: fromHex('01020304') })))).toBe('INVALID_ARGUMENT');
  });

  it('takes another OtherInfo layout through kdfParties, on both sides', () => {
    const { protect, keys } = setup(2);
    const kdfParties = (f: {
      transactionId: Uint8Array;
      originatorSystemTitle: Uint8Array;
      recipientSystemTitle: Uint8Array;
    }) => ({
      partyUInfo: f.originatorSystemTitle,
      partyVInfo: Uint8Array.from([...f.recipientSystemTitle, ...f.transactionId]),
    });
    const bytes = protect({ kdfParties });
    expect(codeOf(thrown(() => unprotectApdu(bytes, keys(), { suite: 2 })))).toBe('AUTHENTICATION_FAILED');
    expect(toHex(unprotectApdu(bytes, keys(), { suite: 2, kdfParties }).plain)).toBe(toHex(plain));
  });

  it('our key equals staticUnifiedKdfParties + agreeKey from the recipient side (fast-check, suite 1)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 32 }), (nonce) => {
        const u = eccKeyPair(1);
        const v = eccKeyPair(1);
        const f = { transactionId: nonce, originatorSystemTitle: orig, recipientSystemTitle: rcpt };
        const fromU = agreeKey(1, u.secretKey, v.publicKey, staticUnifiedKdfParties(f));
        const fromV = agreeKey(1, v.secretKey, u.publicKey, staticUnifiedKdfParties(f));
        expect(toHex(fromU)).toBe(toHex(fromV));
      }),
      { numRuns: 20 },
    );
  });
});
