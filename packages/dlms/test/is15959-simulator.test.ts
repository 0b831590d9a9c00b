import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Data, encodeData } from '../src/axdr/index.ts';
import type { CosemContext } from '../src/cosem/index.ts';
import { toHex } from '../src/internal/hex.ts';
import {
  createSimulatedMeter,
  deriveSecret,
  eventsFromRows,
  pairEpisodes,
  profileRows,
  type Quantity,
  type Row,
  type SimulatedMeter,
  simulatedMeterSecrets,
} from '../src/is15959/index.ts';

const NOW = new Date('2024-03-15T05:07:00Z');

function reader(m: SimulatedMeter) {
  const ctx: CosemContext = { now: () => m.now };
  const get = (ln: string, attribute: number): Data => {
    const o = m.objects.findByName(ln);
    if (!o) throw new Error(`simulated meter has no ${ln}`);
    return o.get(attribute, ctx);
  };
  const rows = (ln: string, scalerProfile?: string): Row[] =>
    profileRows({
      captureObjects: get(ln, 3),
      buffer: get(ln, 2),
      scalerUnits: scalerProfile
        ? { captureObjects: get(scalerProfile, 3), buffer: get(scalerProfile, 2) }
        : undefined,
    });
  return { get, rows };
}

const val = (c: unknown): number => (c as Quantity).value;
/** The value of a quantity in Wh (throws on another unit). */
const wh = (c: unknown): number => {
  const q = c as Quantity;
  if (q.unit !== 'Wh') throw new Error(`expected Wh, got ${JSON.stringify(c)}`);
  return q.value;
};

function checkPhysics(m: SimulatedMeter): void {
  const { get, rows } = reader(m);
  const bad: string[] = [];
  const check = (ok: boolean, what: () => string) => {
    if (!ok && bad.length < 10) bad.push(what());
  };
  const three = m.variant.phases === 3;
  const block = rows('1.0.99.1.0.255', '1.0.94.91.4.255');
  expect(block).toHaveLength(m.variant.blockLoadDepth);
  const power = rows('0.0.99.98.2.255', '1.0.94.91.7.255');
  const outages = pairEpisodes(eventsFromRows(power)).episodes;
  const inOutage = (t: string) =>
    outages.some((e) => e.start !== undefined && e.end !== undefined && t > e.start && t <= e.end);
  const P = m.variant.blockLoadPeriod;
  const vNames = three ? ['avgVoltageR', 'avgVoltageY', 'avgVoltageB'] : ['avgVoltage'];
  const iNames = three ? ['avgCurrentR', 'avgCurrentY', 'avgCurrentB'] : ['avgCurrent'];
  let prevT = 0;
  for (const r of block) {
    const ts = r['timestamp'] as string;
    const t = Date.parse(ts);
    check(prevT === 0 || t - prevT === P * 1000, () => `${ts}: not ${P} s after the previous row`);
    prevT = t;
    const e = wh(r['blockEnergyWhImport']);
    const vah = val(r['blockEnergyVAhImport']);
    check(Number.isInteger(e) && vah >= e, () => `${ts}: Wh ${e}, VAh ${vah}`);
    const off = inOutage(ts);
    let watts = 0;
    for (let p = 0; p < vNames.length; p++) {
      const v = val(r[vNames[p]!]);
      const i = val(r[iNames[p]!]);
      if (off) check(v === 0 && e === 0, () => `${ts}: supply during a power failure (V ${v}, Wh ${e})`);
      else check(v >= 190 && v <= 250, () => `${ts}: voltage ${v} out of 190..250`);
      // P = V · I · pf with pf = Wh / VAh (rounding of Wh, VAh and the scaled values allowed)
      if (v > 0 && e > 0) watts += v * i * (e / vah);
    }
    const avgW = (e * 3600) / P;
    check(
      e === 0 || Math.abs(watts - avgW) < 0.05 * avgW + 10,
      () => `${ts}: V·I·pf ${watts} W vs ${avgW} W`,
    );
  }
  expect(bad).toEqual([]);
  // Daily snapshots: monotonic, and consecutive differences equal the sum of block energies in between.
  const daily = rows('1.0.99.2.0.255', '1.0.94.91.5.255');
  expect(daily.length).toBe(70);
  for (let d = 1; d < daily.length; d++) {
    check(
      wh(daily[d]!['energyWhImport']) >= wh(daily[d - 1]!['energyWhImport']),
      () => `daily ${d} decreases`,
    );
  }
  const byTime = new Map(block.map((r) => [Date.parse(r['timestamp'] as string), r]));
  let checkedDays = 0;
  for (let d = 1; d < daily.length; d++) {
    const a = Date.parse(daily[d - 1]!['timestamp'] as string);
    const b = Date.parse(daily[d]!['timestamp'] as string);
    if (!byTime.has(a + P * 1000)) continue;
    let sum = 0;
    for (let t = a + P * 1000; t <= b; t += P * 1000) sum += wh(byTime.get(t)!['blockEnergyWhImport']);
    const delta = wh(daily[d]!['energyWhImport']) - wh(daily[d - 1]!['energyWhImport']);
    check(delta === sum, () => `day ${daily[d]!['timestamp']}: register delta ${delta} ≠ block sum ${sum}`);
    checkedDays++;
  }
  expect(bad).toEqual([]);
  expect(checkedDays).toBeGreaterThanOrEqual(Math.floor((block.length * P) / 86400) - 1);
  // The register now = last daily snapshot + the blocks since.
  const inst = rows('1.0.94.91.0.255', '1.0.94.91.3.255')[0]!;
  const lastDaily = daily[daily.length - 1]!;
  let since = 0;
  for (const r of block)
    if ((r['timestamp'] as string) > (lastDaily['timestamp'] as string))
      since += wh(r['blockEnergyWhImport']);
  expect(wh(inst['energyWhImport']) - wh(lastDaily['energyWhImport'])).toBe(since);
  // Instantaneous P = V · I · pf (to the rounding of the scaled values).
  const vs = three ? ['voltageR', 'voltageY', 'voltageB'] : ['voltage'];
  const is = three ? ['currentR', 'currentY', 'currentB'] : ['phaseCurrent'];
  const pfs = three ? ['powerFactorR', 'powerFactorY', 'powerFactorB'] : ['powerFactor'];
  let p = 0;
  for (let k = 0; k < vs.length; k++) {
    expect(val(inst[vs[k]!])).toBeGreaterThanOrEqual(215);
    expect(val(inst[vs[k]!])).toBeLessThanOrEqual(245);
    p += val(inst[vs[k]!]) * val(inst[is[k]!]) * val(inst[pfs[k]!]);
  }
  expect(Math.abs(p - val(inst['activePower']))).toBeLessThanOrEqual(1);
  // Billing: monotonic, TOD zones add up to the total.
  const billing = rows('1.0.98.1.0.255', '1.0.94.91.6.255');
  expect(billing.length).toBe(m.variant.billingDepth);
  for (let k = 0; k < billing.length; k++) {
    const b = billing[k]!;
    let z = 0;
    for (let i = 1; i <= 8; i++) z += wh(b[`energyWhImportTz${i}`]);
    check(z === wh(b['energyWhImport']), () => `billing ${k}: zones ${z} ≠ total`);
    if (k > 0)
      check(
        wh(b['energyWhImport']) > wh(billing[k - 1]!['energyWhImport']),
        () => `billing ${k} not increasing`,
      );
  }
  expect(bad).toEqual([]);
  expect(get('0.0.96.1.0.255', 2)).toEqual({
    type: 'octet-string',
    value: new TextEncoder().encode(m.serial),
  });
}

describe('createSimulatedMeter', () => {
  it('builds a single-phase Part 2 meter whose data follows physics', () => {
    const m = createSimulatedMeter({
      variant: { part: 2, phases: 1 },
      serial: 'SIM0001',
      seed: 42,
      now: NOW,
    });
    checkPhysics(m);
    // objects of the catalogue are there
    for (const a of m.catalogue.associations.filter((x) => x.clientSap !== undefined)) {
      expect(m.objects.find(15, a.associationLn), a.associationLn).toBeDefined();
      if (a.securitySetup) expect(m.objects.find(64, a.securitySetup)).toBeDefined();
    }
    expect(m.objects.find(70, '0.0.96.3.10.255')).toBeDefined();
    expect(m.objects.find(71, '0.0.17.0.0.255')).toBeDefined();
    expect(m.objects.find(18, '0.0.44.0.0.255')).toBeDefined();
    expect(m.objects.find(40, '0.0.25.9.0.255')).toBeDefined();
    // events: a power failure episode with a duration, a magnet tamper
    const { rows } = reader(m);
    const all = [0, 1, 2, 3, 4, 5, 6].flatMap((i) =>
      eventsFromRows(rows(`0.0.99.98.${i}.255`, '1.0.94.91.7.255')),
    );
    const { episodes, unknown } = pairEpisodes(all);
    expect(unknown).toEqual([]);
    expect(episodes.map((e) => e.code).sort((a, b) => a - b)).toEqual([9, 101, 201, 301]);
    for (const e of episodes) expect(e.durationSeconds).toBeGreaterThan(0);
  });

  it('builds three-phase and Part 3 variants (no disconnect control on Part 3)', () => {
    const m3 = createSimulatedMeter({ variant: { part: 2, phases: 3 }, serial: 'SIM3P', seed: 7, now: NOW });
    checkPhysics(m3);
    const p3 = createSimulatedMeter({
      variant: { part: 3, phases: 3, blockLoadPeriod: 1800 },
      serial: 'CT1',
      seed: 7,
      now: NOW,
    });
    checkPhysics(p3);
    expect(p3.objects.findByName('0.0.96.3.10.255')).toBeUndefined();
  });

  it('is reproducible: same seed, same keys and data; another serial or seed, other keys', () => {
    const a = createSimulatedMeter({
      variant: { part: 2, phases: 1 },
      serial: 'SIM0001',
      seed: 42,
      now: NOW,
    });
    const b = createSimulatedMeter({
      variant: { part: 2, phases: 1 },
      serial: 'SIM0001',
      seed: 42,
      now: NOW,
    });
    expect(toHex(a.secrets.systemTitle)).toBe(toHex(b.secrets.systemTitle));
    expect(a.secrets).toEqual(b.secrets);
    const ra = reader(a);
    const rb = reader(b);
    expect(toHex(encodeData(ra.get('1.0.99.1.0.255', 2)))).toBe(
      toHex(encodeData(rb.get('1.0.99.1.0.255', 2))),
    );
    expect(toHex(a.secrets.systemTitle).startsWith('53494D')).toBe(true);
    const c = simulatedMeterSecrets(42, 'SIM0002');
    const d = simulatedMeterSecrets(43, 'SIM0001');
    expect(toHex(c.keys[48].guek)).not.toBe(toHex(a.secrets.keys[48].guek));
    expect(toHex(d.keys[48].guek)).not.toBe(toHex(a.secrets.keys[48].guek));
    expect(toHex(a.secrets.keys[48].guek)).not.toBe(toHex(a.secrets.keys[64].guek));
    expect(a.secrets.llsSecret).toMatch(/^[0-9A-Z]{16}$/);
  });

  it('derives secrets with HKDF-SHA256 as documented', async () => {
    // Cross-check against node:crypto's HKDF (an independent implementation).
    const { hkdfSync } = await import('node:crypto');
    const info = Buffer.concat([Buffer.from('SIM0001'), Buffer.from([0]), Buffer.from('guek/48')]);
    const expected = Buffer.from(
      hkdfSync('sha256', Buffer.from('42'), Buffer.from('ami-interop/is15959/simulator/v1'), info, 16),
    );
    expect(toHex(deriveSecret(42, 'SIM0001', 'guek/48', 16))).toBe(toHex(expected));
    expect(toHex(simulatedMeterSecrets(42, 'SIM0001').keys[48].guek)).toBe(toHex(expected));
  });

  it('satisfies the physics invariants for any seed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom<1 | 3>(1, 3), (seed, phases) => {
        checkPhysics(
          createSimulatedMeter({
            variant: { part: 2, phases, blockLoadDepth: 96 * 8 },
            serial: `P${seed}`,
            seed,
            now: new Date(NOW.getTime() + seed * 61_000),
          }),
        );
      }),
      { numRuns: 6 },
    );
  });

  it('refuses bad options with INVALID_ARGUMENT', () => {
    expect(() =>
      createSimulatedMeter({ variant: { part: 4 as 2, phases: 1 }, serial: 'x', seed: 1, now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      createSimulatedMeter({ variant: { part: 2, phases: 1 }, serial: '', seed: 1, now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      createSimulatedMeter({
        variant: { part: 2, phases: 1 },
        serial: 'x',
        seed: 1,
        now: new Date(Number.NaN),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      createSimulatedMeter({
        variant: { part: 2, phases: 1 },
        serial: 'x',
        seed: 1,
        now: NOW,
        deviation: -7,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
