/**
 * Server behaviour of the behavioural interface classes: Limiter (71), Script table (9), Push setup (40),
 * with a fake clock and a registry.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type Data, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  type CosemContext,
  CosemObjectSet,
  CosemServiceError,
  DataObject,
  DisconnectControlObject,
  decodeAttribute,
  encodeAttribute,
  LIMITER_CLASS,
  LimiterObject,
  PUSH_SETUP_CLASS,
  type PushMessage,
  PushSetupObject,
  RegisterObject,
  SCRIPT_TABLE_CLASS,
  ScriptTableObject,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis, parseObis } from '../src/obis/index.ts';

const T0 = Date.UTC(2024, 2, 15, 5, 0, 0); // 2024-03-15 10:30 IST
function fakeClock(ms = T0) {
  let t = ms;
  const ctx: CosemContext = { now: () => new Date(t) };
  return {
    ctx,
    advance(s: number) {
      t += s * 1000;
    },
    at(ms2: number) {
      t = ms2;
    },
  };
}
const zero: Data = { type: 'integer', value: 0 };
function refusal(fn: () => unknown): CosemServiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CosemServiceError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
const dlu = (v: number): Data => ({ type: 'double-long-unsigned', value: v });
const POWER = '1.0.1.7.0.255';
const RELAY = '0.0.96.3.10.255';
const SCRIPTS = '0.0.10.0.106.255';

/** A meter with active power, a relay (mode 2: remote reconnect connects), disconnect/reconnect scripts and a limiter. */
function meter(init: Partial<ConstructorParameters<typeof LimiterObject>[1]> = {}) {
  const set = new CosemObjectSet();
  const power = set.add(new RegisterObject(POWER, { value: dlu(1000), scalerUnit: { scaler: 0, unit: 27 } }));
  const relay = set.add(new DisconnectControlObject(RELAY, 2, 1));
  const st = set.add(
    new ScriptTableObject(SCRIPTS, [
      {
        scriptIdentifier: 1,
        actions: [{ serviceId: 2, classId: 70, logicalName: parseObis(RELAY), index: 1, parameter: zero }],
      },
      {
        scriptIdentifier: 2,
        actions: [{ serviceId: 2, classId: 70, logicalName: parseObis(RELAY), index: 2, parameter: zero }],
      },
    ]),
  );
  const limiter = set.add(
    new LimiterObject('0.0.17.0.0.255', {
      monitoredValue: { classId: 3, logicalName: parseObis(POWER), attributeIndex: 2 },
      thresholdNormal: dlu(5000),
      thresholdEmergency: dlu(2000),
      minOverThresholdDuration: 60,
      minUnderThresholdDuration: 30,
      actions: {
        actionOverThreshold: { scriptLogicalName: parseObis(SCRIPTS), scriptSelector: 1 },
        actionUnderThreshold: { scriptLogicalName: parseObis(SCRIPTS), scriptSelector: 2 },
      },
      ...init,
    }),
  );
  const clock = fakeClock();
  const ctx: CosemContext = { now: () => clock.ctx.now(), objects: set };
  return { set, power, relay, st, limiter, clock, ctx };
}

describe('Limiter (class 71)', () => {
  it('runs action_over_threshold only after min_over_threshold_duration, through the Script table', () => {
    const m = meter();
    m.power.values.value = dlu(6000);
    expect(m.limiter.tick(m.ctx)).toBe('under'); // timer starts
    m.clock.advance(59);
    expect(m.limiter.tick(m.ctx)).toBe('under');
    expect(m.relay.values.controlState).toBe(1);
    m.clock.advance(1);
    expect(m.limiter.tick(m.ctx)).toBe('over');
    expect(m.relay.values.controlState).toBe(0); // remote_disconnect ran
    // stays over: no second action
    m.relay.values.controlState = 1;
    m.clock.advance(600);
    m.limiter.tick(m.ctx);
    expect(m.relay.values.controlState).toBe(1);
  });

  it('an excursion shorter than the duration restarts the timer', () => {
    const m = meter();
    m.power.values.value = dlu(6000);
    m.limiter.tick(m.ctx);
    m.clock.advance(50);
    m.power.values.value = dlu(5000); // equal is not over
    m.limiter.tick(m.ctx);
    m.clock.advance(5);
    m.power.values.value = dlu(6000);
    m.limiter.tick(m.ctx);
    m.clock.advance(59);
    expect(m.limiter.tick(m.ctx)).toBe('under');
    m.clock.advance(1);
    expect(m.limiter.tick(m.ctx)).toBe('over');
  });

  it('runs action_under_threshold after min_under_threshold_duration', () => {
    const m = meter();
    m.power.values.value = dlu(6000);
    m.limiter.tick(m.ctx);
    m.clock.advance(60);
    m.limiter.tick(m.ctx);
    expect(m.relay.values.controlState).toBe(0);
    m.power.values.value = dlu(100);
    m.limiter.tick(m.ctx);
    m.clock.advance(29);
    expect(m.limiter.tick(m.ctx)).toBe('over');
    m.clock.advance(1);
    expect(m.limiter.tick(m.ctx)).toBe('under');
    expect(m.relay.values.controlState).toBe(1); // remote_reconnect (mode 2: transition a)
  });

  it('is evaluated when a client reads it, through the registry', () => {
    const m = meter({ minOverThresholdDuration: 0 });
    m.power.values.value = dlu(9000);
    expect(m.set.get(71, '0.0.17.0.0.255', 3, m.ctx)).toEqual(dlu(5000));
    expect(m.relay.values.controlState).toBe(0);
    expect(m.limiter.state).toBe('over');
  });

  it('hands the action to onAction when the owner supplies it', () => {
    const seen: string[] = [];
    const m = meter({
      minOverThresholdDuration: 10,
      onAction: (w, item) => seen.push(`${w}:${item.scriptSelector}`),
    });
    m.power.values.value = dlu(7000);
    m.limiter.tick(m.ctx);
    m.clock.advance(10);
    m.limiter.tick(m.ctx);
    expect(seen).toEqual(['over:1']);
    expect(m.relay.values.controlState).toBe(1); // the Script table was not used
  });

  it('reports a failing action to onActionError and still changes state', () => {
    const errors: unknown[] = [];
    const m = meter({
      minOverThresholdDuration: 0,
      actions: {
        actionOverThreshold: { scriptLogicalName: parseObis(SCRIPTS), scriptSelector: 99 },
        actionUnderThreshold: { scriptLogicalName: parseObis(SCRIPTS), scriptSelector: 2 },
      },
      onActionError: (_w, e) => errors.push(e),
    });
    m.power.values.value = dlu(7000);
    expect(m.limiter.tick(m.ctx)).toBe('over');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CosemServiceError);
  });

  it('switches threshold_active to threshold_emergency during the emergency profile', () => {
    // activation 2024-03-15 10:35 IST (deviation -330), for 600 s
    const m = meter({
      emergencyProfile: {
        id: 7,
        activationTime: {
          year: 2024,
          month: 3,
          dayOfMonth: 15,
          dayOfWeek: 5,
          hour: 10,
          minute: 35,
          second: 0,
          hundredths: 0,
          deviation: -330,
          clockStatus: undefined,
        },
        duration: 600,
      },
      emergencyProfileGroupIdList: [3, 7],
      minOverThresholdDuration: 0,
    });
    m.power.values.value = dlu(3000);
    m.limiter.tick(m.ctx);
    expect(m.limiter.values.emergencyProfileActive).toBe(false);
    expect(m.limiter.state).toBe('under');
    m.clock.advance(300); // 10:35
    expect(m.limiter.tick(m.ctx)).toBe('over');
    expect(m.limiter.values.emergencyProfileActive).toBe(true);
    expect(m.limiter.values.thresholdActive).toEqual(dlu(2000));
    m.clock.advance(600); // 10:45: the profile has ended
    m.limiter.tick(m.ctx);
    expect(m.limiter.values.emergencyProfileActive).toBe(false);
    expect(m.limiter.values.thresholdActive).toEqual(dlu(5000));
    // a profile id not in the group list never activates
    m.limiter.values.emergencyProfileGroupIdList = [3];
    m.clock.at(T0 + 400_000);
    m.limiter.tick(m.ctx);
    expect(m.limiter.values.emergencyProfileActive).toBe(false);
  });

  it('writing threshold_normal in normal operation moves threshold_active; emergency_profile_active is read-only', () => {
    const m = meter();
    m.set.set(71, '0.0.17.0.0.255', 4, dlu(4000), m.ctx);
    expect(m.limiter.values.thresholdActive).toEqual(dlu(4000));
    expect(refusal(() => m.limiter.set(10, { type: 'boolean', value: true }, m.ctx)).result).toBe(
      'read-write-denied',
    );
    expect(refusal(() => m.limiter.set(6, { type: 'long', value: 1 }, m.ctx)).result).toBe('type-unmatched');
  });

  it('never acts on a value that is missing or not a number', () => {
    const m = meter({ minOverThresholdDuration: 0 });
    m.set.remove(POWER);
    expect(m.limiter.tick(m.ctx)).toBe('under');
    m.set.add(new DataObject(POWER, { type: 'visible-string', value: 'x' }));
    m.limiter.values.monitoredValue = { classId: 1, logicalName: parseObis(POWER), attributeIndex: 2 };
    expect(m.limiter.tick(m.ctx)).toBe('under');
    expect(m.relay.values.controlState).toBe(1);
  });

  it('model: acts exactly when the value has stayed across the threshold for the duration', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 40 }), over: fc.boolean() }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (steps, dOver, dUnder) => {
          const actions: string[] = [];
          const m = meter({
            minOverThresholdDuration: dOver,
            minUnderThresholdDuration: dUnder,
            onAction: (w) => actions.push(w),
          });
          // reference model
          let state: 'under' | 'over' = 'under';
          let since: number | undefined;
          let t = 0;
          const expected: string[] = [];
          for (const s of steps) {
            t += s.dt;
            m.clock.advance(s.dt);
            m.power.values.value = dlu(s.over ? 5001 : 4999);
            m.limiter.tick(m.ctx);
            const side = s.over ? 'over' : 'under';
            if (side === state) since = undefined;
            else {
              since ??= t;
              if (t - since >= (side === 'over' ? dOver : dUnder)) {
                state = side;
                since = undefined;
                expected.push(side);
              }
            }
            expect(m.limiter.state).toBe(state);
          }
          expect(actions).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a limiter monitoring its own threshold does not recurse', () => {
    const m = meter({ minOverThresholdDuration: 0 });
    m.limiter.values.monitoredValue = {
      classId: 71,
      logicalName: parseObis('0.0.17.0.0.255'),
      attributeIndex: 3,
    };
    const gets = vi.spyOn(m.limiter, 'get');
    expect(m.set.get(71, '0.0.17.0.0.255', 3, m.ctx)).toEqual(dlu(5000));
    expect(gets).toHaveBeenCalledTimes(2); // the client's GET and the object's one read of itself
    expect(m.limiter.tick(m.ctx)).toBe('under'); // equal to itself: never over
  });

  it('names the attribute when a value has the wrong shape', () => {
    const bad: Data = { type: 'structure', value: [{ type: 'long-unsigned', value: 1 }] };
    let err: unknown;
    try {
      decodeAttribute(LIMITER_CLASS, 8, bad);
    } catch (e) {
      err = e;
    }
    expect(isDlmsError(err, 'MALFORMED')).toBe(true);
    expect((err as { path: unknown[] }).path[0]).toBe('emergency_profile');
    try {
      decodeAttribute(LIMITER_CLASS, 11, {
        type: 'structure',
        value: [
          {
            type: 'structure',
            value: [
              { type: 'octet-string', value: new Uint8Array(5) },
              { type: 'long-unsigned', value: 1 },
            ],
          },
          { type: 'null-data' },
        ],
      });
    } catch (e) {
      err = e;
    }
    expect((err as { path: unknown[] }).path).toEqual([
      'actions',
      'actionOverThreshold',
      'scriptLogicalName',
    ]);
  });

  it('round-trips the IS 15959 load limit attributes', () => {
    const actions = fromHex('02020202090600000A006AFF1200010202090600000A006AFF120002');
    const typed = decodeAttribute(LIMITER_CLASS, 11, decodeData(actions));
    expect(typed).toEqual({
      actionOverThreshold: { scriptLogicalName: obis(0, 0, 10, 0, 106, 255), scriptSelector: 1 },
      actionUnderThreshold: { scriptLogicalName: obis(0, 0, 10, 0, 106, 255), scriptSelector: 2 },
    });
    expect(toHex(encodeData(encodeAttribute(LIMITER_CLASS, 11, typed))).toUpperCase()).toBe(
      toHex(actions).toUpperCase(),
    );
  });
});

describe('Script table (class 9)', () => {
  it('executes writes and method calls in order, through the registry', () => {
    const set = new CosemObjectSet();
    const reg = set.add(
      new RegisterObject('1.0.1.8.0.255', { value: dlu(123), scalerUnit: { scaler: 0, unit: 30 } }),
    );
    const data = set.add(new DataObject('0.0.96.2.0.255', { type: 'long-unsigned', value: 0 }));
    const st = set.add(
      new ScriptTableObject('0.0.10.0.1.255', [
        {
          scriptIdentifier: 1,
          actions: [
            { serviceId: 2, classId: 3, logicalName: parseObis('1.0.1.8.0.255'), index: 1, parameter: zero },
            {
              serviceId: 1,
              classId: 1,
              logicalName: parseObis('0.0.96.2.0.255'),
              index: 2,
              parameter: { type: 'long-unsigned', value: 5 },
            },
          ],
        },
      ]),
    );
    const ran: number[] = [];
    st.onAction = (a) => ran.push(a.serviceId);
    const ctx: CosemContext = { now: () => new Date(T0) };
    set.action(9, '0.0.10.0.1.255', 1, { type: 'long-unsigned', value: 1 }, ctx);
    expect(reg.values.value).toEqual(dlu(0));
    expect(data.values.value).toEqual({ type: 'long-unsigned', value: 5 });
    expect(ran).toEqual([2, 1]);
  });

  it('refuses an unknown script, a missing target, a refused action, and a parameter of the wrong type', () => {
    const set = new CosemObjectSet();
    set.add(new DataObject('0.0.96.2.0.255', { type: 'long-unsigned', value: 0 }));
    const st = set.add(
      new ScriptTableObject('0.0.10.0.1.255', [
        {
          scriptIdentifier: 1,
          actions: [
            { serviceId: 1, classId: 1, logicalName: parseObis('0.0.96.9.9.255'), index: 2, parameter: zero },
          ],
        },
        {
          scriptIdentifier: 2,
          actions: [
            { serviceId: 2, classId: 1, logicalName: parseObis('0.0.96.2.0.255'), index: 1, parameter: zero },
          ],
        },
      ]),
    );
    const ctx: CosemContext = { now: () => new Date(T0), objects: set };
    const lu = (v: number): Data => ({ type: 'long-unsigned', value: v });
    expect(refusal(() => st.action(1, lu(9), ctx)).message).toMatch(/no script 9/);
    expect(refusal(() => st.action(1, lu(0), ctx)).result).toBe('other-reason');
    expect(refusal(() => st.action(1, lu(1), ctx)).message).toMatch(/no such object/);
    expect(refusal(() => st.action(1, lu(2), ctx)).message).toMatch(/action 1 .*refused/);
    expect(refusal(() => st.action(1, { type: 'unsigned', value: 1 }, ctx)).result).toBe('type-unmatched');
  });

  it('stops a script that triggers itself', () => {
    const set = new CosemObjectSet();
    const st = set.add(
      new ScriptTableObject('0.0.10.0.1.255', [
        {
          scriptIdentifier: 1,
          actions: [
            {
              serviceId: 2,
              classId: 9,
              logicalName: parseObis('0.0.10.0.1.255'),
              index: 1,
              parameter: { type: 'long-unsigned', value: 1 },
            },
          ],
        },
      ]),
    );
    const ctx: CosemContext = { now: () => new Date(T0), objects: set };
    expect(refusal(() => st.action(1, { type: 'long-unsigned', value: 1 }, ctx)).message).toMatch(/deeper/);
  });

  it('round-trips scripts and names the failing field', () => {
    // script 1 whose only action has service_id 3 (only 1 write and 2 execute exist)
    const d = decodeData(fromHex('0101020212000101010205160312000109060000600200FF0F02120005'));
    let err: unknown;
    try {
      decodeAttribute(SCRIPT_TABLE_CLASS, 2, d);
    } catch (e) {
      err = e;
    }
    expect(isDlmsError(err, 'MALFORMED')).toBe(true);
    expect((err as { path: unknown[] }).path).toEqual(['scripts', 0, 'actions', 0, 'serviceId']);
  });
});

describe('Push setup (class 40)', () => {
  function pushMeter(send?: (m: PushMessage) => void) {
    const set = new CosemObjectSet();
    set.add(
      new DataObject('0.0.96.1.2.255', { type: 'octet-string', value: new TextEncoder().encode('MTR1') }),
    );
    set.add(
      new RegisterObject('1.0.12.7.0.255', {
        value: { type: 'long-unsigned', value: 2301 },
        scalerUnit: { scaler: -1, unit: 35 },
      }),
    );
    const push = set.add(
      new PushSetupObject('0.0.25.9.0.255', {
        pushObjectList: [
          { classId: 1, logicalName: parseObis('0.0.96.1.2.255'), attributeIndex: 2, dataIndex: 0 },
          { classId: 40, logicalName: parseObis('0.0.25.9.0.255'), attributeIndex: 1, dataIndex: 0 },
          { classId: 3, logicalName: parseObis('1.0.12.7.0.255'), attributeIndex: 2, dataIndex: 0 },
          { classId: 3, logicalName: parseObis('1.0.12.7.0.255'), attributeIndex: 3, dataIndex: 2 },
          { classId: 3, logicalName: parseObis('1.0.99.9.9.255'), attributeIndex: 2, dataIndex: 0 },
        ],
        sendDestinationAndMethod: {
          transportService: 0,
          destination: new TextEncoder().encode('[2001:db8::1]:4059'),
          message: 0,
        },
        numberOfRetries: 3,
        repetitionDelay: 60,
        send: send ? (m) => send(m) : undefined,
      }),
    );
    return { set, push, ctx: { now: () => new Date(T0), objects: set } as CosemContext };
  }

  it('invokes the send callback with the encoded object list', () => {
    const sent: PushMessage[] = [];
    const m = pushMeter((x) => sent.push(x));
    m.set.action(40, '0.0.25.9.0.255', 1, zero, m.ctx);
    expect(sent).toHaveLength(1);
    // structure(5): octet-string "MTR1", the push setup LN, long-unsigned 2301, enum 35 (unit), null-data
    expect(toHex(sent[0]!.encoded).toUpperCase()).toBe(
      '0205090' + '44D545231' + '0906000019090' + '0FF' + '1208FD' + '1623' + '00',
    );
    expect(decodeData(sent[0]!.encoded)).toEqual(sent[0]!.body);
    expect(sent[0]!.numberOfRetries).toBe(3);
    expect(new TextDecoder().decode(sent[0]!.destination.destination)).toBe('[2001:db8::1]:4059');
  });

  it('refuses without a transport, and reports a failing transport as temporary-failure', () => {
    expect(refusal(() => pushMeter().push.action(1, zero, pushMeter().ctx)).result).toBe('other-reason');
    const m = pushMeter(() => {
      throw new Error('link down');
    });
    expect(refusal(() => m.push.action(1, zero, m.ctx)).result).toBe('temporary-failure');
  });

  it('tells whether now is inside a communication window', () => {
    const m = pushMeter(() => {});
    expect(m.push.windowOpen(m.ctx)).toBe(true);
    const dt = (h: number) => ({
      year: 2024,
      month: 3,
      dayOfMonth: 15,
      dayOfWeek: 5,
      hour: h,
      minute: 0,
      second: 0,
      hundredths: 0,
      deviation: -330,
      clockStatus: undefined,
    });
    m.push.values.communicationWindow = [{ startTime: dt(11), endTime: dt(12) }];
    expect(m.push.windowOpen(m.ctx)).toBe(false);
    m.push.values.communicationWindow.push({ startTime: dt(10), endTime: dt(11) });
    expect(m.push.windowOpen(m.ctx)).toBe(true);
  });

  it('decodes the IS 15959 push destination sample and names attributes on bad shapes', () => {
    const dest = fromHex('0203160009125B323030313A6462383A3A315D3A343035391600');
    const v = decodeAttribute(PUSH_SETUP_CLASS, 3, decodeData(dest)) as { transportService: number };
    expect(v.transportService).toBe(0);
    let err: unknown;
    try {
      decodeAttribute(PUSH_SETUP_CLASS, 3, decodeData(fromHex('0202160009020000')));
    } catch (e) {
      err = e;
    }
    expect((err as { path: unknown[] }).path[0]).toBe('send_destination_and_method');
  });
});
