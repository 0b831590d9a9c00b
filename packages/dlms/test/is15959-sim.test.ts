/**
 * Simulated IS 15959 meters over TCP (127.0.0.1, ephemeral ports): three meters, each with its own keys,
 * read over the public client (16), the meter reader (32, LLS, ciphered) and utility settings (48,
 * HLS-GMAC, auth+enc): name plate, instantaneous values, block load by date range, events, with units.
 */

import type { DlmsClient } from '@ami-interop/dlms/client';
import { is15959Catalogue } from '@ami-interop/dlms/is15959';
import {
  connectMeter,
  credentialsFor,
  type SimulatedMeters,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import { readEvents, readProfile } from '@ami-interop/dlms/is15959/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NOW = new Date('2024-03-15T05:00:00Z');
let sim: SimulatedMeters;

beforeAll(async () => {
  sim = await startSimulatedMeters({ port: 0, meters: 3, seed: 42, now: NOW });
}, 20_000);
afterAll(async () => {
  await sim?.close();
});

async function withClient<T>(k: number, sap: 16 | 32 | 48, f: (c: DlmsClient) => Promise<T>): Promise<T> {
  const m = sim.meters[k]!;
  const c = await connectMeter({
    host: m.host,
    port: m.port,
    client: sap,
    credentials: credentialsFor(m, sap),
  });
  try {
    return await f(c);
  } finally {
    await c.release().catch(() => undefined);
    await c.close();
  }
}

const cat = is15959Catalogue({ part: 2, phases: 1 });

describe('startSimulatedMeters', () => {
  it('starts three meters with their own serial, system title and keys', () => {
    expect(sim.meters).toHaveLength(3);
    const serials = new Set(sim.meters.map((m) => m.serial));
    const titles = new Set(sim.meters.map((m) => m.systemTitle));
    const keys = new Set(sim.meters.map((m) => m.guek));
    const ports = new Set(sim.meters.map((m) => m.port));
    expect(serials.size).toBe(3);
    expect(titles.size).toBe(3);
    expect(keys.size).toBe(3);
    expect(ports.size).toBe(3);
    expect(sim.meters[0]!.systemTitle).toMatch(/^53494D[0-9A-F]{10}$/);
  });

  it('reads the name plate of every meter over the public client, each with its serial', async () => {
    for (let k = 0; k < 3; k++) {
      const rows = await withClient(k, 16, (c) => readProfile(c, cat, 'namePlate'));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.serialNumber).toBe(sim.meters[k]!.serial);
      expect(rows[0]!.manufacturer).toBe('AMI-INTEROP SIMULATOR');
    }
  }, 20_000);

  it('reads instantaneous values with units over the meter reader (LLS, ciphered)', async () => {
    const rows = await withClient(1, 32, (c) => readProfile(c, cat, 'instantaneous'));
    expect(rows).toHaveLength(1);
    const v = rows[0]!.voltage as { value: number; unit: string };
    expect(v.unit).toBe('V');
    expect(v.value).toBeGreaterThan(200);
    expect(v.value).toBeLessThan(260);
    expect(rows[0]!.timestamp).toMatch(/^2024-03-15T10:30:00\+05:30$/);
  }, 20_000);

  it('reads block load by date range over utility settings (HLS-GMAC, auth+enc)', async () => {
    const from = new Date('2024-03-14T00:00:00+05:30');
    const to = new Date('2024-03-14T06:00:00+05:30');
    const rows = await withClient(2, 48, (c) => readProfile(c, cat, 'blockLoad', { from, to }));
    // 15-minute intervals stamped with their end: 00:00 … 06:00 inclusive.
    expect(rows).toHaveLength(25);
    expect(rows[0]!.timestamp).toBe('2024-03-14T00:00:00+05:30');
    expect(rows[24]!.timestamp).toBe('2024-03-14T06:00:00+05:30');
    const first = rows[1]!;
    expect((first.avgVoltage as { unit: string }).unit).toBe('V');
    expect((first.blockEnergyWhImport as { unit: string }).unit).toBe('Wh');
  }, 20_000);

  it('reads the event logs with codes', async () => {
    const logs = await withClient(0, 48, (c) => readEvents(c, cat));
    expect(Object.keys(logs)).toHaveLength(7);
    const power = logs.powerEvents!;
    expect(power.length).toBeGreaterThan(0);
    expect([101, 102]).toContain(power[0]!.eventCode);
  }, 20_000);

  it('refuses a wrong LLS password and keys of another meter', async () => {
    const m = sim.meters[0]!;
    await expect(
      connectMeter({
        host: m.host,
        port: m.port,
        client: 32,
        credentials: { ...credentialsFor(m, 32), password: 'WRONG' },
      }),
    ).rejects.toThrow();
    await expect(
      connectMeter({
        host: m.host,
        port: m.port,
        client: 48,
        credentials: credentialsFor(sim.meters[1]!, 48),
      }),
    ).rejects.toThrow();
  }, 20_000);

  it('serves a three-phase variant: per-phase instantaneous values with units, checker-clean', async () => {
    const sim3 = await startSimulatedMeters({ port: 0, meters: 1, variant: '3p', seed: 42, now: NOW });
    try {
      const m = sim3.meters[0]!;
      const c = await connectMeter({
        host: m.host,
        port: m.port,
        client: 48,
        credentials: credentialsFor(m, 48),
      });
      try {
        const rows = await readProfile(c, is15959Catalogue({ part: 2, phases: 3 }), 'instantaneous');
        for (const k of ['voltageR', 'voltageY', 'voltageB']) {
          expect((rows[0]![k] as { unit: string }).unit).toBe('V');
        }
        expect((rows[0]!.currentR as { unit: string }).unit).toBe('A');
      } finally {
        await c.release();
        await c.close();
      }
    } finally {
      await sim3.close();
    }
  }, 20_000);
});
