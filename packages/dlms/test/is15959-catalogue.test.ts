import { describe, expect, it } from 'vitest';
import {
  EVENT_LOG_IDS,
  is15959Catalogue,
  isMissing,
  isQuantity,
  OBJECTS,
  OBJECTS_BY_KEY,
  profileByObis,
  resolveVariant,
} from '../src/is15959/index.ts';
import { parseObis } from '../src/obis/index.ts';

describe('IS 15959 catalogue', () => {
  it('has the associations of the reference with their SAPs, objects and policies', () => {
    const c = is15959Catalogue({ part: 2, phases: 1 });
    expect(
      c.associations.map((a) => [a.clientSap, a.associationLn, a.securitySetup, a.invocationCounter]),
    ).toEqual([
      [16, '0.0.40.0.1.255', undefined, undefined],
      [32, '0.0.40.0.2.255', '0.0.43.0.2.255', '0.0.43.1.2.255'],
      [48, '0.0.40.0.3.255', '0.0.43.0.3.255', '0.0.43.1.3.255'],
      [64, '0.0.40.0.4.255', '0.0.43.0.4.255', '0.0.43.1.4.255'],
      [80, '0.0.40.0.5.255', '0.0.43.0.5.255', '0.0.43.1.5.255'],
      [undefined, '0.0.40.0.6.255', undefined, undefined],
    ]);
    const us = c.associations.find((a) => a.clientSap === 48)!;
    expect(us.authentication.mechanism).toBe(2);
    expect(us.services).toContain('action');
    expect(c.associations.find((a) => a.clientSap === 16)!.services).toEqual(['get']);
  });

  it('exposes the [O] choices as variant fields', () => {
    const v = is15959Catalogue({
      part: 2,
      phases: 1,
      meterReaderPolicy: 'auth+enc',
      utilitySettingsMechanism: 5,
      billingPushB: 132,
      blockLoadPeriod: 1800,
      blockLoadHealthColumns: true,
      amendment: 'Amd 2',
    });
    expect(v.variant.amendment).toBe('Amd 2');
    expect(v.associations.find((a) => a.clientSap === 32)!.securityPolicy).toBe('auth+enc');
    expect(v.associations.find((a) => a.clientSap === 48)!.authentication.mechanism).toBe(5);
    expect(v.pushSetups.find((p) => p.profile === 'billing')!.obis).toBe('0.132.25.9.0.255');
    expect(v.profiles.blockLoad.capturePeriod).toBe(1800);
    expect(v.profiles.blockLoad.depth).toBe(1680);
    expect(v.profiles.blockLoad.columns.map((c) => c.name).slice(-2)).toEqual([
      'meterHealth',
      'signalStrength',
    ]);
    const d = resolveVariant({ part: 2, phases: 1 });
    expect([d.blockLoadPeriod, d.blockLoadDepth, d.meterReaderPolicy, d.billingPushB]).toEqual([
      900,
      3360,
      'enc',
      103,
    ]);
    expect(() => resolveVariant({ part: 2, phases: 2 as 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('differs by part: Part 3 has no connect/disconnect, Part 1 no push or firmware association', () => {
    const p2 = is15959Catalogue({ part: 2, phases: 1 });
    const p3 = is15959Catalogue({ part: 3, phases: 3 });
    const p1 = is15959Catalogue({ part: 1, phases: 1 });
    expect(p2.otherObjects.some((o) => o.obis === '0.0.96.3.10.255')).toBe(true);
    expect(p3.otherObjects.some((o) => o.obis === '0.0.96.3.10.255')).toBe(false);
    expect(p3.profiles.instantaneous.columns.some((c) => c.name === 'relayStatus')).toBe(false);
    expect(p1.associations.map((a) => a.clientSap)).toEqual([16, 32, 48]);
    expect(p1.pushSetups).toEqual([]);
  });

  it('has the profiles of the reference with single- and three-phase capture lists', () => {
    const c1 = is15959Catalogue({ part: 2, phases: 1 });
    const c3 = is15959Catalogue({ part: 2, phases: 3 });
    expect(c1.profiles.blockLoad).toMatchObject({
      obis: '1.0.99.1.0.255',
      scalerProfile: '1.0.94.91.4.255',
      capturePeriod: 900,
      depth: 3360,
    });
    expect(c1.profiles.dailyLoad).toMatchObject({
      obis: '1.0.99.2.0.255',
      scalerProfile: '1.0.94.91.5.255',
      depth: 70,
    });
    expect(c1.profiles.billing.obis).toBe('1.0.98.1.0.255');
    expect(c1.profiles.namePlate.obis).toBe('0.0.94.91.10.255');
    expect(c1.profiles.instantaneous.columns).toHaveLength(22);
    expect(c1.profiles.blockLoad.columns.map((c) => c.name)).toEqual([
      'timestamp',
      'avgVoltage',
      'blockEnergyWhImport',
      'blockEnergyVAhImport',
      'blockEnergyWhExport',
      'blockEnergyVAhExport',
      'avgCurrent',
      'avgNeutralCurrent',
    ]);
    expect(c3.profiles.blockLoad.columns.map((c) => c.obis)).toContain('1.0.52.27.0.255');
    expect(c3.profiles.instantaneous.columns.map((c) => c.name)).toContain('energyVarhQ4');
    expect(c3.profiles.billing.columns.map((c) => c.name)).toContain('mdVATz8Time');
    EVENT_LOG_IDS.forEach((id, i) => {
      expect(c1.profiles[id].obis).toBe(`0.0.99.98.${i}.255`);
      expect(c1.profiles[id].columns[1]!.obis).toBe(`0.0.96.11.${i}.255`);
      expect(c1.profiles[id].columns[1]!.column).toBe('eventCode');
    });
    expect(profileByObis(c1, '0.0.99.98.4.255')?.id).toBe('otherEvents');
  });

  it('gives every object a valid OBIS and a unique (obis, attribute)', () => {
    expect(OBJECTS_BY_KEY.size).toBe(OBJECTS.size);
    for (const o of OBJECTS.values()) {
      expect(() => parseObis(o.obis), o.name).not.toThrow();
      expect(o.name).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(o.types.length).toBeGreaterThan(0);
    }
  });

  it('type guards tell quantities from missing values', () => {
    expect(isQuantity({ value: 231.4, unit: 'V' })).toBe(true);
    expect(isQuantity({ value: null, reason: 'null-data' })).toBe(false);
    expect(isMissing({ value: null, reason: 'null-data' })).toBe(true);
    expect(isMissing('2024-03-15T10:15:00+05:30')).toBe(false);
  });
});
