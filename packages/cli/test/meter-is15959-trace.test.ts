/**
 * `ami meter check --trace FILE`: a session between our client and the simulator is recorded on the link
 * (a TCP proxy on 127.0.0.1 keeps every wrapper frame of both directions), written as hex lines or raw
 * bytes, and checked: the clean trace passes (exit 0), a trace with a replayed meter frame fails (exit 1)
 * naming the repeated counter.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@ami-interop/dlms';
import {
  connectMeter,
  credentialsFor,
  type SimulatedMeters,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterIs15959Runner } from './helpers.ts';

const ami = meterIs15959Runner();

/** Splits one direction's stream into whole wrapper frames (8-byte header, length in bytes 6–7). */
function splitter(out: Uint8Array[]) {
  let buf = new Uint8Array(0);
  return (chunk: Uint8Array) => {
    const n = new Uint8Array(buf.length + chunk.length);
    n.set(buf);
    n.set(chunk, buf.length);
    buf = n;
    while (buf.length >= 8 && buf.length >= 8 + ((buf[6]! << 8) | buf[7]!)) {
      const len = 8 + ((buf[6]! << 8) | buf[7]!);
      out.push(buf.slice(0, len));
      buf = buf.slice(len);
    }
  };
}

let sim: SimulatedMeters;
let proxy: Server;
const frames: Uint8Array[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ami-trace-'));
const keysFile = join(dir, 'keys.json');

beforeAll(async () => {
  sim = await startSimulatedMeters({ port: 0, meters: 1, seed: 'cli-trace' });
  const m = sim.meters[0]!;
  writeFileSync(keysFile, JSON.stringify([{ ...m, handle: undefined }]));
  proxy = createServer((down: Socket) => {
    const up = tcpConnect({ host: m.host, port: m.port });
    const c2s = splitter(frames);
    const s2c = splitter(frames);
    down.on('data', (d) => {
      c2s(d);
      up.write(d);
    });
    up.on('data', (d) => {
      s2c(d);
      down.write(d);
    });
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const a = proxy.address();
  const c = await connectMeter({
    host: '127.0.0.1',
    port: typeof a === 'object' && a ? a.port : 0,
    client: 48,
    credentials: credentialsFor(m, 48),
  });
  for (const obis of ['1.0.12.7.0.255', '1.0.11.7.0.255']) {
    await c.get({ classId: 3, obis, attribute: 2 });
    await c.get({ classId: 3, obis, attribute: 3 });
  }
  await c.get({ classId: 7, obis: '1.0.94.91.0.255', attribute: 3 });
  await c.get({ classId: 7, obis: '1.0.94.91.0.255', attribute: 2 });
  await c.release();
  await c.close();
  await new Promise((r) => setTimeout(r, 50));
}, 30_000);

afterAll(async () => {
  proxy?.close();
  await sim?.close();
});

describe('ami meter check --trace', () => {
  it('passes the clean trace given as hex lines, and as raw bytes', async () => {
    const hexFile = join(dir, 'clean.hex');
    writeFileSync(hexFile, `${frames.map((f) => toHex(f)).join('\n')}\n`);
    const r = await ami(['check', '--trace', hexFile, '--keys', keysFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('RESULT: PASS');
    expect(r.out).toContain(`trace ${hexFile}`);
    expect(r.out).toMatch(/PASS {2}values read on their own/);
    const binFile = join(dir, 'clean.bin');
    const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let o = 0;
    for (const f of frames) {
      all.set(f, o);
      o += f.length;
    }
    writeFileSync(binFile, all);
    const j = await ami(['check', '--trace', binFile, '--keys', keysFile, '--json']);
    expect(j.code).toBe(0);
    const report = JSON.parse(j.out);
    expect(report.passed).toBe(true);
    expect(report.checks.find((c: { id: string }) => c.id === 'profile:instantaneous').status).toMatch(
      /pass|warn/,
    );
  });

  it('fails a trace where the meter repeats an invocation counter: exit 1, the frame named', async () => {
    const i = frames.findIndex((f, k) => k > 1 && f[8] === 0xcc);
    const tampered = [...frames.slice(0, i + 1), frames[i]!, ...frames.slice(i + 1)];
    const file = join(dir, 'replayed.hex');
    writeFileSync(file, tampered.map((f) => toHex(f)).join('\n'));
    const r = await ami(['check', '--trace', file, '--keys', keysFile]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('RESULT: FAIL');
    expect(r.out).toMatch(
      new RegExp(
        `the meter sent invocation counter \\d+ in frame ${i + 1} after \\d+ in frame ${i}: repeated`,
      ),
    );
  });

  it('needs --serial when the keys file lists several meters', async () => {
    const kf = join(dir, 'two.json');
    const one = JSON.parse(readFileSync(keysFile, 'utf8'))[0];
    writeFileSync(kf, JSON.stringify([one, { ...one, serial: 'OTHER' }]));
    const file = join(dir, 'clean2.hex');
    writeFileSync(file, frames.map((f) => toHex(f)).join('\n'));
    const r = await ami(['check', '--trace', file, '--keys', kf]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/give --serial/);
    const ok = await ami(['check', '--trace', file, '--keys', kf, '--serial', one.serial]);
    expect(ok.code).toBe(0);
  });
});
