/**
 * Firmware upgrade over the Firmware Upgrade association (client 80, HLS, auth+enc) against a simulated
 * meter over TCP: a transfer whose connection is dropped mid-way resumes from the meter's
 * image_transferred_blocks_status (not image_first_not_transferred_block_number), verifies and activates
 * (the name plate shows the new version); a corrupt image is refused at verification; activation can be
 * scheduled and the meter activates at that time.
 */

import type { DlmsClient } from '@ami-interop/dlms/client';
import {
  connectMeter,
  credentialsFor,
  type SimulatedMeters,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import {
  buildSimulatorImage,
  type FirmwareProgress,
  readImageTransferStatus,
  upgradeFirmware,
  verifySimulatorImage,
} from '@ami-interop/dlms/is15959/operations';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sim: SimulatedMeters;
beforeAll(async () => {
  sim = await startSimulatedMeters({ port: 0, meters: 3, seed: 'fw' });
}, 20_000);
afterAll(async () => {
  await sim?.close();
});

function open(k: number, sap: 16 | 80 = 80): Promise<DlmsClient> {
  const m = sim.meters[k]!;
  return connectMeter({ host: m.host, port: m.port, client: sap, credentials: credentialsFor(m, sap) });
}
async function done(c: DlmsClient) {
  await c.release().catch(() => undefined);
  await c.close();
}
async function firmwareVersion(k: number): Promise<string> {
  const c = await open(k, 16);
  try {
    const d = await c.get({ classId: 1, obis: '1.0.0.2.0.255', attribute: 2 });
    return new TextDecoder().decode((d as { value: Uint8Array }).value);
  } finally {
    await done(c);
  }
}

const payload = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31 + 7) & 0xff);

describe('simulator image format', () => {
  it('round-trips and detects any flipped byte', () => {
    const img = buildSimulatorImage('SIM-2.0.0', payload);
    const ok = verifySimulatorImage(img);
    expect(ok.ok).toBe(true);
    for (const at of [0, 7, 20, 5000, img.length - 1]) {
      const bad = img.slice();
      bad[at]! ^= 0x01;
      expect(verifySimulatorImage(bad).ok).toBe(false);
    }
    expect(verifySimulatorImage(img.subarray(0, img.length - 1)).ok).toBe(false);
  });

  it('property: build then verify gives the version and payload back; any one flipped bit is refused', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[\x20-\x7e]{1,64}$/),
        fc.uint8Array({ maxLength: 2000 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (version, body, at, bit) => {
          const img = buildSimulatorImage(version, body);
          const ok = verifySimulatorImage(img);
          if (!ok.ok) return false;
          if (new TextDecoder().decode(ok.version) !== version) return false;
          if (ok.payload.length !== body.length || ok.payload.some((x, i) => x !== body[i])) return false;
          const bad = img.slice();
          bad[at % bad.length]! ^= 1 << bit;
          return !verifySimulatorImage(bad).ok;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: random bytes never throw, and are refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => verifySimulatorImage(b).ok === false),
      { numRuns: 500 },
    );
  });
});

describe('firmware upgrade over TCP (client 80)', () => {
  it('resumes after a dropped connection from the blocks bit-string, verifies and activates', async () => {
    const image = buildSimulatorImage('SIM-2.0.0', payload);
    const events: FirmwareProgress[] = [];
    const first = await open(0);
    await expect(
      upgradeFirmware(first, {
        identifier: 'FW-2.0.0',
        image,
        onProgress: (p) => {
          events.push(p);
          if (p.phase === 'block' && p.sent === 30) void first.link?.close();
        },
      }),
    ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await first.close();
    const blocks = (events[0] as { blocks: number }).blocks;
    expect(blocks).toBe(Math.ceil(image.length / 256));
    expect(events.filter((e) => e.phase === 'block')).toHaveLength(30);

    const resumed: FirmwareProgress[] = [];
    const second = await open(0);
    try {
      // A session that refuses image_first_not_transferred_block_number: the resume must not need it.
      const noAttr4 = {
        get: (ref: { classId: number; obis: string | object; attribute: number }) => {
          if (ref.classId === 18 && ref.attribute === 4) throw new Error('attribute 4 must not be read');
          return second.get(ref as never);
        },
        set: second.set.bind(second),
        action: second.action.bind(second),
      };
      const r = await upgradeFirmware(noAttr4, {
        identifier: 'FW-2.0.0',
        image,
        onProgress: (p) => resumed.push(p),
      });
      expect(r.resumed).toBeGreaterThanOrEqual(30);
      expect(r.sent).toBe(blocks - r.resumed);
      expect(r.status).toBe(6);
      expect(resumed.map((e) => e.phase)).toEqual(
        expect.arrayContaining([
          'initiate',
          'resume',
          'block',
          'verify',
          'verified',
          'activate',
          'activated',
        ]),
      );
      expect(resumed.find((e) => e.phase === 'resume')).toMatchObject({ alreadyOnMeter: r.resumed });
    } finally {
      await done(second);
    }
    expect(await firmwareVersion(0)).toBe('SIM-2.0.0');
  }, 20_000);

  it('refuses a corrupt image at verification and does not activate it', async () => {
    const image = buildSimulatorImage('SIM-6.6.6', payload);
    image[1000]! ^= 0xff;
    const c = await open(1);
    try {
      await expect(upgradeFirmware(c, { identifier: 'BAD', image })).rejects.toMatchObject({
        code: 'SERVICE_ERROR',
      });
      expect(await readImageTransferStatus(c)).toBe(4);
    } finally {
      await done(c);
    }
    expect(await firmwareVersion(1)).toBe('SIM-1.0.0');
  }, 20_000);

  it('schedules activation; the meter activates at that time', async () => {
    const image = buildSimulatorImage('SIM-3.0.0', payload.subarray(0, 3000));
    const at = new Date(Date.now() + 2500);
    const local = new Date(at.getTime() + 330 * 60_000);
    const c = await open(2);
    try {
      const r = await upgradeFirmware(c, {
        identifier: 'FW-3',
        image,
        activate: {
          at: {
            time: {
              hour: local.getUTCHours(),
              minute: local.getUTCMinutes(),
              second: local.getUTCSeconds(),
              hundredths: 0,
            },
            date: {
              year: local.getUTCFullYear(),
              month: local.getUTCMonth() + 1,
              dayOfMonth: local.getUTCDate(),
              dayOfWeek: undefined,
            },
          },
        },
      });
      expect(r.status).toBe(3);
    } finally {
      await done(c);
    }
    expect(await firmwareVersion(2)).toBe('SIM-1.0.0');
    const t0 = Date.now();
    while ((await firmwareVersion(2)) !== 'SIM-3.0.0') {
      if (Date.now() - t0 > 8000) throw new Error('scheduled activation did not happen');
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 20_000);
});
