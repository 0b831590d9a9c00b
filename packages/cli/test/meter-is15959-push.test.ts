/**
 * `ami meter check --push-port P`: the checker listens for one push while checking a simulated meter
 * whose push destination is P; the push is checked (format, types, ciphering). No push in time fails.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimulatedMeters, startSimulatedMeters } from '@ami-interop/dlms/is15959/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterIs15959Runner } from './helpers.ts';

const ami = meterIs15959Runner();

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise((r) => s.close(r));
  return typeof a === 'object' && a ? a.port : 0;
}

let sim: SimulatedMeters;
let pushPort: number;
const dir = mkdtempSync(join(tmpdir(), 'ami-push-'));
const keysFile = join(dir, 'keys.json');

beforeAll(async () => {
  pushPort = await freePort();
  sim = await startSimulatedMeters({
    port: 0,
    meters: 1,
    seed: 'cli-push',
    push: { host: '127.0.0.1', port: pushPort },
  });
  writeFileSync(keysFile, JSON.stringify([{ ...sim.meters[0]!, handle: undefined }]));
}, 20_000);

afterAll(async () => {
  await sim?.close();
});

describe('ami meter check --push-port', () => {
  it('checks the push the meter sends during the check', async () => {
    const m = sim.meters[0]!;
    const run = ami([
      'check',
      '--port',
      String(m.port),
      '--keys',
      keysFile,
      '--push-port',
      String(pushPort),
      '--json',
    ]);
    // The meter pushes as soon as the listener accepts (retried until it is up, 5 s at most).
    const t0 = Date.now();
    for (;;) {
      try {
        await m.handle.push('alert');
        break;
      } catch (e) {
        if (Date.now() - t0 > 5000) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const r = await run;
    expect(r.err).toBe('');
    const report = JSON.parse(r.out);
    const push = report.checks.find((c: { id: string }) => c.id === 'push');
    expect(push.status).toBe('pass');
    expect(push.detail).toMatch(/^0\.4\.25\.9\.0\.255 \(alert\), 1 values, enc/);
    expect(r.code).toBe(0);
  }, 40_000);

  it('fails when no push comes within --push-timeout', async () => {
    const m = sim.meters[0]!;
    const r = await ami([
      'check',
      '--port',
      String(m.port),
      '--push-port',
      String(await freePort()),
      '--push-timeout',
      '300',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no push arrived within 300 ms/);
  }, 30_000);
});
