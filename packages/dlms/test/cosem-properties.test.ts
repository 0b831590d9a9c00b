/**
 * Round-trip properties of the typed attribute values of the classes added for issue 5:
 * decode(Data(bytes(encode(x)))) = x for generated typed values, and random Data never makes a codec
 * throw anything but DlmsError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeData, encodeData } from '../src/axdr/index.ts';
import {
  ACTIVITY_CALENDAR_CLASS,
  ASSOCIATION_SN_CLASS,
  type ClassSpec,
  IEC_HDLC_SETUP_CLASS,
  LIMITER_CLASS,
  PUSH_SETUP_CLASS,
  REGISTER_ACTIVATION_CLASS,
  REGISTER_MONITOR_CLASS,
  SAP_ASSIGNMENT_CLASS,
  SCRIPT_TABLE_CLASS,
  SINGLE_ACTION_SCHEDULE_CLASS,
  SPECIAL_DAYS_TABLE_CLASS,
  TCP_UDP_SETUP_CLASS,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import {
  arbCosemDate,
  arbCosemDateTime,
  arbCosemTime,
  arbData,
  arbObis,
  arbSimpleData,
} from './arbitraries.ts';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i8 = fc.integer({ min: -128, max: 127 });
const bytes = fc.uint8Array({ maxLength: 20 });
const actionItem = fc.record({ scriptLogicalName: arbObis, scriptSelector: u16 });
const valueDefinition = fc.record({ classId: u16, logicalName: arbObis, attributeIndex: i8 });
const captureObject = fc.record({ classId: u16, logicalName: arbObis, attributeIndex: i8, dataIndex: u16 });
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 4 });

const CASES: [ClassSpec, number, fc.Arbitrary<unknown>][] = [
  [LIMITER_CLASS as ClassSpec, 2, valueDefinition],
  [LIMITER_CLASS as ClassSpec, 3, arbSimpleData],
  [LIMITER_CLASS as ClassSpec, 8, fc.record({ id: u16, activationTime: arbCosemDateTime, duration: u32 })],
  [LIMITER_CLASS as ClassSpec, 9, list(u16)],
  [
    LIMITER_CLASS as ClassSpec,
    11,
    fc.record({ actionOverThreshold: actionItem, actionUnderThreshold: actionItem }),
  ],
  [PUSH_SETUP_CLASS as ClassSpec, 2, list(captureObject)],
  [PUSH_SETUP_CLASS as ClassSpec, 3, fc.record({ transportService: u8, destination: bytes, message: u8 })],
  [
    PUSH_SETUP_CLASS as ClassSpec,
    4,
    list(fc.record({ startTime: arbCosemDateTime, endTime: arbCosemDateTime })),
  ],
  [
    SCRIPT_TABLE_CLASS as ClassSpec,
    2,
    list(
      fc.record({
        scriptIdentifier: u16,
        actions: list(
          fc.record({
            serviceId: fc.constantFrom(1, 2),
            classId: u16,
            logicalName: arbObis,
            index: i8,
            parameter: arbData,
          }),
        ),
      }),
    ),
  ],
  [
    SPECIAL_DAYS_TABLE_CLASS as ClassSpec,
    2,
    list(fc.record({ index: u16, specialdayDate: arbCosemDate, dayId: u8 })),
  ],
  [
    ACTIVITY_CALENDAR_CLASS as ClassSpec,
    3,
    list(fc.record({ seasonProfileName: bytes, seasonStart: arbCosemDateTime, weekName: bytes })),
  ],
  [
    ACTIVITY_CALENDAR_CLASS as ClassSpec,
    4,
    list(
      fc.record({
        weekProfileName: bytes,
        monday: u8,
        tuesday: u8,
        wednesday: u8,
        thursday: u8,
        friday: u8,
        saturday: u8,
        sunday: u8,
      }),
    ),
  ],
  [
    ACTIVITY_CALENDAR_CLASS as ClassSpec,
    5,
    list(
      fc.record({
        dayId: u8,
        daySchedule: list(
          fc.record({ startTime: arbCosemTime, scriptLogicalName: arbObis, scriptSelector: u16 }),
        ),
      }),
    ),
  ],
  [ACTIVITY_CALENDAR_CLASS as ClassSpec, 10, arbCosemDateTime],
  [SINGLE_ACTION_SCHEDULE_CLASS as ClassSpec, 4, list(fc.record({ time: arbCosemTime, date: arbCosemDate }))],
  [REGISTER_ACTIVATION_CLASS as ClassSpec, 2, list(fc.record({ classId: u16, logicalName: arbObis }))],
  [REGISTER_ACTIVATION_CLASS as ClassSpec, 3, list(fc.record({ maskName: bytes, indexList: list(u8) }))],
  [REGISTER_MONITOR_CLASS as ClassSpec, 2, list(arbSimpleData)],
  [REGISTER_MONITOR_CLASS as ClassSpec, 4, list(fc.record({ actionUp: actionItem, actionDown: actionItem }))],
  [IEC_HDLC_SETUP_CLASS as ClassSpec, 2, fc.integer({ min: 0, max: 9 })],
  [TCP_UDP_SETUP_CLASS as ClassSpec, 3, arbObis],
  [SAP_ASSIGNMENT_CLASS as ClassSpec, 2, list(fc.record({ sap: u16, logicalDeviceName: bytes }))],
  [
    ASSOCIATION_SN_CLASS as ClassSpec,
    2,
    list(fc.record({ baseName: u16, classId: u16, version: u8, logicalName: arbObis })),
  ],
  [
    ASSOCIATION_SN_CLASS as ClassSpec,
    3,
    list(
      fc.record({
        baseName: u16,
        attributeAccess: list(
          fc.record({
            attributeId: i8,
            accessMode: u8,
            accessSelectors: fc.option(list(i8), { nil: undefined }),
          }),
        ),
        methodAccess: list(fc.record({ methodId: i8, accessMode: u8 })),
      }),
    ),
  ],
];

describe('typed round trips of the issue-5 classes', () => {
  for (const [spec, id, arb] of CASES) {
    const a = spec.attributeById[id]!;
    it(`${spec.name} ${a.name}: decode(encode(x)) = x through A-XDR bytes`, () => {
      fc.assert(
        fc.property(arb, (x) => {
          const back = a.codec.decode(decodeData(encodeData(a.codec.encode(x))));
          expect(back).toEqual(x);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('random Data never makes an attribute codec throw anything but DlmsError', () => {
    const attrs = CASES.map(([s, id]) => s.attributeById[id]!);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: attrs.length - 1 }), arbData, (i, d) => {
        try {
          attrs[i]!.codec.decode(d);
        } catch (e) {
          expect(isDlmsError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
