import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Data, dataFromJson, dataToJson, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  type CaptureObjectDefinition,
  ClockObject,
  type CosemContext,
  CosemObjectSet,
  CosemServiceError,
  cosemValueToJson,
  DataObject,
  entryDescriptor,
  PROFILE_GENERIC_CLASS,
  ProfileGenericObject,
  RegisterObject,
  rangeDescriptor,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { parseObis } from '../src/obis/index.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

runConformance('dlms/cosem-profile-generic', {
  decode(bytes, v) {
    const p = v.params ?? {};
    const c =
      p['selector'] === 1
        ? rangeDescriptor
        : p['selector'] === 2
          ? entryDescriptor
          : PROFILE_GENERIC_CLASS.attributeById[Number(p['attribute'])]!.codec;
    const d = decodeData(bytes);
    return { data: dataToJson(d), value: cosemValueToJson(c.decode(d)) };
  },
  encode(decoded, v) {
    const p = v.params ?? {};
    const c = (
      p['selector'] === 1
        ? rangeDescriptor
        : p['selector'] === 2
          ? entryDescriptor
          : PROFILE_GENERIC_CLASS.attributeById[Number(p['attribute'])]!.codec
    ) as { decode(d: Data): unknown; encode(v: unknown): Data };
    return encodeData(c.encode(c.decode(dataFromJson((decoded as { data: never }).data))));
  },
  errorCode: codeOf,
});

const CLOCK: CaptureObjectDefinition = {
  classId: 8,
  logicalName: parseObis('0.0.1.0.0.255'),
  attributeIndex: 2,
  dataIndex: 0,
};
const VOLT: CaptureObjectDefinition = {
  classId: 3,
  logicalName: parseObis('1.0.12.7.0.255'),
  attributeIndex: 2,
  dataIndex: 0,
};
const KWH: CaptureObjectDefinition = {
  classId: 3,
  logicalName: parseObis('1.0.1.8.0.255'),
  attributeIndex: 2,
  dataIndex: 0,
};
const T0 = Date.UTC(2024, 2, 15, 0, 0, 0); // 05:30 IST

function meter() {
  const set = new CosemObjectSet();
  set.add(new ClockObject());
  const volt = set.add(
    new RegisterObject('1.0.12.7.0.255', {
      value: { type: 'long-unsigned', value: 2300 },
      scalerUnit: { scaler: -1, unit: 35 },
    }),
  );
  const kwh = set.add(
    new RegisterObject('1.0.1.8.0.255', {
      value: { type: 'double-long-unsigned', value: 0 },
      scalerUnit: { scaler: 0, unit: 30 },
    }),
  );
  const pg = set.add(
    new ProfileGenericObject('1.0.99.1.0.255', {
      captureObjects: [CLOCK, VOLT, KWH],
      capturePeriod: 900,
      profileEntries: 5,
    }),
  );
  let t = T0;
  const ctx: CosemContext & { at(ms: number): CosemContext } = {
    now: () => new Date(t),
    objects: set,
    at(ms: number) {
      t = ms;
      return ctx;
    },
  };
  return { set, volt, kwh, pg, ctx };
}

/** n captures, 15 minutes apart, kWh = 10·i and voltage 2300 + i. */
function fill(n: number) {
  const m = meter();
  for (let i = 0; i < n; i++) {
    m.ctx.at(T0 + i * 900_000);
    m.volt.values.value = { type: 'long-unsigned', value: 2300 + i };
    m.kwh.values.value = { type: 'double-long-unsigned', value: 10 * i };
    m.pg.action(2, { type: 'integer', value: 0 }, m.ctx);
  }
  return m;
}

const os = (hex: string): Data => ({ type: 'octet-string', value: fromHex(hex) });
const dlu = (v: number): Data => ({ type: 'double-long-unsigned', value: v });
const lu = (v: number): Data => ({ type: 'long-unsigned', value: v });
const cod = (c: CaptureObjectDefinition) =>
  rangeDescriptor.encode({ restrictingObject: c, fromValue: lu(0), toValue: lu(0), selectedValues: [] })
    .type === 'structure' && c;

function entry(from: number, to: number, fromCol = 1, toCol = 0): Data {
  return entryDescriptor.encode({
    fromEntry: from,
    toEntry: to,
    fromSelectedValue: fromCol,
    toSelectedValue: toCol,
  });
}
function range(fromValue: Data, toValue: Data, selected: CaptureObjectDefinition[] = [], by = CLOCK): Data {
  return rangeDescriptor.encode({
    restrictingObject: cod(by) as CaptureObjectDefinition,
    fromValue,
    toValue,
    selectedValues: selected,
  });
}
function rows(d: Data): Data[][] {
  if (d.type !== 'array') throw new Error('array expected');
  return d.value.map((r) => (r.type === 'structure' ? r.value : []));
}
function refusal(fn: () => unknown): CosemServiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CosemServiceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Profile generic capture', () => {
  it('captures the clock and registers into a row; fifo drops the oldest at profile_entries', () => {
    const m = fill(7);
    expect(m.pg.get(7, m.ctx)).toEqual(dlu(5));
    const r = rows(m.pg.get(2, m.ctx));
    expect(r.length).toBe(5);
    expect(r.map((x) => (x[2] as { value: number }).value)).toEqual([20, 30, 40, 50, 60]);
    // 2024-03-15 05:30 IST + 2 × 15 min = 06:00
    expect(toHex(encodeData(r[0]![0]!))).toBe('090C07E8030F0506000000FEB600');
  });

  it('a data_index picks an element; a missing object captures null-data', () => {
    const m = meter();
    m.set.add(new DataObject('0.0.96.1.0.255', { type: 'structure', value: [lu(1), lu(2)] }));
    const pg = m.set.add(
      new ProfileGenericObject('0.0.99.98.0.255', {
        captureObjects: [
          { classId: 1, logicalName: parseObis('0.0.96.1.0.255'), attributeIndex: 2, dataIndex: 2 },
          { classId: 1, logicalName: parseObis('0.0.96.1.9.255'), attributeIndex: 2, dataIndex: 0 },
          { classId: 1, logicalName: parseObis('0.0.96.1.0.255'), attributeIndex: 2, dataIndex: 3 },
        ],
        profileEntries: 2,
      }),
    );
    expect(pg.capture(m.ctx)).toEqual([lu(2), { type: 'null-data' }, { type: 'null-data' }]);
  });

  it('reset empties; setting capture_objects empties; lowering profile_entries trims', () => {
    const m = fill(4);
    m.pg.set(8, dlu(2), m.ctx);
    expect(rows(m.pg.get(2, m.ctx)).map((x) => (x[2] as { value: number }).value)).toEqual([20, 30]);
    m.pg.set(3, PROFILE_GENERIC_CLASS.attributes.captureObjects.codec.encode([CLOCK, KWH]), m.ctx);
    expect(m.pg.get(7, m.ctx)).toEqual(dlu(0));
    m.pg.capture(m.ctx);
    m.pg.action(1, { type: 'integer', value: 0 }, m.ctx);
    expect(m.pg.get(2, m.ctx)).toEqual({ type: 'array', value: [] });
    expect(refusal(() => m.pg.set(7, dlu(1), m.ctx)).result).toBe('read-write-denied');
  });

  it('sorted methods keep the best entries by the sort object', () => {
    const m = meter();
    m.pg.set(6, PROFILE_GENERIC_CLASS.attributes.sortObject.codec.encode(KWH), m.ctx);
    m.pg.set(5, { type: 'enum', value: 3 }, m.ctx); // largest
    for (const v of [5, 50, 1, 30, 7, 99, 2]) {
      m.kwh.values.value = dlu(v);
      m.pg.capture(m.ctx);
    }
    expect(rows(m.pg.get(2, m.ctx)).map((x) => (x[2] as { value: number }).value)).toEqual([
      99, 50, 30, 7, 5,
    ]);
    m.pg.set(5, { type: 'enum', value: 4 }, m.ctx); // smallest
    for (const v of [5, 50, 1, 30, 7, 99, 2]) {
      m.kwh.values.value = dlu(v);
      m.pg.capture(m.ctx);
    }
    expect(rows(m.pg.get(2, m.ctx)).map((x) => (x[2] as { value: number }).value)).toEqual([1, 2, 5, 7, 30]);
  });
});

describe('Profile generic selective access', () => {
  const m = fill(5); // 05:30, 05:45, 06:00, 06:15, 06:30 IST
  it('entry descriptor: rows and column ranges, 1-based, 0 = last', () => {
    const all = rows(m.pg.get(2, m.ctx));
    expect(rows(m.pg.get(2, m.ctx, { selector: 2, parameters: entry(1, 0) }))).toEqual(all);
    expect(rows(m.pg.get(2, m.ctx, { selector: 2, parameters: entry(2, 3) }))).toEqual(all.slice(1, 3));
    expect(rows(m.pg.get(2, m.ctx, { selector: 2, parameters: entry(4, 99, 2, 3) }))).toEqual(
      all.slice(3).map((r) => r.slice(1, 3)),
    );
    expect(rows(m.pg.get(2, m.ctx, { selector: 2, parameters: entry(6, 0) }))).toEqual([]);
    expect(rows(m.pg.get(2, m.ctx, { selector: 2, parameters: entry(0, 1) }))).toEqual(all.slice(0, 1));
    expect(refusal(() => m.pg.get(2, m.ctx, { selector: 2, parameters: entry(3, 2) })).result).toBe(
      'scope-of-access-violated',
    );
    expect(refusal(() => m.pg.get(2, m.ctx, { selector: 2, parameters: entry(1, 0, 1, 4) })).result).toBe(
      'scope-of-access-violated',
    );
    expect(refusal(() => m.pg.get(2, m.ctx, { selector: 2, parameters: lu(1) })).result).toBe(
      'type-unmatched',
    );
    expect(refusal(() => m.pg.get(2, m.ctx, { selector: 3, parameters: lu(1) })).result).toBe(
      'scope-of-access-violated',
    );
  });

  it('range descriptor on the clock column: inclusive, any deviation, selected columns', () => {
    const all = rows(m.pg.get(2, m.ctx));
    const from = os('07E8030F0505370000FEB600'); // 05:55 IST
    const to = os('07E8030F05061E0000FEB600'); // 06:30 IST, inclusive
    expect(rows(m.pg.get(2, m.ctx, { selector: 1, parameters: range(from, to) }))).toEqual(all.slice(2));
    // the same instants in UTC (deviation 0)
    const fromUtc = os('07E8030F0500190000000000');
    const toUtc = os('07E8030F0501000000000000');
    expect(rows(m.pg.get(2, m.ctx, { selector: 1, parameters: range(fromUtc, toUtc, [KWH]) }))).toEqual(
      all.slice(2).map((r) => [r[2]!]),
    );
    // empty result
    const late = os('07E8031005000000 00FEB600'.replace(' ', ''));
    expect(rows(m.pg.get(2, m.ctx, { selector: 1, parameters: range(late, late) }))).toEqual([]);
    // by a numeric column
    expect(
      rows(m.pg.get(2, m.ctx, { selector: 1, parameters: range(dlu(15), dlu(30), [VOLT], KWH) })),
    ).toEqual([[lu(2302)], [lu(2303)]]);
  });

  it('range refusals: unknown restricting object or selected value, incomparable values', () => {
    const unknown = { ...KWH, attributeIndex: 3 };
    const from = os('07E8030F0505370000FEB600');
    expect(
      refusal(() => m.pg.get(2, m.ctx, { selector: 1, parameters: range(from, from, [], unknown) })).result,
    ).toBe('scope-of-access-violated');
    expect(
      refusal(() => m.pg.get(2, m.ctx, { selector: 1, parameters: range(from, from, [unknown]) })).result,
    ).toBe('scope-of-access-violated');
    expect(
      refusal(() => m.pg.get(2, m.ctx, { selector: 1, parameters: range({ type: 'null-data' }, from) }))
        .result,
    ).toBe('scope-of-access-violated');
    expect(refusal(() => m.pg.get(2, m.ctx, { selector: 1, parameters: range(dlu(1), dlu(2)) })).result).toBe(
      'scope-of-access-violated',
    );
  });

  it('entry selection agrees with a naive model (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        (f, t, fc1, tc) => {
          const all = rows(m.pg.get(2, m.ctx));
          const from = Math.max(1, f);
          const fromCol = Math.max(1, fc1);
          const toCol = tc === 0 ? 3 : tc;
          let expected: Data[][] | 'refused';
          if ((t !== 0 && from > t) || fromCol > toCol || toCol > 3) expected = 'refused';
          else {
            expected = [];
            for (let i = 1; i <= all.length; i++) {
              if (i >= from && (t === 0 || i <= t)) expected.push(all[i - 1]!.slice(fromCol - 1, toCol));
            }
          }
          let got: Data[][] | 'refused';
          try {
            got = rows(m.pg.get(2, m.ctx, { selector: 2, parameters: entry(f, t, fc1, tc) }));
          } catch (e) {
            if (!(e instanceof CosemServiceError)) throw e;
            got = 'refused';
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('range selection on a numeric column agrees with a naive filter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 50 }), fc.integer({ min: -5, max: 50 }), (a, b) => {
        const all = rows(m.pg.get(2, m.ctx));
        const expected = all.filter((r) => {
          const v = (r[2] as { value: number }).value;
          return v >= a && v <= b;
        });
        const d = (x: number): Data => ({ type: 'double-long', value: x });
        expect(rows(m.pg.get(2, m.ctx, { selector: 1, parameters: range(d(a), d(b), [], KWH) }))).toEqual(
          expected,
        );
      }),
      { numRuns: 200 },
    );
  });
});
