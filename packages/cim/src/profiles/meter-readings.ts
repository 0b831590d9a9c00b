/**
 * IEC 61968-9 `MeterReadings` (namespace `http://iec.ch/TC57/2011/MeterReadings#`), following the 2011
 * draft XSD `MeterReadings.xsd` (CIM15). Used as the Payload of `created`/`reply` messages carrying
 * register reads and load-profile interval data.
 *
 * ```xml
 * MeterReadings = EndDeviceEventType*, MeterReading*, ReadingQualityType*, ReadingType*
 * MeterReading  = isCoincidentTrigger?, EndDeviceEvents*, IntervalBlocks*, Meter?, Readings*, UsagePoint?, valuesInterval?
 * IntervalBlock = IntervalReadings*, PendingCalculation?, ReadingType@ref
 * IntervalReading = reportedDateTime?, source?, timeStamp?, value? (xs:float), ReadingQualities*, timePeriod?
 * Reading       = reason? (ReadingReasonKind), reportedDateTime?, source?, timeStamp?, value?, ReadingQualities*,
 *                 ReadingType@ref, timePeriod?
 * ReadingQuality = comment?, source?, timeStamp?, ReadingQualityType@ref
 * ReadingType   = mRID?, accumulation?, aggregate?, commodity?, consumptionTier?, cpp?, currency?, flowDirection?,
 *                 macroPeriod?, measurementKind?, measuringPeriod?, multiplier?, phases?, tou?, unit?, argument?,
 *                 interharmonic?, Names
 * ```
 *
 * Draft-vs-later differences: the draft types `value` as `xs:float` (Ed.1 profiles use `xs:string`); we keep
 * the lexical string either way. The draft `Meter` has no `serialNumber` (Ed.1 adds it). `ReadingType.Names`
 * and `ReadingQualityType.Names` occur exactly once in the draft (Ed.1: one or more); the model allows an
 * array and the validator enforces the draft bound.
 *
 * @module
 */
import { DateTimeIntervalType, NameType, ObjectRefType, StatusType } from './common.ts';
import { complexType, type Infer } from './schema.ts';

export const MeterReadingsNamespace = 'http://iec.ch/TC57/2011/MeterReadings#';

/** `ReadingReasonKind` of the draft XSD. */
export const READING_REASONS = [
  'billing',
  'demandReset',
  'inquiry',
  'installation',
  'loadManagement',
  'loadResearch',
  'moveIn',
  'moveOut',
  'other',
  'removal',
  'serviceConnect',
  'serviceDisconnect',
] as const;
export type ReadingReason = (typeof READING_REASONS)[number];

export const ReadingQualityType = complexType({
  name: 'ReadingQuality',
  fields: [
    { n: 'comment', t: 'string' },
    { n: 'source', t: 'string' },
    { n: 'timeStamp', t: 'dateTime' },
    { n: 'ReadingQualityType', t: 'ref', req: true, fmt: 'qualityType' },
  ],
} as const);
export type ReadingQuality = Infer<typeof ReadingQualityType>;

export const IntervalReadingType = complexType({
  name: 'IntervalReading',
  fields: [
    { n: 'reportedDateTime', t: 'dateTime' },
    { n: 'source', t: 'string' },
    { n: 'timeStamp', t: 'dateTime' },
    { n: 'value', t: 'float' },
    { n: 'ReadingQualities', t: 'complex', type: ReadingQualityType, many: true },
    { n: 'timePeriod', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);
export type IntervalReading = Infer<typeof IntervalReadingType>;

export const PendingCalculationType = complexType({
  name: 'PendingCalculation',
  fields: [
    { n: 'multiplyBeforeAdd', t: 'boolean' },
    { n: 'offset', t: 'integer' },
    { n: 'scalarDenominator', t: 'integer' },
    { n: 'scalarFloat', t: 'float' },
    { n: 'scalarNumerator', t: 'integer' },
    { n: 'ReadingType', t: 'ref', req: true, fmt: 'readingType' },
  ],
} as const);
export type PendingCalculation = Infer<typeof PendingCalculationType>;

export const IntervalBlockType = complexType({
  name: 'IntervalBlock',
  fields: [
    { n: 'IntervalReadings', t: 'complex', type: IntervalReadingType, many: true },
    { n: 'PendingCalculation', t: 'complex', type: PendingCalculationType },
    { n: 'ReadingType', t: 'ref', req: true, fmt: 'readingType' },
  ],
} as const);
export type IntervalBlock = Infer<typeof IntervalBlockType>;

export const ReadingType_ = complexType({
  name: 'Reading',
  fields: [
    { n: 'reason', t: 'string', enum: READING_REASONS },
    { n: 'reportedDateTime', t: 'dateTime' },
    { n: 'source', t: 'string' },
    { n: 'timeStamp', t: 'dateTime' },
    { n: 'value', t: 'float' },
    { n: 'ReadingQualities', t: 'complex', type: ReadingQualityType, many: true },
    { n: 'ReadingType', t: 'ref', req: true, fmt: 'readingType' },
    { n: 'timePeriod', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);
export type Reading = Infer<typeof ReadingType_>;

/** `Meter.status` in the draft MeterReadings.xsd: unlike the shared Status, `value` is mandatory here. */
export const MeterStatusType = complexType({
  name: 'Status',
  fields: [
    { n: 'dateTime', t: 'dateTime' },
    { n: 'reason', t: 'string' },
    { n: 'remark', t: 'string' },
    { n: 'value', t: 'string', req: true },
  ],
} as const);

export const MeterRefType = complexType({
  name: 'Meter',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'status', t: 'complex', type: MeterStatusType },
  ],
} as const);
export type MeterRef = Infer<typeof MeterRefType>;

export const EndDeviceEventDetailType = complexType({
  name: 'EndDeviceEventDetail',
  fields: [
    { n: 'name', t: 'string', req: true },
    { n: 'value', t: 'string' },
  ],
} as const);
export type EndDeviceEventDetail = Infer<typeof EndDeviceEventDetailType>;

/** `EndDeviceEvent` as embedded in a MeterReading (draft MeterReadings.xsd). */
export const MeterReadingEventType = complexType({
  name: 'EndDeviceEvent',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'createdDateTime', t: 'dateTime', req: true },
    { n: 'issuerID', t: 'string' },
    { n: 'issuerTrackingID', t: 'string' },
    { n: 'reason', t: 'string' },
    { n: 'severity', t: 'string' },
    { n: 'userID', t: 'string' },
    { n: 'EndDeviceEventDetails', t: 'complex', type: EndDeviceEventDetailType, many: true },
    { n: 'EndDeviceEventType', t: 'ref', req: true, fmt: 'eventType' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
    { n: 'UsagePoint', t: 'complex', type: ObjectRefType },
  ],
} as const);
export type MeterReadingEvent = Infer<typeof MeterReadingEventType>;

export const MeterReadingType = complexType({
  name: 'MeterReading',
  fields: [
    { n: 'isCoincidentTrigger', t: 'boolean' },
    { n: 'EndDeviceEvents', t: 'complex', type: MeterReadingEventType, many: true },
    { n: 'IntervalBlocks', t: 'complex', type: IntervalBlockType, many: true },
    { n: 'Meter', t: 'complex', type: MeterRefType },
    { n: 'Readings', t: 'complex', type: ReadingType_, many: true },
    { n: 'UsagePoint', t: 'complex', type: ObjectRefType },
    { n: 'valuesInterval', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);
export type MeterReading = Infer<typeof MeterReadingType>;

export const EndDeviceEventTypeType = complexType({
  name: 'EndDeviceEventType',
  fields: [
    { n: 'mRID', t: 'string', fmt: 'eventType' },
    { n: 'domain', t: 'string' },
    { n: 'eventOrAction', t: 'string' },
    { n: 'subDomain', t: 'string' },
    { n: 'type', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true, req: true, max: 1 },
  ],
} as const);
export type EndDeviceEventTypeInfo = Infer<typeof EndDeviceEventTypeType>;

export const ReadingQualityTypeType = complexType({
  name: 'ReadingQualityType',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'category', t: 'string' },
    { n: 'subCategory', t: 'string' },
    { n: 'systemId', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true, req: true, max: 1 },
  ],
} as const);
export type ReadingQualityTypeInfo = Infer<typeof ReadingQualityTypeType>;

export const RationalNumberType = complexType({
  name: 'RationalNumber',
  fields: [
    { n: 'denominator', t: 'integer', req: true },
    { n: 'numerator', t: 'integer', req: true },
  ],
} as const);

export const ReadingInterharmonicType = complexType({
  name: 'ReadingInterharmonic',
  fields: [
    { n: 'denominator', t: 'integer', req: true },
    { n: 'numerator', t: 'integer', req: true },
  ],
} as const);

/**
 * The `ReadingType` attributes every 61968-9 profile schema repeats: the dotted code as `mRID` and its
 * fields one by one. Each profile adds its own `argument`, `interharmonic` and `Names` shapes.
 */
export const READING_TYPE_CODE_FIELDS = [
  { n: 'mRID', t: 'string', fmt: 'readingType' },
  { n: 'accumulation', t: 'string' },
  { n: 'aggregate', t: 'string' },
  { n: 'commodity', t: 'string' },
  { n: 'consumptionTier', t: 'integer' },
  { n: 'cpp', t: 'integer' },
  { n: 'currency', t: 'string' },
  { n: 'flowDirection', t: 'string' },
  { n: 'macroPeriod', t: 'string' },
  { n: 'measurementKind', t: 'string' },
  { n: 'measuringPeriod', t: 'string' },
  { n: 'multiplier', t: 'string' },
  { n: 'phases', t: 'string' },
  { n: 'tou', t: 'integer' },
  { n: 'unit', t: 'string' },
] as const;

/**
 * `ReadingType` reference data. The `mRID` is the 18-field dotted code (IEC 61968-9 Annex C); the validator
 * checks its shape. The individual attributes repeat the code's fields as strings/integers.
 */
export const ReadingTypeInfoType = complexType({
  name: 'ReadingType',
  fields: [
    ...READING_TYPE_CODE_FIELDS,
    { n: 'argument', t: 'complex', type: RationalNumberType },
    { n: 'interharmonic', t: 'complex', type: ReadingInterharmonicType },
    { n: 'Names', t: 'complex', type: NameType, many: true, req: true, max: 1 },
  ],
} as const);
export type ReadingTypeInfo = Infer<typeof ReadingTypeInfoType>;

/** The `MeterReadings` profile root. */
export const MeterReadingsType = complexType({
  name: 'MeterReadings',
  fields: [
    { n: 'EndDeviceEventType', t: 'complex', type: EndDeviceEventTypeType, many: true },
    { n: 'MeterReading', t: 'complex', type: MeterReadingType, many: true },
    { n: 'ReadingQualityType', t: 'complex', type: ReadingQualityTypeType, many: true },
    { n: 'ReadingType', t: 'complex', type: ReadingTypeInfoType, many: true },
  ],
} as const);
export type MeterReadings = Infer<typeof MeterReadingsType>;
