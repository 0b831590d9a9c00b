/**
 * The networked checker against the simulator over TCP: the clean simulator passes every check; a
 * simulator with each class of defect fails, with a finding naming the object and, where there is one,
 * the bytes.
 */

import {
  checkMeter,
  type MeterCheckReport,
  SIMULATOR_DEFECTS,
  type SimulatedMeters,
  type SimulatorDefect,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sims: SimulatedMeters[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

async function checked(defects: SimulatorDefect[] = []): Promise<MeterCheckReport> {
  const sim = await startSimulatedMeters({ port: 0, meters: 1, seed: 'check', defects });
  sims.push(sim);
  const m = sim.meters[0]!;
  return checkMeter({ host: m.host, port: m.port, keys: m, replayTimeoutMs: 800 });
}

function failures(r: MeterCheckReport) {
  return r.checks
    .filter((c) => c.status === 'fail')
    .flatMap((c) => c.findings.map((f) => ({ check: c.id, ...f })));
}

describe('checkMeter', () => {
  let clean: MeterCheckReport;
  beforeAll(async () => {
    clean = await checked();
  }, 30_000);

  it('passes the clean simulator', () => {
    expect(failures(clean)).toEqual([]);
    expect(clean.passed).toBe(true);
    const ids = clean.checks.map((c) => c.id);
    for (const id of [
      'associate:16',
      'associate:32',
      'associate:48',
      'associate:80',
      'security:plain-refused:48',
      'object-list:48',
      'security-policy:48',
      'profile:blockLoad',
      'profile:instantaneous',
      'profile:voltageEvents',
      'block-transfer',
      'selective-access',
      'registers',
      'invocation-counter',
    ]) {
      expect(ids).toContain(id);
    }
    expect(clean.checks.find((c) => c.id === 'block-transfer')!.status).toBe('pass');
    expect(clean.checks.find((c) => c.id === 'invocation-counter')!.status).toBe('pass');
  });

  const expectations: Record<
    SimulatorDefect,
    { check: RegExp; id: string; message: RegExp; bytes?: RegExp }
  > = {
    'wrong-type': {
      check: /^profile:blockLoad$/,
      id: 'wrong-type',
      message: /avgVoltage \(1\.0\.12\.27\.0\.255 attribute 2\) must be .* got visible-string/,
      bytes: /^0A05[0-9A-F]{10}$/,
    },
    'wrong-scaler': {
      check: /^registers$/,
      id: 'wrong-scaler',
      message: /1\.0\.12\.7\.0\.255.*scaler -3/,
      bytes: /^020212FD1623$|^02020FFD1623$/,
    },
    'missing-object': {
      check: /^object-list:(32|48)$/,
      id: 'missing-object',
      message: /does not list Daily load profile.* 1\.0\.99\.2\.0\.255 \(class 7\)/i,
    },
    'wrong-access': {
      check: /^object-list:16$/,
      id: 'wrong-access',
      message: /Public Client.*attribute 2 of 0\.0\.1\.0\.0\.255/,
    },
    'counter-reuse': {
      check: /^invocation-counter$/,
      id: 'replay-accepted',
      message: /repeated invocation counter \d+/,
    },
    'capture-order': {
      check: /^profile:blockLoad$/,
      id: 'capture-order',
      message: /is captured after .*; the catalogue has it before/,
    },
  };

  for (const defect of SIMULATOR_DEFECTS) {
    it(`fails a simulator with the defect '${defect}', with a precise message`, async () => {
      const r = await checked([defect]);
      expect(r.passed).toBe(false);
      const x = expectations[defect];
      const hit = failures(r).find((f) => x.check.test(f.check) && f.id === x.id);
      expect(hit, JSON.stringify(failures(r), null, 1)).toBeDefined();
      expect(hit!.message).toMatch(x.message);
      if (x.bytes) expect(hit!.bytes).toMatch(x.bytes);
    }, 30_000);
  }
});
