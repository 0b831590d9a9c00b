import type { CosemDate, CosemDateTime, CosemTime } from './datetime.ts';

/**
 * The `Data` CHOICE of IEC 62056-6-2 (DLMS UA 1000-1, "Blue Book", common data types) and its A-XDR tags.
 * Tags 7 (floating-point) and 11 (time) belong to IEC 61334-4-41 and are "not usable in DLMS/COSEM".
 *
 * ```asn1
 * Data ::= CHOICE {
 *   null-data            [0]   IMPLICIT NULL,
 *   array                [1]   IMPLICIT SEQUENCE OF Data,
 *   structure            [2]   IMPLICIT SEQUENCE OF Data,
 *   boolean              [3]   IMPLICIT BOOLEAN,
 *   bit-string           [4]   IMPLICIT BIT STRING,
 *   double-long          [5]   IMPLICIT Integer32,
 *   double-long-unsigned [6]   IMPLICIT Unsigned32,
 *   octet-string         [9]   IMPLICIT OCTET STRING,
 *   visible-string       [10]  IMPLICIT VisibleString,
 *   utf8-string          [12]  IMPLICIT UTF8String,
 *   bcd                  [13]  IMPLICIT Integer8,
 *   integer              [15]  IMPLICIT Integer8,
 *   long                 [16]  IMPLICIT Integer16,
 *   unsigned             [17]  IMPLICIT Unsigned8,
 *   long-unsigned        [18]  IMPLICIT Unsigned16,
 *   compact-array        [19]  IMPLICIT SEQUENCE {
 *     contents-description [0] TypeDescription,
 *     array-contents       [1] IMPLICIT OCTET STRING
 *   },
 *   long64               [20]  IMPLICIT Integer64,
 *   long64-unsigned      [21]  IMPLICIT Unsigned64,
 *   enum                 [22]  IMPLICIT Unsigned8,
 *   float32              [23]  IMPLICIT OCTET STRING (SIZE(4)),
 *   float64              [24]  IMPLICIT OCTET STRING (SIZE(8)),
 *   date-time            [25]  IMPLICIT OCTET STRING (SIZE(12)),
 *   date                 [26]  IMPLICIT OCTET STRING (SIZE(5)),
 *   time                 [27]  IMPLICIT OCTET STRING (SIZE(4)),
 *   dont-care            [255] IMPLICIT NULL
 * }
 * ```
 *
 * A-XDR (IEC 61334-6): the CHOICE tag is one byte; SEQUENCE OF carries its element count, and OCTET STRING,
 * VisibleString and UTF8String their byte length, in the variable-length form (below 128 one byte, otherwise
 * `0x80|N` and N big-endian bytes); a BIT STRING carries its length **in bits** the same way, followed by
 * ⌈bits/8⌉ bytes, first bit in the most significant bit; fixed-size integers are big-endian two's complement;
 * floats are IEEE 754 big-endian.
 */
export type Data =
  | { type: 'null-data' }
  | { type: 'array'; value: Data[] }
  | { type: 'structure'; value: Data[] }
  | { type: 'boolean'; value: boolean }
  | { type: 'bit-string'; value: BitString }
  | { type: 'double-long'; value: number }
  | { type: 'double-long-unsigned'; value: number }
  | { type: 'octet-string'; value: Uint8Array }
  | { type: 'visible-string'; value: string }
  | { type: 'utf8-string'; value: string }
  | { type: 'bcd'; value: number }
  | { type: 'integer'; value: number }
  | { type: 'long'; value: number }
  | { type: 'unsigned'; value: number }
  | { type: 'long-unsigned'; value: number }
  | { type: 'compact-array'; typeDescription: TypeDescription; value: Data[] }
  | { type: 'long64'; value: bigint }
  | { type: 'long64-unsigned'; value: bigint }
  | { type: 'enum'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'float64'; value: number }
  | { type: 'date-time'; value: CosemDateTime }
  | { type: 'date'; value: CosemDate }
  | { type: 'time'; value: CosemTime }
  | { type: 'dont-care' };

/** The `type` names of {@link Data}, the standard's names in kebab case. */
export type DataType = Data['type'];

/** The Data variant with the given type name, e.g. `DataOf<'long-unsigned'>`. */
export type DataOf<T extends DataType> = Extract<Data, { type: T }>;

/**
 * A BIT STRING of any length. `bytes` holds ⌈length/8⌉ bytes, bit 0 in the most significant bit of
 * `bytes[0]`; the padding bits after `length` in the last byte are zero (the decoder clears them).
 */
export interface BitString {
  /** Number of bits. */
  length: number;
  bytes: Uint8Array;
}

/**
 * The type names that a {@link TypeDescription} can carry without further content (everything except
 * array, structure and compact-array).
 */
export type SimpleDataType = Exclude<DataType, 'array' | 'structure' | 'compact-array'>;

/**
 * The type of the elements of a compact-array (IEC 62056-6-2).
 *
 * ```asn1
 * TypeDescription ::= CHOICE {
 *   null-data  [0] IMPLICIT NULL,
 *   array      [1] IMPLICIT SEQUENCE {
 *     number-of-elements Unsigned16,
 *     type-description   TypeDescription
 *   },
 *   structure  [2] IMPLICIT SEQUENCE OF TypeDescription,
 *   boolean    [3] IMPLICIT NULL,
 *   bit-string [4] IMPLICIT NULL,
 *   …          -- every other simple Data type: its Data tag, IMPLICIT NULL
 *   dont-care  [255] IMPLICIT NULL
 * }
 * ```
 *
 * Note that the array's element count is a fixed two-byte Unsigned16 here, while the structure's element
 * count is the variable-length SEQUENCE OF count.
 */
export type TypeDescription =
  | { type: SimpleDataType }
  | { type: 'array'; count: number; element: TypeDescription }
  | { type: 'structure'; elements: TypeDescription[] };

/** Protection against hostile input, merged over {@link DEFAULT_DATA_LIMITS}. */
export interface DataLimits {
  /**
   * Deepest nesting of array / structure / compact-array (and of type descriptions). A scalar has depth
   * 0, a structure of scalars depth 1.
   */
  maxDepth: number;
  /** Total number of elements of all arrays, structures and compact-arrays in one value. */
  maxElements: number;
}

export const DEFAULT_DATA_LIMITS: Readonly<DataLimits> = Object.freeze({
  maxDepth: 32,
  maxElements: 1_000_000,
});

/** A-XDR tag of each Data type (IEC 62056-6-2 common data types table). */
export const DATA_TAGS: Readonly<Record<DataType, number>> = Object.freeze({
  'null-data': 0,
  array: 1,
  structure: 2,
  boolean: 3,
  'bit-string': 4,
  'double-long': 5,
  'double-long-unsigned': 6,
  'octet-string': 9,
  'visible-string': 10,
  'utf8-string': 12,
  bcd: 13,
  integer: 15,
  long: 16,
  unsigned: 17,
  'long-unsigned': 18,
  'compact-array': 19,
  long64: 20,
  'long64-unsigned': 21,
  enum: 22,
  float32: 23,
  float64: 24,
  'date-time': 25,
  date: 26,
  time: 27,
  'dont-care': 255,
});

/** Data type name of each A-XDR tag, or undefined for a tag that is not a Data type. */
export function dataTypeOfTag(tag: number): DataType | undefined {
  return TAG_NAMES[tag];
}

const TAG_NAMES: readonly (DataType | undefined)[] = /* @__PURE__ */ (() => {
  const t: (DataType | undefined)[] = new Array(256).fill(undefined);
  for (const [name, tag] of Object.entries(DATA_TAGS)) t[tag] = name as DataType;
  return Object.freeze(t);
})();
