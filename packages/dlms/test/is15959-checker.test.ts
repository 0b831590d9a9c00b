import { beforeAll, describe, expect, it } from 'vitest';
import type { Data } from '../src/axdr/index.ts';
import type { CaptureObjectDefinition, CosemContext, ObjectListElement } from '../src/cosem/index.ts';
import { objectListElement } from '../src/cosem/index.ts';
import {
  checkObjectList,
  checkProfile,
  checkScalerUnit,
  checkValue,
  createSimulatedMeter,
  is15959Catalogue,
  objectDef,
  objectSetReader,
  profileCaptureObjects,
  readProfileRows,
  type SimulatedMeter,
} from '../src/is15959/index.ts';
import { parseObis } from '../src/obis/index.ts';

const NOW = new Date('2024-03-15T05:07:00Z');
const cat = is15959Catalogue({ part: 2, phases: 1 });
let meter: SimulatedMeter;
let get: (ln: string, attribute: number, classId?: number) => Data;

beforeAll(() => {
  meter = createSimulatedMeter({ variant: { part: 2, phases: 1 }, serial: 'CHK1', seed: 5, now: NOW });
  const ctx: CosemContext = { now: () => NOW, objects: meter.objects };
  get = (ln, attribute) => meter.objects.findByName(ln)!.get(attribute, ctx);
});

const reading = (profile: keyof typeof cat.profiles) => {
  const p = cat.profiles[profile];
  return {
    captureObjects: get(p.obis, 3),
    buffer: get(p.obis, 2),
    scalerUnits: p.scalerProfile
      ? { captureObjects: get(p.scalerProfile, 3), buffer: get(p.scalerProfile, 2) }
      : undefined,
  };
};

const objectList = (sap: number): ObjectListElement[] => {
  const a = cat.associations.find((x) => x.clientSap === sap)!;
  return (get(a.associationLn, 2) as { value: Data[] }).value.map((d) => objectListElement.decode(d));
};

describe('checker on a conforming (simulated) meter', () => {
  it('finds nothing in its profiles and object lists', () => {
    for (const id of Object.keys(cat.profiles) as (keyof typeof cat.profiles)[]) {
      expect(checkProfile(id, reading(id)), id).toEqual([]);
    }
    for (const sap of [16, 32, 48, 64, 80]) {
      // The simulator has no activity calendar (class 20) or single action schedules (class 22) yet: the
      // checker must report exactly those, as warnings ([O] objects), and nothing else.
      const f = checkObjectList(objectList(sap), { clientSap: sap });
      const absent = f.filter((x) => x.id === 'missing-object' && / \(class 2[02]\)$/.test(x.message));
      expect(absent.every((x) => x.severity === 'warning')).toBe(true);
      expect(
        f.filter((x) => !absent.includes(x)),
        `client ${sap}`,
      ).toEqual([]);
      expect(absent.length).toBe(sap === 32 || sap === 48 ? 5 : 0);
    }
  });

  it('reads typed rows through an AttributeReader (the DlmsClient shape)', async () => {
    const r = objectSetReader(meter.objects, { now: () => NOW });
    const rows = await readProfileRows(r, cat.profiles.dailyLoad);
    expect(rows).toHaveLength(70);
    expect(rows[0]!['energyWhImport']).toMatchObject({ unit: 'Wh' });
  });
});

describe('checker flags each defect class', () => {
  it('wrong-type: a value of a type the catalogue does not allow', () => {
    const f = checkValue(
      objectDef('avgVoltage'),
      { type: 'visible-string', value: '231.4' },
      'blockLoad.buffer[0][1]',
    );
    expect(f).toEqual([
      {
        id: 'wrong-type',
        severity: 'error',
        message:
          'avgVoltage (1.0.12.27.0.255 attribute 2) must be one of long-unsigned, double-long-unsigned, long, double-long, unsigned, integer, long64, long64-unsigned, float32, float64, got visible-string',
        path: 'blockLoad.buffer[0][1]',
        bytes: '0A053233312E34',
      },
    ]);
    // In a buffer: reported once per column, with the count of rows.
    const r = reading('blockLoad');
    const rows = (r.buffer as { value: { value: Data[] }[] }).value.map((x) => x.value.slice());
    rows[3]![0] = { type: 'octet-string', value: new Uint8Array(8) };
    rows[9]![0] = { type: 'octet-string', value: new Uint8Array(8) };
    const g = checkProfile('blockLoad', { ...r, buffer: rows });
    expect(g).toHaveLength(1);
    expect(g[0]).toMatchObject({
      id: 'wrong-type',
      path: 'blockLoad.buffer[3][0]',
      bytes: '09080000000000000000',
    });
    expect(g[0]!.message).toBe(
      'timestamp (0.0.1.0.0.255 attribute 2) is a date-time: octet-string of 12 bytes expected, got 8 bytes (and 1 more rows)',
    );
  });

  it('wrong-unit: a voltage not in V', () => {
    expect(
      checkScalerUnit(
        objectDef('voltage'),
        { scaler: -1, unit: 33 },
        'instantaneous.scalerUnits[1.0.12.7.0.255]',
      ),
    ).toEqual([
      {
        id: 'wrong-unit',
        severity: 'error',
        message: 'voltage (1.0.12.7.0.255) must be in V (unit 35), the meter says A (unit 33)',
        path: 'instantaneous.scalerUnits[1.0.12.7.0.255]',
        bytes: '02020FFF1621',
      },
    ]);
  });

  it('wrong-scaler: against a utility specification, and implausible scalers', () => {
    expect(
      checkScalerUnit(objectDef('voltage'), { scaler: -2, unit: 35 }, 'p', {
        expectedScalers: { voltage: -1 },
      }),
    ).toEqual([
      {
        id: 'wrong-scaler',
        severity: 'error',
        message: 'voltage (1.0.12.7.0.255) scaler must be -1, the meter says -2',
        path: 'p',
        bytes: '02020FFE1623',
      },
    ]);
    expect(checkScalerUnit(objectDef('energyWhImport'), { scaler: 9, unit: 30 }, 'p')[0]).toMatchObject({
      id: 'wrong-scaler',
      severity: 'warning',
      message: 'energyWhImport (1.0.1.8.0.255) scaler 9 is outside the plausible range −6..6',
    });
    // through checkProfile, from the scaler profile as read
    const r = reading('instantaneous');
    const f = checkProfile('instantaneous', {
      ...r,
      scalerUnits: { '1.0.12.7.0.255': { scaler: -1, unit: 36 } },
    });
    expect(f.find((x) => x.id === 'wrong-unit')?.message).toBe(
      'voltage (1.0.12.7.0.255) must be in V (unit 35), the meter says V/m (unit 36)',
    );
    expect(f.filter((x) => x.id === 'missing-scaler').length).toBeGreaterThan(5);
  });

  it('missing-object: the object list lacks an object the association must show', () => {
    const list = objectList(48).filter((e) => e.logicalName.toString() !== '1.0.99.1.0.255');
    expect(
      checkObjectList(list, { clientSap: 48 }).filter((x) => !/ \(class 2[02]\)$/.test(x.message)),
    ).toEqual([
      {
        id: 'missing-object',
        severity: 'error',
        message: 'Utility Settings (client 48) does not list Block load profile 1.0.99.1.0.255 (class 7)',
        path: 'objectList',
      },
    ]);
  });

  it('missing-column: a catalogue column not captured (severity configurable)', () => {
    const r = reading('blockLoad');
    const cols = profileCaptureObjects(cat.profiles.blockLoad).filter(
      (c) => c.logicalName.toString() !== '1.0.91.27.0.255',
    );
    const f = checkProfile('blockLoad', { captureObjects: cols });
    expect(f).toEqual([
      {
        id: 'missing-column',
        severity: 'warning',
        message: 'Block load profile does not capture avgNeutralCurrent (1.0.91.27.0.255 attribute 2)',
        path: 'blockLoad.captureObjects',
      },
    ]);
    expect(checkProfile('blockLoad', { captureObjects: cols }, { missingColumn: 'off' })).toEqual([]);
    void r;
  });

  it('wrong-class: a known logical name with another class', () => {
    const cols: CaptureObjectDefinition[] = profileCaptureObjects(cat.profiles.dailyLoad);
    cols[1] = { ...cols[1]!, classId: 4 };
    expect(checkProfile('dailyLoad', { captureObjects: cols })).toEqual([
      {
        id: 'wrong-class',
        severity: 'error',
        message: 'energyWhImport (1.0.1.8.0.255) is class 3, captured as class 4',
        path: 'dailyLoad.captureObjects[1]',
      },
    ]);
    const list = objectList(48).map((e) =>
      e.logicalName.toString() === '0.0.1.0.0.255' ? { ...e, classId: 1 } : e,
    );
    expect(checkObjectList(list, { clientSap: 48 })).toContainEqual({
      id: 'wrong-class',
      severity: 'error',
      message: '0.0.1.0.0.255 (Clock) is class 8, listed as class 1',
      path: 'objectList[0.0.1.0.0.255]',
    });
  });

  it('wrong-access: write access in a GET-only association, and a clock Utility Settings cannot set', () => {
    const list = objectList(16).map((e) =>
      e.logicalName.toString() === '0.0.1.0.0.255'
        ? {
            ...e,
            accessRights: {
              ...e.accessRights,
              attributeAccess: e.accessRights.attributeAccess.map((a) =>
                a.attributeId === 2 ? { ...a, accessMode: 3 } : a,
              ),
            },
          }
        : e,
    );
    expect(checkObjectList(list, { clientSap: 16 })).toEqual([
      {
        id: 'wrong-access',
        severity: 'error',
        message:
          'Public Client (client 16) has GET only, but grants access mode 3 (write) to attribute 2 of 0.0.1.0.0.255',
        path: 'objectList[0.0.1.0.0.255].attribute[2]',
      },
    ]);
    const us = objectList(48).map((e) =>
      e.logicalName.toString() === '0.0.1.0.0.255'
        ? {
            ...e,
            accessRights: {
              ...e.accessRights,
              attributeAccess: e.accessRights.attributeAccess.map((a) =>
                a.attributeId === 2 ? { ...a, accessMode: 1 } : a,
              ),
            },
          }
        : e,
    );
    expect(checkObjectList(us, { clientSap: 48 }).filter((x) => x.id !== 'missing-object')).toEqual([
      {
        id: 'wrong-access',
        severity: 'error',
        message:
          'Utility Settings must be able to set the clock (0.0.1.0.0.255 attribute 2), access mode is 1',
        path: 'objectList[0.0.1.0.0.255].attribute[2]',
      },
    ]);
  });

  it('capture-order: columns in another order than the catalogue (warning by default, configurable)', () => {
    const cols = profileCaptureObjects(cat.profiles.dailyLoad);
    const swapped = [cols[0]!, cols[2]!, cols[1]!, cols[3]!, cols[4]!];
    expect(checkProfile('dailyLoad', { captureObjects: swapped })).toEqual([
      {
        id: 'capture-order',
        severity: 'warning',
        message:
          'energyWhImport is captured after energyVAhImport; the catalogue has it before (column 2 of 5)',
        path: 'dailyLoad.captureObjects[2]',
      },
    ]);
    expect(checkProfile('dailyLoad', { captureObjects: swapped }, { captureOrder: 'off' })).toEqual([]);
    expect(
      checkProfile('dailyLoad', { captureObjects: swapped }, { captureOrder: 'error' })[0]!.severity,
    ).toBe('error');
  });

  it('unknown-event-code and event-in-wrong-log', () => {
    const cols = profileCaptureObjects(cat.profiles.powerEvents);
    const t: Data = {
      type: 'octet-string',
      value: new Uint8Array([7, 232, 3, 15, 5, 10, 0, 0, 0, 0xfe, 0xb6, 0]),
    };
    const f = checkProfile('powerEvents', {
      captureObjects: cols,
      buffer: [
        [t, { type: 'long-unsigned', value: 101 }],
        [t, { type: 'long-unsigned', value: 999 }],
        [t, { type: 'long-unsigned', value: 201 }],
      ],
    });
    expect(f).toEqual([
      {
        id: 'unknown-event-code',
        severity: 'warning',
        message: 'event code 999 is not in the IS 15959 event table',
        path: 'powerEvents.buffer[1][1]',
        bytes: '1203E7',
      },
      {
        id: 'event-in-wrong-log',
        severity: 'warning',
        message:
          'event code 201 (Magnet influence (occurrence)) belongs to otherEvents, found in powerEvents',
        path: 'powerEvents.buffer[2][1]',
        bytes: '1200C9',
      },
    ]);
  });

  it('refuses unknown associations and malformed object lists with typed errors', () => {
    expect(() => checkObjectList([], { clientSap: 99 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      checkObjectList({ type: 'array', value: [{ type: 'null-data' }] }, { clientSap: 48 }),
    ).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    expect(parseObis('0.0.1.0.0.255').toString()).toBe('0.0.1.0.0.255');
  });
});
