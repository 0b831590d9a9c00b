/**
 * Push from a simulated meter to a HES listener over the TCP wrapper: the instantaneous and alert pushes
 * arrive encrypted with the push association's key (policy `enc`, IS 15959 Push 0.0.43.0.4) and decode
 * with `decodePush`; a periodic push arrives on its own.
 */

import { fromHex } from '@ami-interop/dlms';
import { decodePush } from '@ami-interop/dlms/is15959';
import { type SimulatedMeters, startSimulatedMeters } from '@ami-interop/dlms/is15959/node';
import type { ApduLink } from '@ami-interop/dlms/link';
import { listenTcpWrapper, type TcpWrapperListener } from '@ami-interop/dlms/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let hes: TcpWrapperListener;
let sim: SimulatedMeters;
const received: Uint8Array[] = [];
let loop: Promise<void>;

beforeAll(async () => {
  hes = await listenTcpWrapper({ port: 0 });
  loop = (async () => {
    for await (const link of hes.accept()) {
      void (async (l: ApduLink) => {
        try {
          for (;;) received.push(await l.receive({ timeoutMs: 5000 }));
        } catch {
          await l.close();
        }
      })(link);
    }
  })();
  sim = await startSimulatedMeters({
    port: 0,
    meters: 2,
    seed: 'push',
    push: { host: '127.0.0.1', port: hes.port, intervalMs: 300 },
  });
}, 20_000);
afterAll(async () => {
  await sim?.close();
  await hes?.close();
  await loop;
});

async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('simulator push', () => {
  it('pushes instantaneous and alert data, encrypted, decodable with the push keys', async () => {
    const m = sim.meters[0]!;
    const keys = { ek: fromHex(m.keys['64'].guek), ak: fromHex(m.keys['64'].gak) };
    const inst = await m.handle.push('instantaneous');
    const alert = await m.handle.push('alert');
    const opts = { keys, systemTitle: fromHex(m.systemTitle), acceptPolicies: ['enc' as const] };
    const a = decodePush(inst, opts);
    expect(a.profile).toBe('instantaneous');
    expect(a.pushSetup).toBe('0.0.25.9.0.255');
    expect(a.deviceId).toBe(`SIM${m.serial}`); // the device id 0.0.96.1.2.255 of the simulator
    expect(a.security?.systemTitle).toBe(m.systemTitle);
    const b = decodePush(alert, opts);
    expect(b.profile).toBe('alert');
    expect(b.esw).toBeDefined();
    // What the HES listener received is what was sent (plus periodic pushes of both meters).
    await waitFor(() => received.some((r) => r.length === alert.length && r.every((x, i) => x === alert[i])));
    // Another meter's keys do not open it.
    const other = sim.meters[1]!;
    expect(() =>
      decodePush(inst, {
        keys: { ek: fromHex(other.keys['64'].guek), ak: fromHex(other.keys['64'].gak) },
        acceptPolicies: ['enc'],
      }),
    ).toThrow();
  }, 20_000);

  it('pushes the instantaneous profile periodically', async () => {
    const m = sim.meters[1]!;
    const keys = { ek: fromHex(m.keys['64'].guek), ak: fromHex(m.keys['64'].gak) };
    await waitFor(() =>
      received.some((r) => {
        try {
          return (
            decodePush(r, { keys, systemTitle: fromHex(m.systemTitle), acceptPolicies: ['enc'] }).deviceId ===
            `SIM${m.serial}`
          );
        } catch {
          return false;
        }
      }),
    );
  }, 20_000);
});
