/**
 * The default crypto backend: node:crypto where the runtime offers it through `process.getBuiltinModule`,
 * the portable noble backend elsewhere, and the two agree byte for byte.
 */
import {
  defaultBackend,
  nobleBackend,
  pickDefaultBackend,
  protectApdu,
  unprotectApdu,
} from '@ami-interop/dlms/security';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('defaultBackend', () => {
  it('is node:crypto on this Node, which has process.getBuiltinModule', () => {
    expect(typeof process.getBuiltinModule).toBe('function');
    expect(defaultBackend.name).toBe('node:crypto');
  });

  it('falls back to noble without a runtime, without getBuiltinModule, or when it throws or lacks GCM', () => {
    expect(pickDefaultBackend(null)).toBe(nobleBackend);
    expect(pickDefaultBackend({})).toBe(nobleBackend);
    expect(
      pickDefaultBackend({
        getBuiltinModule: () => {
          throw new Error('sandboxed');
        },
      }),
    ).toBe(nobleBackend);
    expect(pickDefaultBackend({ getBuiltinModule: () => undefined })).toBe(nobleBackend);
    const noGcm = { createCipheriv() {}, createDecipheriv() {}, getCiphers: () => ['aes-128-cbc'] };
    expect(pickDefaultBackend({ getBuiltinModule: () => noGcm })).toBe(nobleBackend);
  });

  it('agrees with noble on random keys, IVs, AAD, texts and tag lengths', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(0, 12, 16),
        (key, iv, aad, pt, tagLength) => {
          const a = defaultBackend.gcmEncrypt(key, iv, aad, pt, tagLength);
          expect(a).toEqual(nobleBackend.gcmEncrypt(key, iv, aad, pt, tagLength));
          const back = nobleBackend.gcmDecrypt(key, iv, aad, a.subarray(0, pt.length), a.subarray(pt.length));
          expect(back).toEqual(pt);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('protectApdu without a backend gives the bytes noble gives, and noble opens them', () => {
    const keys = { ek: new Uint8Array(16).fill(1), ak: new Uint8Array(16).fill(2) };
    const systemTitle = Uint8Array.of(0x4d, 0x4d, 0x4d, 0, 0, 0xbc, 0x61, 0x4e);
    const apdu = Uint8Array.of(0xc0, 0x01, 0xc1, 0x00, 0x08, 0, 0, 1, 0, 0, 0xff, 0x02, 0x00);
    const opts = { systemTitle, invocationCounter: 7, policy: 'auth+enc' as const, ...keys };
    const implicit = protectApdu(apdu, opts);
    expect(implicit).toEqual(protectApdu(apdu, { ...opts, backend: nobleBackend }));
    expect(unprotectApdu(implicit, keys, { systemTitle, backend: nobleBackend }).plain).toEqual(apdu);
  });
});
