/**
 * Register activation (6), Register monitor (21), IEC HDLC setup (23), TCP-UDP setup (41), SAP assignment
 * (17) and Association SN (12): typed round trips and server behaviour.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type Data, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  ASSOCIATION_SN_CLASS,
  AssociationSnObject,
  CLASS_SPECS,
  type ClassSpec,
  ClockObject,
  type CosemContext,
  CosemObjectSet,
  CosemServiceError,
  type Crossing,
  DataObject,
  decodeAttribute,
  encodeAttribute,
  IEC_HDLC_SETUP_CLASS,
  IecHdlcSetupObject,
  REGISTER_ACTIVATION_CLASS,
  RegisterActivationObject,
  RegisterMonitorObject,
  RegisterObject,
  SapAssignmentObject,
  ScriptTableObject,
  shortName,
  snAttributeAddress,
  TCP_UDP_SETUP_CLASS,
  TcpUdpSetupObject,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis, parseObis } from '../src/obis/index.ts';

const ctx0: CosemContext = { now: () => new Date(Date.UTC(2024, 2, 15)) };
function refusal(fn: () => unknown): CosemServiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CosemServiceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
const enc = (s: string) => new TextEncoder().encode(s);
const os = (s: string): Data => ({ type: 'octet-string', value: enc(s) });

describe('every class spec', () => {
  it('has the 22 classes of issue 5, with dense attribute indexes', () => {
    expect([...CLASS_SPECS.keys()].sort((a, b) => a - b)).toEqual([
      1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 17, 18, 20, 21, 22, 23, 40, 41, 64, 70, 71,
    ]);
    for (const s of CLASS_SPECS.values()) {
      for (let i = 1; i <= s.attributeCount; i++)
        expect(s.attributeById[i], `${s.name} attribute ${i}`).toBeDefined();
    }
  });

  it('refuses a wrong shape for every attribute with a typed error naming it', () => {
    for (const s of CLASS_SPECS.values() as Iterable<ClassSpec>) {
      for (let i = 2; i <= s.attributeCount; i++) {
        const a = s.attributeById[i]!;
        if (a.codec.shape === 'any Data') continue;
        let err: unknown;
        try {
          decodeAttribute(s, i, { type: 'float64', value: 1.5 });
        } catch (e) {
          err = e;
        }
        expect(isDlmsError(err, 'MALFORMED'), `${s.name}.${a.name}`).toBe(true);
        expect((err as { path: unknown[] }).path[0]).toBe(a.name);
      }
    }
  });
});

describe('Register activation (class 6)', () => {
  const regs = [
    { classId: 3, logicalName: obis(1, 0, 1, 8, 1) },
    { classId: 3, logicalName: obis(1, 0, 1, 8, 2) },
    { classId: 3, logicalName: obis(1, 0, 1, 8, 3) },
  ];
  it('masks select registers; add/delete mask; active_mask must name a mask', () => {
    const ra = new RegisterActivationObject('0.0.14.0.1.255', { registerAssignment: regs });
    const mask = (name: string, ...idx: number[]): Data =>
      encodeAttribute(REGISTER_ACTIVATION_CLASS, 3, [{ maskName: enc(name), indexList: idx }]).type ===
      'array'
        ? ((
            encodeAttribute(REGISTER_ACTIVATION_CLASS, 3, [{ maskName: enc(name), indexList: idx }]) as {
              value: Data[];
            }
          ).value[0] as Data)
        : { type: 'null-data' };
    ra.action(2, mask('PEAK', 1), ctx0);
    ra.action(2, mask('OFF', 2, 3), ctx0);
    expect(refusal(() => ra.set(4, os('NONE'), ctx0)).result).toBe('other-reason');
    ra.set(4, os('OFF'), ctx0);
    expect(ra.isActive(3, obis(1, 0, 1, 8, 2))).toBe(true);
    expect(ra.isActive(3, obis(1, 0, 1, 8, 1))).toBe(false);
    ra.action(2, mask('OFF', 1), ctx0); // replaced
    expect(ra.isActive(3, obis(1, 0, 1, 8, 1))).toBe(true);
    expect(refusal(() => ra.action(2, mask('BAD', 4), ctx0)).result).toBe('other-reason');
    ra.action(3, os('OFF'), ctx0);
    expect(ra.values.activeMask).toEqual(new Uint8Array(0));
    expect(ra.values.maskList.map((m) => new TextDecoder().decode(m.maskName))).toEqual(['PEAK']);
    ra.action(
      1,
      {
        type: 'structure',
        value: [
          { type: 'long-unsigned', value: 3 },
          { type: 'octet-string', value: Uint8Array.of(1, 0, 1, 8, 4, 255) },
        ],
      },
      ctx0,
    );
    expect(ra.values.registerAssignment).toHaveLength(4);
  });

  it('round-trips its attributes', () => {
    const bytes = fromHex('0102020212000309060100010801FF020212000309060100010802FF');
    const typed = decodeAttribute(REGISTER_ACTIVATION_CLASS, 2, decodeData(bytes));
    expect(typed).toEqual(regs.slice(0, 2));
    expect(toHex(encodeData(encodeAttribute(REGISTER_ACTIVATION_CLASS, 2, typed)))).toBe(toHex(bytes));
  });
});

describe('Register monitor (class 21)', () => {
  function monitored() {
    const set = new CosemObjectSet();
    const v = set.add(
      new RegisterObject('1.0.12.7.0.255', {
        value: { type: 'long-unsigned', value: 2300 },
        scalerUnit: { scaler: -1, unit: 35 },
      }),
    );
    const flag = set.add(new DataObject('0.0.96.50.0.255', { type: 'unsigned', value: 0 }));
    set.add(
      new ScriptTableObject(
        '0.0.10.0.108.255',
        [1, 2, 3, 4].map((n) => ({
          scriptIdentifier: n,
          actions: [
            {
              serviceId: 1 as const,
              classId: 1,
              logicalName: parseObis('0.0.96.50.0.255'),
              index: 2,
              parameter: { type: 'unsigned', value: n } as Data,
            },
          ],
        })),
      ),
    );
    const item = (n: number) => ({ scriptLogicalName: obis(0, 0, 10, 0, 108), scriptSelector: n });
    const mon = set.add(
      new RegisterMonitorObject('0.0.16.1.0.255', {
        thresholds: [
          { type: 'long-unsigned', value: 2530 },
          { type: 'long-unsigned', value: 2760 },
        ],
        monitoredValue: { classId: 3, logicalName: obis(1, 0, 12, 7, 0), attributeIndex: 2 },
        actions: [
          { actionUp: item(1), actionDown: item(2) },
          { actionUp: item(3), actionDown: item(4) },
        ],
      }),
    );
    return { set, v, flag, mon, ctx: { ...ctx0, objects: set } as CosemContext };
  }

  it('runs action_up and action_down on crossings, through the Script table', () => {
    const m = monitored();
    expect(m.mon.tick(m.ctx)).toEqual([]); // first evaluation records
    m.v.values.value = { type: 'long-unsigned', value: 2600 };
    expect(m.mon.tick(m.ctx)).toEqual([{ threshold: 0, direction: 'up' }]);
    expect(m.flag.values.value).toEqual({ type: 'unsigned', value: 1 });
    m.v.values.value = { type: 'long-unsigned', value: 2800 };
    m.mon.tick(m.ctx);
    expect(m.flag.values.value).toEqual({ type: 'unsigned', value: 3 });
    m.v.values.value = { type: 'long-unsigned', value: 2000 }; // down through both, in threshold order
    expect(m.mon.tick(m.ctx)).toEqual([
      { threshold: 0, direction: 'down' },
      { threshold: 1, direction: 'down' },
    ]);
    expect(m.flag.values.value).toEqual({ type: 'unsigned', value: 4 });
    m.v.values.value = { type: 'long-unsigned', value: 2530 }; // equal is not over
    expect(m.mon.tick(m.ctx)).toEqual([]);
  });

  it('a monitor watching its own thresholds does not recurse', () => {
    const m = monitored();
    m.mon.values.monitoredValue = { classId: 21, logicalName: obis(0, 0, 16, 1, 0), attributeIndex: 2 };
    const gets = vi.spyOn(m.mon, 'get');
    expect(m.set.get(21, '0.0.16.1.0.255', 2, m.ctx).type).toBe('array');
    expect(gets).toHaveBeenCalledTimes(2); // the client's GET and the object's one read of itself
    expect(m.mon.tick(m.ctx)).toEqual([]);
  });

  it('model: crossings match a direct comparison of consecutive values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2400, max: 2900 }), { minLength: 1, maxLength: 30 }),
        (values) => {
          const m = monitored();
          const seen: Crossing[] = [];
          m.mon.onAction = (c) => seen.push(c);
          const expected: Crossing[] = [];
          let prev: number | undefined;
          for (const x of values) {
            m.v.values.value = { type: 'long-unsigned', value: x };
            m.mon.tick(m.ctx);
            if (prev !== undefined) {
              [2530, 2760].forEach((t, i) => {
                if (prev! <= t && x > t) expected.push({ threshold: i, direction: 'up' });
                else if (prev! > t && x <= t) expected.push({ threshold: i, direction: 'down' });
              });
            }
            prev = x;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('IEC HDLC setup (class 23) and TCP-UDP setup (class 41)', () => {
  it('holds the link parameters and refuses values out of range', () => {
    const h = new IecHdlcSetupObject();
    expect(h.baud).toBe(9600);
    h.set(5, { type: 'long-unsigned', value: 832 }, ctx0);
    expect(h.values.maxInfoFieldLengthTransmit).toBe(832);
    expect(refusal(() => h.set(3, { type: 'unsigned', value: 8 }, ctx0)).result).toBe('other-reason');
    expect(refusal(() => h.set(2, { type: 'enum', value: 10 }, ctx0)).result).toBe('type-unmatched');
    expect(refusal(() => h.set(9, { type: 'long-unsigned', value: 0x3ffe }, ctx0)).result).toBe(
      'other-reason',
    );
    const t = new TcpUdpSetupObject();
    expect(t.get(2, ctx0)).toEqual({ type: 'long-unsigned', value: 4059 });
    expect(refusal(() => t.set(4, { type: 'long-unsigned', value: 39 }, ctx0)).result).toBe('other-reason');
    expect(toHex(encodeData(t.get(3, ctx0)))).toBe('090600001901' + '00FF');
  });

  it('round-trips comm_speed and the TCP port', () => {
    expect(decodeAttribute(IEC_HDLC_SETUP_CLASS, 2, decodeData(fromHex('1605')))).toBe(5);
    expect(decodeAttribute(TCP_UDP_SETUP_CLASS, 2, decodeData(fromHex('120FDB')))).toBe(4059);
  });
});

describe('SAP assignment (class 17)', () => {
  it('connects, moves and disconnects logical devices', () => {
    const s = new SapAssignmentObject(undefined, [{ sap: 1, logicalDeviceName: enc('MTR0000000001') }]);
    const el = (sap: number, name: string): Data => ({
      type: 'structure',
      value: [{ type: 'long-unsigned', value: sap }, os(name)],
    });
    s.action(1, el(17, 'GAS0000000001'), ctx0);
    expect(new TextDecoder().decode(s.deviceAt(17))).toBe('GAS0000000001');
    expect(refusal(() => s.action(1, el(1, 'GAS0000000001'), ctx0)).result).toBe('other-reason');
    s.action(1, el(18, 'GAS0000000001'), ctx0); // moved
    expect(s.deviceAt(17)).toBeUndefined();
    s.action(1, el(0, 'GAS0000000001'), ctx0); // disconnected
    expect(s.values.sapAssignmentList.map((e) => e.sap)).toEqual([1]);
    expect(refusal(() => s.action(1, el(5, 'X'.repeat(17)), ctx0)).result).toBe('other-reason');
    expect(toHex(encodeData(s.get(2, ctx0))).toUpperCase()).toBe(
      `01010202120001090D${toHex(enc('MTR0000000001')).toUpperCase()}`,
    );
  });
});

describe('Association SN (class 12)', () => {
  function snMeter() {
    const set = new CosemObjectSet();
    const names = new Map<string, number>();
    const clock = set.add(new ClockObject());
    const serial = set.add(new DataObject('0.0.96.1.0.255', os('SN-1')));
    const assoc = set.add(
      new AssociationSnObject('0.0.40.0.0.255', {
        baseNameOf: (o) => names.get(String(o.logicalName)),
        replyToHls: (r) => (r[0] === 1 ? Uint8Array.of(9, 9) : undefined),
      }),
    );
    names.set(String(assoc.logicalName), 0xfa00);
    names.set(String(clock.logicalName), 0x2bc0);
    names.set(String(serial.logicalName), 0x0100);
    return { set, assoc, ctx: { ...ctx0, objects: set } as CosemContext };
  }

  it('lists objects with base names (0xFA00 as long), resolves variable names', () => {
    const m = snMeter();
    const d = m.set.get(12, '0.0.40.0.0.255', 2, m.ctx);
    const hex = toHex(encodeData(d)).toUpperCase();
    // clock first (registry order): 2BC0, class 8, version 0, 0.0.1.0.0.255
    expect(hex.startsWith('0103020410' + '2BC0' + '120008' + '1100' + '0906' + '0000010000FF')).toBe(true);
    expect(hex).toContain('10FA0012000C1102');
    expect(decodeAttribute(ASSOCIATION_SN_CLASS, 2, d)).toEqual(m.assoc.objectList(m.ctx));
    expect(snAttributeAddress(0x2bc0, 2)).toBe(0x2bc8);
    const r = m.assoc.resolveShortName(0x2bc8, m.ctx)!;
    expect([r.object.classId, r.attributeId]).toEqual([8, 2]);
    expect(m.assoc.resolveShortName(0x2bc0 + 8 * 9, m.ctx)).toBeUndefined(); // past the clock's 9 attributes
    expect(m.assoc.resolveShortName(0x0108, m.ctx)?.attributeId).toBe(2);
  });

  it('read_by_logicalname, secrets and HLS reply', () => {
    const m = snMeter();
    const req: Data = {
      type: 'array',
      value: [
        {
          type: 'structure',
          value: [
            { type: 'long-unsigned', value: 1 },
            { type: 'octet-string', value: Uint8Array.of(0, 0, 96, 1, 0, 255) },
            { type: 'integer', value: 2 },
          ],
        },
        {
          type: 'structure',
          value: [
            { type: 'long-unsigned', value: 1 },
            { type: 'octet-string', value: Uint8Array.of(0, 0, 96, 9, 9, 255) },
            { type: 'integer', value: 2 },
          ],
        },
      ],
    };
    expect(m.assoc.action(3, req, m.ctx)).toEqual({
      type: 'array',
      value: [os('SN-1'), { type: 'null-data' }],
    });
    m.assoc.action(5, os('12345678'), m.ctx);
    expect(m.assoc.llsSecret).toEqual(enc('12345678'));
    expect(
      refusal(() => m.assoc.action(8, { type: 'octet-string', value: Uint8Array.of(2) }, m.ctx)).result,
    ).toBe('other-reason');
    expect(m.assoc.action(8, { type: 'octet-string', value: Uint8Array.of(1) }, m.ctx)).toEqual({
      type: 'octet-string',
      value: Uint8Array.of(9, 9),
    });
    expect(m.assoc.authenticated).toBe(true);
    expect(refusal(() => m.assoc.action(7, { type: 'null-data' }, m.ctx)).result).toBe('other-reason');
    expect(refusal(() => m.assoc.action(9, undefined, m.ctx)).result).toBe('object-undefined');
    expect(refusal(() => m.assoc.action(4, { type: 'array', value: [] }, m.ctx)).result).toBe('other-reason');
  });

  it('short names: long and long-unsigned decode alike; every u16 round-trips through long', () => {
    expect(shortName.decode({ type: 'long', value: -1536 })).toBe(0xfa00);
    expect(shortName.decode({ type: 'long-unsigned', value: 0xfa00 })).toBe(0xfa00);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (n) => {
        const d = shortName.encode(n);
        expect(d.type).toBe('long');
        expect(shortName.decode(decodeData(encodeData(d)))).toBe(n);
      }),
    );
    expect(() => shortName.encode(0x10000)).toThrow(/0..0xFFFF/);
  });
});
