import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Data, dataFromJson, dataToJson, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  CLASS_SPECS,
  CLOCK_CLASS,
  type ClassSpec,
  ClockObject,
  type CosemContext,
  CosemObjectSet,
  CosemServiceError,
  classSpec,
  cosemValueToJson,
  DataObject,
  DEMAND_REGISTER_CLASS,
  DemandRegisterObject,
  decodeAttribute,
  EXTENDED_REGISTER_CLASS,
  ExtendedRegisterObject,
  encodeAttribute,
  isCosemServiceError,
  REGISTER_CLASS,
  RegisterObject,
  readAttribute,
  UNIT,
  UNITS,
  unitSymbol,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis } from '../src/obis/index.ts';
import { arbData, arbObis } from './arbitraries.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

/** decode: bytes → Data → typed; encode: the vector's Data form → typed → Data → bytes (typed encoder). */
function attributeCodec(fixedClass?: ClassSpec) {
  const specOf = (p: Record<string, unknown> | undefined): ClassSpec => {
    const s = fixedClass ?? classSpec(Number(p?.['classId']));
    if (!s) throw new Error(`no class ${String(p?.['classId'])}`);
    return s;
  };
  const codecOf = (p: Record<string, unknown> | undefined) => {
    const s = specOf(p);
    if (p?.['method'] !== undefined) return s.methodById[Number(p['method'])]!.params!;
    return s.attributeById[Number(p?.['attribute'])]!.codec;
  };
  return {
    decode(bytes: Uint8Array, v: { params?: Record<string, unknown> }) {
      const d = decodeData(bytes);
      return { data: dataToJson(d), value: cosemValueToJson(codecOf(v.params).decode(d)) };
    },
    encode(decoded: unknown, v: { params?: Record<string, unknown> }) {
      const c = codecOf(v.params);
      const d = dataFromJson((decoded as { data: never }).data);
      return encodeData(c.encode(c.decode(d)));
    },
    errorCode: codeOf,
  };
}

runConformance('dlms/cosem-register', attributeCodec());
runConformance('dlms/cosem-clock', attributeCodec(CLOCK_CLASS as ClassSpec));

const T0 = Date.UTC(2024, 2, 15, 5, 0, 0); // 2024-03-15 10:30 IST
function ctxAt(ms: number, extra: Partial<CosemContext> = {}): CosemContext & { set(ms: number): void } {
  let t = ms;
  return {
    now: () => new Date(t),
    set(ms2: number) {
      t = ms2;
    },
    ...extra,
  };
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

describe('units', () => {
  it('names the units an electricity meter uses with the Blue Book codes', () => {
    expect([UNIT.W, UNIT.VA, UNIT.var, UNIT.Wh, UNIT.VAh, UNIT.varh, UNIT.A, UNIT.V, UNIT.Hz]).toEqual([
      27, 28, 29, 30, 31, 32, 33, 35, 44,
    ]);
    expect(unitSymbol(30)).toBe('Wh');
    expect(unitSymbol(1)).toBe('a');
    expect(unitSymbol(2)).toBe('mo');
    expect(unitSymbol(255)).toBe('count');
    expect(unitSymbol(66)).toBe('unit(66)');
    for (const [code, u] of UNITS) expect(u.code).toBe(code);
  });
});

describe('class specs', () => {
  it('every class has logical_name at index 1 and dense attribute and method indexes', () => {
    for (const s of CLASS_SPECS.values()) {
      expect(s.attributeById[1]!.name).toBe('logical_name');
      for (let i = 1; i <= s.attributeCount; i++)
        expect(s.attributeById[i], `${s.name} attr ${i}`).toBeDefined();
      for (let i = 1; i <= s.methodCount; i++) expect(s.methodById[i], `${s.name} method ${i}`).toBeDefined();
    }
  });

  it('a wrong shape names the attribute and the element in the error path', () => {
    const d: Data = {
      type: 'structure',
      value: [
        { type: 'integer', value: -1 },
        { type: 'unsigned', value: 30 },
      ],
    };
    try {
      decodeAttribute(REGISTER_CLASS as ClassSpec, 3, d);
      expect.unreachable();
    } catch (e) {
      expect(codeOf(e)).toBe('MALFORMED');
      expect((e as { path: unknown[] }).path).toEqual(['scaler_unit', 'unit']);
      expect(String((e as Error).message)).toContain('expected enum, got unsigned');
    }
  });

  it('typed round trip: encode(decode(d)) = d for generated Data of the right shape', () => {
    const su = fc.record({
      scaler: fc.integer({ min: -128, max: 127 }),
      unit: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(su, arbData, (v, any) => {
        const d = encodeAttribute(REGISTER_CLASS as ClassSpec, 3, v);
        expect(readAttribute(REGISTER_CLASS, 'scalerUnit', d)).toEqual(v);
        expect(
          decodeAttribute(
            REGISTER_CLASS as ClassSpec,
            2,
            encodeAttribute(REGISTER_CLASS as ClassSpec, 2, any),
          ),
        ).toEqual(any);
      }),
      { numRuns: 200 },
    );
  });

  it('random Data never throws anything but our typed errors from any attribute codec', () => {
    const specs = [...CLASS_SPECS.values()];
    fc.assert(
      fc.property(arbData, fc.nat(), (d, k) => {
        const s = specs[k % specs.length]!;
        for (let i = 1; i <= s.attributeCount; i++) {
          try {
            const v = decodeAttribute(s, i, d);
            expect(toHex(encodeData(encodeAttribute(s, i, v)))).toBe(toHex(encodeData(d)));
          } catch (e) {
            expect(isDlmsError(e), String(e)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Data, Register, Extended and Demand register servers', () => {
  it('GET returns the logical name and the value; SET of the wrong shape is type-unmatched', () => {
    const ctx = ctxAt(T0);
    const d = new DataObject('0.0.96.1.0.255', { type: 'visible-string', value: 'SN1' });
    expect(d.get(1, ctx)).toEqual({ type: 'octet-string', value: Uint8Array.of(0, 0, 96, 1, 0, 255) });
    expect(d.get(2, ctx)).toEqual({ type: 'visible-string', value: 'SN1' });
    expect(refusal(() => d.get(3, ctx)).result).toBe('object-undefined');
    expect(refusal(() => d.set(1, { type: 'null-data' }, ctx)).result).toBe('read-write-denied');
    const r = new RegisterObject('1.0.1.8.0.255', {
      value: { type: 'double-long-unsigned', value: 5 },
      scalerUnit: { scaler: 0, unit: 30 },
    });
    expect(refusal(() => r.set(3, { type: 'long', value: 1 }, ctx)).result).toBe('type-unmatched');
    expect(refusal(() => r.get(2, ctx, { selector: 1, parameters: { type: 'null-data' } })).result).toBe(
      'scope-of-access-violated',
    );
    expect(r.action(1, { type: 'integer', value: 0 }, ctx)).toBeUndefined();
    expect(r.values.value).toEqual({ type: 'double-long-unsigned', value: 0 });
    expect(refusal(() => r.action(2, undefined, ctx)).result).toBe('object-undefined');
  });

  it('extended register reset stamps the capture time from the clock object', () => {
    const set = new CosemObjectSet();
    set.add(new ClockObject());
    const x = set.add(
      new ExtendedRegisterObject('1.0.1.6.0.255', {
        value: { type: 'double-long-unsigned', value: 7 },
        scalerUnit: { scaler: 0, unit: 27 },
        status: { type: 'unsigned', value: 3 },
        captureTime: readAttribute(EXTENDED_REGISTER_CLASS, 'captureTime', {
          type: 'octet-string',
          value: fromHex('07E8030F050A1E0000FEB600'),
        }),
      }),
    );
    const ctx = ctxAt(T0 + 60_000, { objects: set });
    x.action(1, { type: 'integer', value: 0 }, ctx);
    expect(x.values.value).toEqual({ type: 'double-long-unsigned', value: 0 });
    expect(x.values.status).toEqual({ type: 'unsigned', value: 0 });
    expect(toHex(encodeData(x.get(5, ctx)))).toBe('090C07E8030F050A1F0000FEB600');
  });

  it('demand register next_period moves current to last and restarts the period', () => {
    const ctx = ctxAt(T0);
    const dt = readAttribute(DEMAND_REGISTER_CLASS, 'captureTime', {
      type: 'octet-string',
      value: fromHex('07E8030F050A000000FEB600'),
    });
    const m = new DemandRegisterObject('1.0.1.4.0.255', {
      currentAverageValue: { type: 'double-long-unsigned', value: 1200 },
      lastAverageValue: { type: 'double-long-unsigned', value: 900 },
      scalerUnit: { scaler: 0, unit: 27 },
      status: { type: 'null-data' },
      captureTime: dt,
      startTimeCurrent: dt,
      period: 900,
      numberOfPeriods: 1,
    });
    m.action(2, { type: 'integer', value: 0 }, ctx);
    expect(m.values.lastAverageValue).toEqual({ type: 'double-long-unsigned', value: 1200 });
    expect(m.values.currentAverageValue).toEqual({ type: 'double-long-unsigned', value: 0 });
    expect(m.values.startTimeCurrent.minute).toBe(0); // UTC 05:00 without a clock object
    expect(refusal(() => m.set(9, { type: 'long-unsigned', value: 0 }, ctx)).result).toBe('other-reason');
    m.set(8, { type: 'double-long-unsigned', value: 1800 }, ctx);
    expect(m.values.period).toBe(1800);
  });
});

describe('Clock server', () => {
  const ist = (s: string) => fromHex(s);
  it('reads time as IST local time from ctx.now() with deviation -330', () => {
    const c = new ClockObject();
    const ctx = ctxAt(T0);
    expect(toHex(encodeData(c.get(2, ctx)))).toBe('090C07E8030F050A1E0000FEB600');
    ctx.set(T0 + 1500); // hundredths
    expect(toHex(encodeData(c.get(2, ctx)))).toBe('090C07E8030F050A1E0132FEB600');
  });

  it('SET time moves the clock by an offset; a local time without deviation uses the current one', () => {
    const c = new ClockObject();
    const ctx = ctxAt(T0);
    c.set(2, { type: 'octet-string', value: ist('07E8030F050B000000800000') }, ctx); // 11:00 local, deviation n.s.
    expect(c.offsetMs).toBe(30 * 60_000);
    ctx.set(T0 + 10_000);
    expect(toHex(encodeData(c.get(2, ctx)))).toBe('090C07E8030F050B000A00FEB600');
    // explicit deviation 0 (UTC) 05:00 → back to host time
    c.set(2, { type: 'octet-string', value: ist('07E8030F05050000000000 00'.replace(' ', '')) }, ctx);
    expect(c.offsetMs).toBe(-10_000);
    expect(
      refusal(() => c.set(2, { type: 'octet-string', value: ist('FFFF030F050B000000800000') }, ctx)).result,
    ).toBe('other-reason');
    expect(refusal(() => c.set(3, { type: 'long', value: 800 }, ctx)).result).toBe('other-reason');
  });

  it('adjust_to_quarter / minute / measuring period round in local time; shift_time bounds', () => {
    const c = new ClockObject(undefined, { measuringPeriodSeconds: 1800 });
    const ctx = ctxAt(T0 + 8 * 60_000 + 10_000); // 10:38:10 IST
    c.action(1, { type: 'integer', value: 0 }, ctx);
    expect(c.now(ctx).minute).toBe(45);
    expect(c.now(ctx).second).toBe(0);
    c.offsetMs = 0;
    c.action(3, { type: 'integer', value: 0 }, ctx);
    expect([c.now(ctx).minute, c.now(ctx).second]).toEqual([38, 0]);
    c.offsetMs = 0;
    c.action(2, { type: 'integer', value: 0 }, ctx); // 30-minute periods: 10:38 → 10:30
    expect([c.now(ctx).hour, c.now(ctx).minute]).toEqual([10, 30]);
    c.offsetMs = 0;
    c.action(6, { type: 'long', value: -30 }, ctx);
    expect(c.offsetMs).toBe(-30_000);
    expect(refusal(() => c.action(6, { type: 'long', value: 901 }, ctx)).result).toBe('other-reason');
    expect(refusal(() => c.action(6, { type: 'integer', value: 1 }, ctx)).result).toBe('type-unmatched');
  });

  it('preset_adjusting_time then adjust_to_preset_time within the validity interval', () => {
    const c = new ClockObject();
    const ctx = ctxAt(T0);
    const os = (h: string): Data => ({ type: 'octet-string', value: fromHex(h) });
    expect(refusal(() => c.action(4, { type: 'integer', value: 0 }, ctx)).result).toBe('other-reason');
    c.action(
      5,
      {
        type: 'structure',
        value: [
          os('07E8030F050C000000FEB600'),
          os('07E8030F050A000000FEB600'),
          os('07E8030F050B000000FEB600'),
        ],
      },
      ctx,
    );
    c.action(4, { type: 'integer', value: 0 }, ctx);
    expect([c.now(ctx).hour, c.now(ctx).minute]).toEqual([12, 0]);
    // outside the interval
    c.action(
      5,
      {
        type: 'structure',
        value: [
          os('07E8030F050C000000FEB600'),
          os('07E8030F0509000000FEB600'),
          os('07E8030F050A000000FEB600'),
        ],
      },
      ctx,
    );
    expect(refusal(() => c.action(4, { type: 'integer', value: 0 }, ctx)).result).toBe('other-reason');
  });

  it('daylight saving: deviation and status bit 7 while active', () => {
    const c = new ClockObject(undefined, { timeZone: -60 }); // CET
    const os = (h: string): Data => ({ type: 'octet-string', value: fromHex(h) });
    const ctx = ctxAt(Date.UTC(2024, 6, 15, 10, 0, 0));
    c.set(5, os('FFFF031F0702000000800000FF'.slice(0, 24)), ctx); // 31 March 02:00, any year
    c.set(6, os('FFFF0A1B0703000000800000FF'.slice(0, 24)), ctx); // 27 October 03:00
    c.set(7, { type: 'integer', value: 60 }, ctx);
    expect(toHex(encodeData(c.get(2, ctx)))).toBe('090C07E8070F010B000000FFC400'); // DST not enabled: 11:00 +01:00
    c.set(8, { type: 'boolean', value: true }, ctx);
    expect(toHex(encodeData(c.get(2, ctx)))).toBe('090C07E8070F010C000000FF8880');
    ctx.set(Date.UTC(2024, 11, 15, 10, 0, 0));
    expect(toHex(encodeData(c.get(2, ctx)))).toBe('090C07E80C0F070B000000FFC400');
  });
});

describe('CosemObjectSet routing and access rights', () => {
  const set = new CosemObjectSet();
  const reg = set.add(
    new RegisterObject('1.0.1.8.0.255', {
      value: { type: 'double-long-unsigned', value: 1 },
      scalerUnit: { scaler: 0, unit: 30 },
    }),
  );
  set.add(new ClockObject());
  const ctx = ctxAt(T0);
  it('routes by class and logical name', () => {
    expect(set.get(3, '1.0.1.8.0.255', 2, ctx)).toEqual({ type: 'double-long-unsigned', value: 1 });
    expect(refusal(() => set.get(3, '1.0.2.8.0.255', 2, ctx)).result).toBe('object-undefined');
    expect(refusal(() => set.get(4, '1.0.1.8.0.255', 2, ctx)).result).toBe('object-class-inconsistent');
    expect(refusal(() => set.get(3, '1.0.1.8.0.255', 9, ctx)).result).toBe('object-undefined');
    expect(refusal(() => set.action(8, '0.0.1.0.0.255', 7, undefined, ctx)).service).toBe('action');
    expect(() => set.add(new ClockObject())).toThrow(/already registered/);
  });
  it('applies the default access and the association policy', () => {
    expect(
      refusal(() => set.set(3, reg.logicalName, 2, { type: 'double-long-unsigned', value: 2 }, ctx)).result,
    ).toBe('read-write-denied');
    expect(refusal(() => set.action(3, reg.logicalName, 1, { type: 'integer', value: 0 }, ctx)).result).toBe(
      'read-write-denied',
    );
    const policy = {
      attributeAccess: (_o: unknown, id: number) =>
        id === 2 ? ('authenticated-read-and-write' as const) : ('read-only' as const),
      methodAccess: () => 'authenticated-access' as const,
    };
    const anon = { ...ctx, access: policy };
    expect(refusal(() => set.get(3, reg.logicalName, 2, anon)).result).toBe('read-write-denied');
    const hls = { ...anon, authenticated: true };
    set.set(3, reg.logicalName, 2, { type: 'double-long-unsigned', value: 2 }, hls);
    expect(set.get(3, reg.logicalName, 2, hls)).toEqual({ type: 'double-long-unsigned', value: 2 });
    expect(set.action(3, reg.logicalName, 1, { type: 'integer', value: 0 }, hls)).toBeUndefined();
    const e = refusal(() => set.get(3, reg.logicalName, 2, anon));
    expect(isCosemServiceError(e, 'read-write-denied')).toBe(true);
    expect(e.code).toBe('SERVICE_ERROR');
    expect(e.resultValue).toBe(3);
  });
  it('generated OBIS never collide with routing of a different class', () => {
    fc.assert(
      fc.property(arbObis, (ln) => {
        const s = new CosemObjectSet([new DataObject(ln, { type: 'null-data' })]);
        expect(s.find(1, ln)?.logicalName).toEqual(ln);
        expect(s.find(3, ln)).toBeUndefined();
        expect(s.findByName(obis(ln.a, ln.b, ln.c, ln.d, ln.e, ln.f))).toBeDefined();
      }),
      { numRuns: 100 },
    );
  });
});
