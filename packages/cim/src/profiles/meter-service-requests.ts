/**
 * IEC 61968-9 `MeterServiceRequests` (namespace `http://iec.ch/TC57/2011/MeterServiceRequests#`), following the
 * 2011 draft XSD `MeterServiceRequests.xsd` exactly: field work on a meter (install, exchange, remove,
 * disconnect/reconnect, test) with the readings taken, the customer, and the service location.
 *
 * ```xml
 * MeterServiceRequests = Header (msg:HeaderType of the draft message namespace), MeterServiceWork*,
 *                        ReadingQualityType*, ReadingType*
 * MeterServiceWork = kind? (WorkKind), lastModifiedDateTime?, priority?, requestDateTime?, type?,
 *                    ActivityRecords* {createdDateTime, reason?, severity?, type},
 *                    Customers* {mRID?, kind? (CustomerKind), pucNumber?, specialNeed?, vip?,
 *                                CustomerAgreements* {mRID?, Names*}, Names*, status? {…, value}},
 *                    Meter, OldMeter?, status? {dateTime?, reason?, remark?, value}, UsagePoint?
 * Meter            = mRID?, amrSystem?, formNumber?, serialNumber?,
 *                    MeterMultipliers* {mRID?, kind (MeterMultiplierKind), value (xs:float), Names*},
 *                    MeterReadings* (MeterReading), Names*
 * MeterReading     = Readings* {reason?, reportedDateTime?, source?, timeStamp, value?, ReadingQualities*,
 *                    ReadingType@ref, timePeriod?}, valuesInterval?
 * UsagePoint       = checkBilling?, grounded?, isVirtual?, nominalServiceVoltage?, phaseCode?, ratedCurrent?,
 *                    ratedPower?, serviceDeliveryRemark?, servicePriority?,
 *                    ServiceLocation? {accessMethod?, needsInspection?, siteAccessProblem?,
 *                                      mainAddress? {streetDetail?, townDetail?}},
 *                    ServiceMultipliers* {mRID?, kind (ServiceMultiplierKind), value, Names*}
 * ReadingType      = mRID?, accumulation?, …, unit?, argument@ref?, interharmonic@ref?, Names+ (Name)
 * ReadingQualityType = mRID?, category?, subCategory?, systemId?, Names+ (Name)
 * Name             = name, NameType? {name}      (the top-level Name; inline Names keep the full NameType)
 * ```
 *
 * Draft quirks kept as the schema has them: the profile **embeds a mandatory `Header`** whose children are
 * in the pre-standard message namespace `http://www.iec.ch/TC57/2011/schema/message` (so the draft's verbs,
 * noun list, Context list and mandatory `User.Organization` apply to it, not the Ed.1 envelope's); a
 * `Reading.timeStamp` is mandatory; the `UsagePoint` has no `mRID`; `ReadingType.argument` and
 * `interharmonic` are references here, not RationalNumber values. Header `xs:any` content is skipped.
 *
 * @module
 */
import { MESSAGE_NS_DRAFT_2011 } from '../envelope/index.ts';
import { DateTimeIntervalType, NameType } from './common.ts';
import { METER_MULTIPLIER_KINDS } from './config-common.ts';
import { READING_REASONS, READING_TYPE_CODE_FIELDS } from './meter-readings.ts';
import { complexType, type Infer } from './schema.ts';
import { PHASE_CODES, SERVICE_MULTIPLIER_KINDS } from './usage-point-config.ts';

export const MeterServiceRequestsNamespace = 'http://iec.ch/TC57/2011/MeterServiceRequests#';

/** Verbs of the 2011 draft `HeaderType.Verb` (Ed.1 later removed show, subscribe, unsubscribe, report, stop, terminate). */
export const DRAFT_VERBS = [
  'cancel',
  'canceled',
  'change',
  'changed',
  'create',
  'created',
  'close',
  'closed',
  'delete',
  'deleted',
  'get',
  'show',
  'reply',
  'subscribe',
  'unsubscribe',
  'execute',
  'report',
  'stop',
  'terminate',
] as const;

/** Nouns of the 2011 draft `HeaderType.Noun` enumeration (61968-9 working draft 2011-04-12). */
export const DRAFT_NOUNS = [
  'AuxiliaryAgreementConfig',
  'ComModuleConfig',
  'CustomerAccountConfig',
  'CustomerAgreementConfig',
  'CustomerConfig',
  'CustomerMeterDataSet',
  'EndDeviceConfig',
  'EndDeviceControls',
  'EndDeviceEvents',
  'EndDeviceFirmware',
  'EndDeviceGroups',
  'MasterDataLinkageConfig',
  'MeterConfig',
  'MeterReadings',
  'MeterReadSchedule',
  'MeterServiceRequest',
  'MeterServiceRequests',
  'PricingStructureConfig',
  'ReceiptRecord',
  'ServiceCategoryConfig',
  'ServiceLocationConfig',
  'ServiceSupplierConfig',
  'TransactionRecord',
  'UsagePointConfig',
  'UsagePointGroups',
  'UsagePointLocationConfig',
] as const;

/** `Context` of the 2011 draft header. */
export const DRAFT_CONTEXTS = ['PRODUCTION', 'TESTING', 'DEVELOPMENT', 'STUDY', 'TRAINING'] as const;

/** `WorkKind`. */
export const WORK_KINDS = [
  'construction',
  'disconnect',
  'inspection',
  'maintenance',
  'meter',
  'other',
  'reconnect',
  'repair',
  'service',
  'test',
] as const;

/** `CustomerKind`. */
export const CUSTOMER_KINDS = [
  'commercialIndustrial',
  'energyServiceScheduler',
  'energyServiceSupplier',
  'internalUse',
  'other',
  'pumpingLoad',
  'residential',
  'residentialAndCommercial',
  'residentialAndStreetlight',
  'residentialFarmService',
  'residentialStreetlightOthers',
  'windMachine',
] as const;

const DraftReplayDetectionType = complexType({
  name: 'ReplayDetection',
  fields: [
    { n: 'Nonce', t: 'string', req: true },
    { n: 'Created', t: 'dateTime', req: true },
  ],
} as const);

const DraftUserType = complexType({
  name: 'User',
  fields: [
    { n: 'UserID', t: 'string', req: true },
    { n: 'Organization', t: 'string', req: true },
  ],
} as const);

const DraftPropertyType = complexType({
  name: 'Property',
  fields: [
    { n: 'Name', t: 'string', req: true },
    { n: 'Value', t: 'string' },
  ],
} as const);

/** The 2011 draft `msg:HeaderType` (namespace `http://www.iec.ch/TC57/2011/schema/message`). */
export const DraftHeaderType = complexType({
  name: 'Header',
  fields: [
    { n: 'Verb', t: 'string', req: true, enum: DRAFT_VERBS },
    { n: 'Noun', t: 'string', req: true, enum: DRAFT_NOUNS },
    { n: 'Revision', t: 'string' },
    { n: 'ReplayDetection', t: 'complex', type: DraftReplayDetectionType },
    { n: 'Context', t: 'string', enum: DRAFT_CONTEXTS },
    { n: 'Timestamp', t: 'dateTime' },
    { n: 'Source', t: 'string' },
    { n: 'AsyncReplyFlag', t: 'boolean' },
    { n: 'ReplyAddress', t: 'string' },
    { n: 'AckRequired', t: 'boolean' },
    { n: 'User', t: 'complex', type: DraftUserType },
    { n: 'MessageID', t: 'string' },
    { n: 'CorrelationID', t: 'string' },
    { n: 'Comment', t: 'string' },
    { n: 'Property', t: 'complex', type: DraftPropertyType, many: true },
  ],
} as const);
export type DraftHeader = Infer<typeof DraftHeaderType>;

/** `Status` as used here: `value` is mandatory. */
const MsrStatusType = complexType({
  name: 'Status',
  fields: [
    { n: 'dateTime', t: 'dateTime' },
    { n: 'reason', t: 'string' },
    { n: 'remark', t: 'string' },
    { n: 'value', t: 'string', req: true },
  ],
} as const);

/** The top-level `Name` of this XSD: its `NameType` has only `name`. */
export const MsrNameType = complexType({
  name: 'Name',
  fields: [
    { n: 'name', t: 'string', req: true },
    {
      n: 'NameType',
      t: 'complex',
      type: complexType({ name: 'NameType', fields: [{ n: 'name', t: 'string', req: true }] } as const),
    },
  ],
} as const);

export const MsrReadingQualityType = complexType({
  name: 'ReadingQuality',
  fields: [
    { n: 'comment', t: 'string' },
    { n: 'source', t: 'string' },
    { n: 'timeStamp', t: 'dateTime' },
    { n: 'ReadingQualityType', t: 'ref', req: true, fmt: 'qualityType' },
  ],
} as const);

export const MsrReadingType = complexType({
  name: 'Reading',
  fields: [
    { n: 'reason', t: 'string', enum: READING_REASONS },
    { n: 'reportedDateTime', t: 'dateTime' },
    { n: 'source', t: 'string' },
    { n: 'timeStamp', t: 'dateTime', req: true },
    { n: 'value', t: 'float' },
    { n: 'ReadingQualities', t: 'complex', type: MsrReadingQualityType, many: true },
    { n: 'ReadingType', t: 'ref', req: true, fmt: 'readingType' },
    { n: 'timePeriod', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);
export type MsrReading = Infer<typeof MsrReadingType>;

export const MsrMeterReadingType = complexType({
  name: 'MeterReading',
  fields: [
    { n: 'Readings', t: 'complex', type: MsrReadingType, many: true },
    { n: 'valuesInterval', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);

export const MsrMeterMultiplierType = complexType({
  name: 'MeterMultiplier',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', req: true, enum: METER_MULTIPLIER_KINDS },
    { n: 'value', t: 'float', req: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const MsrMeterType = complexType({
  name: 'Meter',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'amrSystem', t: 'string' },
    { n: 'formNumber', t: 'string' },
    { n: 'serialNumber', t: 'string' },
    { n: 'MeterMultipliers', t: 'complex', type: MsrMeterMultiplierType, many: true },
    { n: 'MeterReadings', t: 'complex', type: MsrMeterReadingType, many: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);
export type MsrMeter = Infer<typeof MsrMeterType>;

export const MsrActivityRecordType = complexType({
  name: 'ActivityRecord',
  fields: [
    { n: 'createdDateTime', t: 'dateTime', req: true },
    { n: 'reason', t: 'string' },
    { n: 'severity', t: 'string' },
    { n: 'type', t: 'string', req: true },
  ],
} as const);

export const MsrCustomerAgreementType = complexType({
  name: 'CustomerAgreement',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const MsrCustomerType = complexType({
  name: 'Customer',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', enum: CUSTOMER_KINDS },
    { n: 'pucNumber', t: 'string' },
    { n: 'specialNeed', t: 'string' },
    { n: 'vip', t: 'boolean' },
    { n: 'CustomerAgreements', t: 'complex', type: MsrCustomerAgreementType, many: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'status', t: 'complex', type: MsrStatusType },
  ],
} as const);
export type MsrCustomer = Infer<typeof MsrCustomerType>;

export const StreetDetailType = complexType({
  name: 'StreetDetail',
  fields: [
    { n: 'addressGeneral', t: 'string' },
    { n: 'buildingName', t: 'string' },
    { n: 'code', t: 'string' },
    { n: 'name', t: 'string' },
    { n: 'number', t: 'string' },
    { n: 'prefix', t: 'string' },
    { n: 'suffix', t: 'string' },
    { n: 'suiteNumber', t: 'string' },
    { n: 'type', t: 'string' },
    { n: 'withinTownLimits', t: 'boolean' },
  ],
} as const);

export const TownDetailType = complexType({
  name: 'TownDetail',
  fields: [
    { n: 'code', t: 'string' },
    { n: 'country', t: 'string' },
    { n: 'name', t: 'string' },
    { n: 'section', t: 'string' },
    { n: 'stateOrProvince', t: 'string' },
  ],
} as const);

export const StreetAddressType = complexType({
  name: 'StreetAddress',
  fields: [
    { n: 'streetDetail', t: 'complex', type: StreetDetailType },
    { n: 'townDetail', t: 'complex', type: TownDetailType },
  ],
} as const);
export type StreetAddress = Infer<typeof StreetAddressType>;

export const MsrServiceLocationType = complexType({
  name: 'ServiceLocation',
  fields: [
    { n: 'accessMethod', t: 'string' },
    { n: 'needsInspection', t: 'boolean' },
    { n: 'siteAccessProblem', t: 'string' },
    { n: 'mainAddress', t: 'complex', type: StreetAddressType },
  ],
} as const);

export const MsrServiceMultiplierType = complexType({
  name: 'ServiceMultiplier',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', req: true, enum: SERVICE_MULTIPLIER_KINDS },
    { n: 'value', t: 'float', req: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const MsrUsagePointType = complexType({
  name: 'UsagePoint',
  fields: [
    { n: 'checkBilling', t: 'boolean' },
    { n: 'grounded', t: 'boolean' },
    { n: 'isVirtual', t: 'boolean' },
    { n: 'nominalServiceVoltage', t: 'float' },
    { n: 'phaseCode', t: 'string', enum: PHASE_CODES },
    { n: 'ratedCurrent', t: 'float' },
    { n: 'ratedPower', t: 'float' },
    { n: 'serviceDeliveryRemark', t: 'string' },
    { n: 'servicePriority', t: 'string' },
    { n: 'ServiceLocation', t: 'complex', type: MsrServiceLocationType },
    { n: 'ServiceMultipliers', t: 'complex', type: MsrServiceMultiplierType, many: true },
  ],
} as const);
export type MsrUsagePoint = Infer<typeof MsrUsagePointType>;

export const MeterServiceWorkType = complexType({
  name: 'MeterServiceWork',
  fields: [
    { n: 'kind', t: 'string', enum: WORK_KINDS },
    { n: 'lastModifiedDateTime', t: 'dateTime' },
    { n: 'priority', t: 'string' },
    { n: 'requestDateTime', t: 'dateTime' },
    { n: 'type', t: 'string' },
    { n: 'ActivityRecords', t: 'complex', type: MsrActivityRecordType, many: true },
    { n: 'Customers', t: 'complex', type: MsrCustomerType, many: true },
    { n: 'Meter', t: 'complex', type: MsrMeterType, req: true },
    { n: 'OldMeter', t: 'complex', type: MsrMeterType },
    { n: 'status', t: 'complex', type: MsrStatusType },
    { n: 'UsagePoint', t: 'complex', type: MsrUsagePointType },
  ],
} as const);
export type MeterServiceWork = Infer<typeof MeterServiceWorkType>;

export const MsrReadingQualityTypeInfoType = complexType({
  name: 'ReadingQualityType',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'category', t: 'string' },
    { n: 'subCategory', t: 'string' },
    { n: 'systemId', t: 'string' },
    { n: 'Names', t: 'complex', type: MsrNameType, many: true, req: true },
  ],
} as const);

export const MsrReadingTypeInfoType = complexType({
  name: 'ReadingType',
  fields: [
    ...READING_TYPE_CODE_FIELDS,
    { n: 'argument', t: 'ref' },
    { n: 'interharmonic', t: 'ref' },
    { n: 'Names', t: 'complex', type: MsrNameType, many: true, req: true },
  ],
} as const);

/** The `MeterServiceRequests` profile root. */
export const MeterServiceRequestsType = complexType({
  name: 'MeterServiceRequests',
  fields: [
    {
      n: 'Header',
      t: 'complex',
      type: DraftHeaderType,
      req: true,
      childNs: { uri: MESSAGE_NS_DRAFT_2011, prefix: 'dmsg' },
    },
    { n: 'MeterServiceWork', t: 'complex', type: MeterServiceWorkType, many: true },
    { n: 'ReadingQualityType', t: 'complex', type: MsrReadingQualityTypeInfoType, many: true },
    { n: 'ReadingType', t: 'complex', type: MsrReadingTypeInfoType, many: true },
  ],
} as const);
export type MeterServiceRequests = Infer<typeof MeterServiceRequestsType>;
