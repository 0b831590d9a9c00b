/**
 * `checkTrace` on traces recorded on the link: a TCP proxy between our client and the simulator keeps
 * every wrapper frame of both directions in order; the clean session passes, a session with the
 * simulator's wrong-type defect and a trace with a replayed meter frame fail with precise findings.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import {
  checkTrace,
  connectMeter,
  credentialsFor,
  type MeterCheckReport,
  type SimulatedMeters,
  type SimulatorDefect,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sims: SimulatedMeters[] = [];
const proxies: Server[] = [];
afterAll(async () => {
  for (const p of proxies) p.close();
  await Promise.all(sims.map((s) => s.close()));
});

/** Splits one direction's byte stream into whole wrapper frames (8-byte header, length in bytes 6–7). */
function wrapperSplitter(out: Uint8Array[]) {
  let buf = new Uint8Array(0);
  return (chunk: Uint8Array) => {
    const n = new Uint8Array(buf.length + chunk.length);
    n.set(buf);
    n.set(chunk, buf.length);
    buf = n;
    while (buf.length >= 8) {
      const len = (buf[6]! << 8) | buf[7]!;
      if (buf.length < 8 + len) break;
      out.push(buf.slice(0, 8 + len));
      buf = buf.slice(8 + len);
    }
  };
}

/** A recording proxy to host:port on 127.0.0.1. */
async function recordingProxy(host: string, port: number): Promise<{ port: number; frames: Uint8Array[] }> {
  const frames: Uint8Array[] = [];
  const server = createServer((down: Socket) => {
    const up = tcpConnect({ host, port });
    const fromClient = wrapperSplitter(frames);
    const fromMeter = wrapperSplitter(frames);
    down.on('data', (d) => {
      fromClient(d);
      up.write(d);
    });
    up.on('data', (d) => {
      fromMeter(d);
      down.write(d);
    });
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  proxies.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, frames };
}

async function recordSession(defects: SimulatorDefect[] = []) {
  const sim = await startSimulatedMeters({ port: 0, meters: 1, seed: 'trace', defects });
  sims.push(sim);
  const m = sim.meters[0]!;
  const proxy = await recordingProxy(m.host, m.port);
  const c = await connectMeter({
    host: '127.0.0.1',
    port: proxy.port,
    client: 48,
    credentials: credentialsFor(m, 48),
  });
  await c.get({ classId: 8, obis: '0.0.1.0.0.255', attribute: 2 });
  await c.get({ classId: 15, obis: '0.0.40.0.0.255', attribute: 2 });
  await c.get({ classId: 64, obis: '0.0.43.0.3.255', attribute: 2 }).catch(() => undefined);
  for (const obis of ['1.0.12.7.0.255', '1.0.11.7.0.255']) {
    await c.get({ classId: 3, obis, attribute: 2 });
    await c.get({ classId: 3, obis, attribute: 3 });
  }
  for (const obis of [
    '1.0.94.91.0.255',
    '1.0.94.91.3.255',
    '1.0.99.1.0.255',
    '1.0.94.91.4.255',
    '0.0.99.98.0.255',
    '1.0.94.91.7.255',
  ]) {
    await c.get({ classId: 7, obis, attribute: 3 });
    await c.get({ classId: 7, obis, attribute: 2 });
  }
  await c.release();
  await c.close();
  await new Promise((r) => setTimeout(r, 50));
  return { frames: [...proxy.frames], keys: m };
}

const failing = (r: MeterCheckReport) =>
  r.checks.filter((c) => c.status === 'fail').flatMap((c) => c.findings.map((f) => ({ check: c.id, ...f })));

describe('checkTrace', () => {
  let clean: Awaited<ReturnType<typeof recordSession>>;
  let cleanReport: MeterCheckReport;
  beforeAll(async () => {
    clean = await recordSession();
    cleanReport = checkTrace({ frames: clean.frames, keys: clean.keys });
  }, 30_000);

  it('passes a clean recorded session, checking what was read', () => {
    expect(failing(cleanReport)).toEqual([]);
    expect(cleanReport.passed).toBe(true);
    const status = Object.fromEntries(cleanReport.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      trace: 'pass',
      associate: 'pass',
      'invocation-counter': 'pass',
      'object-list:48': expect.stringMatching(/pass|warn/),
      'profile:blockLoad': 'pass',
      'profile:instantaneous': expect.stringMatching(/pass|warn/),
      registers: 'pass',
      push: 'skip',
    });
    // The block-load buffer came in general-block-transfer blocks and was joined and checked.
    expect(cleanReport.checks.find((c) => c.id === 'profile:blockLoad')!.detail).toMatch(
      /^\d+ rows in 1 block/,
    );
    expect(cleanReport.checks.find((c) => c.id === 'registers')!.detail).toMatch(/^[1-9]\d* values/);
    // A profile not read in the trace is skipped with the reason.
    const daily = cleanReport.checks.find((c) => c.id === 'profile:dailyLoad');
    expect(daily?.status).toBe('skip');
    expect(daily?.detail).toMatch(/not read/);
    expect(cleanReport.meter.serial).toBe(clean.keys.serial);
  });

  it('without keys, ciphered data is skipped and the trace check says why', () => {
    const r = checkTrace({ frames: clean.frames });
    expect(r.checks.find((c) => c.id === 'trace')!.status).toBe('warn');
    expect(r.checks.find((c) => c.id === 'registers')!.status).toBe('skip');
    expect(r.checks.find((c) => c.id === 'profile:blockLoad')!.status).toBe('skip');
  });

  it('fails a session whose meter sends a wrong type, naming the object and the bytes', async () => {
    const bad = await recordSession(['wrong-type']);
    const r = checkTrace({ frames: bad.frames, keys: bad.keys });
    expect(r.passed).toBe(false);
    const f = failing(r).find((x) => x.id === 'wrong-type');
    expect(f).toMatchObject({
      check: 'profile:blockLoad',
      message: expect.stringMatching(
        /avgVoltage \(1\.0\.12\.27\.0\.255 attribute 2\) must be .* got visible-string/,
      ),
      bytes: expect.stringMatching(/^0A05/),
    });
  }, 30_000);

  it('fails a trace where the meter repeats an invocation counter', () => {
    // Replay the meter's response to the first GET right after itself.
    const frames = [...clean.frames];
    const i = frames.findIndex((f, k) => k > 1 && f[8] === 0xcc); // glo-get-response
    expect(i).toBeGreaterThan(0);
    frames.splice(i + 1, 0, frames[i]!);
    const r = checkTrace({ frames, keys: clean.keys });
    expect(r.passed).toBe(false);
    const ic = r.checks.find((c) => c.id === 'invocation-counter')!;
    expect(ic.status).toBe('fail');
    expect(ic.findings).toHaveLength(1);
    expect(ic.findings[0]).toMatchObject({
      id: 'counter-not-increasing',
      severity: 'error',
      path: `trace[${i + 1}].security.invocationCounter`,
      message: expect.stringMatching(
        new RegExp(
          `the meter sent invocation counter \\d+ in frame ${i + 1} after \\d+ in frame ${i}: repeated`,
        ),
      ),
    });
  });

  it('a trace that is not DLMS does not throw: the trace check warns', () => {
    const r = checkTrace({ frames: [Uint8Array.of(0x00, 0x01, 0x00, 0x30, 0x00, 0x01, 0x00, 0x09, 1, 2)] });
    expect(r.checks.find((c) => c.id === 'trace')!.status).not.toBe('pass');
  });

  it('never throws on random frames or on the recorded frames with bytes flipped', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 8 }), (frames) => {
        const r = checkTrace({ frames, keys: clean.keys });
        expect(r.checks.length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (f, b, x) => {
        const frames = clean.frames.map((y) => y.slice());
        const fr = frames[f % frames.length]!;
        fr[b % fr.length]! ^= x;
        checkTrace({ frames, keys: clean.keys });
      }),
      { numRuns: 10 },
    );
  });
});
