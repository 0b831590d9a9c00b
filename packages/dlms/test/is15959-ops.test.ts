/**
 * IS 15959 operations against a simulated meter over TCP with ciphering (utility settings, client 48,
 * HLS-GMAC and auth+enc): each operation, then a GET (or a new association) showing its effect.
 */

import { fromHex } from '@ami-interop/dlms';
import type { DlmsClient } from '@ami-interop/dlms/client';
import { is15959Catalogue } from '@ami-interop/dlms/is15959';
import {
  type AssociationCredentials,
  connectMeter,
  credentialsFor,
  type SimulatedMeters,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import {
  activatePassiveCalendar,
  changeGlobalKeys,
  changeHlsSecret,
  changeLlsSecret,
  monthlyBillingDate,
  programPassiveCalendar,
  readActiveCalendarName,
  readClock,
  readEswf,
  readLoadLimit,
  readPeriod,
  readProfile,
  readRelayState,
  remoteDisconnect,
  remoteReconnect,
  resetMaximumDemand,
  setBillingDates,
  setCapturePeriod,
  setClock,
  setDemandIntegrationPeriod,
  setEswf,
  setLoadLimit,
} from '@ami-interop/dlms/is15959/operations';
import { parseObis } from '@ami-interop/dlms/obis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sim: SimulatedMeters;
beforeAll(async () => {
  sim = await startSimulatedMeters({ port: 0, meters: 4, seed: 'ops' });
}, 20_000);
afterAll(async () => {
  await sim?.close();
});

async function us<T>(
  k: number,
  f: (c: DlmsClient) => Promise<T>,
  cred?: AssociationCredentials,
  sap: 32 | 48 | 80 = 48,
) {
  const m = sim.meters[k]!;
  const c = await connectMeter({
    host: m.host,
    port: m.port,
    client: sap,
    credentials: cred ?? credentialsFor(m, sap),
  });
  try {
    return await f(c);
  } finally {
    await c.release().catch(() => undefined);
    await c.close();
  }
}

describe('IS 15959 operations over TCP with ciphering', () => {
  it('remote disconnect and reconnect change the relay, seen by a GET after', async () => {
    await us(0, async (c) => {
      expect((await readRelayState(c)).connected).toBe(true);
      await remoteDisconnect(c);
      const off = await readRelayState(c);
      expect(off.connected).toBe(false);
      expect(off.controlState).toBe(0);
      await remoteReconnect(c);
      expect((await readRelayState(c)).connected).toBe(true);
    });
    // The public client may read the relay but not operate it.
    const m = sim.meters[0]!;
    const pub = await connectMeter({ host: m.host, port: m.port, client: 16 });
    try {
      expect((await readRelayState(pub)).connected).toBe(true);
      await expect(remoteDisconnect(pub)).rejects.toThrow();
    } finally {
      await pub.release().catch(() => undefined);
      await pub.close();
    }
  }, 20_000);

  it('load limit', async () => {
    await us(0, async (c) => {
      await setLoadLimit(c, 4321);
      expect(await readLoadLimit(c)).toEqual({ normal: 4321, active: 4321 });
    });
  }, 20_000);

  it('RTC set', async () => {
    const target = new Date('2025-01-02T03:04:05Z');
    await us(0, async (c) => {
      await setClock(c, target);
      const read = await readClock(c);
      expect(Math.abs(read.getTime() - target.getTime())).toBeLessThan(5000);
    });
  }, 20_000);

  it('demand integration and capture period changes', async () => {
    await us(1, async (c) => {
      await setDemandIntegrationPeriod(c, 1800);
      await setCapturePeriod(c, 1800);
      expect(await readPeriod(c, '1.0.0.8.0.255')).toBe(1800);
      expect(await readPeriod(c, '1.0.0.8.4.255')).toBe(1800);
      const p = await c.get({ classId: 7, obis: '1.0.99.1.0.255', attribute: 4 });
      expect(p).toEqual({ type: 'double-long-unsigned', value: 1800 });
    });
  }, 20_000);

  it('MD reset clears the maximum demand registers', async () => {
    await us(1, async (c) => {
      const ref = { classId: 4, obis: '1.0.1.6.0.255', attribute: 2 };
      const before = await c.get(ref);
      expect((before as { value: number }).value).toBeGreaterThan(0);
      await resetMaximumDemand(c);
      expect(((await c.get(ref)) as { value: number }).value).toBe(0);
    });
  }, 20_000);

  it('ESWF change', async () => {
    const bits = Array.from({ length: 128 }, (_, i) => i % 3 === 0);
    await us(1, async (c) => {
      await setEswf(c, bits);
      expect(await readEswf(c)).toEqual(bits);
    });
  }, 20_000);

  it('billing-date schedule', async () => {
    await us(1, async (c) => {
      await setBillingDates(c, [monthlyBillingDate(5, 6, 30)]);
      const d = await c.get({ classId: 22, obis: '0.0.15.0.0.255', attribute: 4 });
      expect(d.type).toBe('array');
      // time 06:30:00.00, date any year/month, day 5, any weekday
      expect(JSON.stringify(d)).toContain('"value":[{"type":"octet-string"');
    });
  }, 20_000);

  it('activity calendar: passive programming, then activation', async () => {
    await us(2, async (c) => {
      await programPassiveCalendar(c, {
        name: 'TOD2025',
        seasons: [
          {
            seasonProfileName: Uint8Array.of(1),
            seasonStart: {
              year: undefined,
              month: 1,
              dayOfMonth: 1,
              dayOfWeek: undefined,
              hour: 0,
              minute: 0,
              second: 0,
              hundredths: 0,
              deviation: undefined,
              clockStatus: undefined,
            },
            weekName: Uint8Array.of(1),
          },
        ],
        weeks: [
          {
            weekProfileName: Uint8Array.of(1),
            monday: 1,
            tuesday: 1,
            wednesday: 1,
            thursday: 1,
            friday: 1,
            saturday: 1,
            sunday: 1,
          },
        ],
        days: [
          {
            dayId: 1,
            daySchedule: [
              {
                startTime: { hour: 0, minute: 0, second: 0, hundredths: 0 },
                scriptLogicalName: parseObis('0.0.10.0.100.255'),
                scriptSelector: 1,
              },
            ],
          },
        ],
      });
      expect(new TextDecoder().decode(await readActiveCalendarName(c))).not.toBe('TOD2025');
      await activatePassiveCalendar(c);
      expect(new TextDecoder().decode(await readActiveCalendarName(c))).toBe('TOD2025');
    });
  }, 20_000);

  it('LLS secret change: the old password fails, the new one works', async () => {
    const m = sim.meters[3]!;
    await us(3, (c) => changeLlsSecret(c, 'NEWSECRET0000001'));
    await expect(us(3, async () => 0, credentialsFor(m, 32), 32)).rejects.toThrow();
    await expect(
      us(
        3,
        async (c) => (await readRelayState(c)).connected,
        { ...credentialsFor(m, 32), password: 'NEWSECRET0000001' },
        32,
      ),
    ).resolves.toBe(true);
  }, 20_000);

  it('HLS secret change of the firmware association', async () => {
    const m = sim.meters[3]!;
    const secret = fromHex('00112233445566778899AABBCCDDEEFF');
    await us(3, (c) => changeHlsSecret(c, 80, secret));
    await expect(us(3, async () => 0, credentialsFor(m, 80), 80)).rejects.toThrow();
    await expect(us(3, async () => 1, { ...credentialsFor(m, 80), secret }, 80)).resolves.toBe(1);
  }, 20_000);

  it('global key change (RFC 3394 wrapped): after it the old keys fail and the new keys work', async () => {
    const m = sim.meters[3]!;
    const guek = fromHex('000102030405060708090A0B0C0D0E0F');
    const gak = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
    await us(3, (c) => changeGlobalKeys(c, { sap: 48, masterKey: fromHex(m.mk), guek, gak }));
    await expect(us(3, async () => 0)).rejects.toThrow();
    await expect(
      us(3, async (c) => (await readRelayState(c)).connected, { ek: guek, ak: gak }),
    ).resolves.toBe(true);
  }, 20_000);

  it('a key transfer wrapped with the wrong master key changes nothing', async () => {
    const m = sim.meters[2]!;
    const guek = fromHex('0F0E0D0C0B0A09080706050403020100');
    await expect(
      us(2, (c) => changeGlobalKeys(c, { sap: 48, masterKey: new Uint8Array(16), guek })),
    ).rejects.toThrow();
    await expect(us(2, async () => 1, credentialsFor(m, 48))).resolves.toBe(1);
  }, 20_000);

  it('the meter logs each operation as an IS 15959 transaction or control event, in order', async () => {
    const cat = is15959Catalogue({ part: 2, phases: 1 });
    const codes = async (
      k: number,
      log: 'transactionEvents' | 'controlEvents',
      cred?: AssociationCredentials,
    ) => (await us(k, (c) => readProfile(c, cat, log), cred)).map((r) => r.eventCode);
    // Meter 1 had: demand integration period, capture period, MD reset, ESWF, billing dates.
    const t1 = await codes(1, 'transactionEvents');
    expect(t1.slice(-5)).toEqual([152, 153, 166, 165, 154]);
    // Meter 0: load limit (threshold normal and active), RTC set; disconnect then reconnect.
    expect((await codes(0, 'transactionEvents')).slice(-3)).toEqual([158, 158, 151]);
    expect((await codes(0, 'controlEvents')).slice(-2)).toEqual([301, 302]);
    // Meter 3: LLS secret (161), firmware HLS secret (163), global key change (164).
    // (its utility-settings keys are the new ones since the global key change)
    const newKeys = {
      ek: fromHex('000102030405060708090A0B0C0D0E0F'),
      ak: fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF'),
    };
    expect((await codes(3, 'transactionEvents', newKeys)).slice(-3)).toEqual([161, 163, 164]);
  }, 20_000);
});
