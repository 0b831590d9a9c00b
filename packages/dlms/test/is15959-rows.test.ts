import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Data, decodeCosemDateTime, decodeData } from '../src/axdr/index.ts';
import type { CaptureObjectDefinition } from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex } from '../src/internal/hex.ts';
import {
  cellOf,
  dateTimeCell,
  describeColumns,
  instantaneousRow,
  is15959Catalogue,
  namePlate,
  OBJECTS,
  profileCaptureObjects,
  profileRows,
  scaleExact,
  scalerUnitsFromProfile,
} from '../src/is15959/index.ts';
import { parseObis } from '../src/obis/index.ts';

const co = (classId: number, obis: string, attributeIndex = 2, dataIndex = 0): CaptureObjectDefinition => ({
  classId,
  logicalName: parseObis(obis),
  attributeIndex,
  dataIndex,
});
const u16 = (value: number): Data => ({ type: 'long-unsigned', value });
const u32 = (value: number): Data => ({ type: 'double-long-unsigned', value });
/** 2024-03-15 10:15:00 IST, deviation -330 (FE B6), clock status 00. */
const T1 = fromHex('07E8030F050A0F0000FEB600');
const dt = (bytes: Uint8Array): Data => ({ type: 'octet-string', value: bytes });

describe('scaleExact', () => {
  it('applies scalers -3..+3 exactly (the double of the decimal literal)', () => {
    expect(scaleExact(2314, -1)).toBe(231.4);
    expect(scaleExact(2314, -2)).toBe(23.14);
    expect(scaleExact(2314, -3)).toBe(2.314);
    expect(scaleExact(2314, 0)).toBe(2314);
    expect(scaleExact(2314, 1)).toBe(23140);
    expect(scaleExact(2314, 2)).toBe(231400);
    expect(scaleExact(2314, 3)).toBe(2314000);
    expect(scaleExact(-995, -3)).toBe(-0.995);
    // where naive multiplication by 10^scaler is off: 2301 × 10^-1 is 230.10000000000002
    expect(2301 * 10 ** -1).not.toBe(230.1);
    expect(scaleExact(2301, -1)).toBe(230.1);
    expect(1001 * 10 ** -3).not.toBe(1.001);
    expect(scaleExact(1001, -3)).toBe(1.001);
    expect(scaleExact(3, -1)).toBe(0.3);
    expect(scaleExact(123456789n, -3)).toBe(123456.789);
    expect(scaleExact(18446744073709551615n, 0)).toBe(2 ** 64);
    expect(scaleExact(1, -30)).toBe(1e-30);
  });

  it('equals parsing the decimal string, for any integer and scaler -9..9 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_147_483_648, max: 4_294_967_295 }),
        fc.integer({ min: -9, max: 9 }),
        (n, s) => {
          expect(scaleExact(n, s)).toBe(Number(`${n}e${s}`));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('profileRows', () => {
  const blockCaptureCatalogueOrder = [
    co(8, '0.0.1.0.0.255'),
    co(3, '1.0.12.27.0.255'),
    co(3, '1.0.1.29.0.255'),
    co(3, '1.0.9.29.0.255'),
  ];
  // The meter reports its capture objects in another order than the catalogue, plus an unknown column.
  const reported = [
    co(3, '1.0.9.29.0.255'),
    co(8, '0.0.1.0.0.255'),
    co(1, '0.0.96.99.7.255'),
    co(3, '1.0.1.29.0.255'),
    co(3, '1.0.12.27.0.255'),
  ];
  const scalers = {
    '1.0.12.27.0.255': { scaler: -1, unit: 35 },
    '1.0.1.29.0.255': { scaler: 0, unit: 30 },
    '1.0.9.29.0.255': { scaler: -2, unit: 31 },
  };

  it('names columns by OBIS and attribute, whatever order the meter reports', () => {
    const rows = profileRows({
      captureObjects: reported,
      buffer: [[u32(5523), dt(T1), u16(7), u32(52), u16(2314)]],
      scalerUnits: scalers,
    });
    expect(rows).toEqual([
      {
        blockEnergyVAhImport: { value: 55.23, unit: 'VAh' },
        timestamp: '2024-03-15T10:15:00+05:30',
        obis_0_0_96_99_7_255_a2: 7,
        blockEnergyWhImport: { value: 52, unit: 'Wh' },
        avgVoltage: { value: 231.4, unit: 'V' },
      },
    ]);
    // Same values in catalogue order give the same named cells.
    const again = profileRows({
      captureObjects: blockCaptureCatalogueOrder,
      buffer: [[dt(T1), u16(2314), u32(52), u32(5523)]],
      scalerUnits: scalers,
    });
    const { obis_0_0_96_99_7_255_a2: _, ...named } = rows[0]!;
    expect(again[0]).toEqual(named);
  });

  it('takes scalers from the scaler profile as read (Data form), and capture objects as Data', () => {
    // Scaler profile: capture objects (class 3, attr 3) and one row of scaler_unit structures.
    const scalerCo = decodeData(
      fromHex(
        '0102' +
          '020412000309060100' +
          '0C1B00FF' +
          '0F03120000' +
          '020412000309060100' +
          '01 1D00FF' +
          '0F03120000',
      ),
    );
    const scalerBuf = decodeData(fromHex('0101 0202 0202 0FFF 1623 0202 0F00 161E'));
    const su = scalerUnitsFromProfile({ captureObjects: scalerCo, buffer: scalerBuf });
    expect(su.get('1.0.12.27.0.255')).toEqual({ scaler: -1, unit: 35 });
    expect(su.get('1.0.1.29.0.255')).toEqual({ scaler: 0, unit: 30 });
    const rows = profileRows({
      captureObjects: decodeData(
        fromHex('0102 0204 1200 08 0906 0000010000FF 0F02 120000 0204 1200 03 0906 01000C1B00FF 0F02 120000'),
      ),
      buffer: decodeData(fromHex(`0101 0202 090C ${'07E8030F050A0F0000FEB600'} 12090A`)),
      scalerUnits: { captureObjects: scalerCo, buffer: scalerBuf },
    });
    expect(rows).toEqual([
      { timestamp: '2024-03-15T10:15:00+05:30', avgVoltage: { value: 231.4, unit: 'V' } },
    ]);
  });

  it('keeps missing values explicit with a reason', () => {
    const rows = profileRows({
      captureObjects: blockCaptureCatalogueOrder.slice(0, 3),
      buffer: [
        [dt(fromHex('FFFFFFFFFFFFFFFFFF800000')), { type: 'null-data' }, u32(1)],
        [dt(fromHex('07E8030F050A0F00FF800000')), u16(2300), { type: 'dont-care' }],
      ],
      scalerUnits: scalers,
    });
    expect(rows[0]!['timestamp']).toMatchObject({ value: null });
    expect((rows[0]!['timestamp'] as { reason: string }).reason).toMatch(/year not specified/);
    expect(rows[0]!['avgVoltage']).toEqual({ value: null, reason: 'null-data' });
    // no deviation (0x8000): read at the default IST deviation
    expect(rows[1]!['timestamp']).toBe('2024-03-15T10:15:00+05:30');
    expect(rows[1]!['blockEnergyWhImport']).toEqual({ value: null, reason: 'dont-care' });
    const utc = profileRows({
      captureObjects: blockCaptureCatalogueOrder.slice(0, 1),
      buffer: [[dt(fromHex('07E8030F050A0F00FF800000'))]],
      defaultDeviation: 0,
    });
    expect(utc[0]!['timestamp']).toBe('2024-03-15T10:15:00Z');
  });

  it('leaves numbers without a known scaler_unit raw, and honours columnNames', () => {
    const rows = profileRows({
      captureObjects: [co(3, '1.0.12.27.0.255'), co(3, '1.0.1.29.0.255')],
      buffer: [[u16(2314), u32(9)]],
      columnNames: { '1.0.1.29.0.255/2': 'kwhBlock' },
    });
    expect(rows).toEqual([{ avgVoltage: 2314, kwhBlock: 9 }]);
  });

  it('gives repeated names a suffix and refuses rows of the wrong width', () => {
    const c = describeColumns([co(3, '1.0.12.27.0.255'), co(3, '1.0.12.27.0.255')]);
    expect(c.map((x) => x.name)).toEqual(['avgVoltage', 'avgVoltage_2']);
    try {
      profileRows({ captureObjects: [co(3, '1.0.12.27.0.255')], buffer: [[u16(1), u16(2)]] });
      expect.unreachable();
    } catch (e) {
      expect(isDlmsError(e, 'MALFORMED')).toBe(true);
      expect((e as { path: unknown[] }).path).toEqual(['buffer', 0]);
    }
  });

  it('refuses a malformed buffer with MALFORMED and a path', () => {
    try {
      profileRows({ captureObjects: [], buffer: { type: 'array', value: [u16(1)] } });
      expect.unreachable();
    } catch (e) {
      expect(isDlmsError(e, 'MALFORMED')).toBe(true);
      expect((e as { path: unknown[] }).path[0]).toBe('buffer');
    }
  });

  it('reads the name plate as a typed record and the instantaneous profile as one row', () => {
    const cat = is15959Catalogue({ part: 2, phases: 1 });
    const text = (s: string): Data => ({ type: 'octet-string', value: new TextEncoder().encode(s) });
    const np = namePlate({
      captureObjects: profileCaptureObjects(cat.profiles.namePlate),
      buffer: [
        [
          text('X1234567'),
          text('DEV0001'),
          text('ACME METERS'),
          text('V1.02'),
          { type: 'unsigned', value: 5 },
          text('D1'),
          text('5-30A'),
          { type: 'long-unsigned', value: 2023 },
        ],
      ],
    });
    expect(np).toEqual({
      serialNumber: 'X1234567',
      deviceId: 'DEV0001',
      manufacturer: 'ACME METERS',
      firmwareVersion: 'V1.02',
      meterType: 5,
      category: 'D1',
      currentRating: '5-30A',
      yearOfManufacture: 2023,
    });
    const inst = instantaneousRow({
      captureObjects: [co(8, '0.0.1.0.0.255'), co(3, '1.0.12.7.0.255'), co(70, '0.0.96.3.10.255')],
      buffer: [[dt(T1), u16(2301), { type: 'boolean', value: true }]],
      scalerUnits: { '1.0.12.7.0.255': { scaler: -1, unit: 35 } },
    });
    expect(inst).toEqual({
      timestamp: '2024-03-15T10:15:00+05:30',
      voltage: { value: 230.1, unit: 'V' },
      relayStatus: true,
    });
    expect(() => namePlate({ captureObjects: [], buffer: [] })).toThrow(/empty/);
  });

  it('reads date-time octets the same on the fast path as through the COSEM date-time model (property)', () => {
    const def = { def: OBJECTS.get('timestamp'), scalerUnit: undefined };
    // Mostly in range (so that the checks near the edges matter), sometimes any byte.
    const field = (min: number, max: number) =>
      fc.oneof(
        { arbitrary: fc.integer({ min, max }), weight: 12 },
        { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 },
      );
    const bytes = fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.integer({ min: 1990, max: 2100 }), weight: 12 },
          fc.integer({ min: 0, max: 0xffff }),
        ),
        field(1, 12),
        field(28, 31),
        field(1, 7),
        field(0, 23),
        field(0, 59),
        field(0, 59),
        field(0, 99),
        fc.oneof(
          fc.constantFrom(-330, 0, 60, -720, 720, 0x8000 - 0x10000),
          fc.integer({ min: -32768, max: 32767 }),
        ),
      )
      .map(([y, mo, d, w, h, mi, s, hs, dev]) =>
        Uint8Array.of(y >> 8, y & 255, mo, d, w, h, mi, s, hs, (dev >> 8) & 255, dev & 255, 0),
      );
    fc.assert(
      fc.property(bytes, fc.constantFrom(-330, 0), (b, dflt) => {
        expect(cellOf({ type: 'octet-string', value: b }, def, dflt)).toEqual(
          dateTimeCell(decodeCosemDateTime(b), dflt),
        );
      }),
      { numRuns: 3000 },
    );
    const at = (hex: string) => cellOf({ type: 'octet-string', value: fromHex(hex) }, def);
    expect(at('07E8021D040A0F0000FEB600')).toBe('2024-02-29T10:15:00+05:30');
    expect(at('07E7021D040A0F0000FEB600')).toMatchObject({ value: null });
    expect(at('07E80A1F040A0F0000FEB600')).toBe('2024-10-31T10:15:00+05:30');
    expect(at('07E8041F040A0F0000FEB600')).toMatchObject({ value: null });
  });

  it('never throws anything but DlmsError on random Data (property)', () => {
    const arbData: fc.Arbitrary<Data> = fc.oneof(
      fc.constant<Data>({ type: 'null-data' }),
      fc.integer({ min: 0, max: 65535 }).map((v): Data => ({ type: 'long-unsigned', value: v })),
      fc.uint8Array({ maxLength: 14 }).map((v): Data => ({ type: 'octet-string', value: v })),
      fc.boolean().map((v): Data => ({ type: 'boolean', value: v })),
    );
    const cols = [co(8, '0.0.1.0.0.255'), co(3, '1.0.12.27.0.255'), co(1, '0.0.96.1.0.255')];
    fc.assert(
      fc.property(fc.array(fc.array(arbData, { minLength: 0, maxLength: 4 }), { maxLength: 4 }), (buffer) => {
        try {
          profileRows({
            captureObjects: cols,
            buffer,
            scalerUnits: { '1.0.12.27.0.255': { scaler: -1, unit: 35 } },
          });
        } catch (e) {
          expect(isDlmsError(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
