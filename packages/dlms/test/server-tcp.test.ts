/**
 * DlmsServer over real sockets on 127.0.0.1 (`@ami-interop/dlms/node`): the IEC 62056-47 TCP wrapper and
 * HDLC over TCP, every IS 15959 association level (16 public, 32 LLS, 48 HLS-GMAC auth+enc) with
 * DlmsClient, a 3360-row profile, a client that drops its socket mid-association, and a client that sends
 * garbage while another is served.
 */
import { describe, expect, it } from 'vitest';
import type { Data } from '../src/axdr/types.ts';
import { type AssociateOptions, DlmsClient } from '../src/client/index.ts';
import type { ApduLink, LinkListener } from '../src/link/index.ts';
import { connectTcpHdlc, connectTcpWrapper, listenTcpHdlc, listenTcpWrapper } from '../src/node/index.ts';
import { MemoryInvocationCounterStore } from '../src/security/counter.ts';
import { DlmsServer, type ServerEvent } from '../src/server/index.ts';
import {
  associations,
  CLIENT_ST,
  FIXED_NOW,
  GB_AK,
  GB_EK,
  LLS_PASSWORD,
  meterObjects,
  SERVER_ST,
} from './server-fixtures.ts';

const HOST = '127.0.0.1';

async function start(kind: 'wrapper' | 'hdlc') {
  const events: ServerEvent[] = [];
  const server = new DlmsServer({
    objects: meterObjects(3360),
    associations: associations(),
    systemTitle: SERVER_ST,
    now: () => FIXED_NOW,
    onEvent: (e) => events.push(e),
  });
  const listener: LinkListener & { port: number } =
    kind === 'wrapper'
      ? await listenTcpWrapper({ host: HOST, port: 0 })
      : await listenTcpHdlc({ host: HOST, port: 0 });
  const serving = server.serve(listener);
  const connect = (client: number): Promise<ApduLink> =>
    kind === 'wrapper'
      ? connectTcpWrapper({ host: HOST, port: listener.port, client, server: 1 })
      : connectTcpHdlc({ host: HOST, port: listener.port, client, server: 1 });
  const stop = async () => {
    await server.close();
    await listener.close();
    await serving;
  };
  return { server, events, connect, stop };
}

const energy = { classId: 3, obis: '1.0.1.8.0.255', attribute: 2 };
const buffer = { classId: 7, obis: '1.0.99.1.0.255', attribute: 2 };
// A fresh client counter store per server: each new server starts its own counters again.
const levels = (counters = new MemoryInvocationCounterStore()): [number, AssociateOptions][] => [
  [
    16,
    { conformance: ['get', 'selective-access', 'block-transfer-with-get-or-read', 'multiple-references'] },
  ],
  [32, { authentication: 'lls', password: LLS_PASSWORD }],
  [48, { authentication: 'hls-gmac', security: { systemTitle: CLIENT_ST, ek: GB_EK, ak: GB_AK, counters } }],
];

for (const kind of ['wrapper', 'hdlc'] as const) {
  describe(`DlmsServer over ${kind === 'wrapper' ? 'the TCP wrapper' : 'HDLC over TCP'} on ${HOST}`, () => {
    it('serves every association level, including a 3360-row profile', async () => {
      const { connect, stop, server } = await start(kind);
      for (const [sap, options] of levels()) {
        const c = await DlmsClient.associate(await connect(sap), { maxReceivePduSize: 512, ...options });
        expect(await c.get(energy)).toEqual({ type: 'double-long-unsigned', value: 123456 });
        const rows = (await c.get(buffer)) as { value: Data[] };
        expect(rows.value.length).toBe(3360);
        await c.release();
        await c.close();
      }
      await stop();
      expect(server.sessions).toEqual([]);
    });

    it('frees a client that drops its connection, and survives garbage from another', async () => {
      const { connect, stop, server, events } = await start(kind);
      const dropped = await DlmsClient.associate(await connect(32), {
        authentication: 'lls',
        password: LLS_PASSWORD,
      });
      expect(await dropped.get(energy)).toBeDefined();
      await dropped.close(); // socket closed without RLRQ
      const garbage = await connect(16);
      await garbage.send(Uint8Array.of(0x60, 0x05, 0xa1, 0xff, 0xff, 0x00, 0x01));
      await garbage.closed;
      const ok = await DlmsClient.associate(await connect(16));
      expect(await ok.get(energy)).toEqual({ type: 'double-long-unsigned', value: 123456 });
      await ok.close();
      for (let i = 0; i < 100 && server.sessions.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.sessions).toEqual([]);
      expect(events.some((e) => e.type === 'released' && e.reason === 'link-closed')).toBe(true);
      expect(
        events.some((e) => e.type === 'refused' && e.what === 'apdu' && e.error?.code === 'MALFORMED'),
      ).toBe(true);
      await stop();
    });
  });
}
