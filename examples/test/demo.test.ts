import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedHesWalkThrough } from '../src/unified-hes.ts';

describe('the unified-HES walk-through', () => {
  it('seals and opens the keys, reads every simulated meter with HLS-GMAC, and builds a valid MeterReadings', async () => {
    const log: string[] = [];
    const r = await unifiedHesWalkThrough((l) => log.push(l), { meters: 2, hours: 2 });
    expect(r.meters).toHaveLength(2);
    for (const m of r.meters) expect(m.rows).toBeGreaterThanOrEqual(7); // 15-minute block load over 2 hours
    expect(r.message.kind).toBe('EventMessage');
    // Interval energy import (OBIS 1.0.1.29.0.255, Wh, 900 s), composed field by field from the 61968-9
    // enumerations (ESPI espi.xsd): measuringPeriod 2 fifteenMinute, accumulation 4 deltaData, flow 1
    // forward, commodity 1 electricity secondary metered, kind 12 energy, multiplier 0, unit 72 Wh.
    expect(r.xml).toContain('0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.0.72.0');
    expect(log.some((l) => l.startsWith('2. HES verified'))).toBe(true);
  });
});

describe('pnpm demo', () => {
  it('runs to the end and exits 0', () => {
    const root = join(import.meta.dirname, '..', '..');
    const r = spawnSync(
      process.execPath,
      ['--conditions=ami-source', '--import', 'tsx', 'examples/demo.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Part 2: the unified HES');
    expect(r.stdout).toContain('<msg:EventMessage');
  });
});
