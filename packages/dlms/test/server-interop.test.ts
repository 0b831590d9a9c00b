/**
 * DlmsServer against DlmsClient (`/client`, written separately on the same ApduLink contract): every IS 15959
 * association level, block transfer and GBT, SET/ACTION, refusals, over memory links.
 */
import { describe, expect, it } from 'vitest';
import type { Data } from '../src/axdr/types.ts';
import { type AssociateOptions, DlmsClient } from '../src/client/index.ts';
import { anyData, CosemServerObject, type DataObject, defineClass } from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { type ApduLink, createMemoryLinkPair, MemoryLinkListener } from '../src/link/index.ts';
import { MemoryInvocationCounterStore } from '../src/security/counter.ts';
import { DlmsServer } from '../src/server/index.ts';
import {
  associations,
  CLIENT_ST,
  FIXED_NOW,
  GB_AK,
  GB_EK,
  LLS_PASSWORD,
  type loadProfile,
  meterObjects,
  SERVER_ST,
} from './server-fixtures.ts';

function setup(rows: number) {
  const listener = new MemoryLinkListener();
  const objects = meterObjects(rows);
  const server = new DlmsServer({
    objects,
    associations: associations({
      32: {
        rights: (o) =>
          o.classId === 1
            ? { attributes: { 1: 'read-only', 2: 'read-and-write' } }
            : o.classId === 7
              ? { attributes: { 1: 'read-only', 2: 'read-only', 3: 'read-only', 7: 'read-only' } }
              : undefined,
      },
    }),
    systemTitle: SERVER_ST,
    now: () => FIXED_NOW,
  });
  void server.serve(listener);
  const link = (client: number) => listener.connect({ client, server: 1 });
  const profile = objects.findByName('1.0.99.1.0.255') as ReturnType<typeof loadProfile>;
  return { server, objects, link, profile };
}

const energy = { classId: 3, obis: '1.0.1.8.0.255', attribute: 2 };
const buffer = { classId: 7, obis: '1.0.99.1.0.255', attribute: 2 };

describe('DlmsServer with DlmsClient', () => {
  it('public client reads a register and a long profile with datablocks', async () => {
    const { server, link, profile } = setup(3360);
    const c = await DlmsClient.associate(link(16), {
      maxReceivePduSize: 512,
      conformance: ['get', 'selective-access', 'block-transfer-with-get-or-read', 'multiple-references'],
    });
    expect(await c.get(energy)).toEqual({ type: 'double-long-unsigned', value: 123456 });
    const rows = (await c.get(buffer)) as { value: Data[] };
    expect(rows.value.length).toBe(3360);
    expect(rows.value[17]).toEqual({ type: 'structure', value: profile.values.buffer[17] });
    await c.release();
    await c.close();
    await server.close();
  });

  it('meter reader with LLS reads and writes; a wrong password is refused', async () => {
    const { server, objects, link } = setup(10);
    const c = await DlmsClient.associate(link(32), { authentication: 'lls', password: LLS_PASSWORD });
    await c.set({ classId: 1, obis: '0.0.96.1.1.255', attribute: 2 }, { type: 'long-unsigned', value: 42 });
    expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
      type: 'long-unsigned',
      value: 42,
    });
    await expect(c.set(energy, { type: 'double-long-unsigned', value: 0 })).rejects.toSatisfy((e) =>
      isDlmsError(e, 'SERVICE_ERROR'),
    );
    await c.close();
    await expect(
      DlmsClient.associate(link(32), { authentication: 'lls', password: 'wrong' }),
    ).rejects.toSatisfy((e) => isDlmsError(e, 'ASSOCIATION_REFUSED'));
    await server.close();
  });

  it('utility settings with HLS-GMAC and auth+enc reads a 3360-row profile over GBT and with datablocks', async () => {
    const { server, link, profile } = setup(3360);
    // One counter store for both associations: the server refuses a counter it has seen (replay).
    const counters = new MemoryInvocationCounterStore();
    for (const gbt of [true, false]) {
      const c = await DlmsClient.associate(link(48), {
        authentication: 'hls-gmac',
        security: { systemTitle: CLIENT_ST, ek: GB_EK, ak: GB_AK, counters },
        maxReceivePduSize: 1024,
        gbtWindow: 4,
        ...(gbt
          ? {}
          : {
              conformance: [
                'get',
                'set',
                'action',
                'selective-access',
                'block-transfer-with-get-or-read',
                'multiple-references',
              ],
            }),
      });
      const rows = (await c.get(buffer)) as { value: Data[] };
      expect(rows.value.length).toBe(3360);
      expect(rows.value[3359]).toEqual({ type: 'structure', value: profile.values.buffer[3359] });
      await c.release();
      await c.close();
    }
    await server.close();
  });

  it('HLS mechanisms 2, 3, 4 and 6 (secret-based), and a wrong secret', async () => {
    const secret = new TextEncoder().encode('0123456789ABCDEF');
    for (const mechanism of ['hls', 'hls-md5', 'hls-sha1', 'hls-sha256'] as const) {
      const listener = new MemoryLinkListener();
      const server = new DlmsServer({
        objects: meterObjects(1),
        associations: [
          {
            clientSap: 80,
            authentication: { mechanism, secret },
            conformance: associations()[1]!.conformance,
            // Mechanism 6 needs both system titles, which a client sends in a ciphered context.
            ...(mechanism === 'hls-sha256'
              ? { securityPolicy: 'auth+enc' as const, keys: { ek: GB_EK, ak: GB_AK } }
              : {}),
          },
        ],
        systemTitle: SERVER_ST,
      });
      void server.serve(listener);
      const opts: AssociateOptions = { authentication: mechanism, secret };
      if (mechanism === 'hls-sha256') {
        opts.security = {
          systemTitle: CLIENT_ST,
          ek: GB_EK,
          ak: GB_AK,
          counters: new MemoryInvocationCounterStore(),
        };
      }
      const withCounters = opts;
      const c = await DlmsClient.associate(listener.connect({ client: 80, server: 1 }), withCounters);
      expect(await c.get(energy)).toEqual({ type: 'double-long-unsigned', value: 123456 });
      await c.close();
      await expect(
        DlmsClient.associate(listener.connect({ client: 80, server: 1 }), {
          ...withCounters,
          secret: new TextEncoder().encode('FEDCBA9876543210'),
        }),
      ).rejects.toSatisfy((e) => isDlmsError(e));
      await server.close();
    }
  });

  it('a dedicated key from the InitiateRequest switches requests and responses to ded- ciphering', async () => {
    const server = new DlmsServer({
      objects: meterObjects(1),
      associations: associations(),
      systemTitle: SERVER_ST,
    });
    const [client, serverSide] = createMemoryLinkPair({ client: 48, server: 1 });
    // Record the tags crossing the server's side of the link.
    const tags: string[] = [];
    const spy: ApduLink = {
      address: serverSide.address,
      get isOpen() {
        return serverSide.isOpen;
      },
      closed: serverSide.closed,
      close: () => serverSide.close(),
      send: (a) => {
        tags.push(`out ${a[0]!.toString(16)}`);
        return serverSide.send(a);
      },
      receive: async (o) => {
        const a = await serverSide.receive(o);
        tags.push(`in ${a[0]!.toString(16)}`);
        return a;
      },
    };
    void server.handle(spy);
    const c = await DlmsClient.associate(client, {
      authentication: 'hls-gmac',
      security: { systemTitle: CLIENT_ST, ek: GB_EK, ak: GB_AK, dedicatedKey: new Uint8Array(16).fill(0x42) },
    });
    expect(await c.get(energy)).toEqual({ type: 'double-long-unsigned', value: 123456 });
    expect(await c.get(energy)).toEqual({ type: 'double-long-unsigned', value: 123456 });
    await c.close();
    // ded-get-request D0 in, ded-get-response D4 out (after the AARQ and the HLS pass 3 ACTION).
    expect(tags.filter((t) => t === 'in d0').length).toBe(2);
    expect(tags.filter((t) => t === 'out d4').length).toBe(2);
    await server.close();
  });

  it('ACTION with long parameters and long return parameters goes in pblocks both ways', async () => {
    // A test class whose method 1 returns its parameter.
    const ECHO = defineClass<Record<never, never>, { echo: Data }>({
      classId: 250,
      version: 0,
      name: 'Echo (test)',
      attributes: {},
      methods: { echo: { id: 1, name: 'echo', params: anyData, access: 'access' } },
    });
    class Echo extends CosemServerObject<Record<never, never>, { echo: Data }> {
      protected override invoke(_k: 'echo', p: Data): Data {
        return p;
      }
    }
    const objects = meterObjects(1);
    objects.add(new Echo(ECHO, '0.128.0.0.0.255', {}));
    const listener = new MemoryLinkListener();
    const server = new DlmsServer({ objects, associations: associations(), systemTitle: SERVER_ST });
    void server.serve(listener);
    const blocks: string[] = [];
    const c = await DlmsClient.associate(listener.connect({ client: 32, server: 1 }), {
      authentication: 'lls',
      password: LLS_PASSWORD,
      maxReceivePduSize: 256,
      conformance: ['get', 'set', 'action', 'block-transfer-with-action', 'block-transfer-with-get-or-read'],
      onEvent: (e) => {
        if (e.type === 'block') blocks.push(`${e.direction} ${e.n}`);
      },
    });
    const value: Data = { type: 'octet-string', value: new Uint8Array(2000).map((_, i) => (i * 7) & 0xff) };
    expect(await c.action({ classId: 250, obis: '0.128.0.0.0.255', method: 1 }, value)).toEqual(value);
    expect(blocks.filter((b) => b.startsWith('received')).length).toBeGreaterThan(5);
    await c.close();
    await server.close();
  });
});
