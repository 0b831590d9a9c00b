/**
 * Load test: 1,000 concurrent Utility Settings associations (HLS-GMAC, authenticated encryption, Green Book
 * keys, one client system title each) against one DlmsServer, each reading a day of block load profile
 * (96 rows) with DlmsClient, then releasing. Over TCP loopback with the IEC 62056-47 wrapper when
 * `@ami-interop/dlms/node` has `listenTcpWrapper`, otherwise over memory links (said in the output).
 *
 * Bounded: 1,000 associations, a 30 s budget; traffic only to 127.0.0.1. Prints associations per second and
 * the latency percentiles (associate + read + release, per client).
 */
import { describe, expect, it } from 'vitest';
import type { Data } from '../src/axdr/types.ts';
import { DlmsClient } from '../src/client/index.ts';
import type { ApduLink, LinkListener } from '../src/link/index.ts';
import { MemoryLinkListener } from '../src/link/index.ts';
import { DlmsServer } from '../src/server/index.ts';
import { associations, FIXED_NOW, GB_AK, GB_EK, meterObjects, SERVER_ST } from './server-fixtures.ts';

const N = 1000;
const BUDGET_MS = 30_000;

interface Transport {
  name: string;
  listener: LinkListener;
  connect(): Promise<ApduLink>;
}

async function transport(): Promise<Transport> {
  const node = (await import('../src/node/index.ts')) as Record<string, unknown>;
  if (typeof node.listenTcpWrapper === 'function' && typeof node.connectTcpWrapper === 'function') {
    const listen = node.listenTcpWrapper as (o: {
      host: string;
      port: number;
    }) => Promise<LinkListener & { port: number }>;
    const connectTcp = node.connectTcpWrapper as (o: {
      host: string;
      port: number;
      client: number;
      server: number;
    }) => Promise<ApduLink>;
    const listener = await listen({ host: '127.0.0.1', port: 0 });
    return {
      name: `TCP wrapper on 127.0.0.1:${listener.port}`,
      listener,
      connect: () => connectTcp({ host: '127.0.0.1', port: listener.port, client: 48, server: 1 }),
    };
  }
  const listener = new MemoryLinkListener();
  return {
    name: 'memory links (src/node has no listenTcpWrapper yet)',
    listener,
    connect: async () => listener.connect({ client: 48, server: 1 }),
  };
}

function title(i: number): Uint8Array {
  const t = new Uint8Array(8);
  t.set([0x4d, 0x4d, 0x4d, 0x00]);
  new DataView(t.buffer).setUint32(4, i + 1);
  return t;
}

describe('DlmsServer under load', () => {
  it(`serves ${N} concurrent HLS-GMAC auth+enc associations, each reading a profile`, {
    timeout: BUDGET_MS + 10_000,
  }, async () => {
    const server = new DlmsServer({
      objects: meterObjects(96),
      associations: associations(),
      systemTitle: SERVER_ST,
      now: () => FIXED_NOW,
      inactivityTimeoutMs: BUDGET_MS,
    });
    const t = await transport();
    const serving = server.serve(t.listener);
    const deadline = AbortSignal.timeout(BUDGET_MS);
    const latencies: number[] = [];
    let failures = 0;
    const firstError: unknown[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const t0 = performance.now();
        let link: ApduLink | undefined;
        try {
          if (deadline.aborted) throw new Error('budget exhausted');
          link = await t.connect();
          const c = await DlmsClient.associate(link, {
            authentication: 'hls-gmac',
            security: { systemTitle: title(i), ek: GB_EK, ak: GB_AK },
            maxReceivePduSize: 1024,
            responseTimeoutMs: BUDGET_MS,
          });
          const rows = (await c.get({ classId: 7, obis: '1.0.99.1.0.255', attribute: 2 })) as {
            value: Data[];
          };
          if (rows.value.length !== 96) throw new Error(`got ${rows.value.length} rows`);
          await c.release();
          await c.close();
          latencies.push(performance.now() - t0);
        } catch (e) {
          failures++;
          if (firstError.length === 0) firstError.push(e);
          await link?.close();
        }
      }),
    );
    const wall = performance.now() - started;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    console.log(
      `[server-load] ${t.name}: ${N} associations (HLS-GMAC, auth+enc, 96-row profile each) in ${wall.toFixed(0)} ms = ` +
        `${((latencies.length / wall) * 1000).toFixed(0)} associations/s; latency p50 ${pct(50).toFixed(1)} ms, ` +
        `p99 ${pct(99).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms; failures ${failures}`,
    );
    expect(firstError).toEqual([]);
    expect(latencies.length).toBe(N);
    await server.close();
    await serving;
    // Every association was freed.
    expect(server.sessions).toEqual([]);
  });
});
