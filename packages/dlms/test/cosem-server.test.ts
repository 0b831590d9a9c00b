import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Data, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  ASSOCIATION_LN_CLASS,
  AssociationLnObject,
  ClockObject,
  type ControlMode,
  type CosemContext,
  CosemObjectSet,
  CosemServiceError,
  DisconnectControlObject,
  ImageTransferObject,
  keyAgreementData,
  keyTransferData,
  ProfileGenericObject,
  RegisterObject,
  readAttribute,
  SecuritySetupObject,
} from '../src/cosem/index.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { parseObis } from '../src/obis/index.ts';
import { wrapKey } from '../src/security/keywrap.ts';

const ctx: CosemContext = { now: () => new Date(Date.UTC(2024, 2, 15, 5, 0, 0)) };
const zero: Data = { type: 'integer', value: 0 };
function refusal(fn: () => unknown): CosemServiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CosemServiceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Disconnect control state machine', () => {
  it('mode 0 is always connected and refuses both methods', () => {
    const d = new DisconnectControlObject('0.0.96.3.10.255', 0);
    expect(refusal(() => d.action(1, zero, ctx)).result).toBe('other-reason');
    expect(refusal(() => d.action(2, zero, ctx)).result).toBe('other-reason');
    expect(d.get(2, ctx)).toEqual({ type: 'boolean', value: true });
    expect(d.localDisconnect()).toBe(false);
  });

  it('mode 1: remote disconnect, remote reconnect to ready, manual reconnect', () => {
    const d = new DisconnectControlObject('0.0.96.3.10.255', 1);
    d.action(1, zero, ctx); // b
    expect([d.values.controlState, d.values.outputState]).toEqual([0, false]);
    d.action(1, zero, ctx); // already disconnected: success, no change
    d.action(2, zero, ctx); // d
    expect([d.values.controlState, d.values.outputState]).toEqual([2, false]);
    expect(d.localReconnect()).toBe(false); // h not in mode 1
    expect(d.manualReconnect()).toBe(true); // e
    expect([d.values.controlState, d.values.outputState]).toEqual([1, true]);
    expect(d.manualDisconnect()).toBe(true); // f
    d.action(1, zero, ctx); // c
    expect(d.values.controlState).toBe(0);
  });

  it('mode 2 and 4 reconnect directly (a); modes 3, 4, 6 have no manual disconnect; 5, 6 local reconnect', () => {
    const d2 = new DisconnectControlObject('0.0.96.3.10.255', 2, 0);
    d2.action(2, zero, ctx);
    expect(d2.values.controlState).toBe(1);
    const d3 = new DisconnectControlObject('0.0.96.3.10.255', 3);
    expect(d3.manualDisconnect()).toBe(false);
    expect(d3.localDisconnect()).toBe(true);
    const d6 = new DisconnectControlObject('0.0.96.3.10.255', 6, 2);
    expect(d6.manualReconnect()).toBe(false);
    expect(d6.localReconnect()).toBe(true);
  });

  it('every reachable state is one of the three and output_state follows it (property)', () => {
    const ops = fc.constantFrom('rd', 'rr', 'md', 'mr', 'ld', 'lr');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(ops, { maxLength: 20 }), (mode, seq) => {
        const d = new DisconnectControlObject('0.0.96.3.10.255', mode as ControlMode);
        for (const op of seq) {
          const before = d.values.controlState;
          try {
            if (op === 'rd') d.action(1, zero, ctx);
            else if (op === 'rr') d.action(2, zero, ctx);
            else if (op === 'md') d.manualDisconnect();
            else if (op === 'mr') d.manualReconnect();
            else if (op === 'ld') d.localDisconnect();
            else d.localReconnect();
          } catch (e) {
            expect(e).toBeInstanceOf(CosemServiceError);
            expect(d.values.controlState).toBe(before);
          }
          expect(d.values.outputState).toBe(d.values.controlState === 1);
          if (mode === 0) expect(d.values.controlState).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Image transfer', () => {
  const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
  const id = new TextEncoder().encode('FW-2.1');
  const initiate = (size = image.length, ident = id): Data => ({
    type: 'structure',
    value: [
      { type: 'octet-string', value: ident },
      { type: 'double-long-unsigned', value: size },
    ],
  });
  const block = (n: number, bs = 256): Data => ({
    type: 'structure',
    value: [
      { type: 'double-long-unsigned', value: n },
      { type: 'octet-string', value: image.subarray(n * bs, Math.min(image.length, (n + 1) * bs)) },
    ],
  });

  it('initiate, blocks out of order, resume, verify, activate', () => {
    const seen: Uint8Array[] = [];
    const it18 = new ImageTransferObject('0.0.44.0.0.255', {
      verify: (img) => img.length === 1000,
      activate: (img) => {
        seen.push(img.slice());
        return true;
      },
    });
    it18.action(1, initiate(), ctx);
    it18.action(2, block(3), ctx);
    it18.action(2, block(1), ctx);
    expect(toHex(encodeData(it18.get(3, ctx)))).toBe('040450');
    expect(it18.get(4, ctx)).toEqual({ type: 'double-long-unsigned', value: 0 });
    expect(refusal(() => it18.action(3, zero, ctx)).result).toBe('other-reason');
    expect(it18.values.imageTransferStatus).toBe(4);
    // resume with the same identifier and size keeps blocks 1 and 3
    it18.action(1, initiate(), ctx);
    expect(it18.values.imageTransferStatus).toBe(1);
    expect(toHex(encodeData(it18.get(3, ctx)))).toBe('040450');
    it18.action(2, block(0), ctx);
    it18.action(2, block(0), ctx); // repeated block is fine
    expect(it18.get(4, ctx)).toEqual({ type: 'double-long-unsigned', value: 2 });
    it18.action(2, block(2), ctx);
    it18.action(3, zero, ctx);
    expect(it18.get(6, ctx)).toEqual({ type: 'enum', value: 3 });
    it18.action(4, zero, ctx);
    expect(it18.values.imageTransferStatus).toBe(6);
    expect(seen[0]).toEqual(image);
  });

  it('refuses wrong block sizes, blocks past the end, oversized images, and when disabled', () => {
    const t = new ImageTransferObject('0.0.44.0.0.255', { maxImageSize: 2000 });
    expect(refusal(() => t.action(2, block(0), ctx)).result).toBe('other-reason');
    t.action(1, initiate(), ctx);
    const short: Data = {
      type: 'structure',
      value: [
        { type: 'double-long-unsigned', value: 0 },
        { type: 'octet-string', value: new Uint8Array(10) },
      ],
    };
    expect(refusal(() => t.action(2, short, ctx)).result).toBe('other-reason');
    expect(refusal(() => t.action(2, block(4), ctx)).result).toBe('other-reason');
    expect(refusal(() => t.action(1, initiate(0xffffffff), ctx)).result).toBe('other-reason');
    expect(refusal(() => t.action(1, zero, ctx)).result).toBe('type-unmatched');
    t.set(5, { type: 'boolean', value: false }, ctx);
    expect(refusal(() => t.action(2, block(0), ctx)).result).toBe('temporary-failure');
  });

  it('a failing verifier fails verification and activation', () => {
    const t = new ImageTransferObject('0.0.44.0.0.255', { verify: () => false });
    t.action(1, initiate(), ctx);
    for (const n of [0, 1, 2, 3]) t.action(2, block(n), ctx);
    expect(refusal(() => t.action(4, zero, ctx)).result).toBe('other-reason');
    expect(t.values.imageTransferStatus).toBe(4);
  });
});

describe('Association LN', () => {
  function server() {
    const set = new CosemObjectSet();
    set.add(new ClockObject());
    set.add(
      new RegisterObject('1.0.1.8.0.255', {
        value: { type: 'double-long-unsigned', value: 5 },
        scalerUnit: { scaler: 0, unit: 30 },
      }),
    );
    set.add(new ProfileGenericObject('1.0.99.1.0.255', { captureObjects: [], profileEntries: 10 }));
    const pc = set.add(
      new AssociationLnObject('0.0.40.0.1.255', {
        clientSap: 16,
        visible: (o) => o.classId !== 7,
      }),
    );
    const us = set.add(
      new AssociationLnObject('0.0.40.0.3.255', {
        clientSap: 48,
        mechanismId: 2,
        rights: (o) =>
          o.classId === 8
            ? {
                attributeAccess: [{ attributeId: 2, accessMode: 6, accessSelectors: undefined }],
                methodAccess: [{ methodId: 6, accessMode: 2 }],
              }
            : undefined,
        replyToHls: (resp) => (toHex(resp) === 'AABB' ? Uint8Array.of(0xcc) : undefined),
      }),
    );
    return { set, pc, us };
  }

  it('object_list lists the visible objects with their access rights, and decodes back', () => {
    const { set, pc } = server();
    const d = set.get(15, '0.0.40.0.1.255', 2, { ...ctx, access: pc });
    const list = readAttribute(ASSOCIATION_LN_CLASS, 'objectList', decodeData(encodeData(d)));
    expect(list.map((e) => `${e.classId} ${e.logicalName}`)).toEqual([
      '8 0.0.1.0.0.255',
      '3 1.0.8.0.255'.replace('1.0.8', '1.0.1.8'),
      '15 0.0.40.0.1.255',
      '15 0.0.40.0.3.255',
    ]);
    const clock = list[0]!;
    expect(clock.version).toBe(0);
    expect(clock.accessRights.attributeAccess.find((a) => a.attributeId === 2)?.accessMode).toBe(3);
    expect(clock.accessRights.methodAccess.length).toBe(6);
    // the hidden profile cannot be reached through this association
    expect(refusal(() => set.get(7, '1.0.99.1.0.255', 2, { ...ctx, access: pc })).result).toBe(
      'read-write-denied',
    );
  });

  it('access rights of the association gate GET/SET/ACTION; HLS reply sets the status', () => {
    const { set, us } = server();
    const anon = { ...ctx, access: us };
    expect(refusal(() => set.get(8, '0.0.1.0.0.255', 2, anon)).result).toBe('read-write-denied');
    expect(refusal(() => set.get(8, '0.0.1.0.0.255', 3, anon)).result).toBe('read-write-denied');
    expect(
      refusal(() =>
        set.action(15, '0.0.40.0.3.255', 1, { type: 'octet-string', value: Uint8Array.of(1) }, anon),
      ).result,
    ).toBe('other-reason');
    expect(us.values.associationStatus).toBe(0);
    const r = set.action(15, '0.0.40.0.3.255', 1, { type: 'octet-string', value: fromHex('AABB') }, anon);
    expect(r).toEqual({ type: 'octet-string', value: Uint8Array.of(0xcc) });
    expect(set.get(15, '0.0.40.0.3.255', 8, anon)).toEqual({ type: 'enum', value: 2 });
    const hls = { ...anon, authenticated: true };
    expect(set.get(8, '0.0.1.0.0.255', 2, hls).type).toBe('octet-string');
    set.action(8, '0.0.1.0.0.255', 6, { type: 'long', value: 10 }, hls);
    expect(refusal(() => set.action(8, '0.0.1.0.0.255', 1, zero, hls)).result).toBe('read-write-denied');
    set.action(15, '0.0.40.0.3.255', 2, { type: 'octet-string', value: Uint8Array.of(9, 9) }, hls);
    expect(us.values.secret).toEqual(Uint8Array.of(9, 9));
    expect(set.get(15, '0.0.40.0.3.255', 6, anon)).toEqual({
      type: 'structure',
      value: [2, 16, 756, 5, 8, 2, 2].map((v, i) => ({
        type: i === 2 ? 'long-unsigned' : 'unsigned',
        value: v,
      })),
    });
  });
});

describe('Security setup', () => {
  const kek = fromHex('000102030405060708090A0B0C0D0E0F');
  const newEk = fromHex('00112233445566778899AABBCCDDEEFF');
  function obj() {
    return new SecuritySetupObject('0.0.43.0.3.255', {
      serverSystemTitle: fromHex('4D4D4D0000BC614E'),
      keys: { masterKey: kek },
      securityPolicy: 0x0c,
    });
  }
  it('global_key_transfer unwraps with the master key; a bad wrap changes nothing', () => {
    const s = obj();
    const changed: number[][] = [];
    s.onKeysChanged = (ids) => changed.push(ids);
    const params = keyTransferData.encode([{ keyId: 0, keyWrapped: wrapKey(kek, newEk) }]);
    s.action(2, params, ctx);
    expect(s.keys.globalUnicastEncryptionKey).toEqual(newEk);
    expect(changed).toEqual([[0]]);
    const bad = keyTransferData.encode([
      { keyId: 2, keyWrapped: wrapKey(kek, newEk) },
      { keyId: 1, keyWrapped: wrapKey(fromHex('FF0102030405060708090A0B0C0D0E0F'), newEk) },
    ]);
    expect(refusal(() => s.action(2, bad, ctx)).result).toBe('other-reason');
    expect(s.keys.authenticationKey).toBeUndefined();
    expect(toHex(encodeData(params)).slice(0, 14)).toBe('01010202160009');
  });
  it('security_activate only strengthens the policy', () => {
    const s = obj();
    s.action(1, { type: 'enum', value: 0x6c }, ctx);
    expect(s.values.securityPolicy).toBe(0x6c);
    expect(refusal(() => s.action(1, { type: 'enum', value: 0x04 }, ctx)).result).toBe('other-reason');
    // key_agreement is typed now: a wrong shape is type-unmatched; under suite 0 it is refused.
    expect(refusal(() => s.action(3, zero, ctx)).result).toBe('type-unmatched');
    const item = keyAgreementData.encode([{ keyId: 0, keyCipheredData: new Uint8Array(128) }]);
    expect(refusal(() => s.action(3, item, ctx)).result).toBe('other-reason');
    expect(refusal(() => s.set(4, { type: 'octet-string', value: Uint8Array.of(1) }, ctx)).result).toBe(
      'other-reason',
    );
    expect(parseObis('0.0.43.0.3.255')).toEqual(s.logicalName);
  });
});
