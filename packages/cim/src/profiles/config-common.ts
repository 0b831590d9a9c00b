/**
 * Types shared by the IEC 61968-9 configuration profiles `MeterConfig`, `EndDeviceConfig`, `UsagePointConfig`
 * and `MasterDataLinkageConfig` (CIM15 message profiles, namespaces `http://iec.ch/TC57/2011/<Noun>#`).
 *
 * **Source.** No XSD for these nouns is in our reference set. Element names, order, types and cardinalities
 * are taken (as facts, nothing copied) from the public CIM15 profile XSDs shipped with Honeywell/Elster Connexo
 * (repo `chandangeek/Connexo_Code`, see `shared/reference/iec61968.md`):
 * `coko/com.elster.jupiter.cim.webservices.inbound.soap/src/main/resources/meterconfig/xsd/MeterConfig.xsd`,
 * `…/enddeviceconfig/xsd/EndDeviceConfig.xsd`, `…/usagepointconfig/xsd/UsagePointConfig.xsd` and
 * `coko/com.elster.jupiter.cim.webservices.outbound.soap/…/masterdatalinkageconfig/xsd/MasterDataLinkageConfig.xsd`.
 * Those files mark their vendor additions ("added for Connexo"); we leave those out unless noted. As in the
 * other 61968-9 profiles, simple attributes come first (alphabetical), then associations (alphabetical).
 *
 * ```xml
 * ActivityRecord      = createdDateTime?, reason?, severity?, type?, status?
 * ConfigurationEvent  = mRID?, createdDateTime?, effectiveDateTime?, modifiedBy?, reason?, remark?, severity?,
 *                       type?, Names*, status?
 * ComFunction         = mRID?, amrAddress?, amrRouter?, configID?, direction? (ComDirectionKind), enabled?,
 *                       firmwareID?, hardwareID?, password?, programID?, technology? (ComTechnologyKind), Names*
 * ConnectDisconnectFunction = mRID?, enabled?, eventCount?, isConnected?, isDelayedDiscon?, isLocalAutoDisconOp?,
 *                       isLocalAutoReconOp?, isRemoteAutoDisconOp?, isRemoteAutoReconOp?, password?, Names*,
 *                       rcdInfo? (RemoteConnectDisconnectInfo)
 * SimpleEndDeviceFunction = mRID?, configID?, enabled?, firmwareID?, hardwareID?, kind? (EndDeviceFunctionKind),
 *                       password?, programID?, Names*, Registers*
 * Register            = mRID?, isVirtual?, leftDigitCount?, rightDigitCount?, touTierName?, Channels*, Names*,
 *                       touTier? {end?, start?} (xs:time)
 * Channel             = mRID?, isVirtual?, Names*, ReadingType@ref?
 * EndDeviceInfo       = isSolidState?, phaseCount?, ratedCurrent?, ratedVoltage?, AssetModel? (ProductAssetModel),
 *                       capability? (EndDeviceCapability: 18 booleans)
 * ProductAssetModel   = corporateStandardKind?, modelNumber?, modelVersion?, usageKind?, Manufacturer? {mRID?, Names*}
 * ElectronicAddress   = email1?, email2?, lan?, mac?, password?, radio?, userID?, web?
 * LifecycleDate       = installationDate?, manufacturedDate?, purchaseDate?, receivedDate?, removalDate?,
 *                       retiredDate? (xs:date)
 * Seal                = mRID?, appliedDateTime?, condition? (SealConditionKind), kind? (SealKind), sealNumber?, Names*
 * ReadingType         = as in MeterReadings (argument/interharmonic as RationalNumber), Names+ (unbounded here)
 * ```
 *
 * Model notes: `xs:date`, `xs:time` and `Money` (`xs:decimal`) are kept as strings (lexical form; the validator
 * does not check them). The `EndDevice.EndDeviceFunctions` repeated choice of `ComFunction@ref`,
 * `ConnectDisconnectFunction@ref` and `SimpleEndDeviceFunction@ref` is modelled as three reference arrays;
 * the writer emits them grouped in that order, which the repeated choice allows.
 *
 * @module
 */
import { NameType, StatusType } from './common.ts';
import { RationalNumberType, READING_TYPE_CODE_FIELDS, ReadingInterharmonicType } from './meter-readings.ts';
import { complexType, type Infer } from './schema.ts';

/** `ComDirectionKind`. */
export const COM_DIRECTION_KINDS = ['biDirectional', 'fromDevice', 'toDevice'] as const;
/** `ComTechnologyKind`. */
export const COM_TECHNOLOGY_KINDS = [
  'cellular',
  'ethernet',
  'homePlug',
  'pager',
  'phone',
  'plc',
  'rf',
  'rfMesh',
  'zigbee',
] as const;
/** `EndDeviceFunctionKind`. */
export const END_DEVICE_FUNCTION_KINDS = [
  'autonomousDst',
  'demandResponse',
  'electricMetering',
  'gasMetering',
  'metrology',
  'onRequestRead',
  'outageHistory',
  'relaysProgramming',
  'reverseFlow',
  'waterMetering',
] as const;
/** `CorporateStandardKind`. */
export const CORPORATE_STANDARD_KINDS = ['experimental', 'other', 'standard', 'underEvaluation'] as const;
/** `AssetModelUsageKind`. */
export const ASSET_MODEL_USAGE_KINDS = [
  'customerSubstation',
  'distributionOverhead',
  'distributionUnderground',
  'other',
  'streetlight',
  'substation',
  'transmission',
  'unknown',
] as const;
/** `SealConditionKind`. */
export const SEAL_CONDITION_KINDS = ['broken', 'locked', 'missing', 'open', 'other'] as const;
/** `SealKind`. */
export const SEAL_KINDS = ['lead', 'lock', 'other', 'steel'] as const;
/** `MeterMultiplierKind`. */
export const METER_MULTIPLIER_KINDS = ['ctRatio', 'kE', 'kH', 'kR', 'ptRatio', 'transformerRatio'] as const;

export const ActivityRecordType = complexType({
  name: 'ActivityRecord',
  fields: [
    { n: 'createdDateTime', t: 'dateTime' },
    { n: 'reason', t: 'string' },
    { n: 'severity', t: 'string' },
    { n: 'type', t: 'string' },
    { n: 'status', t: 'complex', type: StatusType },
  ],
} as const);
export type ActivityRecord = Infer<typeof ActivityRecordType>;

export const ConfigurationEventType = complexType({
  name: 'ConfigurationEvent',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'createdDateTime', t: 'dateTime' },
    { n: 'effectiveDateTime', t: 'dateTime' },
    { n: 'modifiedBy', t: 'string' },
    { n: 'reason', t: 'string' },
    { n: 'remark', t: 'string' },
    { n: 'severity', t: 'string' },
    { n: 'type', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
  ],
} as const);
export type ConfigurationEvent = Infer<typeof ConfigurationEventType>;

export const ComFunctionType = complexType({
  name: 'ComFunction',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'amrAddress', t: 'string' },
    { n: 'amrRouter', t: 'string' },
    { n: 'configID', t: 'string' },
    { n: 'direction', t: 'string', enum: COM_DIRECTION_KINDS },
    { n: 'enabled', t: 'boolean' },
    { n: 'firmwareID', t: 'string' },
    { n: 'hardwareID', t: 'string' },
    { n: 'password', t: 'string' },
    { n: 'programID', t: 'string' },
    { n: 'technology', t: 'string', enum: COM_TECHNOLOGY_KINDS },
    /**
     * UNCONFIRMED: `ComFunction.twoWay` (CIM14 attribute "can both send and receive") is not in the CIM15
     * profile we could read; placed after the simple attributes. Written only when set.
     */
    { n: 'twoWay', t: 'boolean' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);
export type ComFunction = Infer<typeof ComFunctionType>;

export const RemoteConnectDisconnectInfoType = complexType({
  name: 'RemoteConnectDisconnectInfo',
  fields: [
    { n: 'armedTimeout', t: 'float' },
    { n: 'customerVoltageLimit', t: 'float' },
    { n: 'energyLimit', t: 'float' },
    { n: 'energyUsageStartDateTime', t: 'dateTime' },
    { n: 'energyUsageWarning', t: 'float' },
    { n: 'isArmConnect', t: 'boolean' },
    { n: 'isArmDisconnect', t: 'boolean' },
    { n: 'isEnergyLimiting', t: 'boolean' },
    { n: 'needsPowerLimitCheck', t: 'boolean' },
    { n: 'needsVoltageLimitCheck', t: 'boolean' },
    { n: 'powerLimit', t: 'float' },
    { n: 'usePushbutton', t: 'boolean' },
  ],
} as const);
export type RemoteConnectDisconnectInfo = Infer<typeof RemoteConnectDisconnectInfoType>;

export const ConnectDisconnectFunctionType = complexType({
  name: 'ConnectDisconnectFunction',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'enabled', t: 'boolean' },
    { n: 'eventCount', t: 'integer' },
    { n: 'isConnected', t: 'boolean' },
    { n: 'isDelayedDiscon', t: 'boolean' },
    { n: 'isLocalAutoDisconOp', t: 'boolean' },
    { n: 'isLocalAutoReconOp', t: 'boolean' },
    { n: 'isRemoteAutoDisconOp', t: 'boolean' },
    { n: 'isRemoteAutoReconOp', t: 'boolean' },
    { n: 'password', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'rcdInfo', t: 'complex', type: RemoteConnectDisconnectInfoType },
  ],
} as const);
export type ConnectDisconnectFunction = Infer<typeof ConnectDisconnectFunctionType>;

export const ChannelType = complexType({
  name: 'Channel',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'isVirtual', t: 'boolean' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'ReadingType', t: 'ref', fmt: 'readingType' },
  ],
} as const);
export type Channel = Infer<typeof ChannelType>;

/** `TimeInterval` (`xs:time` bounds, kept as strings). */
export const TimeIntervalType = complexType({
  name: 'TimeInterval',
  fields: [
    { n: 'end', t: 'string' },
    { n: 'start', t: 'string' },
  ],
} as const);

export const RegisterType = complexType({
  name: 'Register',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'isVirtual', t: 'boolean' },
    { n: 'leftDigitCount', t: 'integer' },
    { n: 'rightDigitCount', t: 'integer' },
    { n: 'touTierName', t: 'string' },
    { n: 'Channels', t: 'complex', type: ChannelType, many: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'touTier', t: 'complex', type: TimeIntervalType },
  ],
} as const);
export type Register = Infer<typeof RegisterType>;

export const SimpleEndDeviceFunctionType = complexType({
  name: 'SimpleEndDeviceFunction',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'configID', t: 'string' },
    { n: 'enabled', t: 'boolean' },
    { n: 'firmwareID', t: 'string' },
    { n: 'hardwareID', t: 'string' },
    { n: 'kind', t: 'string', enum: END_DEVICE_FUNCTION_KINDS },
    { n: 'password', t: 'string' },
    { n: 'programID', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'Registers', t: 'complex', type: RegisterType, many: true },
  ],
} as const);
export type SimpleEndDeviceFunction = Infer<typeof SimpleEndDeviceFunctionType>;

export const EndDeviceCapabilityType = complexType({
  name: 'EndDeviceCapability',
  fields: [
    { n: 'autonomousDst', t: 'boolean' },
    { n: 'communication', t: 'boolean' },
    { n: 'connectDisconnect', t: 'boolean' },
    { n: 'demandResponse', t: 'boolean' },
    { n: 'electricMetering', t: 'boolean' },
    { n: 'gasMetering', t: 'boolean' },
    { n: 'metrology', t: 'boolean' },
    { n: 'onRequestRead', t: 'boolean' },
    { n: 'outageHistory', t: 'boolean' },
    { n: 'pressureCompensation', t: 'boolean' },
    { n: 'pricingInfo', t: 'boolean' },
    { n: 'pulseOutput', t: 'boolean' },
    { n: 'relaysProgramming', t: 'boolean' },
    { n: 'reverseFlow', t: 'boolean' },
    { n: 'superCompressibilityCompensation', t: 'boolean' },
    { n: 'temperatureCompensation', t: 'boolean' },
    { n: 'textMessage', t: 'boolean' },
    { n: 'waterMetering', t: 'boolean' },
  ],
} as const);

export const ManufacturerType = complexType({
  name: 'Manufacturer',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const ProductAssetModelType = complexType({
  name: 'ProductAssetModel',
  fields: [
    { n: 'corporateStandardKind', t: 'string', enum: CORPORATE_STANDARD_KINDS },
    { n: 'modelNumber', t: 'string' },
    { n: 'modelVersion', t: 'string' },
    { n: 'usageKind', t: 'string', enum: ASSET_MODEL_USAGE_KINDS },
    { n: 'Manufacturer', t: 'complex', type: ManufacturerType },
  ],
} as const);
export type ProductAssetModel = Infer<typeof ProductAssetModelType>;

export const EndDeviceInfoType = complexType({
  name: 'EndDeviceInfo',
  fields: [
    { n: 'isSolidState', t: 'boolean' },
    { n: 'phaseCount', t: 'integer' },
    { n: 'ratedCurrent', t: 'float' },
    { n: 'ratedVoltage', t: 'float' },
    { n: 'AssetModel', t: 'complex', type: ProductAssetModelType },
    { n: 'capability', t: 'complex', type: EndDeviceCapabilityType },
  ],
} as const);
export type EndDeviceInfo = Infer<typeof EndDeviceInfoType>;

export const ElectronicAddressType = complexType({
  name: 'ElectronicAddress',
  fields: [
    { n: 'email1', t: 'string' },
    { n: 'email2', t: 'string' },
    { n: 'lan', t: 'string' },
    { n: 'mac', t: 'string' },
    { n: 'password', t: 'string' },
    { n: 'radio', t: 'string' },
    { n: 'userID', t: 'string' },
    { n: 'web', t: 'string' },
  ],
} as const);
export type ElectronicAddress = Infer<typeof ElectronicAddressType>;

/** `LifecycleDate` (`xs:date` values, kept as strings). */
export const LifecycleDateType = complexType({
  name: 'LifecycleDate',
  fields: [
    { n: 'installationDate', t: 'string' },
    { n: 'manufacturedDate', t: 'string' },
    { n: 'purchaseDate', t: 'string' },
    { n: 'receivedDate', t: 'string' },
    { n: 'removalDate', t: 'string' },
    { n: 'retiredDate', t: 'string' },
  ],
} as const);
export type LifecycleDate = Infer<typeof LifecycleDateType>;

export const SealType = complexType({
  name: 'Seal',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'appliedDateTime', t: 'dateTime' },
    { n: 'condition', t: 'string', enum: SEAL_CONDITION_KINDS },
    { n: 'kind', t: 'string', enum: SEAL_KINDS },
    { n: 'sealNumber', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);
export type Seal = Infer<typeof SealType>;

export const MeterMultiplierType = complexType({
  name: 'MeterMultiplier',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', enum: METER_MULTIPLIER_KINDS },
    { n: 'value', t: 'float' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);
export type MeterMultiplier = Infer<typeof MeterMultiplierType>;

/** A reference to an identified object by mRID and/or Names (UsagePoint, ServiceLocation, Customer, …). */
export const IdentifiedRefType = complexType({
  name: 'IdentifiedObject',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

/** `ReadingType` reference data in the config profiles: as in MeterReadings, but `Names` is 1..unbounded. */
export const ConfigReadingTypeType = complexType({
  name: 'ReadingType',
  fields: [
    ...READING_TYPE_CODE_FIELDS,
    { n: 'argument', t: 'complex', type: RationalNumberType },
    { n: 'interharmonic', t: 'complex', type: ReadingInterharmonicType },
    { n: 'Names', t: 'complex', type: NameType, many: true, req: true },
  ],
} as const);
export type ConfigReadingType = Infer<typeof ConfigReadingTypeType>;

/**
 * The fields every `EndDevice`/`Meter` of the config profiles has after the Asset attributes, in schema
 * order: `ActivityRecords*`, `ConfigurationEvents?`, `electronicAddress?`, the EndDeviceFunctions choice
 * (as three reference arrays), `EndDeviceInfo?`, `lifecycle?`.
 */
export const END_DEVICE_ASSOCIATIONS = [
  { n: 'ActivityRecords', t: 'complex', type: ActivityRecordType, many: true },
  { n: 'ConfigurationEvents', t: 'complex', type: ConfigurationEventType },
  { n: 'electronicAddress', t: 'complex', type: ElectronicAddressType },
  { n: 'ComFunction', t: 'ref', many: true },
  { n: 'ConnectDisconnectFunction', t: 'ref', many: true },
  { n: 'SimpleEndDeviceFunction', t: 'ref', many: true },
  { n: 'EndDeviceInfo', t: 'complex', type: EndDeviceInfoType },
  { n: 'lifecycle', t: 'complex', type: LifecycleDateType },
] as const;
