/**
 * The unit enumeration of COSEM `scaler_unit` (IEC 62056-6-2, DLMS UA 1000-1 Blue Book, the interface
 * classes' unit table): `unit: enum`, the physical unit of a Register-like value, which is
 * `value × 10^scaler` in that unit.
 *
 * Values 1–64 were checked against two independent public transcriptions of the Blue Book table (an
 * Apache-2.0 SML/ThingSet unit list and an ESPHome SML unit table, both citing the Blue Book Ed. 12.2
 * excerpt, table 4); they agree on every value. 65 and 70–72 and 253–254 appear in one of them only
 * (later Blue Book editions), and are marked so. 58–59 and 66–69 are not defined here: a meter that sends
 * them decodes to the number with `name` undefined.
 *
 * @module
 */

/** One row of the unit table. */
export interface UnitInfo {
  /** The enum value on the wire. */
  readonly code: number;
  /** The symbol as the Blue Book prints it (ASCII where it uses Greek or superscripts). */
  readonly symbol: string;
  /** The quantity, in the table's words. */
  readonly quantity: string;
}

const rows: readonly (readonly [number, string, string])[] = [
  [1, 'a', 'time (year)'],
  [2, 'mo', 'time (month)'],
  [3, 'wk', 'time (week)'],
  [4, 'd', 'time (day)'],
  [5, 'h', 'time (hour)'],
  [6, 'min', 'time (minute)'],
  [7, 's', 'time (second)'],
  [8, '°', '(phase) angle, degree'],
  [9, '°C', 'temperature, degree Celsius'],
  [10, 'currency', '(local) currency'],
  [11, 'm', 'length, metre'],
  [12, 'm/s', 'speed, metre per second'],
  [13, 'm³', 'volume, cubic metre'],
  [14, 'm³', 'corrected volume, cubic metre'],
  [15, 'm³/h', 'volume flux, cubic metre per hour'],
  [16, 'm³/h', 'corrected volume flux, cubic metre per hour'],
  [17, 'm³/d', 'volume flux, cubic metre per day'],
  [18, 'm³/d', 'corrected volume flux, cubic metre per day'],
  [19, 'l', 'volume, litre'],
  [20, 'kg', 'mass, kilogram'],
  [21, 'N', 'force, newton'],
  [22, 'Nm', 'energy, newton metre'],
  [23, 'Pa', 'pressure, pascal'],
  [24, 'bar', 'pressure, bar'],
  [25, 'J', 'energy, joule'],
  [26, 'J/h', 'thermal power, joule per hour'],
  [27, 'W', 'active power, watt'],
  [28, 'VA', 'apparent power, volt-ampere'],
  [29, 'var', 'reactive power, var'],
  [30, 'Wh', 'active energy, watt-hour'],
  [31, 'VAh', 'apparent energy, volt-ampere-hour'],
  [32, 'varh', 'reactive energy, var-hour'],
  [33, 'A', 'current, ampere'],
  [34, 'C', 'electrical charge, coulomb'],
  [35, 'V', 'voltage, volt'],
  [36, 'V/m', 'electric field strength, volt per metre'],
  [37, 'F', 'capacitance, farad'],
  [38, 'Ω', 'resistance, ohm'],
  [39, 'Ωm²/m', 'resistivity'],
  [40, 'Wb', 'magnetic flux, weber'],
  [41, 'T', 'magnetic flux density, tesla'],
  [42, 'A/m', 'magnetic field strength, ampere per metre'],
  [43, 'H', 'inductance, henry'],
  [44, 'Hz', 'frequency, hertz'],
  [45, '1/(Wh)', 'active energy meter constant or pulse value'],
  [46, '1/(varh)', 'reactive energy meter constant or pulse value'],
  [47, '1/(VAh)', 'apparent energy meter constant or pulse value'],
  [48, 'V²h', 'volt-squared hour'],
  [49, 'A²h', 'ampere-squared hour'],
  [50, 'kg/s', 'mass flux, kilogram per second'],
  [51, 'S', 'conductance, siemens (mho)'],
  [52, 'K', 'temperature, kelvin'],
  [53, '1/(V²h)', 'volt-squared hour meter constant or pulse value'],
  [54, '1/(A²h)', 'ampere-squared hour meter constant or pulse value'],
  [55, '1/m³', 'volume meter constant or pulse value'],
  [56, '%', 'percentage'],
  [57, 'Ah', 'ampere-hour'],
  [60, 'Wh/m³', 'energy per volume'],
  [61, 'J/m³', 'calorific value, wobbe'],
  [62, 'Mol %', 'molar fraction of gas composition'],
  [63, 'g/m³', 'mass density, quantity of material'],
  [64, 'Pa s', 'dynamic viscosity, pascal second'],
  [65, 'J/kg', 'specific energy (one source)'],
  [70, 'dBm', 'signal strength, dB milliwatt (one source)'],
  [71, 'dBµV', 'signal strength, dB microvolt (one source)'],
  [72, 'dB', 'logarithmic unit, decibel (one source)'],
  [253, '', 'reserved (one source)'],
  [254, 'other', 'other unit (one source)'],
  [255, 'count', 'no unit, unitless, count'],
];

/** The unit table by code (frozen). */
export const UNITS: ReadonlyMap<number, UnitInfo> = /* @__PURE__ */ new Map(
  rows.map(([code, symbol, quantity]) => [code, Object.freeze({ code, symbol, quantity })]),
);

/** Names of the units an electricity meter uses, for readable code: `UNIT.Wh === 30`. */
export const UNIT = Object.freeze({
  year: 1,
  month: 2,
  week: 3,
  day: 4,
  hour: 5,
  minute: 6,
  second: 7,
  degree: 8,
  celsius: 9,
  currency: 10,
  W: 27,
  VA: 28,
  var: 29,
  Wh: 30,
  VAh: 31,
  varh: 32,
  A: 33,
  C: 34,
  V: 35,
  Hz: 44,
  percent: 56,
  Ah: 57,
  count: 255,
} as const);

/** The table row of a unit code, or undefined when the code is not defined here. */
export function unitInfo(code: number): UnitInfo | undefined {
  return UNITS.get(code);
}

/** The unit's symbol, or `unit(N)` for a code not in the table. */
export function unitSymbol(code: number): string {
  return UNITS.get(code)?.symbol ?? `unit(${code})`;
}
