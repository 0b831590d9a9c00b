/**
 * `ami meter simulate|read|disconnect|reconnect` end to end in-process: three simulated meters on ephemeral
 * ports with `--keys-out`, then reads over the public client, the meter reader (LLS, ciphered) and utility
 * settings (HLS-GMAC, auth+enc) with the keys file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulatedMeters } from '@ami-interop/dlms/is15959/node';
import { buildSimulatorImage } from '@ami-interop/dlms/is15959/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../src/cli-error.ts';
import { type Command, type Group, runCommand } from '../src/command.ts';
import { meterIs15959Commands } from '../src/commands/meter-is15959.ts';
import type { Io } from '../src/io.ts';

function io() {
  const o = { out: '', err: '' };
  const x: Io = {
    out: (t) => {
      o.out += t;
    },
    err: (t) => {
      o.err += t;
    },
    readStdin: async () => undefined,
    readFile: (p) => new Uint8Array(readFileSync(p)),
  };
  return { o, io: x };
}

let stop!: () => void;
const stopped = new Promise<void>((r) => {
  stop = r;
});
const commands = meterIs15959Commands({ waitForStop: () => stopped });
const group: Group = { name: 'meter', summary: 'test', commands };
const cmd = (name: string): Command => commands.find((c) => c.name === name)!;

async function ami(args: string[]) {
  const [name, ...rest] = args;
  const { o, io: x } = io();
  let code: number;
  try {
    code = await runCommand(group, cmd(name!), rest, x);
  } catch (e) {
    const f = describeFailure(e);
    o.err += `${f.line}\n`;
    code = f.exitCode;
  }
  return { code, ...o };
}

const dir = mkdtempSync(join(tmpdir(), 'ami-sim-'));
const keysFile = join(dir, 'keys.json');
let simRun: Promise<{ code: number }>;
let simOut: { out: string; err: string };
let meters: { serial: string; port: number; systemTitle: string; guek: string; lls: string }[];

beforeAll(async () => {
  const { o, io: x } = io();
  simOut = o;
  simRun = runCommand(
    group,
    cmd('simulate'),
    ['--port', '0', '--meters', '3', '--seed', '7', '--keys-out', keysFile, '--json'],
    x,
  ).then((code) => ({ code }));
  const t0 = Date.now();
  while (!o.out.includes('listening')) {
    if (Date.now() - t0 > 15_000) throw new Error(`simulate did not start: ${o.err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  meters = JSON.parse(readFileSync(keysFile, 'utf8'));
}, 20_000);

afterAll(async () => {
  stop();
  const r = await simRun;
  expect(r.code).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('ami meter simulate', () => {
  it('writes the keys file: one record per meter, hex keys, distinct ports and system titles', () => {
    expect(meters).toHaveLength(3);
    for (const m of meters) {
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining([
          'serial',
          'port',
          'systemTitle',
          'guek',
          'gak',
          'mk',
          'lls',
          'hlsUs',
          'hlsFw',
        ]),
      );
      expect(m.guek).toMatch(/^[0-9A-F]{32}$/);
    }
    expect(new Set(meters.map((m) => m.port)).size).toBe(3);
    expect(new Set(meters.map((m) => m.systemTitle)).size).toBe(3);
    expect(JSON.parse(simOut.out).listening).toHaveLength(3);
  });

  it('rejects bad options with a usage error', async () => {
    const r = await ami(['simulate', '--meters', '0']);
    expect(r.code).toBe(2);
  });
});

describe('ami meter read', () => {
  it('name plate over the public client', async () => {
    const m = meters[1]!;
    const r = await ami(['read', 'nameplate', '--port', String(m.port), '--client', '16']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`serialNumber`);
    expect(r.out).toContain(m.serial);
  }, 20_000);

  it('instantaneous over the meter reader (LLS + encryption) from the keys file, as JSON with units', async () => {
    const m = meters[0]!;
    const r = await ami([
      'read',
      'instantaneous',
      '--port',
      String(m.port),
      '--client',
      '32',
      '--keys',
      keysFile,
      '--json',
    ]);
    expect(r.err).toBe('');
    const rows = JSON.parse(r.out);
    expect(rows[0].voltage.unit).toBe('V');
  }, 20_000);

  it('block load by date range over utility settings with --ek/--ak given by hand', async () => {
    const m = meters[2]! as (typeof meters)[number] & { gak: string };
    const r = await ami([
      'read',
      'block-load',
      '--port',
      String(m.port),
      '--client',
      '48',
      '--ek',
      m.guek,
      '--ak',
      m.gak,
      '--from',
      new Date(Date.now() - 3 * 3600_000).toISOString(),
      '--to',
      new Date(Date.now() - 2 * 3600_000).toISOString(),
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // An hour of 15-minute rows: 4 or 5 depending on alignment.
    expect(r.out).toMatch(/block-load: [45] rows/);
    expect(r.out).toMatch(/ V /);
    expect(r.out).toMatch(/ Wh/);
  }, 20_000);

  it('events', async () => {
    const m = meters[0]!;
    const r = await ami(['read', 'events', '--port', String(m.port), '--client', '48', '--keys', keysFile]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('powerEvents');
    expect(r.out).toContain('eventCode');
  }, 20_000);

  it('a wrong LLS password fails with exit 1', async () => {
    const m = meters[0]!;
    const r = await ami([
      'read',
      'nameplate',
      '--port',
      String(m.port),
      '--client',
      '32',
      '--keys',
      keysFile,
      '--secret',
      'nope',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).not.toBe('');
  }, 20_000);
});

describe('ami meter disconnect / reconnect', () => {
  it('changes the relay state, observable after', async () => {
    const m = meters[1]!;
    const d = await ami(['disconnect', '--port', String(m.port), '--keys', keysFile, '--json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out).connected).toBe(false);
    const r = await ami(['reconnect', '--port', String(m.port), '--keys', keysFile, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).connected).toBe(true);
  }, 20_000);
});

describe('ami meter check', () => {
  it('passes the clean simulator: exit 0, text, JSON and a readable HTML page', async () => {
    const m = meters[2]!;
    const html = join(dir, 'report.html');
    const r = await ami(['check', '--port', String(m.port), '--keys', keysFile, '--html', html]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('RESULT: PASS');
    expect(r.out).toMatch(/PASS {2}Utility Settings \(client 48\) associates/);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(m.serial);
    expect(page).not.toMatch(/<script|https?:\/\//);
    const j = await ami(['check', '--port', String(m.port), '--keys', keysFile, '--json']);
    const report = JSON.parse(j.out);
    expect(report.passed).toBe(true);
    expect(report.counts.fail).toBe(0);
  }, 30_000);

  it('fails a meter with a defect: exit 1 and the failing bytes in the report', async () => {
    const sim = await startSimulatedMeters({
      port: 0,
      meters: 1,
      seed: 'cli-defect',
      defects: ['wrong-type'],
    });
    try {
      const m = sim.meters[0]!;
      const kf = join(dir, 'defect-keys.json');
      writeFileSync(kf, JSON.stringify([{ ...m, handle: undefined }]));
      const r = await ami(['check', '--port', String(m.port), '--keys', kf]);
      expect(r.code).toBe(1);
      expect(r.out).toContain('RESULT: FAIL');
      expect(r.out).toMatch(/FAIL {2}Block load profile/i);
      expect(r.out).toMatch(/bytes 0A05[0-9A-F]{10}/);
    } finally {
      await sim.close();
    }
  }, 30_000);
});

describe('ami meter fw-upgrade', () => {
  it('transfers, verifies and activates an image; the name plate shows the new version', async () => {
    const m = meters[1]!;
    const img = join(dir, 'fw.bin');
    writeFileSync(img, buildSimulatorImage('SIM-9.1.0', new Uint8Array(5000).fill(0x5a)));
    const r = await ami(['fw-upgrade', '--port', String(m.port), '--keys', keysFile, '--image', img]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /firmware fw\.bin: 20 blocks \(20 sent, 0 already on the meter\), image_transfer_status 6/,
    );
    expect(r.err).toContain('activated');
    const np = await ami(['read', 'nameplate', '--port', String(m.port), '--json']);
    expect(JSON.parse(np.out)[0].firmwareVersion).toBe('SIM-9.1.0');
  }, 30_000);

  it('refuses a corrupt image (exit 1, not activated)', async () => {
    const m = meters[0]!;
    const bytes = buildSimulatorImage('SIM-6.6.6', new Uint8Array(600).fill(1));
    bytes[50]! ^= 0xff;
    const img = join(dir, 'bad.bin');
    writeFileSync(img, bytes);
    const r = await ami(['fw-upgrade', '--port', String(m.port), '--keys', keysFile, '--image', img]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/verification failed/);
  }, 30_000);
});
