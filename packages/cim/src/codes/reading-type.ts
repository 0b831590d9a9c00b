/**
 * IEC 61968-9 ReadingType (Annex C): the 18-field code that says what a meter reading is.
 *
 * ```text
 *  1 macroPeriod . 2 aggregate . 3 measuringPeriod . 4 accumulation . 5 flowDirection . 6 commodity .
 *  7 measurementKind . 8 interharmonic.numerator . 9 interharmonic.denominator . 10 argument.numerator .
 * 11 argument.denominator . 12 tou . 13 cpp . 14 consumptionTier . 15 phases . 16 multiplier (power of ten) .
 * 17 unit . 18 currency (ISO 4217 numeric)
 *
 * 0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0  =  forward bulk energy, electricity secondary metered, kWh
 * ```
 *
 * The order is the one of the reference (§5.1, from the Connexo ReadingTypeCodeBuilder) and matches the
 * `ReadingType` element of the MeterReadings profile, where `argument` and `interharmonic` are
 * `{numerator, denominator}` pairs. Enumerated fields use the tables of `./reading-type-enums.ts`; values outside
 * them are kept (a newer edition may define them) and flagged by {@link describeReadingType}.
 *
 * @module
 */
import { CimError } from '../errors.ts';
import type { CodeTable } from './code-table.ts';
import { checkField, parseDotted } from './dotted.ts';
import {
  type AccumulationCode,
  type AggregateCode,
  accumulationTable,
  aggregateTable,
  type CommodityCode,
  type CurrencyCode,
  commodityTable,
  currencyTable,
  type FlowDirectionCode,
  flowDirectionTable,
  type MacroPeriodCode,
  type MeasurementKindCode,
  type MeasuringPeriodCode,
  type MetricMultiplierValue,
  macroPeriodTable,
  measurementKindTable,
  measuringPeriodTable,
  metricMultiplierTable,
  type PhaseCodeCode,
  phaseCodeTable,
  type UnitSymbolCode,
  unitSymbolTable,
} from './reading-type-enums.ts';

/** A known code of an enumeration, or any other integer (kept, but flagged as unknown when described). */
export type Known<T extends number> = T | (number & {});

/** A rational number as the ReadingType carries it (`argument`, `interharmonic`); 0/0 means not applicable. */
export interface Rational {
  readonly numerator: number;
  readonly denominator: number;
}

/** The decoded ReadingType: one property per field, in the profile's shape. */
export interface ReadingType {
  readonly macroPeriod: Known<MacroPeriodCode>;
  readonly aggregate: Known<AggregateCode>;
  readonly measuringPeriod: Known<MeasuringPeriodCode>;
  readonly accumulation: Known<AccumulationCode>;
  readonly flowDirection: Known<FlowDirectionCode>;
  readonly commodity: Known<CommodityCode>;
  readonly measurementKind: Known<MeasurementKindCode>;
  readonly interharmonic: Rational;
  readonly argument: Rational;
  /** Time-of-use bucket (1 = TOU A / tariff zone 1 …); 0 = not applicable. */
  readonly tou: number;
  /** Critical peak period bucket; 0 = not applicable. */
  readonly cpp: number;
  /** Consumption tier (block tariff) bucket; 0 = not applicable. */
  readonly consumptionTier: number;
  readonly phases: Known<PhaseCodeCode>;
  /** Power of ten: 3 = kilo. */
  readonly multiplier: Known<MetricMultiplierValue>;
  readonly unit: Known<UnitSymbolCode>;
  /** ISO 4217 numeric currency code; 0 = none. */
  readonly currency: Known<CurrencyCode>;
}

/** The 18 mRID fields in order, by the names the standard gives them. */
export const READING_TYPE_FIELDS = [
  'macroPeriod',
  'aggregate',
  'measuringPeriod',
  'accumulation',
  'flowDirection',
  'commodity',
  'measurementKind',
  'interharmonicNumerator',
  'interharmonicDenominator',
  'argumentNumerator',
  'argumentDenominator',
  'tou',
  'cpp',
  'consumptionTier',
  'phases',
  'multiplier',
  'unit',
  'currency',
] as const;
/** One of {@link READING_TYPE_FIELDS}. */
export type ReadingTypeField = (typeof READING_TYPE_FIELDS)[number];

/** A ReadingType with every field 0 (not applicable). */
export const READING_TYPE_NONE: ReadingType = Object.freeze({
  macroPeriod: 0,
  aggregate: 0,
  measuringPeriod: 0,
  accumulation: 0,
  flowDirection: 0,
  commodity: 0,
  measurementKind: 0,
  interharmonic: Object.freeze({ numerator: 0, denominator: 0 }),
  argument: Object.freeze({ numerator: 0, denominator: 0 }),
  tou: 0,
  cpp: 0,
  consumptionTier: 0,
  phases: 0,
  multiplier: 0,
  unit: 0,
  currency: 0,
});

/** A ReadingType from the fields given, every other field 0. */
export function readingType(fields: Partial<ReadingType>): ReadingType {
  return { ...READING_TYPE_NONE, ...fields };
}

/**
 * Parses an 18-field ReadingType mRID. Throws `CimError` `INVALID_VALUE` (wrong field count, a non-integer or
 * non-canonical field; `path` = `[fieldIndex]`), `LIMIT_EXCEEDED` or `INVALID_ARGUMENT` (not a string).
 */
export function parseReadingType(mrid: string): ReadingType {
  const f = parseDotted(mrid, READING_TYPE_FIELDS, 'ReadingType');
  return {
    macroPeriod: f[0]!,
    aggregate: f[1]!,
    measuringPeriod: f[2]!,
    accumulation: f[3]!,
    flowDirection: f[4]!,
    commodity: f[5]!,
    measurementKind: f[6]!,
    interharmonic: { numerator: f[7]!, denominator: f[8]! },
    argument: { numerator: f[9]!, denominator: f[10]! },
    tou: f[11]!,
    cpp: f[12]!,
    consumptionTier: f[13]!,
    phases: f[14]!,
    multiplier: f[15]!,
    unit: f[16]!,
    currency: f[17]!,
  };
}

/** The 18 field values in mRID order. */
export function readingTypeFields(rt: ReadingType): number[] {
  if (typeof rt !== 'object' || rt === null) {
    throw new CimError('INVALID_ARGUMENT', 'ReadingType: expected an object');
  }
  const ih = rt.interharmonic as Rational | undefined;
  const arg = rt.argument as Rational | undefined;
  if (typeof ih !== 'object' || ih === null || typeof arg !== 'object' || arg === null) {
    throw new CimError(
      'INVALID_ARGUMENT',
      'ReadingType: interharmonic and argument must be {numerator, denominator}',
    );
  }
  const w = 'ReadingType';
  return [
    checkField(w, 'macroPeriod', rt.macroPeriod),
    checkField(w, 'aggregate', rt.aggregate),
    checkField(w, 'measuringPeriod', rt.measuringPeriod),
    checkField(w, 'accumulation', rt.accumulation),
    checkField(w, 'flowDirection', rt.flowDirection),
    checkField(w, 'commodity', rt.commodity),
    checkField(w, 'measurementKind', rt.measurementKind),
    checkField(w, 'interharmonicNumerator', ih.numerator),
    checkField(w, 'interharmonicDenominator', ih.denominator),
    checkField(w, 'argumentNumerator', arg.numerator),
    checkField(w, 'argumentDenominator', arg.denominator),
    checkField(w, 'tou', rt.tou),
    checkField(w, 'cpp', rt.cpp),
    checkField(w, 'consumptionTier', rt.consumptionTier),
    checkField(w, 'phases', rt.phases),
    checkField(w, 'multiplier', rt.multiplier),
    checkField(w, 'unit', rt.unit),
    checkField(w, 'currency', rt.currency),
  ];
}

/** Formats a ReadingType as its 18-field mRID. Throws `INVALID_ARGUMENT` when a field is not a 32-bit integer. */
export function formatReadingType(rt: ReadingType): string {
  return readingTypeFields(rt).join('.');
}

/** What {@link describeReadingType} says about one field. */
export interface ReadingTypeFieldDescription {
  /** 0-based position in the mRID. */
  readonly index: number;
  readonly field: ReadingTypeField;
  readonly value: number;
  /** The standard's name for the value (enumerated fields), when known. */
  readonly name?: string;
  /** False when the field is enumerated and the value is not in our table (kept, not refused). */
  readonly known: boolean;
  /** A short meaning in words: `forward`, `15-minute`, `TOU bucket 2`, `not applicable`, `unknown unit code 999`. */
  readonly meaning: string;
}

/** The structured and human description of a ReadingType. */
export interface ReadingTypeDescription {
  readonly mRID: string;
  readonly readingType: ReadingType;
  /** One sentence, e.g. `Forward bulk energy, electricity secondary metered, kWh`. */
  readonly text: string;
  readonly fields: readonly ReadingTypeFieldDescription[];
  /** The enumerated fields whose value is not in our tables. */
  readonly unknown: readonly ReadingTypeField[];
}

const ENUM_TABLES: Partial<Record<ReadingTypeField, CodeTable>> = {
  macroPeriod: macroPeriodTable,
  aggregate: aggregateTable,
  measuringPeriod: measuringPeriodTable,
  accumulation: accumulationTable,
  flowDirection: flowDirectionTable,
  commodity: commodityTable,
  measurementKind: measurementKindTable,
  phases: phaseCodeTable,
  multiplier: metricMultiplierTable,
  unit: unitSymbolTable,
  currency: currencyTable,
};

const PLAIN_MEANING: Partial<Record<ReadingTypeField, string>> = {
  interharmonicNumerator: 'interharmonic numerator',
  interharmonicDenominator: 'interharmonic denominator',
  argumentNumerator: 'argument numerator',
  argumentDenominator: 'argument denominator',
  tou: 'TOU bucket',
  cpp: 'CPP bucket',
  consumptionTier: 'consumption tier',
};

/**
 * Describes a ReadingType (or an mRID, parsed first): each field's name and meaning, which enumerated values are
 * unknown to our tables, and one human sentence. Never refuses an unknown enumeration value.
 */
export function describeReadingType(input: ReadingType | string): ReadingTypeDescription {
  const rt = typeof input === 'string' ? parseReadingType(input) : input;
  const values = readingTypeFields(rt);
  const fields: ReadingTypeFieldDescription[] = [];
  const unknown: ReadingTypeField[] = [];
  const word: string[] = new Array(18);
  for (let i = 0; i < 18; i++) {
    const field = READING_TYPE_FIELDS[i]!;
    const value = values[i]!;
    const table = ENUM_TABLES[field];
    if (table) {
      const e = table.entry(value);
      if (e) {
        fields.push({
          index: i,
          field,
          value,
          name: e.name,
          known: true,
          meaning: e.label || 'not applicable',
        });
        word[i] = e.label;
      } else {
        const meaning = `unknown ${field} code ${value}`;
        fields.push({ index: i, field, value, known: false, meaning });
        unknown.push(field);
        word[i] = meaning;
      }
    } else {
      const meaning = value === 0 ? 'not applicable' : `${PLAIN_MEANING[field]} ${value}`;
      fields.push({ index: i, field, value, known: true, meaning });
      word[i] = value === 0 ? '' : String(value);
    }
  }
  return { mRID: values.join('.'), readingType: rt, text: sentence(values, word), fields, unknown };
}

function sentence(v: number[], w: string[]): string {
  // macroPeriod aggregate measuringPeriod flowDirection accumulation measurementKind
  const head = [w[0], w[1], w[2], w[4], w[3], w[6]].filter((s) => s !== '' && s !== undefined).join(' ');
  const parts: string[] = [];
  if (head !== '') parts.push(head[0]!.toUpperCase() + head.slice(1));
  if (w[5]) parts.push(w[5]);
  // unit with its multiplier prefix
  const unitKnown = unitSymbolTable.has(v[16]!);
  const multKnown = metricMultiplierTable.has(v[15]!);
  if (v[16] !== 0 || v[15] !== 0) {
    if (unitKnown && multKnown && v[16] !== 0) parts.push(`${w[15]}${w[16]}`);
    else {
      const m = v[15] === 0 ? '' : multKnown && v[16] !== 0 ? w[15]! : `×10^${v[15]}`;
      const u = v[16] === 0 ? '' : w[16]!;
      parts.push([m, u].filter((s) => s !== '').join(' '));
    }
  }
  if (v[14] !== 0) parts.push(phaseCodeTable.has(v[14]!) ? `phase ${w[14]}` : w[14]!);
  if (v[11] !== 0) parts.push(`TOU ${v[11]}`);
  if (v[12] !== 0) parts.push(`CPP ${v[12]}`);
  if (v[13] !== 0) parts.push(`tier ${v[13]}`);
  if (v[7] !== 0 || v[8] !== 0) parts.push(`interharmonic ${v[7]}/${v[8]}`);
  if (v[9] !== 0 || v[10] !== 0) parts.push(`argument ${v[9]}/${v[10]}`);
  if (v[17] !== 0) parts.push(w[17]!);
  return parts.length === 0 ? 'Not applicable' : parts.join(', ');
}
