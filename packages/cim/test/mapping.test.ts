import { readFileSync } from 'node:fs';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeEndDeviceEventType,
  parseEndDeviceControlType,
  parseReadingType,
} from '../src/codes/index.ts';
import { CimError, isCimError } from '../src/errors.ts';
import {
  CONTROL_MAPPINGS,
  CosemUnit,
  cimToIs15959Events,
  controlToIs15959,
  cosemUnitTable,
  cosemUnitToCim,
  formatObis,
  IS15959_EVENT_LOGS,
  IS15959_EVENTS,
  is15959EventTableMarkdown,
  is15959EventToCim,
  is15959OperationToControls,
  measuringPeriodForSeconds,
  type ObisMappingInput,
  obisToReadingType,
  parseObis,
} from '../src/mapping/index.ts';

const td = new TextDecoder();
const codeOf = (e: unknown) => (isCimError(e) ? e.code : undefined);
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

runConformance('cim/obis-mapping', {
  decode: (bytes, v) => {
    const r = obisToReadingType({ obis: td.decode(bytes), ...(v.params as Omit<ObisMappingInput, 'obis'>) });
    return { mRID: r.mRID, exact: r.exact };
  },
  errorCode: codeOf,
});

describe('OBIS parsing', () => {
  it('accepts the dotted, reduced-ID and array forms', () => {
    expect(parseObis('1.0.1.8.0.255')).toEqual([1, 0, 1, 8, 0, 255]);
    expect(parseObis('1-0:1.8.0*255')).toEqual([1, 0, 1, 8, 0, 255]);
    expect(parseObis('1-0:1.8.0.255')).toEqual([1, 0, 1, 8, 0, 255]);
    expect(parseObis('1-0:1.8.0')).toEqual([1, 0, 1, 8, 0, 255]);
    expect(parseObis([0, 0, 96, 3, 10, 255])).toEqual([0, 0, 96, 3, 10, 255]);
    expect(formatObis([1, 0, 32, 7, 0, 255])).toBe('1.0.32.7.0.255');
  });
  it('refuses anything else with INVALID_VALUE', () => {
    for (const bad of [
      '',
      '1.0.1.8.0',
      '1.0.1.8.0.255.0',
      '1-0:1.8',
      ' 1.0.1.8.0.255',
      '1.0.1.8.0.1000',
    ] as const) {
      expect(codeOf(thrown(() => parseObis(bad))), bad).toBe('INVALID_VALUE');
    }
    const e = thrown(() => parseObis([1, 0, 1, 8, 0, 256])) as CimError;
    expect(e.path).toEqual(['obis', 5]);
  });
});

describe('COSEM units', () => {
  it('has the Blue Book codes the brief names', () => {
    expect(CosemUnit.wattHour).toBe(30);
    expect(CosemUnit.watt).toBe(27);
    expect(CosemUnit.volt).toBe(35);
    expect(CosemUnit.ampere).toBe(33);
    expect(CosemUnit.hertz).toBe(44);
    expect(CosemUnit.varHour).toBe(32);
    expect(CosemUnit.count).toBe(255);
    expect(cosemUnitTable.entry(31)?.label).toBe('VAh');
  });
  it('translates to 61968-9 units', () => {
    expect(cosemUnitToCim(30)).toEqual({ unit: 72, exponent: 0 });
    expect(cosemUnitToCim(32)).toEqual({ unit: 73, exponent: 0 });
    expect(cosemUnitToCim(20)).toEqual({ unit: 3, exponent: 3 });
    expect(codeOf(thrown(() => cosemUnitToCim(45)))).toBe('UNKNOWN_CODE');
    expect(codeOf(thrown(() => cosemUnitToCim(200)))).toBe('UNKNOWN_CODE');
  });
});

describe('obisToReadingType', () => {
  it('reports the parsed OBIS and notes for the choices it makes', () => {
    const r = obisToReadingType({ obis: '1-0:1.6.0*255', unit: 27, scaler: 3, period: 900 });
    expect(r.obis).toBe('1.0.1.6.0.255');
    expect(r.exact).toBe(false);
    expect(r.notes.join(' ')).toContain('maximum demand');
    expect(parseReadingType(r.mRID)).toEqual(r.readingType);
  });
  it('flags a surprising unit instead of refusing it', () => {
    const r = obisToReadingType({ obis: '1.0.1.8.0.255', unit: 31, scaler: 0 });
    expect(r.exact).toBe(false);
    expect(r.notes.join(' ')).toContain('unusual');
  });
  it('refuses bad arguments with INVALID_ARGUMENT', () => {
    expect(codeOf(thrown(() => obisToReadingType({ obis: '1.0.1.8.0.255', unit: 30, scaler: 1.5 })))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(thrown(() => obisToReadingType({ obis: '1.0.1.8.0.255', unit: 30, period: -1 })))).toBe(
      'INVALID_ARGUMENT',
    );
  });
  it('maps IS 15959 TOD zones 1–8 to TOU 1–8', () => {
    for (let zone = 1; zone <= 8; zone++) {
      const r = obisToReadingType({ obis: `1.0.1.8.${zone}.255`, unit: 30, scaler: 3 });
      expect(r.readingType.tou).toBe(zone);
    }
  });
  it('maps the standard periods', () => {
    expect(measuringPeriodForSeconds(900)).toBe(2);
    expect(measuringPeriodForSeconds(1800)).toBe(5);
    expect(measuringPeriodForSeconds(86400)).toBe(4);
    expect(codeOf(thrown(() => measuringPeriodForSeconds(901)))).toBe('UNKNOWN_CODE');
  });
  it('never throws anything but CimError, and its mRIDs always parse back', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.constantFrom(0, 1, 7),
          fc.nat(255),
          fc.nat(100),
          fc.nat(40),
          fc.nat(12),
          fc.constantFrom(0, 1, 255, 200),
        ),
        fc.nat(260),
        fc.integer({ min: -10, max: 10 }),
        fc.constantFrom(0, 900, 1800, 86400, 1000),
        fc.boolean(),
        (obis, unit, scaler, period, billing) => {
          try {
            const r = obisToReadingType({ obis, unit, scaler, period, billing });
            expect(parseReadingType(r.mRID)).toEqual(r.readingType);
            expect(r.exact || r.notes.length > 0).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(CimError);
            expect(['UNKNOWN_CODE', 'INVALID_VALUE']).toContain((e as CimError).code);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('IS 15959 events → EndDeviceEventType', () => {
  it('uses the verified codes for power failure, restoration and cover open', () => {
    expect(is15959EventToCim(101)).toMatchObject({ cim: '3.26.0.85', basis: 'verified', edge: 'occurrence' });
    expect(is15959EventToCim(102)).toMatchObject({
      cim: '3.26.0.216',
      basis: 'verified',
      edge: 'restoration',
    });
    expect(is15959EventToCim(251)).toMatchObject({ cim: '3.12.29.212', basis: 'verified' });
    expect(codeOf(thrown(() => is15959EventToCim(999)))).toBe('UNKNOWN_CODE');
    expect(cimToIs15959Events('3.26.0.85').map((r) => r.code)).toEqual([101]);
  });
  it('covers every IS 15959 event code of the reference exactly once', () => {
    const expected = [
      ...range(1, 12),
      ...range(51, 70),
      83,
      84,
      101,
      102,
      ...range(151, 155),
      ...range(157, 166),
      ...range(201, 216),
      251,
      301,
      302,
    ];
    expect(IS15959_EVENTS.map((r) => r.code)).toEqual(expected);
  });
  it('has a well-formed, consistent row for every code', () => {
    const logs = new Set(IS15959_EVENT_LOGS.map((l) => l.log));
    for (const row of IS15959_EVENTS) {
      expect(logs.has(row.log), `${row.code}`).toBe(true);
      if (row.cim === null) expect(row.basis, `${row.code}`).toBe('none');
      else {
        expect(row.basis, `${row.code}`).not.toBe('none');
        const d = describeEndDeviceEventType(row.cim);
        expect(d.code.type, `${row.code}`).toBe(3);
        // Only the verified Aclara demand-overload code may carry a value outside our tables.
        if (row.cim !== '3.8.0.177') expect(d.unknown, `${row.code} ${row.cim}`).toEqual([]);
      }
      if (row.edge === 'restoration') expect(is15959EventToCim(row.code - 1).edge).toBe('occurrence');
    }
  });
});

describe('controls', () => {
  it('maps connect and disconnect to class 70 methods and back', () => {
    expect(controlToIs15959('3.31.0.23').cosem).toEqual({
      kind: 'action',
      classId: 70,
      obis: '0.0.96.3.10.255',
      index: 1,
      name: 'remote_disconnect',
    });
    expect(controlToIs15959('0.31.0.18').cosem?.name).toBe('remote_reconnect');
    expect(is15959OperationToControls(70, '0.0.96.3.10.255', 2).map((m) => m.cim)).toEqual(['3.31.0.18']);
    expect(controlToIs15959('0.15.0.54').cosem).toMatchObject({ classId: 71, obis: '0.0.17.0.0.255' });
    expect(codeOf(thrown(() => controlToIs15959('9.9.9.9')))).toBe('UNKNOWN_CODE');
  });
  it('every control code parses', () => {
    for (const m of CONTROL_MAPPINGS) for (const c of [m.cim, ...m.aliases]) parseEndDeviceControlType(c);
  });
});

describe('docs/cim-event-mapping.md', () => {
  it('shows the table the code holds (regenerate it with is15959EventTableMarkdown)', () => {
    const doc = readFileSync(new URL('../../../docs/cim-event-mapping.md', import.meta.url), 'utf8');
    expect(doc).toContain(is15959EventTableMarkdown(describeEndDeviceEventType));
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
