/**
 * The COSEM physical unit enumeration (IEC 62056-6-2 / DLMS UA Blue Book, the `unit` of a register's
 * `scaler_unit`), and its translation to an IEC 61968-9 `UnitSymbol` plus a power-of-ten adjustment.
 *
 * ```text
 * unit ::= enum { (1) a, (2) mo, (3) wk, (4) d, (5) h, (6) min., (7) s, (8) °, (9) °C, (10) currency, (11) m,
 *   (12) m/s, (13) m³, (14) m³ corrected, (15) m³/h, (16) m³/h corrected, (17) m³/d, (18) m³/d corrected,
 *   (19) l, (20) kg, (21) N, (22) Nm, (23) Pa, (24) bar, (25) J, (26) J/h, (27) W, (28) VA, (29) var, (30) Wh,
 *   (31) VAh, (32) varh, (33) A, (34) C, (35) V, (36) V/m, (37) F, (38) Ω, (39) Ωm²/m, (40) Wb, (41) T,
 *   (42) A/m, (43) H, (44) Hz, (45) 1/(Wh), (46) 1/(varh), (47) 1/(VAh), (48) V²h, (49) A²h, (50) kg/s,
 *   (51) S, (52) K, (53) 1/(V²h), (54) 1/(A²h), (55) 1/m³, (56) %, (57) Ah, (60) Wh/m³, (61) J/m³, (62) Mol %,
 *   (63) g/m³, (64) Pa s, (65) J/kg, (66) g/cm², (67) atm, (70) dBm, (71) dBµV, (72) dB,
 *   (254) other unit, (255) no unit, unitless count }
 * ```
 *
 * Values checked against two independent public implementations (a Rust DLMS crate's unit table and a COSEM
 * object-model library's enum); the non-SI units 128–174 of recent Blue Book editions are not tabulated here and
 * are refused by {@link cosemUnitToCim} as `UNKNOWN_CODE`.
 *
 * @module
 */
import { type CodeTable, codeTable } from '../codes/code-table.ts';
import { UnitSymbol } from '../codes/reading-type-enums.ts';
import { CimError } from '../errors.ts';

/** COSEM unit codes by a short identifier-safe name. */
export const CosemUnit = {
  year: 1,
  month: 2,
  week: 3,
  day: 4,
  hour: 5,
  minute: 6,
  second: 7,
  degree: 8,
  degreeCelsius: 9,
  currency: 10,
  metre: 11,
  metrePerSecond: 12,
  cubicMetre: 13,
  cubicMetreCorrected: 14,
  cubicMetrePerHour: 15,
  cubicMetrePerHourCorrected: 16,
  cubicMetrePerDay: 17,
  cubicMetrePerDayCorrected: 18,
  litre: 19,
  kilogram: 20,
  newton: 21,
  newtonMetre: 22,
  pascal: 23,
  bar: 24,
  joule: 25,
  joulePerHour: 26,
  watt: 27,
  voltAmpere: 28,
  var: 29,
  wattHour: 30,
  voltAmpereHour: 31,
  varHour: 32,
  ampere: 33,
  coulomb: 34,
  volt: 35,
  voltPerMetre: 36,
  farad: 37,
  ohm: 38,
  ohmMetre: 39,
  weber: 40,
  tesla: 41,
  amperePerMetre: 42,
  henry: 43,
  hertz: 44,
  inverseWattHour: 45,
  inverseVarHour: 46,
  inverseVoltAmpereHour: 47,
  voltSquaredHour: 48,
  ampereSquaredHour: 49,
  kilogramPerSecond: 50,
  siemens: 51,
  kelvin: 52,
  inverseVoltSquaredHour: 53,
  inverseAmpereSquaredHour: 54,
  inverseCubicMetre: 55,
  percent: 56,
  ampereHour: 57,
  wattHourPerCubicMetre: 60,
  joulePerCubicMetre: 61,
  molePercent: 62,
  gramPerCubicMetre: 63,
  pascalSecond: 64,
  joulePerKilogram: 65,
  gramPerSquareCentimetre: 66,
  atmosphere: 67,
  decibelMilliwatt: 70,
  decibelMicrovolt: 71,
  decibel: 72,
  other: 254,
  count: 255,
} as const;
export type CosemUnitName = keyof typeof CosemUnit;
export type CosemUnitCode = (typeof CosemUnit)[CosemUnitName];

/** Lookups for {@link CosemUnit}; labels are the Blue Book's unit symbols. */
export const cosemUnitTable: CodeTable<CosemUnitName> = /* @__PURE__ */ codeTable('COSEM unit', CosemUnit, {
  year: 'a',
  month: 'mo',
  week: 'wk',
  day: 'd',
  hour: 'h',
  minute: 'min',
  second: 's',
  degree: '°',
  degreeCelsius: '°C',
  currency: 'currency',
  metre: 'm',
  metrePerSecond: 'm/s',
  cubicMetre: 'm³',
  cubicMetreCorrected: 'm³ (corrected)',
  cubicMetrePerHour: 'm³/h',
  cubicMetrePerHourCorrected: 'm³/h (corrected)',
  cubicMetrePerDay: 'm³/d',
  cubicMetrePerDayCorrected: 'm³/d (corrected)',
  litre: 'l',
  kilogram: 'kg',
  newton: 'N',
  newtonMetre: 'Nm',
  pascal: 'Pa',
  bar: 'bar',
  joule: 'J',
  joulePerHour: 'J/h',
  watt: 'W',
  voltAmpere: 'VA',
  var: 'var',
  wattHour: 'Wh',
  voltAmpereHour: 'VAh',
  varHour: 'varh',
  ampere: 'A',
  coulomb: 'C',
  volt: 'V',
  voltPerMetre: 'V/m',
  farad: 'F',
  ohm: 'Ω',
  ohmMetre: 'Ωm²/m',
  weber: 'Wb',
  tesla: 'T',
  amperePerMetre: 'A/m',
  henry: 'H',
  hertz: 'Hz',
  inverseWattHour: '1/(Wh)',
  inverseVarHour: '1/(varh)',
  inverseVoltAmpereHour: '1/(VAh)',
  voltSquaredHour: 'V²h',
  ampereSquaredHour: 'A²h',
  kilogramPerSecond: 'kg/s',
  siemens: 'S',
  kelvin: 'K',
  inverseVoltSquaredHour: '1/(V²h)',
  inverseAmpereSquaredHour: '1/(A²h)',
  inverseCubicMetre: '1/m³',
  percent: '%',
  ampereHour: 'Ah',
  wattHourPerCubicMetre: 'Wh/m³',
  joulePerCubicMetre: 'J/m³',
  molePercent: 'Mol %',
  gramPerCubicMetre: 'g/m³',
  pascalSecond: 'Pa s',
  joulePerKilogram: 'J/kg',
  gramPerSquareCentimetre: 'g/cm²',
  atmosphere: 'atm',
  decibelMilliwatt: 'dBm',
  decibelMicrovolt: 'dBµV',
  decibel: 'dB',
  other: 'other unit',
  count: 'count',
});

/** A COSEM unit expressed as a 61968-9 unit: `value[cosem] = value[cim] × 10^exponent`. */
export interface CimUnit {
  /** 61968-9 UnitSymbol code. */
  readonly unit: number;
  /** Power of ten to add to the ReadingType multiplier (kg → g is +3; dB → Bel is −1). */
  readonly exponent: number;
  /** Set when the translation loses something (e.g. dBm's 1 mW reference). */
  readonly note?: string;
}

const U = UnitSymbol;
/** COSEM unit → 61968-9 unit. Units without a 61968-9 counterpart are absent. */
const COSEM_TO_CIM: ReadonlyMap<number, CimUnit> = /* @__PURE__ */ new Map<number, CimUnit>([
  [5, { unit: U.h, exponent: 0 }],
  [6, { unit: U.min, exponent: 0 }],
  [7, { unit: U.sec, exponent: 0 }],
  [8, { unit: U.deg, exponent: 0 }],
  [9, { unit: U.degC, exponent: 0 }],
  [10, { unit: U.money, exponent: 0 }],
  [11, { unit: U.m, exponent: 0 }],
  [12, { unit: U.mPerSec, exponent: 0 }],
  [13, { unit: U.m3, exponent: 0 }],
  [14, { unit: U.m3compensated, exponent: 0 }],
  [15, { unit: U.m3PerH, exponent: 0 }],
  [16, { unit: U.m3compensatedPerH, exponent: 0 }],
  [19, { unit: U.litre, exponent: 0 }],
  [20, { unit: U.g, exponent: 3 }],
  [21, { unit: U.n, exponent: 0 }],
  [23, { unit: U.pa, exponent: 0 }],
  [25, { unit: U.J, exponent: 0 }],
  [27, { unit: U.W, exponent: 0 }],
  [28, { unit: U.VA, exponent: 0 }],
  [29, { unit: U.VAr, exponent: 0 }],
  [30, { unit: U.Wh, exponent: 0 }],
  [31, { unit: U.VAh, exponent: 0 }],
  [32, { unit: U.VArh, exponent: 0 }],
  [33, { unit: U.A, exponent: 0 }],
  [34, { unit: U.As, exponent: 0 }],
  [35, { unit: U.V, exponent: 0 }],
  [37, { unit: U.F, exponent: 0 }],
  [38, { unit: U.ohm, exponent: 0 }],
  [40, { unit: U.wb, exponent: 0 }],
  [43, { unit: U.H, exponent: 0 }],
  [44, { unit: U.Hz, exponent: 0 }],
  [48, { unit: U.V2h, exponent: 0 }],
  [49, { unit: U.A2h, exponent: 0 }],
  [51, { unit: U.siemens, exponent: 0 }],
  [52, { unit: U.K, exponent: 0 }],
  [57, { unit: U.Ah, exponent: 0 }],
  [60, { unit: U.WhPerM3, exponent: 0 }],
  [
    70,
    {
      unit: U.b,
      exponent: -1,
      note: 'dBm written as dB (deci-Bel): the 1 mW reference is implied, not coded',
    },
  ],
  [72, { unit: U.b, exponent: -1 }],
  [255, { unit: U.count, exponent: 0 }],
]);

/**
 * Translates a COSEM unit code to a 61968-9 unit. Throws `CimError` `UNKNOWN_CODE` when the code is not a COSEM
 * unit we know or has no 61968-9 counterpart (e.g. 1/(Wh) meter constants, %, bar).
 */
export function cosemUnitToCim(cosemUnit: number): CimUnit {
  const m = COSEM_TO_CIM.get(cosemUnit);
  if (m) return m;
  const known = cosemUnitTable.entry(cosemUnit);
  throw new CimError(
    'UNKNOWN_CODE',
    known
      ? `COSEM unit ${cosemUnit} (${known.label}) has no IEC 61968-9 UnitSymbol counterpart`
      : `COSEM unit ${cosemUnit} is not a known unit code`,
    { path: ['unit'] },
  );
}
