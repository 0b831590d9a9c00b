/**
 * Unit and property tests of `@ami-interop/dlms/security`. The conformance vectors (Green Book, NIST,
 * RFC 3394) are in security-vectors.test.ts; here: the node:crypto oracle on random inputs, round trips,
 * tamper detection, counters, HLS compositions against independent hash/cipher oracles, key transfer,
 * and that hostile bytes only ever raise our typed errors.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { DlmsError, fromHex, isDlmsError, toHex } from '@ami-interop/dlms';
import {
  allServiceCipherTags,
  buildGlobalKeyTransfer,
  type CipheringKind,
  type CryptoBackend,
  decodeCipheredApdu,
  decodeKeyTransferData,
  decodeSecurityControl,
  encodeSecurityControl,
  generateChallenge,
  hls2AesEcb,
  hls2Response,
  hlsGmacResponse,
  hlsMd5Response,
  hlsSha1Response,
  hlsSha256Response,
  MemoryInvocationCounterStore,
  nobleBackend,
  protectApdu,
  protectGeneralCiphering,
  type SecurityPolicy,
  unprotectApdu,
  unprotectWithStore,
  unwrapKey,
  verifyHlsGmac,
  verifyHlsResponse,
  verifyLlsPassword,
} from '@ami-interop/dlms/security';
import { nodeCryptoBackend } from '@ami-interop/dlms/security/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const ST = fromHex('4D4D4D0000BC614E');
const GET = fromHex('C0010000080000010000FF0200');
const backends: CryptoBackend[] = [nobleBackend, nodeCryptoBackend];

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const iv12 = fc.uint8Array({ minLength: 12, maxLength: 12 });
const data = fc.uint8Array({ maxLength: 300 });

function nodeEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
  t: number,
): Uint8Array {
  const c = createCipheriv('aes-128-gcm', key, iv, { authTagLength: t });
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

describe('AES-GCM with 12-byte tags against the node:crypto oracle', () => {
  it('noble encryption equals node:crypto createCipheriv(aes-128-gcm, {authTagLength: 12}) on random inputs', () => {
    fc.assert(
      fc.property(key16, iv12, data, data, (k, iv, aad, pt) => {
        expect(toHex(nobleBackend.gcmEncrypt(k, iv, aad, pt, 12))).toBe(
          toHex(nodeEncrypt(k, iv, aad, pt, 12)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('noble decrypts what the oracle encrypted, and the oracle decrypts what noble encrypted', () => {
    fc.assert(
      fc.property(key16, iv12, data, data, fc.constantFrom(4, 8, 12, 13, 14, 15, 16), (k, iv, aad, pt, t) => {
        const o = nodeEncrypt(k, iv, aad, pt, t);
        const back = nobleBackend.gcmDecrypt(k, iv, aad, o.subarray(0, pt.length), o.subarray(pt.length));
        expect(toHex(back)).toBe(toHex(pt));
        const n = nobleBackend.gcmEncrypt(k, iv, aad, pt, t);
        const d = createDecipheriv('aes-128-gcm', k, iv, { authTagLength: t });
        d.setAAD(aad);
        d.setAuthTag(n.subarray(pt.length));
        expect(toHex(Buffer.concat([d.update(n.subarray(0, pt.length)), d.final()]))).toBe(toHex(pt));
      }),
      { numRuns: 150 },
    );
  });

  it('noble and node:crypto backends agree on random inputs, tag lengths 0 and 4..16, keys of 16/24/32', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        iv12,
        data,
        data,
        fc.constantFrom(0, 4, 8, 12, 16),
        (k, iv, aad, pt, t) => {
          const a = nobleBackend.gcmEncrypt(k, iv, aad, pt, t);
          const b = nodeCryptoBackend.gcmEncrypt(k, iv, aad, pt, t);
          expect(toHex(a)).toBe(toHex(b));
          for (const be of backends) {
            const back = be.gcmDecrypt(k, iv, aad, a.subarray(0, pt.length), a.subarray(pt.length));
            expect(toHex(back)).toBe(toHex(pt));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a wrong tag is AUTHENTICATION_FAILED in both backends, with the same opaque message', () => {
    const ct = nobleBackend.gcmEncrypt(
      EK,
      ST.slice(0, 12).length === 8 ? new Uint8Array(12) : ST,
      AK,
      GET,
      12,
    );
    const bad = ct.slice();
    bad[bad.length - 1]! ^= 1;
    const messages = backends.map((be) => {
      const e = thrown(() =>
        be.gcmDecrypt(EK, new Uint8Array(12), AK, bad.subarray(0, GET.length), bad.subarray(GET.length)),
      );
      expect(codeOf(e)).toBe('AUTHENTICATION_FAILED');
      return (e as Error).message;
    });
    expect(messages[0]).toBe(messages[1]);
  });

  it('rejects bad arguments with INVALID_ARGUMENT (type confusion)', () => {
    const bad: unknown[] = [undefined, null, 'abc', 1, [1, 2], {}, new Uint8Array(15), new Uint16Array(16)];
    for (const be of backends) {
      for (const k of bad) {
        expect(codeOf(thrown(() => be.gcmEncrypt(k as Uint8Array, new Uint8Array(12), EK, EK, 12)))).toBe(
          'INVALID_ARGUMENT',
        );
      }
      expect(codeOf(thrown(() => be.gcmEncrypt(EK, new Uint8Array(8), EK, EK, 12)))).toBe('INVALID_ARGUMENT');
      expect(codeOf(thrown(() => be.gcmEncrypt(EK, new Uint8Array(12), EK, EK, 3)))).toBe('INVALID_ARGUMENT');
      expect(codeOf(thrown(() => be.gcmDecrypt(EK, new Uint8Array(12), EK, EK, new Uint8Array(17))))).toBe(
        'INVALID_ARGUMENT',
      );
    }
  });
});

const policies: SecurityPolicy[] = ['auth', 'enc', 'auth+enc'];
const kinds: CipheringKind[] = ['glo', 'ded', 'general-glo', 'general-ded'];
const serviceTags = allServiceCipherTags().map((s) => s.plain);

const protectCase = fc.record({
  kind: fc.constantFrom(...kinds),
  policy: fc.constantFrom(...policies),
  tag: fc.constantFrom(...serviceTags),
  body: fc.uint8Array({ maxLength: 200 }),
  ic: fc.nat({ max: 0xffffffff }),
  st: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  ek: key16,
  ak: key16,
  backend: fc.constantFrom(...backends),
});

describe('protectApdu / unprotectApdu', () => {
  it('round-trips random APDUs over every kind, policy, counter and backend', () => {
    fc.assert(
      fc.property(protectCase, (c) => {
        const plain = Uint8Array.of(c.tag, ...c.body);
        const keys = { ek: c.ek, ak: c.ak, dk: c.ek };
        const bytes = protectApdu(plain, {
          ...keys,
          kind: c.kind,
          policy: c.policy,
          systemTitle: c.st,
          invocationCounter: c.ic,
          backend: c.backend,
        });
        const r = unprotectApdu(bytes, keys, {
          systemTitle: c.st,
          acceptPolicies: [c.policy],
          backend: c.backend === nobleBackend ? nodeCryptoBackend : nobleBackend,
        });
        expect(toHex(r.plain)).toBe(toHex(plain));
        expect(r.invocationCounter).toBe(c.ic);
        expect(r.kind).toBe(c.kind);
        expect(encodeSecurityControl(r.securityControl)).toBe(
          bytes[c.kind.startsWith('general') ? 11 : 2]! & 0xff,
        );
        const env = decodeCipheredApdu(bytes);
        expect(env.kind).toBe(c.kind);
        expect(env.invocationCounter).toBe(c.ic);
      }),
      { numRuns: 300 },
    );
  });

  it('detects every single-bit flip of an authenticated APDU (never a different plaintext)', () => {
    fc.assert(
      fc.property(
        protectCase.filter((c) => c.policy !== 'enc' && c.body.length < 40),
        (c) => {
          const plain = Uint8Array.of(c.tag, ...c.body);
          const keys = { ek: c.ek, ak: c.ak, dk: c.ek };
          const bytes = protectApdu(plain, {
            ...keys,
            kind: c.kind,
            policy: c.policy,
            systemTitle: c.st,
            invocationCounter: c.ic,
          });
          for (let bit = 0; bit < bytes.length * 8; bit++) {
            const t = bytes.slice();
            t[bit >> 3]! ^= 0x80 >> (bit & 7);
            const e = thrown(() => unprotectApdu(t, keys, { systemTitle: c.st, backend: c.backend }));
            // A flipped length byte may claim more bytes than there are: INCOMPLETE is then the true answer.
            expect(
              ['AUTHENTICATION_FAILED', 'MALFORMED', 'INCOMPLETE'],
              `bit ${bit}: ${String(e)}`,
            ).toContain(codeOf(e));
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('general-ciphering round-trips and detects every bit flip, for each key-info', () => {
    fc.assert(
      fc.property(
        fc.record({
          policy: fc.constantFrom<SecurityPolicy>('auth', 'auth+enc'),
          body: fc.uint8Array({ maxLength: 24 }),
          ic: fc.nat({ max: 0xffffffff }),
          tid: fc.uint8Array({ minLength: 1, maxLength: 8 }),
          st: fc.uint8Array({ minLength: 8, maxLength: 8 }),
          other: fc.uint8Array({ maxLength: 4 }),
          keyInfo: fc.constantFrom('none', 'identified', 'wrapped'),
          key: key16,
        }),
        (c) => {
          const plain = Uint8Array.of(0xc4, ...c.body);
          const keys = { ek: EK, bek: AK, ak: AK, kek: c.key };
          const bytes = protectGeneralCiphering(plain, {
            ...keys,
            policy: c.policy,
            invocationCounter: c.ic,
            transactionId: c.tid,
            originatorSystemTitle: c.st,
            recipientSystemTitle: ST,
            otherInformation: c.other,
            keyInfo:
              c.keyInfo === 'none'
                ? undefined
                : c.keyInfo === 'identified'
                  ? { type: 'identified-key', keyId: 1 }
                  : { type: 'wrapped-key', key: c.key.map((b) => b ^ 0x5a) },
          });
          const r = unprotectApdu(bytes, keys, { acceptPolicies: [c.policy] });
          expect(toHex(r.plain)).toBe(toHex(plain));
          expect(r.kind).toBe('general-ciphering');
          expect(toHex(r.generalCiphering!.transactionId)).toBe(toHex(c.tid));
          for (let bit = 0; bit < bytes.length * 8; bit++) {
            const t = bytes.slice();
            t[bit >> 3]! ^= 0x80 >> (bit & 7);
            const e = thrown(() => unprotectApdu(t, keys, { acceptPolicies: [c.policy] }));
            expect(
              ['AUTHENTICATION_FAILED', 'MALFORMED', 'INCOMPLETE', 'UNSUPPORTED'],
              `bit ${bit}: ${String(e)}`,
            ).toContain(codeOf(e));
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('counterCheck runs after authentication only, and can refuse a replay', () => {
    const store = new MemoryInvocationCounterStore();
    const opts = (ic: number) => ({
      policy: 'auth+enc' as const,
      systemTitle: ST,
      invocationCounter: ic,
      ek: EK,
      ak: AK,
    });
    const check = {
      systemTitle: ST,
      counterCheck: (ic: number, st: Uint8Array) => store.accept(st, 'guek', ic),
    };
    const a = protectApdu(GET, opts(5));
    expect(unprotectApdu(a, { ek: EK, ak: AK }, check).invocationCounter).toBe(5);
    expect(codeOf(thrown(() => unprotectApdu(a, { ek: EK, ak: AK }, check)))).toBe('REPLAYED_COUNTER');
    expect(codeOf(thrown(() => unprotectApdu(protectApdu(GET, opts(4)), { ek: EK, ak: AK }, check)))).toBe(
      'REPLAYED_COUNTER',
    );
    // A forged APDU with a high counter must not move the window.
    const forged = protectApdu(GET, opts(1000));
    forged[forged.length - 1]! ^= 1;
    expect(codeOf(thrown(() => unprotectApdu(forged, { ek: EK, ak: AK }, check)))).toBe(
      'AUTHENTICATION_FAILED',
    );
    expect(store.lastReceived(ST, 'guek')).toBe(5);
    expect(unprotectApdu(protectApdu(GET, opts(6)), { ek: EK, ak: AK }, check).invocationCounter).toBe(6);
  });

  it('unprotectWithStore refuses reused counters through an async store', async () => {
    const mem = new MemoryInvocationCounterStore();
    const asyncStore = {
      next: async (st: Uint8Array, id: string) => mem.next(st, id),
      accept: async (st: Uint8Array, id: string, ic: number) => mem.accept(st, id, ic),
    };
    const apdu = protectApdu(GET, {
      policy: 'auth+enc',
      systemTitle: ST,
      invocationCounter: 9,
      ek: EK,
      ak: AK,
    });
    const r = await unprotectWithStore(apdu, { ek: EK, ak: AK }, asyncStore, 'guek', { systemTitle: ST });
    expect(toHex(r.plain)).toBe(toHex(GET));
    await expect(
      unprotectWithStore(apdu, { ek: EK, ak: AK }, asyncStore, 'guek', { systemTitle: ST }),
    ).rejects.toSatisfy((e: unknown) => codeOf(e) === 'REPLAYED_COUNTER');
  });

  it('refuses APDUs without a ciphered form, bad keys and bad counters', () => {
    const base = { policy: 'auth+enc' as const, systemTitle: ST, invocationCounter: 1, ek: EK, ak: AK };
    expect(codeOf(thrown(() => protectApdu(Uint8Array.of(0x0f, 0), base)))).toBe('INVALID_ARGUMENT');
    expect(toHex(protectApdu(Uint8Array.of(0x0f, 0), { ...base, kind: 'general-glo' })).slice(0, 4)).toBe(
      'DB08',
    );
    expect(codeOf(thrown(() => protectApdu(GET, { ...base, ek: EK.subarray(1) })))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => protectApdu(GET, { ...base, ak: undefined })))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => protectApdu(GET, { ...base, invocationCounter: 2 ** 32 })))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(thrown(() => protectApdu(GET, { ...base, kind: 'ded' })))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => protectApdu(GET, { ...base, systemTitle: ST.subarray(1) })))).toBe(
      'INVALID_ARGUMENT',
    );
    const enc = protectApdu(GET, { ...base, policy: 'enc' });
    expect(codeOf(thrown(() => unprotectApdu(enc, { ek: EK }, { systemTitle: ST })))).toBe(
      'AUTHENTICATION_FAILED',
    );
    expect(codeOf(thrown(() => unprotectApdu(enc, { ek: EK }, {})))).toBe('AUTHENTICATION_FAILED');
  });

  it('suite 2 uses 32-byte keys (AES-256-GCM), and the broadcast key set uses bek', () => {
    const ek32 = new Uint8Array(32).fill(7);
    const ak32 = new Uint8Array(32).fill(9);
    const a = protectApdu(GET, {
      policy: 'auth+enc',
      suite: 2,
      systemTitle: ST,
      invocationCounter: 3,
      ek: ek32,
      ak: ak32,
    });
    expect(a[2]).toBe(0x32);
    const r = unprotectApdu(
      a,
      { ek: ek32, ak: ak32 },
      { systemTitle: ST, suite: 2, backend: nodeCryptoBackend },
    );
    expect(toHex(r.plain)).toBe(toHex(GET));
    const bek = new Uint8Array(16).fill(1);
    const b = protectApdu(GET, {
      policy: 'auth+enc',
      broadcastKey: true,
      systemTitle: ST,
      invocationCounter: 3,
      ek: EK,
      bek,
      ak: AK,
    });
    expect(b[2]).toBe(0x70);
    expect(decodeSecurityControl(b[2]!).broadcastKey).toBe(true);
    expect(toHex(unprotectApdu(b, { ek: EK, bek, ak: AK }, { systemTitle: ST }).plain)).toBe(toHex(GET));
    expect(codeOf(thrown(() => unprotectApdu(b, { ek: EK, ak: AK }, { systemTitle: ST })))).toBe(
      'AUTHENTICATION_FAILED',
    );
  });

  it('long APDUs use the long-form length (64 KiB)', () => {
    const big = new Uint8Array(65536).fill(0x5a);
    big[0] = 0xc4;
    const a = protectApdu(big, { policy: 'auth+enc', systemTitle: ST, invocationCounter: 1, ek: EK, ak: AK });
    expect(toHex(a.subarray(0, 5))).toBe('CC83010011');
    expect(toHex(unprotectApdu(a, { ek: EK, ak: AK }, { systemTitle: ST }).plain)).toBe(toHex(big));
  });

  it('random bytes never raise anything but a DlmsError (decode and unprotect)', () => {
    const prefixes = [0xc8, 0xd0, 0xdb, 0xdc, 0xdd, 0x21];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 80 }), (t, rest) => {
        const b = Uint8Array.of(t, ...rest);
        for (const fn of [
          () => decodeCipheredApdu(b),
          () =>
            unprotectApdu(
              b,
              { ek: EK, ak: AK, dk: EK, bek: EK },
              { systemTitle: ST, acceptPolicies: policies },
            ),
        ]) {
          const e = thrown(fn);
          if (e !== undefined) expect(e, String(e)).toBeInstanceOf(DlmsError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('MemoryInvocationCounterStore', () => {
  it('hands out strictly increasing counters per (system title, key) and refuses after 0xFFFFFFFF', () => {
    const s = new MemoryInvocationCounterStore();
    expect([s.next(ST, 'a'), s.next(ST, 'a'), s.next(ST, 'b')]).toEqual([0, 1, 0]);
    s.seedSent(ST, 'a', 0xfffffffe);
    expect(s.next(ST, 'a')).toBe(0xffffffff);
    expect(codeOf(thrown(() => s.next(ST, 'a')))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(thrown(() => s.next(ST, 'a')))).toBe('LIMIT_EXCEEDED');
  });

  it('accepts only counters greater than the last accepted', () => {
    const s = new MemoryInvocationCounterStore();
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { maxLength: 40 }), (ics) => {
        const st = fromHex('0102030405060708');
        const fresh = new MemoryInvocationCounterStore();
        let last = -1;
        for (const ic of ics) {
          const e = thrown(() => fresh.accept(st, 'k', ic));
          if (ic > last) {
            expect(e).toBeUndefined();
            last = ic;
          } else expect(codeOf(e)).toBe('REPLAYED_COUNTER');
        }
      }),
    );
    s.seedReceived(ST, 'k', 10);
    expect(codeOf(thrown(() => s.accept(ST, 'k', 10)))).toBe('REPLAYED_COUNTER');
    expect(thrown(() => s.accept(ST, 'other-key', 10))).toBeUndefined();
  });
});

describe('HLS and LLS', () => {
  const stoc = fromHex('503677524A323146');
  const ctos = fromHex('4B35366956616759');
  const secret = fromHex('00112233445566778899AABBCCDDEEFF');
  const stc = fromHex('4D4D4D0000000001');
  const hash = (alg: string, ...parts: Uint8Array[]) => {
    const h = createHash(alg);
    for (const p of parts) h.update(p);
    return toHex(h.digest());
  };

  it('mechanisms 3, 4 and 6 match independent node:crypto hashes of the Green Book compositions', () => {
    expect(toHex(hlsMd5Response(stoc, secret))).toBe(hash('md5', stoc, secret));
    expect(toHex(hlsSha1Response(stoc, secret))).toBe(hash('sha1', stoc, secret));
    const client = hlsSha256Response({
      secret,
      ownSystemTitle: stc,
      peerSystemTitle: ST,
      challenge: stoc,
      ownChallenge: ctos,
    });
    expect(toHex(client)).toBe(hash('sha256', secret, stc, ST, stoc, ctos));
    const server = hlsSha256Response({
      secret,
      ownSystemTitle: ST,
      peerSystemTitle: stc,
      challenge: ctos,
      ownChallenge: stoc,
    });
    expect(toHex(server)).toBe(hash('sha256', secret, ST, stc, ctos, stoc));
    expect(toHex(server)).not.toBe(toHex(client));
  });

  it('mechanism 2 (AES-128-ECB variant) matches node:crypto aes-128-ecb, and is pluggable', () => {
    const challenge16 = fromHex('000102030405060708090A0B0C0D0E0F');
    const c = createCipheriv('aes-128-ecb', secret, null);
    c.setAutoPadding(false);
    expect(toHex(hls2Response(challenge16, secret))).toBe(
      toHex(Buffer.concat([c.update(challenge16), c.final()])),
    );
    expect(hls2AesEcb(stoc, secret).length).toBe(16);
    expect(toHex(hls2Response(stoc, secret, (ch) => ch))).toBe(toHex(stoc));
  });

  it('HLS-GMAC round-trips with random challenges and counters; a wrong key fails', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 64 }), fc.nat({ max: 0xffffffff }), (ch, ic) => {
        const f = hlsGmacResponse({ challenge: ch, systemTitle: stc, invocationCounter: ic, ek: EK, ak: AK });
        expect(
          verifyHlsGmac({ response: f, challenge: ch, systemTitle: stc, ek: EK, ak: AK }).invocationCounter,
        ).toBe(ic);
        expect(
          codeOf(
            thrown(() => verifyHlsGmac({ response: f, challenge: ch, systemTitle: stc, ek: EK, ak: EK })),
          ),
        ).toBe('AUTHENTICATION_FAILED');
      }),
      { numRuns: 100 },
    );
  });

  it('verifyHlsResponse and verifyLlsPassword compare and fail opaquely', () => {
    expect(
      thrown(() => verifyHlsResponse(hlsMd5Response(stoc, secret), hlsMd5Response(stoc, secret))),
    ).toBeUndefined();
    expect(
      codeOf(thrown(() => verifyHlsResponse(hlsMd5Response(stoc, secret), hlsMd5Response(ctos, secret)))),
    ).toBe('AUTHENTICATION_FAILED');
    const pw = new TextEncoder().encode('ABCDEFGH');
    expect(thrown(() => verifyLlsPassword(pw, pw.slice()))).toBeUndefined();
    expect(codeOf(thrown(() => verifyLlsPassword(pw, pw.subarray(1))))).toBe('AUTHENTICATION_FAILED');
  });

  it('challenges are 8..64 random bytes from the given or the global source', () => {
    expect(generateChallenge().length).toBe(16);
    expect(generateChallenge(64).length).toBe(64);
    expect(toHex(generateChallenge(8, (b) => b.fill(0xab)))).toBe('ABABABABABABABAB');
    expect(codeOf(thrown(() => generateChallenge(7)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => generateChallenge(65)))).toBe('INVALID_ARGUMENT');
    expect(toHex(generateChallenge(32))).not.toBe(toHex(generateChallenge(32)));
    expect(codeOf(thrown(() => hlsMd5Response(new Uint8Array(7), secret)))).toBe('INVALID_ARGUMENT');
  });
});

describe('key transfer', () => {
  it('buildGlobalKeyTransfer wraps with the KEK; decode + unwrap gives the keys back', () => {
    fc.assert(
      fc.property(
        key16,
        fc.array(
          fc.record({ keyId: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>, key: key16 }),
          { maxLength: 4 },
        ),
        (kek, keys) => {
          const bytes = buildGlobalKeyTransfer(kek, keys);
          const back = decodeKeyTransferData(bytes);
          expect(back.map((k) => k.keyId)).toEqual(keys.map((k) => k.keyId));
          back.forEach((k, i) => {
            expect(k.keyWrapped.length).toBe(24);
            expect(toHex(unwrapKey(kek, k.keyWrapped))).toBe(toHex(keys[i]!.key));
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('random bytes never raise anything but a DlmsError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (rest) => {
        const e = thrown(() => decodeKeyTransferData(Uint8Array.of(0x01, ...rest)));
        if (e !== undefined) expect(e).toBeInstanceOf(DlmsError);
        const w = thrown(() => unwrapKey(EK, rest));
        if (w !== undefined) expect(['MALFORMED', 'AUTHENTICATION_FAILED']).toContain(codeOf(w));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('type confusion: public functions answer wrong argument types with INVALID_ARGUMENT', () => {
  const notBytes: unknown[] = [undefined, null, 'C8', 42, [0xc8], {}, new Uint16Array(4)];
  const calls: [string, (x: never) => unknown][] = [
    ['decodeCipheredApdu', (x) => decodeCipheredApdu(x)],
    ['unprotectApdu bytes', (x) => unprotectApdu(x, { ek: EK, ak: AK }, { systemTitle: ST })],
    [
      'unprotectApdu keys',
      (x) =>
        unprotectApdu(
          protectApdu(GET, { policy: 'auth+enc', systemTitle: ST, invocationCounter: 1, ek: EK, ak: AK }),
          x,
          { systemTitle: ST },
        ),
    ],
    [
      'protectApdu plain',
      (x) => protectApdu(x, { policy: 'auth+enc', systemTitle: ST, invocationCounter: 1, ek: EK, ak: AK }),
    ],
    [
      'protectApdu ek',
      (x) => protectApdu(GET, { policy: 'auth+enc', systemTitle: ST, invocationCounter: 1, ek: x, ak: AK }),
    ],
    [
      'protectApdu systemTitle',
      (x) => protectApdu(GET, { policy: 'auth+enc', systemTitle: x, invocationCounter: 1, ek: EK, ak: AK }),
    ],
    ['decodeKeyTransferData', (x) => decodeKeyTransferData(x)],
    ['unwrapKey', (x) => unwrapKey(EK, x)],
    ['hlsMd5Response', (x) => hlsMd5Response(x, EK)],
    [
      'hlsGmacResponse',
      (x) => hlsGmacResponse({ challenge: x, systemTitle: ST, invocationCounter: 1, ek: EK, ak: AK }),
    ],
    ['verifyHlsGmac', (x) => verifyHlsGmac({ response: x, challenge: GET, systemTitle: ST, ek: EK, ak: AK })],
    ['verifyLlsPassword', (x) => verifyLlsPassword(EK, x)],
  ];
  for (const [name, call] of calls) {
    it(name, () => {
      for (const x of notBytes) {
        const e = thrown(() => call(x as never));
        expect(codeOf(e), `${name}(${String(x)}): ${String(e)}`).toBe('INVALID_ARGUMENT');
      }
    });
  }
});
