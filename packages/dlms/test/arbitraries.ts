/**
 * fast-check arbitraries for the A-XDR Data model and OBIS codes, shared by the tests of this package (and
 * the APDU tests built on it). Every generated value is encodable, and decodes back deep-equal.
 */
import fc from 'fast-check';
import type {
  BitString,
  ClockStatus,
  CosemDate,
  CosemDateTime,
  CosemTime,
  Data,
  SimpleDataType,
  TypeDescription,
} from '../src/axdr/index.ts';
import { type Obis, obis } from '../src/obis/index.ts';

const u8 = fc.integer({ min: 0, max: 255 });

export const arbObis: fc.Arbitrary<Obis> = fc
  .tuple(u8, u8, u8, u8, u8, u8)
  .map(([a, b, c, d, e, f]) => obis(a, b, c, d, e, f));

export const arbBitString: fc.Arbitrary<BitString> = fc.integer({ min: 0, max: 200 }).chain((length) =>
  fc.uint8Array({ minLength: Math.ceil(length / 8), maxLength: Math.ceil(length / 8) }).map((bytes) => {
    const r = length & 7;
    if (r !== 0) bytes[bytes.length - 1]! &= (0xff << (8 - r)) & 0xff;
    return { length, bytes };
  }),
);

/** A byte field with 0xFF meaning "not specified": any other byte, or undefined. */
const field = (max = 0xfe): fc.Arbitrary<number | undefined> =>
  fc.option(fc.integer({ min: 0, max }), { nil: undefined, freq: 4 });

export const arbClockStatus: fc.Arbitrary<ClockStatus | undefined> = fc.option(
  fc
    .record({
      invalidValue: fc.boolean(),
      doubtfulValue: fc.boolean(),
      differentClockBase: fc.boolean(),
      invalidClockStatus: fc.boolean(),
      daylightSavingActive: fc.boolean(),
      reserved: fc.integer({ min: 0, max: 7 }),
    })
    .filter(
      (s) =>
        !(
          s.reserved === 7 &&
          s.invalidValue &&
          s.doubtfulValue &&
          s.differentClockBase &&
          s.invalidClockStatus &&
          s.daylightSavingActive
        ),
    )
    .map((s): ClockStatus => {
      const { reserved, ...rest } = s;
      return reserved === 0 ? rest : { ...rest, reserved };
    }),
  { nil: undefined, freq: 4 },
);

export const arbCosemDate: fc.Arbitrary<CosemDate> = fc.record({
  year: fc.option(fc.integer({ min: 0, max: 0xfffe }), { nil: undefined, freq: 4 }),
  month: fc.oneof(field(0xfc), fc.constantFrom('dst-end' as const, 'dst-begin' as const)),
  dayOfMonth: fc.oneof(field(0xfc), fc.constantFrom('second-last' as const, 'last' as const)),
  dayOfWeek: field(),
});

export const arbCosemTime: fc.Arbitrary<CosemTime> = fc.record({
  hour: field(),
  minute: field(),
  second: field(),
  hundredths: field(),
});

export const arbCosemDateTime: fc.Arbitrary<CosemDateTime> = fc
  .record({
    date: arbCosemDate,
    time: arbCosemTime,
    deviation: fc.option(fc.integer({ min: -0x7fff, max: 0x7fff }), { nil: undefined, freq: 4 }),
    clockStatus: arbClockStatus,
  })
  .map(({ date, time, deviation, clockStatus }) => ({ ...date, ...time, deviation, clockStatus }));

const SIMPLE: readonly SimpleDataType[] = [
  'null-data',
  'boolean',
  'bit-string',
  'double-long',
  'double-long-unsigned',
  'octet-string',
  'visible-string',
  'utf8-string',
  'bcd',
  'integer',
  'long',
  'unsigned',
  'long-unsigned',
  'long64',
  'long64-unsigned',
  'enum',
  'float32',
  'float64',
  'date-time',
  'date',
  'time',
  'dont-care',
];

/** A value of the given simple type. */
export function arbSimpleOf(type: SimpleDataType): fc.Arbitrary<Data> {
  switch (type) {
    case 'null-data':
    case 'dont-care':
      return fc.constant({ type });
    case 'boolean':
      return fc.boolean().map((value) => ({ type, value }));
    case 'bit-string':
      return arbBitString.map((value) => ({ type, value }));
    case 'double-long':
      return fc.integer().map((value) => ({ type, value }));
    case 'double-long-unsigned':
      return fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ type, value }));
    case 'octet-string':
      return fc.uint8Array({ maxLength: 300 }).map((value) => ({ type, value }));
    case 'visible-string':
      return fc
        .array(fc.integer({ min: 0, max: 255 }), { maxLength: 140 })
        .map((cs) => ({ type, value: String.fromCharCode(...cs) }));
    case 'utf8-string':
      return fc.string({ unit: 'grapheme', maxLength: 40 }).map((value) => ({ type, value }));
    case 'bcd':
    case 'unsigned':
    case 'enum':
      return u8.map((value) => ({ type, value }));
    case 'integer':
      return fc.integer({ min: -128, max: 127 }).map((value) => ({ type, value }));
    case 'long':
      return fc.integer({ min: -0x8000, max: 0x7fff }).map((value) => ({ type, value }));
    case 'long-unsigned':
      return fc.integer({ min: 0, max: 0xffff }).map((value) => ({ type, value }));
    case 'long64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type, value }));
    case 'long64-unsigned':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ type, value }));
    case 'float32':
      return fc.float().map((value) => ({ type, value }));
    case 'float64':
      return fc.double().map((value) => ({ type, value }));
    case 'date-time':
      return arbCosemDateTime.map((value) => ({ type, value }));
    case 'date':
      return arbCosemDate.map((value) => ({ type, value }));
    case 'time':
      return arbCosemTime.map((value) => ({ type, value }));
  }
}

export const arbSimpleData: fc.Arbitrary<Data> = fc.constantFrom(...SIMPLE).chain(arbSimpleOf);

/** A type description for compact-arrays (kept small: arrays of at most 3, structures of at most 4). */
export const arbTypeDescription: fc.Arbitrary<TypeDescription> = fc.letrec<{ td: TypeDescription }>(
  (tie) => ({
    td: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...SIMPLE).map((type): TypeDescription => ({ type })),
      fc
        .record({ count: fc.integer({ min: 0, max: 3 }), element: tie('td') })
        .map(({ count, element }): TypeDescription => ({ type: 'array', count, element })),
      fc
        .array(tie('td'), { maxLength: 4 })
        .map((elements): TypeDescription => ({ type: 'structure', elements })),
    ),
  }),
).td;

/** A value matching a type description (what a compact-array element holds). */
export function arbOfDescription(td: TypeDescription): fc.Arbitrary<Data> {
  switch (td.type) {
    case 'array':
      return fc
        .array(arbOfDescription(td.element), { minLength: td.count, maxLength: td.count })
        .map((value) => ({ type: 'array', value }));
    case 'structure':
      return fc.tuple(...td.elements.map(arbOfDescription)).map((value) => ({ type: 'structure', value }));
    default:
      return arbSimpleOf(td.type);
  }
}

function zeroSize(td: TypeDescription): boolean {
  switch (td.type) {
    case 'null-data':
    case 'dont-care':
      return true;
    case 'array':
      return td.count === 0 || zeroSize(td.element);
    case 'structure':
      return td.elements.every(zeroSize);
    default:
      return false;
  }
}

export const arbCompactArray: fc.Arbitrary<Data> = arbTypeDescription.chain((typeDescription) =>
  fc
    .array(arbOfDescription(typeDescription), { maxLength: zeroSize(typeDescription) ? 0 : 5 })
    .map((value): Data => ({ type: 'compact-array', typeDescription, value })),
);

/** Any Data value: simple values, arrays, structures and compact-arrays, nested. */
export const arbData: fc.Arbitrary<Data> = fc.letrec<{ data: Data }>((tie) => ({
  data: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbSimpleData,
    fc.array(tie('data'), { maxLength: 5 }).map((value): Data => ({ type: 'array', value })),
    fc.array(tie('data'), { maxLength: 5 }).map((value): Data => ({ type: 'structure', value })),
    arbCompactArray,
  ),
})).data;
