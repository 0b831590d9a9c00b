/**
 * The enumerations of the 18 fields of an IEC 61968-9 ReadingType code (Annex C), as named TypeScript constants
 * with value ↔ name ↔ label lookups.
 *
 * Source: the NAESB ESPI 4.0 schema (`espi.xsd`, Apache-2.0; the cleanest machine-readable copy of the 61968-9
 * ReadingType enumerations) for every value it lists, with the names it gives (identifier-safe: spaces removed).
 * Values that ESPI lacks are added from the reference (`shared/reference/iec61968.md` §5.1, which cites the
 * Connexo 61968-9 Ed.2 tables) or from SI / ISO 4217, each marked with its source in a line comment. A test reads
 * `espi.xsd` and checks that every value it names is present here.
 *
 * Labels are this project's own short words, used by `describeReadingType`.
 *
 * @module
 */
import { type CodeTable, codeTable } from './code-table.ts';

/**
 * `macroPeriod` (field 1): the period of interest the reading reflects (IEC 61968-9 `MacroPeriodKind`;
 * ESPI `TimePeriodOfInterest`). 0 = none.
 */
export const MacroPeriod = {
  none: 0,
  billingPeriod: 8,
  daily: 11,
  monthly: 13,
  seasonal: 22,
  weekly: 24,
  specifiedPeriod: 32,
} as const;
/** A name of {@link MacroPeriod}. */
export type MacroPeriodName = keyof typeof MacroPeriod;
/** A known value of {@link MacroPeriod}. */
export type MacroPeriodCode = (typeof MacroPeriod)[MacroPeriodName];
/** Value ↔ name ↔ label lookups for {@link MacroPeriod}. */
export const macroPeriodTable: CodeTable<MacroPeriodName> = /* @__PURE__ */ codeTable(
  'macroPeriod',
  MacroPeriod,
  {
    none: '',
    billingPeriod: 'billing-period',
    daily: 'daily',
    monthly: 'monthly',
    seasonal: 'seasonal',
    weekly: 'weekly',
    specifiedPeriod: 'specified-period',
  },
);

/**
 * `aggregate` (field 2): the salient attribute of the value, e.g. maximum or average (IEC 61968-9
 * `AggregateKind`; ESPI `DataQualifierKind`). 27 high and 28 low are from the 61968-9 Ed.2 list as carried by the
 * reference (§5.1, CXO), not in ESPI.
 */
export const Aggregate = {
  none: 0,
  average: 2,
  excess: 4,
  highThreshold: 5,
  lowThreshold: 7,
  maximum: 8,
  minimum: 9,
  nominal: 11,
  normal: 12,
  secondMaximum: 16,
  secondMinimum: 17,
  thirdMaximum: 23,
  fourthMaximum: 24,
  fifthMaximum: 25,
  sum: 26,
  high: 27, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  low: 28, // 61968-9 Ed.2 (reference §5.1), not in ESPI
} as const;
/** A name of {@link Aggregate}. */
export type AggregateName = keyof typeof Aggregate;
/** A known value of {@link Aggregate}. */
export type AggregateCode = (typeof Aggregate)[AggregateName];
/** Value ↔ name ↔ label lookups for {@link Aggregate}. */
export const aggregateTable: CodeTable<AggregateName> = /* @__PURE__ */ codeTable('aggregate', Aggregate, {
  none: '',
  secondMaximum: 'second maximum',
  secondMinimum: 'second minimum',
  thirdMaximum: 'third maximum',
  fourthMaximum: 'fourth maximum',
  fifthMaximum: 'fifth maximum',
  highThreshold: 'high threshold',
  lowThreshold: 'low threshold',
});

/**
 * `measuringPeriod` (field 3): the integration or interval period (IEC 61968-9 `MeasuringPeriodKind`; ESPI
 * `TimeAttributeKind`). 2 = fifteenMinute, 7 = sixtyMinute, 4 = twentyfourHour. 78–83 and 100–102 are from
 * 61968-9 Ed.2 as carried by the reference (§5.1), not in ESPI.
 */
export const MeasuringPeriod = {
  none: 0,
  tenMinute: 1,
  fifteenMinute: 2,
  oneMinute: 3,
  twentyfourHour: 4,
  thirtyMinute: 5,
  fiveMinute: 6,
  sixtyMinute: 7,
  twoMinute: 10,
  threeMinute: 14,
  present: 15,
  previous: 16,
  twentyMinute: 31,
  fixedBlock60Min: 50,
  fixedBlock30Min: 51,
  fixedBlock20Min: 52,
  fixedBlock15Min: 53,
  fixedBlock10Min: 54,
  fixedBlock5Min: 55,
  fixedBlock1Min: 56,
  rollingBlock60MinIntvl30MinSubIntvl: 57,
  rollingBlock60MinIntvl20MinSubIntvl: 58,
  rollingBlock60MinIntvl15MinSubIntvl: 59,
  rollingBlock60MinIntvl12MinSubIntvl: 60,
  rollingBlock60MinIntvl10MinSubIntvl: 61,
  rollingBlock60MinIntvl6MinSubIntvl: 62,
  rollingBlock60MinIntvl5MinSubIntvl: 63,
  rollingBlock60MinIntvl4MinSubIntvl: 64,
  rollingBlock30MinIntvl15MinSubIntvl: 65,
  rollingBlock30MinIntvl10MinSubIntvl: 66,
  rollingBlock30MinIntvl6MinSubIntvl: 67,
  rollingBlock30MinIntvl5MinSubIntvl: 68,
  rollingBlock30MinIntvl3MinSubIntvl: 69,
  rollingBlock30MinIntvl2MinSubIntvl: 70,
  rollingBlock15MinIntvl5MinSubIntvl: 71,
  rollingBlock15MinIntvl3MinSubIntvl: 72,
  rollingBlock15MinIntvl1MinSubIntvl: 73,
  rollingBlock10MinIntvl5MinSubIntvl: 74,
  rollingBlock10MinIntvl2MinSubIntvl: 75,
  rollingBlock10MinIntvl1MinSubIntvl: 76,
  rollingBlock5MinIntvl1MinSubIntvl: 77,
  twelveMinute: 78, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  twoHour: 79, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  fourHour: 80, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  sixHour: 81, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  twelveHour: 82, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  threeHour: 83, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  specifiedInterval: 100, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  specifiedFixedBlock: 101, // 61968-9 Ed.2 (reference §5.1), not in ESPI
  specifiedRollingBlock: 102, // 61968-9 Ed.2 (reference §5.1), not in ESPI
} as const;
/** A name of {@link MeasuringPeriod}. */
export type MeasuringPeriodName = keyof typeof MeasuringPeriod;
/** A known value of {@link MeasuringPeriod}. */
export type MeasuringPeriodCode = (typeof MeasuringPeriod)[MeasuringPeriodName];
/** Value ↔ name ↔ label lookups for {@link MeasuringPeriod}. */
export const measuringPeriodTable: CodeTable<MeasuringPeriodName> = /* @__PURE__ */ codeTable(
  'measuringPeriod',
  MeasuringPeriod,
  {
    none: '',
    tenMinute: '10-minute',
    fifteenMinute: '15-minute',
    oneMinute: '1-minute',
    twentyfourHour: '24-hour',
    thirtyMinute: '30-minute',
    fiveMinute: '5-minute',
    sixtyMinute: '60-minute',
    twoMinute: '2-minute',
    threeMinute: '3-minute',
    present: 'present',
    previous: 'previous',
    twentyMinute: '20-minute',
    twelveMinute: '12-minute',
    twoHour: '2-hour',
    fourHour: '4-hour',
    sixHour: '6-hour',
    twelveHour: '12-hour',
    threeHour: '3-hour',
    specifiedInterval: 'specified-interval',
    specifiedFixedBlock: 'specified fixed-block',
    specifiedRollingBlock: 'specified rolling-block',
    fixedBlock60Min: '60-minute fixed-block',
    fixedBlock30Min: '30-minute fixed-block',
    fixedBlock20Min: '20-minute fixed-block',
    fixedBlock15Min: '15-minute fixed-block',
    fixedBlock10Min: '10-minute fixed-block',
    fixedBlock5Min: '5-minute fixed-block',
    fixedBlock1Min: '1-minute fixed-block',
    rollingBlock60MinIntvl30MinSubIntvl: '60-minute rolling-block (30-minute sub-interval)',
    rollingBlock60MinIntvl20MinSubIntvl: '60-minute rolling-block (20-minute sub-interval)',
    rollingBlock60MinIntvl15MinSubIntvl: '60-minute rolling-block (15-minute sub-interval)',
    rollingBlock60MinIntvl12MinSubIntvl: '60-minute rolling-block (12-minute sub-interval)',
    rollingBlock60MinIntvl10MinSubIntvl: '60-minute rolling-block (10-minute sub-interval)',
    rollingBlock60MinIntvl6MinSubIntvl: '60-minute rolling-block (6-minute sub-interval)',
    rollingBlock60MinIntvl5MinSubIntvl: '60-minute rolling-block (5-minute sub-interval)',
    rollingBlock60MinIntvl4MinSubIntvl: '60-minute rolling-block (4-minute sub-interval)',
    rollingBlock30MinIntvl15MinSubIntvl: '30-minute rolling-block (15-minute sub-interval)',
    rollingBlock30MinIntvl10MinSubIntvl: '30-minute rolling-block (10-minute sub-interval)',
    rollingBlock30MinIntvl6MinSubIntvl: '30-minute rolling-block (6-minute sub-interval)',
    rollingBlock30MinIntvl5MinSubIntvl: '30-minute rolling-block (5-minute sub-interval)',
    rollingBlock30MinIntvl3MinSubIntvl: '30-minute rolling-block (3-minute sub-interval)',
    rollingBlock30MinIntvl2MinSubIntvl: '30-minute rolling-block (2-minute sub-interval)',
    rollingBlock15MinIntvl5MinSubIntvl: '15-minute rolling-block (5-minute sub-interval)',
    rollingBlock15MinIntvl3MinSubIntvl: '15-minute rolling-block (3-minute sub-interval)',
    rollingBlock15MinIntvl1MinSubIntvl: '15-minute rolling-block (1-minute sub-interval)',
    rollingBlock10MinIntvl5MinSubIntvl: '10-minute rolling-block (5-minute sub-interval)',
    rollingBlock10MinIntvl2MinSubIntvl: '10-minute rolling-block (2-minute sub-interval)',
    rollingBlock10MinIntvl1MinSubIntvl: '10-minute rolling-block (1-minute sub-interval)',
    rollingBlock5MinIntvl1MinSubIntvl: '5-minute rolling-block (1-minute sub-interval)',
  },
);

/**
 * `accumulation` (field 4): how the value accumulates over time (IEC 61968-9 `AccumulationKind`; ESPI
 * `AccumulationKind`). 1 bulkQuantity is a register (dial) reading; 4 deltaData an interval increment; 12
 * instantaneous; 6 indicating.
 */
export const Accumulation = {
  none: 0,
  bulkQuantity: 1,
  continuousCumulative: 2,
  cumulative: 3,
  deltaData: 4,
  indicating: 6,
  summation: 9,
  timeDelay: 10,
  instantaneous: 12,
  latchingQuantity: 13,
  boundedQuantity: 14,
} as const;
/** A name of {@link Accumulation}. */
export type AccumulationName = keyof typeof Accumulation;
/** A known value of {@link Accumulation}. */
export type AccumulationCode = (typeof Accumulation)[AccumulationName];
/** Value ↔ name ↔ label lookups for {@link Accumulation}. */
export const accumulationTable: CodeTable<AccumulationName> = /* @__PURE__ */ codeTable(
  'accumulation',
  Accumulation,
  {
    none: '',
    bulkQuantity: 'bulk',
    continuousCumulative: 'continuous cumulative',
    deltaData: 'delta',
    timeDelay: 'time-delay',
    latchingQuantity: 'latching',
    boundedQuantity: 'bounded',
  },
);

/**
 * `flowDirection` (field 5): the direction of flow (IEC 61968-9 `FlowDirectionKind`; ESPI `FlowDirectionKind`). 1
 * forward = delivered to the customer (import), 19 reverse = received from the customer (export), 4 net, 20 total.
 */
export const FlowDirection = {
  none: 0,
  forward: 1,
  lagging: 2,
  leading: 3,
  net: 4,
  q1plusQ2: 5,
  q1plusQ3: 7,
  q1plusQ4: 8,
  q1minusQ4: 9,
  q2plusQ3: 10,
  q2plusQ4: 11,
  q2minusQ3: 12,
  q3plusQ4: 13,
  q3minusQ2: 14,
  quadrant1: 15,
  quadrant2: 16,
  quadrant3: 17,
  quadrant4: 18,
  reverse: 19,
  total: 20,
  totalByPhase: 21,
} as const;
/** A name of {@link FlowDirection}. */
export type FlowDirectionName = keyof typeof FlowDirection;
/** A known value of {@link FlowDirection}. */
export type FlowDirectionCode = (typeof FlowDirection)[FlowDirectionName];
/** Value ↔ name ↔ label lookups for {@link FlowDirection}. */
export const flowDirectionTable: CodeTable<FlowDirectionName> = /* @__PURE__ */ codeTable(
  'flowDirection',
  FlowDirection,
  {
    none: '',
    q1plusQ2: 'Q1+Q2',
    q1plusQ3: 'Q1+Q3',
    q1plusQ4: 'Q1+Q4',
    q1minusQ4: 'Q1−Q4',
    q2plusQ3: 'Q2+Q3',
    q2plusQ4: 'Q2+Q4',
    q2minusQ3: 'Q2−Q3',
    q3plusQ4: 'Q3+Q4',
    q3minusQ2: 'Q3−Q2',
    quadrant1: 'Q1',
    quadrant2: 'Q2',
    quadrant3: 'Q3',
    quadrant4: 'Q4',
    totalByPhase: 'total by phase',
  },
);

/**
 * `commodity` (field 6): what is measured (IEC 61968-9 `CommodityKind`; ESPI `CommodityKind`). **1 is electricity
 * secondary metered (what the meter itself registers), 2 electricity primary metered** (after external CT/VT ratios).
 * 26 follows ESPI (electricity transmission metered); Connexo (CXO) uses 26 for H2. Later codes (27–40 in the
 * reference) are not tabulated here and decode as unknown.
 */
export const Commodity = {
  none: 0,
  electricitySecondaryMetered: 1,
  electricityPrimaryMetered: 2,
  communication: 3,
  air: 4,
  insulativeGas: 5,
  insulativeOil: 6,
  naturalGas: 7,
  propane: 8,
  potableWater: 9,
  steam: 10,
  wasteWater: 11,
  heatingFluid: 12,
  coolingFluid: 13,
  nonpotableWater: 14,
  nox: 15,
  so2: 16,
  ch4: 17,
  co2: 18,
  carbon: 19,
  hch: 20,
  pfc: 21,
  sf6: 22,
  tvLicence: 23,
  internet: 24,
  refuse: 25,
  electricityTransmissionMetered: 26,
} as const;
/** A name of {@link Commodity}. */
export type CommodityName = keyof typeof Commodity;
/** A known value of {@link Commodity}. */
export type CommodityCode = (typeof Commodity)[CommodityName];
/** Value ↔ name ↔ label lookups for {@link Commodity}. */
export const commodityTable: CodeTable<CommodityName> = /* @__PURE__ */ codeTable('commodity', Commodity, {
  none: '',
  electricitySecondaryMetered: 'electricity secondary metered',
  electricityPrimaryMetered: 'electricity primary metered',
  electricityTransmissionMetered: 'electricity transmission metered',
  nox: 'NOx',
  so2: 'SO2',
  ch4: 'CH4',
  co2: 'CO2',
  hch: 'HCH',
  pfc: 'PFC',
  sf6: 'SF6',
  tvLicence: 'TV licence',
  nonpotableWater: 'non-potable water',
});

/**
 * `measurementKind` (field 7): the kind of quantity (IEC 61968-9 `MeasurementKind`; ESPI `MeasurementKind`). 12
 * energy, 8 demand, 37 power, 4 current, 38 powerFactor, 15 frequency. **54 and 158:** ESPI (an Ed.1-based list)
 * names 54 "voltage"; 61968-9 Ed.2 renamed 54 to voltage-rms and added 158 "voltage", which Connexo maps OBIS
 * 1.0.32.7.0.255 to. ESPI's "Funds" (16) is spelled `funds` here.
 */
export const MeasurementKind = {
  none: 0,
  apparentPowerFactor: 2,
  currency: 3,
  current: 4,
  currentAngle: 5,
  currentImbalance: 6,
  date: 7,
  demand: 8,
  distance: 9,
  distortionVoltAmperes: 10,
  energization: 11,
  energy: 12,
  energizationLoadSide: 13,
  fan: 14,
  frequency: 15,
  funds: 16,
  ieee1366ASAI: 17,
  ieee1366ASIDI: 18,
  ieee1366ASIFI: 19,
  ieee1366CAIDI: 20,
  ieee1366CAIFI: 21,
  ieee1366CEMIn: 22,
  ieee1366CEMSMIn: 23,
  ieee1366CTAIDI: 24,
  ieee1366MAIFI: 25,
  ieee1366MAIFIe: 26,
  ieee1366SAIDI: 27,
  ieee1366SAIFI: 28,
  lineLosses: 31,
  losses: 32,
  negativeSequence: 33,
  phasorPowerFactor: 34,
  phasorReactivePower: 35,
  positiveSequence: 36,
  power: 37,
  powerFactor: 38,
  quantityPower: 40,
  sag: 41,
  swell: 42,
  switchPosition: 43,
  tapPosition: 44,
  tariffRate: 45,
  temperature: 46,
  totalHarmonicDistortion: 47,
  transformerLosses: 48,
  unipedeVoltageDip10to15: 49,
  unipedeVoltageDip15to30: 50,
  unipedeVoltageDip30to60: 51,
  unipedeVoltageDip60to90: 52,
  unipedeVoltageDip90to100: 53,
  voltageRms: 54,
  voltageAngle: 55,
  voltageExcursion: 56,
  voltageImbalance: 57,
  volume: 58,
  zeroFlowDuration: 59,
  zeroSequence: 60,
  distortionPowerFactor: 64,
  frequencyExcursion: 81,
  applicationContext: 90,
  apTitle: 91,
  assetNumber: 92,
  bandwidth: 93,
  batteryVoltage: 94,
  broadcastAddress: 95,
  deviceAddressType1: 96,
  deviceAddressType2: 97,
  deviceAddressType3: 98,
  deviceAddressType4: 99,
  deviceClass: 100,
  electronicSerialNumber: 101,
  endDeviceID: 102,
  groupAddressType1: 103,
  groupAddressType2: 104,
  groupAddressType3: 105,
  groupAddressType4: 106,
  ipAddress: 107,
  macAddress: 108,
  mfgAssignedConfigurationID: 109,
  mfgAssignedPhysicalSerialNumber: 110,
  mfgAssignedProductNumber: 111,
  mfgAssignedUniqueCommunicationAddress: 112,
  multiCastAddress: 113,
  oneWayAddress: 114,
  signalStrength: 115,
  twoWayAddress: 116,
  signaltoNoiseRatio: 117,
  alarm: 118,
  batteryCarryover: 119,
  dataOverflowAlarm: 120,
  demandLimit: 121,
  demandReset: 122,
  diagnostic: 123,
  emergencyLimit: 124,
  encoderTamper: 125,
  ieee1366MomentaryInterruption: 126,
  ieee1366MomentaryInterruptionEvent: 127,
  ieee1366SustainedInterruption: 128,
  interruptionBehaviour: 129,
  inversionTamper: 130,
  loadInterrupt: 131,
  loadShed: 132,
  maintenance: 133,
  physicalTamper: 134,
  powerLossTamper: 135,
  powerOutage: 136,
  powerQuality: 137,
  powerRestoration: 138,
  programmed: 139,
  pushbutton: 140,
  relayActivation: 141,
  relayCycle: 142,
  removalTamper: 143,
  reprogrammingTamper: 144,
  reverseRotationTamper: 145,
  switchArmed: 146,
  switchDisabled: 147,
  tamper: 148,
  watchdogTimeout: 149,
  billLastPeriod: 150,
  billToDate: 151,
  billCarryover: 152,
  connectionFee: 153,
  audibleVolume: 154,
  volumetricFlow: 155,
  voltage: 158, // 61968-9 Ed.2 (reference §5.1 and the CXO test vector for 1.0.32.7.0.255)
} as const;
/** A name of {@link MeasurementKind}. */
export type MeasurementKindName = keyof typeof MeasurementKind;
/** A known value of {@link MeasurementKind}. */
export type MeasurementKindCode = (typeof MeasurementKind)[MeasurementKindName];
/** Value ↔ name ↔ label lookups for {@link MeasurementKind}. */
export const measurementKindTable: CodeTable<MeasurementKindName> = /* @__PURE__ */ codeTable(
  'measurementKind',
  MeasurementKind,
  {
    none: '',
    voltageRms: 'RMS voltage',
    totalHarmonicDistortion: 'total harmonic distortion',
    funds: 'funds',
    apTitle: 'AP title',
    ipAddress: 'IP address',
    macAddress: 'MAC address',
    signaltoNoiseRatio: 'signal-to-noise ratio',
    ieee1366ASAI: 'IEEE 1366 ASAI',
    ieee1366ASIDI: 'IEEE 1366 ASIDI',
    ieee1366ASIFI: 'IEEE 1366 ASIFI',
    ieee1366CAIDI: 'IEEE 1366 CAIDI',
    ieee1366CAIFI: 'IEEE 1366 CAIFI',
    ieee1366CEMIn: 'IEEE 1366 CEMIn',
    ieee1366CEMSMIn: 'IEEE 1366 CEMSMIn',
    ieee1366CTAIDI: 'IEEE 1366 CTAIDI',
    ieee1366MAIFI: 'IEEE 1366 MAIFI',
    ieee1366MAIFIe: 'IEEE 1366 MAIFIe',
    ieee1366SAIDI: 'IEEE 1366 SAIDI',
    ieee1366SAIFI: 'IEEE 1366 SAIFI',
    unipedeVoltageDip10to15: 'UNIPEDE voltage dip 10–15 %',
    unipedeVoltageDip15to30: 'UNIPEDE voltage dip 15–30 %',
    unipedeVoltageDip30to60: 'UNIPEDE voltage dip 30–60 %',
    unipedeVoltageDip60to90: 'UNIPEDE voltage dip 60–90 %',
    unipedeVoltageDip90to100: 'UNIPEDE voltage dip 90–100 %',
    ieee1366MomentaryInterruption: 'IEEE 1366 MomentaryInterruption',
    ieee1366MomentaryInterruptionEvent: 'IEEE 1366 MomentaryInterruptionEvent',
    ieee1366SustainedInterruption: 'IEEE 1366 SustainedInterruption',
  },
);

/**
 * `phases` (field 15): the phase or phases measured (IEC 61968-9 `PhaseCode`; ESPI `PhaseCodeKind`). 128 A, 129
 * AN, 224 ABC, 225 ABCN. **Split-phase neutral codes differ between the sources:** 61968-9 Ed.2 (as carried by
 * Connexo) uses 257 S2N, 513 S1N, 769 S12N; ESPI lists 272 S2N, 528 S1N and both 769 and 784 for S12N. All are
 * decoded; the ESPI-only values carry an `_ESPI` suffix so every name stays unique.
 */
export const PhaseCode = {
  none: 0,
  N: 16,
  NG: 17,
  C: 32,
  CN: 33,
  CAv: 40,
  ACN: 41,
  B: 64,
  BN: 65,
  BC: 66,
  BAv: 72,
  AC: 96,
  BCN: 97,
  A: 128,
  AN: 129,
  AB: 132,
  AtoAv: 136,
  ABN: 193,
  ABC: 224,
  ABCN: 225,
  s2: 256,
  s2N: 257, // 61968-9 Ed.2 (reference §5.1, CXO); ESPI uses 272
  s2N_ESPI: 272, // ESPI encoding of S2N
  s1: 512,
  s1N: 513, // 61968-9 Ed.2 (reference §5.1, CXO); ESPI uses 528
  s1N_ESPI: 528, // ESPI encoding of S1N
  s12: 768,
  s12N: 769,
  s12N_ESPI: 784, // ESPI lists 784 as a second S12N
} as const;
/** A name of {@link PhaseCode}. */
export type PhaseCodeName = keyof typeof PhaseCode;
/** A known value of {@link PhaseCode}. */
export type PhaseCodeCode = (typeof PhaseCode)[PhaseCodeName];
/** Value ↔ name ↔ label lookups for {@link PhaseCode}. */
export const phaseCodeTable: CodeTable<PhaseCodeName> = /* @__PURE__ */ codeTable('phases', PhaseCode, {
  none: '',
  AtoAv: 'A to Av',
  BAv: 'B to Av',
  CAv: 'C to Av',
  NG: 'N to ground',
  s1: 'S1',
  s2: 'S2',
  s12: 'S12',
  s1N: 'S1N',
  s2N: 'S2N',
  s12N: 'S12N',
  s1N_ESPI: 'S1N',
  s2N_ESPI: 'S2N',
  s12N_ESPI: 'S12N',
  N: 'N',
  C: 'C',
  CN: 'CN',
  ACN: 'ACN',
  B: 'B',
  BN: 'BN',
  BC: 'BC',
  AC: 'AC',
  BCN: 'BCN',
  A: 'A',
  AN: 'AN',
  AB: 'AB',
  ABN: 'ABN',
  ABC: 'ABC',
  ABCN: 'ABCN',
});

/**
 * `multiplier` (field 16): the power of ten applied to the unit (IEC 61968-9 `MetricMultiplier`; ESPI
 * `UnitMultiplierKind`). The code **is** the exponent: 3 = k, −3 = m. ESPI lists −12…12; the SI prefixes beyond
 * that (±15…±24) are added from the SI (the reference §5.1 gives the range −24…24).
 */
export const MetricMultiplier = {
  y: -24, // SI prefix
  z: -21, // SI prefix
  a: -18, // SI prefix
  f: -15, // SI prefix
  p: -12,
  n: -9,
  micro: -6,
  m: -3,
  c: -2,
  d: -1,
  none: 0,
  da: 1,
  h: 2,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15, // SI prefix
  E: 18, // SI prefix
  Z: 21, // SI prefix
  Y: 24, // SI prefix
} as const;
/** A name of {@link MetricMultiplier}. */
export type MetricMultiplierName = keyof typeof MetricMultiplier;
/** A known value of {@link MetricMultiplier}. */
export type MetricMultiplierValue = (typeof MetricMultiplier)[MetricMultiplierName];
/** Value ↔ name ↔ label lookups for {@link MetricMultiplier}. */
export const metricMultiplierTable: CodeTable<MetricMultiplierName> = /* @__PURE__ */ codeTable(
  'multiplier',
  MetricMultiplier,
  {
    y: 'y',
    z: 'z',
    a: 'a',
    f: 'f',
    p: 'p',
    n: 'n',
    micro: 'µ',
    m: 'm',
    c: 'c',
    d: 'd',
    none: '',
    da: 'da',
    h: 'h',
    k: 'k',
    M: 'M',
    G: 'G',
    T: 'T',
    P: 'P',
    E: 'E',
    Z: 'Z',
    Y: 'Y',
  },
);

/**
 * `unit` (field 17): the unit of measure (IEC 61968-9 `UnitSymbol`; ESPI `UnitSymbolKind`, whose names are kept
 * verbatim, e.g. `sec` for seconds). 72 Wh, 73 VArh, 71 VAh, 38 W, 63 VAr, 61 VA, 29 V, 5 A, 33 Hz, 65 cosTheta
 * (power factor), 0 none.
 */
export const UnitSymbol = {
  none: 0,
  m: 2,
  g: 3,
  revPerSec: 4,
  A: 5,
  K: 6,
  mol: 7,
  cd: 8,
  deg: 9,
  rad: 10,
  sr: 11,
  gy: 21,
  bq: 22,
  degC: 23,
  sv: 24,
  F: 25,
  sec: 27,
  H: 28,
  V: 29,
  ohm: 30,
  J: 31,
  n: 32,
  Hz: 33,
  lx: 34,
  lm: 35,
  wb: 36,
  t: 37,
  W: 38,
  pa: 39,
  m2: 41,
  m3: 42,
  mPerSec: 43,
  mPerSec2: 44,
  m3PerSec: 45,
  mPerM3: 46,
  kgM: 47,
  kgPerM3: 48,
  m2PerSec: 49,
  wPerMK: 50,
  jPerK: 51,
  siemens: 53,
  radPerSec: 54,
  VA: 61,
  VAr: 63,
  cosTheta: 65,
  Vs: 66,
  V2: 67,
  As: 68,
  A2: 69,
  A2s: 70,
  VAh: 71,
  Wh: 72,
  VArh: 73,
  VPerHz: 74,
  HzPerSec: 75,
  char: 76,
  charPerSec: 77,
  gM2: 78,
  b: 79,
  money: 80,
  WPerSec: 81,
  litrePerSec: 82,
  q: 100,
  qh: 101,
  ohmM: 102,
  APerM: 103,
  V2h: 104,
  A2h: 105,
  Ah: 106,
  WhPerM3: 107,
  timeStamp: 108,
  status: 109,
  count: 111,
  bm: 113,
  code: 114,
  WhPerRev: 115,
  VArhPerRev: 116,
  VAhPerRev: 117,
  meCode: 118,
  ft3: 119,
  ft3compensated: 120,
  ft3compensatedPerH: 123,
  m3PerH: 125,
  m3compensatedPerH: 126,
  m3uncompensatedPerH: 127,
  usGal: 128,
  usGalPerH: 129,
  imperialGal: 130,
  imperialGalPerH: 131,
  btu: 132,
  btuPerH: 133,
  litre: 134,
  litrePerH: 137,
  litreCompensatedPerH: 138,
  litreUncompensatedPerH: 139,
  paG: 140,
  psiA: 141,
  psiG: 142,
  litrePerLitre: 143,
  gPerG: 144,
  molPerM3: 145,
  molPerMol: 146,
  molPerKg: 147,
  mPerM: 148,
  secPerSec: 149,
  HzPerHz: 150,
  VPerV: 151,
  APerA: 152,
  WPerVA: 153,
  rev: 154,
  paA: 155,
  litreUncompensated: 156,
  litreCompensated: 157,
  kat: 158,
  min: 159,
  h: 160,
  q45: 161,
  q60: 162,
  q45h: 163,
  q60h: 164,
  jPerKg: 165,
  m3uncompensated: 166,
  m3compensated: 167,
  WPerW: 168,
  therm: 169,
} as const;
/** A name of {@link UnitSymbol}. */
export type UnitSymbolName = keyof typeof UnitSymbol;
/** A known value of {@link UnitSymbol}. */
export type UnitSymbolCode = (typeof UnitSymbol)[UnitSymbolName];
/** Value ↔ name ↔ label lookups for {@link UnitSymbol}. */
export const unitSymbolTable: CodeTable<UnitSymbolName> = /* @__PURE__ */ codeTable('unit', UnitSymbol, {
  none: '',
  sec: 's',
  degC: '°C',
  deg: '°',
  VAr: 'var',
  VArh: 'varh',
  cosTheta: 'cos θ',
  m2: 'm²',
  m3: 'm³',
  A2: 'A²',
  A2h: 'A²h',
  A2s: 'A²s',
  V2: 'V²',
  V2h: 'V²h',
  b: 'B',
  bm: 'Bm',
  litre: 'L',
  ohm: 'Ω',
  count: 'count',
  code: 'code',
  money: 'money',
  timeStamp: 'timestamp',
  status: 'status',
  meCode: 'end-device event code',
  usGal: 'US gal',
  imperialGal: 'imperial gal',
  ft3: 'ft³',
  therm: 'therm',
  n: 'N',
  pa: 'Pa',
  gy: 'Gy',
  bq: 'Bq',
  sv: 'Sv',
  wb: 'Wb',
  lm: 'lm',
  lx: 'lx',
  btu: 'Btu',
  char: 'characters',
  rev: 'revolutions',
  q: 'Q',
  qh: 'Qh',
  q45: 'Q45',
  q60: 'Q60',
  q45h: 'Q45h',
  q60h: 'Q60h',
  m: 'm',
  g: 'g',
  revPerSec: 'revPerSec',
  A: 'A',
  K: 'K',
  mol: 'mol',
  cd: 'cd',
  rad: 'rad',
  sr: 'sr',
  F: 'F',
  H: 'H',
  V: 'V',
  J: 'J',
  Hz: 'Hz',
  t: 't',
  W: 'W',
  mPerSec: 'mPerSec',
  mPerSec2: 'mPerSec2',
  m3PerSec: 'm3PerSec',
  mPerM3: 'mPerM3',
  kgM: 'kgM',
  kgPerM3: 'kgPerM3',
  m2PerSec: 'm2PerSec',
  wPerMK: 'wPerMK',
  jPerK: 'jPerK',
  siemens: 'siemens',
  radPerSec: 'radPerSec',
  VA: 'VA',
  Vs: 'Vs',
  As: 'As',
  VAh: 'VAh',
  Wh: 'Wh',
  VPerHz: 'VPerHz',
  HzPerSec: 'HzPerSec',
  charPerSec: 'charPerSec',
  gM2: 'gM2',
  WPerSec: 'WPerSec',
  litrePerSec: 'litrePerSec',
  ohmM: 'ohmM',
  APerM: 'APerM',
  Ah: 'Ah',
  WhPerM3: 'WhPerM3',
  WhPerRev: 'WhPerRev',
  VArhPerRev: 'VArhPerRev',
  VAhPerRev: 'VAhPerRev',
  ft3compensated: 'ft3compensated',
  ft3compensatedPerH: 'ft3compensatedPerH',
  m3PerH: 'm3PerH',
  m3compensatedPerH: 'm3compensatedPerH',
  m3uncompensatedPerH: 'm3uncompensatedPerH',
  usGalPerH: 'usGalPerH',
  imperialGalPerH: 'imperialGalPerH',
  btuPerH: 'btuPerH',
  litrePerH: 'litrePerH',
  litreCompensatedPerH: 'litreCompensatedPerH',
  litreUncompensatedPerH: 'litreUncompensatedPerH',
  paG: 'paG',
  psiA: 'psiA',
  psiG: 'psiG',
  litrePerLitre: 'litrePerLitre',
  gPerG: 'gPerG',
  molPerM3: 'molPerM3',
  molPerMol: 'molPerMol',
  molPerKg: 'molPerKg',
  mPerM: 'mPerM',
  secPerSec: 'secPerSec',
  HzPerHz: 'HzPerHz',
  VPerV: 'VPerV',
  APerA: 'APerA',
  WPerVA: 'WPerVA',
  paA: 'paA',
  litreUncompensated: 'litreUncompensated',
  litreCompensated: 'litreCompensated',
  kat: 'kat',
  min: 'min',
  h: 'h',
  jPerKg: 'jPerKg',
  m3uncompensated: 'm3uncompensated',
  m3compensated: 'm3compensated',
  WPerW: 'WPerW',
});

/**
 * `currency` (field 18): ISO 4217 numeric currency code (IEC 61968-9 `Currency`; ESPI `Currency`), 0 = none. ESPI
 * lists 13 currencies; the other ISO 4217 codes here (South Asia and common trading currencies) are added from
 * ISO 4217. Any other ISO 4217 number is kept and reported as unknown.
 */
export const Currency = {
  none: 0, // ESPI names 0 "other"; 61968-9 uses 0 for no currency
  AUD: 36,
  BDT: 50, // ISO 4217
  BTN: 64, // ISO 4217
  CAD: 124,
  LKR: 144, // ISO 4217
  CNY: 156,
  DKK: 208,
  HKD: 344, // ISO 4217
  INR: 356,
  IDR: 360, // ISO 4217
  JPY: 392,
  KES: 404, // ISO 4217
  KRW: 410, // ISO 4217
  MYR: 458, // ISO 4217
  MXN: 484, // ISO 4217
  NPR: 524, // ISO 4217
  NZD: 554, // ISO 4217
  NGN: 566, // ISO 4217
  NOK: 578,
  PKR: 586, // ISO 4217
  RUB: 643,
  SAR: 682, // ISO 4217
  SGD: 702, // ISO 4217
  ZAR: 710, // ISO 4217
  SEK: 752,
  CHF: 756,
  THB: 764, // ISO 4217
  AED: 784, // ISO 4217
  GBP: 826,
  USD: 840,
  EUR: 978,
  BRL: 986, // ISO 4217
} as const;
/** A name of {@link Currency}. */
export type CurrencyName = keyof typeof Currency;
/** A known value of {@link Currency}. */
export type CurrencyCode = (typeof Currency)[CurrencyName];
/** Value ↔ name ↔ label lookups for {@link Currency}. */
export const currencyTable: CodeTable<CurrencyName> = /* @__PURE__ */ codeTable('currency', Currency, {
  none: '',
  AUD: 'AUD',
  BDT: 'BDT',
  BTN: 'BTN',
  CAD: 'CAD',
  LKR: 'LKR',
  CNY: 'CNY',
  DKK: 'DKK',
  HKD: 'HKD',
  INR: 'INR',
  IDR: 'IDR',
  JPY: 'JPY',
  KES: 'KES',
  KRW: 'KRW',
  MYR: 'MYR',
  MXN: 'MXN',
  NPR: 'NPR',
  NZD: 'NZD',
  NGN: 'NGN',
  NOK: 'NOK',
  PKR: 'PKR',
  RUB: 'RUB',
  SAR: 'SAR',
  SGD: 'SGD',
  ZAR: 'ZAR',
  SEK: 'SEK',
  CHF: 'CHF',
  THB: 'THB',
  AED: 'AED',
  GBP: 'GBP',
  USD: 'USD',
  EUR: 'EUR',
  BRL: 'BRL',
});
