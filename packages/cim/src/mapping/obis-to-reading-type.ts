/**
 * OBIS code + COSEM unit + scaler + period → IEC 61968-9 ReadingType, for the quantities of IS 15959.
 *
 * There is no normative OBIS → ReadingType table (reference §6). The rules below follow the public
 * implementation the reference cites (Connexo) wherever its verified vectors reach, and the 61968-9 field
 * definitions elsewhere. Each rule that is a choice rather than a consequence of the definitions sets
 * `exact: false` and says why in `notes`.
 *
 * | OBIS | Quantity | ReadingType fields |
 * |---|---|---|
 * | A=1 | electricity | commodity 1 (secondary metered); 2 with `primaryMetered` |
 * | C = 1/2, 3/4, 9/10 | active, reactive, apparent import/export | flowDirection 1 forward / 19 reverse |
 * | C = 5–8 | reactive Q1–Q4 | flowDirection 15–18 |
 * | C = 15 / 16 | active absolute sum / net | flowDirection 20 total / 4 net |
 * | C = 21–40, 41–60, 61–80 | the same per phase L1/L2/L3 | phases A/B/C (voltages AN/BN/CN) |
 * | C = 11 / 12 / 13 / 14 / 91 | current, voltage, power factor, frequency, neutral current | kind 4 / 158 / 38 / 15 / 4 (phases N) |
 * | D = 7 | instantaneous value | accumulation 6 indicating; kind power 37 for power quantities |
 * | D = 8 | time integral 1 (cumulative energy register) | accumulation 1 bulkQuantity, kind 12 energy |
 * | D = 29 | time integral 5 (energy over the capture period: block load) | accumulation 4 deltaData, kind 12 |
 * | D = 4 / 5 / 6 | current average / last average / maximum (demand) | aggregate 2 / 2 / 8, accumulation 6 / 4 / 4, kind 8 demand |
 * | D = 27 | current average 5 (average over the capture period: block load) | aggregate 2 average, accumulation 6 |
 * | E ≥ 1 (D = 8, 29, 4, 5, 6) | tariff rate (IS 15959 TOD zone) | tou = E |
 * | F = 0–99, 101, 102, or `billing` | billing-period value | macroPeriod 8 billingPeriod |
 * | period (s) | capture / demand integration period | measuringPeriod (900 s → 2 fifteenMinute, 86400 s → 4 twentyfourHour) |
 * | unit, scaler | COSEM unit and power of ten | unit (61968-9 UnitSymbol), multiplier = scaler (+ unit adjustment) |
 *
 * Block-load interval energies (D = 29) are `deltaData`: 61968-9 defines deltaData as the difference between the
 * values at the end and the start of the interval, "for incremental interval data … load profile data".
 * Daily-load snapshots of cumulative registers (D = 8 with a 86400 s period) stay `bulkQuantity` with
 * measuringPeriod 24 h, as in the Connexo vector for a daily kWh interval.
 *
 * The multiplier is the scaler: the ReadingType then describes the raw register value (e.g. scaler 3 with Wh is
 * kWh). If you scale values to base units yourself, pass `scaler: 0`.
 *
 * @module
 */

import { formatReadingType, type ReadingType } from '../codes/reading-type.ts';
import { MeasuringPeriod } from '../codes/reading-type-enums.ts';
import { CimError } from '../errors.ts';
import { cosemUnitToCim } from './cosem-unit.ts';
import { formatObis, parseObis } from './obis.ts';

/** What {@link obisToReadingType} needs to know about a register or profile column. */
export interface ObisMappingInput {
  /** `"1.0.1.8.0.255"`, `"1-0:1.8.0*255"` or six integers. */
  readonly obis: string | readonly number[];
  /** COSEM unit code from the object's `scaler_unit` (30 = Wh, 27 = W, 35 = V, 33 = A, 255 = count). */
  readonly unit: number;
  /** Power of ten from the object's `scaler_unit` (default 0). */
  readonly scaler?: number;
  /**
   * Seconds: the profile's capture period for interval values (block load 900/1800, daily load 86400) or the
   * demand integration period for demand values; 0 or absent for a plain register.
   */
  readonly period?: number;
  /** The value is a billing-period snapshot (a row of the billing profile 1.0.98.1.0.255). */
  readonly billing?: boolean;
  /** Values are primary (CT/VT ratios applied), e.g. IS 15959 Part 3 meters configured so: commodity 2. */
  readonly primaryMetered?: boolean;
}

/** The ReadingType for an OBIS quantity, and how sure the mapping is. */
export interface ObisMapping {
  /** The OBIS code in dotted six-group form. */
  readonly obis: string;
  readonly readingType: ReadingType;
  readonly mRID: string;
  /** False when a field is a documented choice (see `notes`) rather than fixed by the standards. */
  readonly exact: boolean;
  readonly notes: readonly string[];
}

type Quantity = 'active' | 'reactive' | 'apparent' | 'current' | 'voltage' | 'powerFactor' | 'frequency';
interface QuantityInfo {
  readonly q: Quantity;
  readonly flow: number;
  readonly phases: number;
}

const BASE_C: Readonly<Record<number, readonly [Quantity, number]>> = {
  1: ['active', 1],
  2: ['active', 19],
  3: ['reactive', 1],
  4: ['reactive', 19],
  5: ['reactive', 15],
  6: ['reactive', 16],
  7: ['reactive', 17],
  8: ['reactive', 18],
  9: ['apparent', 1],
  10: ['apparent', 19],
  11: ['current', 0],
  12: ['voltage', 0],
  13: ['powerFactor', 0],
  14: ['frequency', 0],
  15: ['active', 20],
  16: ['active', 4],
};

/** OBIS C (A = 1) → quantity, flow direction and phase. */
function quantity(c: number): QuantityInfo | undefined {
  if (c === 91) return { q: 'current', flow: 0, phases: 16 /* N */ };
  let base = c;
  let phase = 0;
  let phaseN = 0;
  if (c >= 21 && c <= 40) [base, phase, phaseN] = [c - 20, 128, 129];
  else if (c >= 41 && c <= 60) [base, phase, phaseN] = [c - 40, 64, 65];
  else if (c >= 61 && c <= 80) [base, phase, phaseN] = [c - 60, 32, 33];
  else if (c > 16) return undefined;
  const info = BASE_C[base];
  if (!info) return undefined;
  // Per-phase current is at C = 31/51/71 (base 11), voltage at 32/52/72 (base 12), PF at 33/53/73 (base 13).
  return { q: info[0], flow: info[1], phases: info[0] === 'voltage' ? phaseN : phase };
}

const PERIODS: ReadonlyMap<number, number> = /* @__PURE__ */ new Map([
  [60, MeasuringPeriod.oneMinute],
  [120, MeasuringPeriod.twoMinute],
  [180, MeasuringPeriod.threeMinute],
  [300, MeasuringPeriod.fiveMinute],
  [600, MeasuringPeriod.tenMinute],
  [720, MeasuringPeriod.twelveMinute],
  [900, MeasuringPeriod.fifteenMinute],
  [1200, MeasuringPeriod.twentyMinute],
  [1800, MeasuringPeriod.thirtyMinute],
  [3600, MeasuringPeriod.sixtyMinute],
  [7200, MeasuringPeriod.twoHour],
  [10800, MeasuringPeriod.threeHour],
  [14400, MeasuringPeriod.fourHour],
  [21600, MeasuringPeriod.sixHour],
  [43200, MeasuringPeriod.twelveHour],
  [86400, MeasuringPeriod.twentyfourHour],
]);

/**
 * The 61968-9 measuringPeriod for a period in seconds (0 → 0). Throws `UNKNOWN_CODE` (path `['period']`) when
 * 61968-9 has no code for that length.
 */
export function measuringPeriodForSeconds(seconds: number): number {
  if (seconds === 0) return 0;
  const mp = PERIODS.get(seconds);
  if (mp === undefined) {
    throw new CimError('UNKNOWN_CODE', `61968-9 has no measuringPeriod code for ${seconds} s`, {
      path: ['period'],
    });
  }
  return mp;
}

const KIND = { power: 37, current: 4, voltage: 158, powerFactor: 38, frequency: 15, energy: 12, demand: 8 };

function instantaneousKind(q: Quantity): number {
  switch (q) {
    case 'active':
    case 'reactive':
    case 'apparent':
      return KIND.power;
    default:
      return KIND[q];
  }
}

/** The COSEM unit a quantity is normally registered in (energy, power) — used to flag a surprising unit. */
const EXPECTED_UNIT: Readonly<Record<string, number>> = {
  'active.energy': 30,
  'reactive.energy': 32,
  'apparent.energy': 31,
  'active.power': 27,
  'reactive.power': 29,
  'apparent.power': 28,
  'current.x': 33,
  'voltage.x': 35,
  'frequency.x': 44,
};

function unknownCode(message: string, path: (string | number)[]): CimError {
  return new CimError('UNKNOWN_CODE', message, { path });
}

/** Abstract (A = 0) IS 15959 objects that carry a reading. Key: `C.D.E`. */
const ABSTRACT: Readonly<
  Record<string, { kind: number; what: string; note: string; billing?: boolean; commodity?: number }>
> = {
  '94.91.14': {
    kind: 0,
    what: 'cumulative power-on duration',
    note: '61968-9 has no measurementKind for supply-on time: measurementKind 0 (none) with a time unit',
  },
  '94.91.13': {
    kind: 0,
    what: 'power-on duration in the billing period',
    note: '61968-9 has no measurementKind for supply-on time: measurementKind 0 (none) with a time unit',
    billing: true,
  },
  '94.91.8': {
    kind: 136,
    what: 'cumulative power-off duration',
    note: 'measurementKind 136 powerOutage with a time unit is this mapping’s choice for outage duration',
  },
  '96.7.0': {
    kind: 136,
    what: 'number of power failures',
    note: 'measurementKind 136 powerOutage with unit count is this mapping’s choice for an outage counter',
  },
  '94.91.0': {
    kind: 148,
    what: 'cumulative tamper count',
    note: 'measurementKind 148 tamper with unit count is this mapping’s choice for a tamper counter',
  },
  '96.2.0': {
    kind: 139,
    what: 'cumulative programming count',
    note: 'measurementKind 139 programmed with unit count is this mapping’s choice for a programming counter',
  },
  '96.12.5': {
    kind: 115,
    what: 'signal strength',
    note: 'signal strength as an indicating value on the communication commodity, as in the CIM4NoUtility example',
    commodity: 3,
  },
};

/**
 * Maps an OBIS quantity with its COSEM unit, scaler and period to a 61968-9 ReadingType.
 *
 * Throws `CimError`:
 * - `INVALID_VALUE` — the OBIS code is malformed (path `['obis']`);
 * - `INVALID_ARGUMENT` — scaler / period / unit not integers in range;
 * - `UNKNOWN_CODE` — no ReadingType can be given: a quantity, processing (D), tariff/harmonic (E) or historical (F)
 *   value this mapping does not cover, a COSEM unit without a 61968-9 counterpart, or a period without a code.
 *   The path names the OBIS value group (`['obis', 3]` for D) or the input field.
 */
export function obisToReadingType(input: ObisMappingInput): ObisMapping {
  const [a, b, c, d, e, f] = parseObis(input.obis);
  const scaler = input.scaler ?? 0;
  const period = input.period ?? 0;
  if (!Number.isInteger(scaler) || scaler < -128 || scaler > 127) {
    throw new CimError('INVALID_ARGUMENT', `scaler must be an integer -128..127, got ${scaler}`, {
      path: ['scaler'],
    });
  }
  if (!Number.isInteger(period) || period < 0) {
    throw new CimError('INVALID_ARGUMENT', `period must be a whole number of seconds, got ${period}`, {
      path: ['period'],
    });
  }
  if (!Number.isInteger(input.unit)) {
    throw new CimError('INVALID_ARGUMENT', `unit must be a COSEM unit code, got ${input.unit}`, {
      path: ['unit'],
    });
  }
  const notes: string[] = [];
  let exact = true;
  const approx = (note: string) => {
    notes.push(note);
    exact = false;
  };

  const historical = f <= 99 || f === 101 || f === 102;
  if (f !== 255 && !historical) {
    throw unknownCode(`OBIS F = ${f} is neither the current value (255) nor a billing period`, ['obis', 5]);
  }
  const billing = input.billing === true || historical;
  if (historical) notes.push(`OBIS F = ${f}: a historical (billing-period) value`);

  let macroPeriod = billing ? 8 : 0;
  let aggregate = 0;
  let measuringPeriod = 0;
  let accumulation = 0;
  let flowDirection = 0;
  let commodity = input.primaryMetered ? 2 : 1;
  let measurementKind = 0;
  let tou = 0;
  let phases = 0;
  let unitKey = '';

  if (a === 1) {
    const qi = quantity(c);
    if (!qi) throw unknownCode(`OBIS C = ${c} is not a quantity this mapping covers`, ['obis', 2]);
    if (b !== 0) notes.push(`OBIS B = ${b} (channel) is not represented in a ReadingType`);
    flowDirection = qi.flow;
    phases = qi.phases;
    const isPower = qi.q === 'active' || qi.q === 'reactive' || qi.q === 'apparent';
    const needPower = () => {
      if (!isPower) throw unknownCode(`OBIS D = ${d} with C = ${c} (${qi.q}) is not covered`, ['obis', 3]);
    };
    const tariff = () => {
      tou = e;
      if (e > 0) notes.push(`OBIS E = ${e}: tariff rate (TOD zone) ${e} → tou ${e}`);
    };
    switch (d) {
      case 7: // instantaneous value
        if (e !== 0)
          throw unknownCode(`OBIS E = ${e} of an instantaneous value (harmonics) is not covered`, [
            'obis',
            4,
          ]);
        accumulation = 6;
        measurementKind = instantaneousKind(qi.q);
        unitKey = isPower ? `${qi.q}.power` : `${qi.q}.x`;
        if (period > 0) notes.push('period ignored: an instantaneous value has no measuring period');
        break;
      case 8: // time integral 1: cumulative register
        needPower();
        measurementKind = KIND.energy;
        accumulation = 1;
        measuringPeriod = measuringPeriodForSeconds(period);
        tariff();
        unitKey = `${qi.q}.energy`;
        break;
      case 29: // time integral 5: energy over the capture period
        needPower();
        measurementKind = KIND.energy;
        accumulation = 4;
        if (period === 0) approx('an interval energy (D = 29) without its capture period: measuringPeriod 0');
        measuringPeriod = measuringPeriodForSeconds(period);
        tariff();
        unitKey = `${qi.q}.energy`;
        break;
      case 4: // current average 1: demand of the running period
      case 5: // last average 1: demand of the last completed period
      case 6: // maximum 1: maximum demand
        needPower();
        measurementKind = KIND.demand;
        aggregate = d === 6 ? 8 : 2;
        accumulation = d === 4 ? 6 : 4;
        if (d === 6) {
          approx(
            'maximum demand: accumulation 4 deltaData (the maximum of interval demands) is this mapping’s choice',
          );
        }
        measuringPeriod = measuringPeriodForSeconds(period);
        tariff();
        unitKey = `${qi.q}.power`;
        break;
      case 27: // current average 5: average over the capture period
        if (e !== 0) throw unknownCode(`OBIS E = ${e} of an interval average is not covered`, ['obis', 4]);
        measurementKind = instantaneousKind(qi.q);
        aggregate = 2;
        accumulation = 6;
        approx(
          'interval average (D = 27): aggregate 2 average with accumulation 6 indicating is this mapping’s choice',
        );
        if (period === 0) approx('an interval average without its capture period: measuringPeriod 0');
        measuringPeriod = measuringPeriodForSeconds(period);
        unitKey = isPower ? `${qi.q}.power` : `${qi.q}.x`;
        break;
      case 0:
        if (qi.q === 'powerFactor' && e === 0) {
          // IS 15959 billing profile: average power factor of the billing period (1.0.13.0.0).
          measurementKind = KIND.powerFactor;
          aggregate = 2;
          accumulation = 6;
          macroPeriod = 8;
          approx(
            'billing-period average power factor (C = 13, D = 0): an IS 15959 object; fields are this mapping’s choice',
          );
          break;
        }
        throw unknownCode(`OBIS D = ${d} with C = ${c} is not covered`, ['obis', 3]);
      default:
        throw unknownCode(`OBIS D = ${d} (processing) is not covered`, ['obis', 3]);
    }
    if (qi.q === 'current' || qi.q === 'voltage') {
      if (c === 11 || c === 12) notes.push('single-phase (or any-phase) quantity: phases 0');
    }
  } else if (a === 0) {
    const key = `${c}.${d}.${e}`;
    const ab = ABSTRACT[key];
    if (!ab)
      throw unknownCode(`OBIS ${formatObis([a, b, c, d, e, f])} is not a quantity this mapping covers`, [
        'obis',
      ]);
    measurementKind = ab.kind;
    accumulation = ab.kind === 115 ? 6 : 1;
    if (ab.commodity !== undefined) commodity = ab.commodity;
    if (ab.billing) macroPeriod = 8;
    approx(`${ab.what}: ${ab.note}`);
    if (period > 0) measuringPeriod = measuringPeriodForSeconds(period);
  } else {
    throw unknownCode(`OBIS A = ${a}: only electricity (1) and abstract (0) objects are covered`, [
      'obis',
      0,
    ]);
  }

  let unit: number;
  let multiplier = scaler;
  if (measurementKind === KIND.powerFactor) {
    if (input.unit !== 255)
      approx(`power factor registered with COSEM unit ${input.unit}, not 255 (no unit)`);
    unit = 65; // cosTheta
  } else {
    const cu = cosemUnitToCim(input.unit);
    unit = cu.unit;
    multiplier += cu.exponent;
    if (cu.note) approx(cu.note);
    const expected = EXPECTED_UNIT[unitKey];
    if (expected !== undefined && expected !== input.unit) {
      approx(`COSEM unit ${input.unit} is unusual for this quantity (expected ${expected})`);
    }
  }

  const readingType: ReadingType = {
    macroPeriod,
    aggregate,
    measuringPeriod,
    accumulation,
    flowDirection,
    commodity,
    measurementKind,
    interharmonic: { numerator: 0, denominator: 0 },
    argument: { numerator: 0, denominator: 0 },
    tou,
    cpp: 0,
    consumptionTier: 0,
    phases,
    multiplier,
    unit,
    currency: 0,
  };
  return {
    obis: formatObis([a, b, c, d, e, f]),
    readingType,
    mRID: formatReadingType(readingType),
    exact,
    notes,
  };
}
