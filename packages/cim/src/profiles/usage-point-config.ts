/**
 * IEC 61968-9 `UsagePointConfig` (namespace `http://iec.ch/TC57/2011/UsagePointConfig#`): usage point
 * (consumer connection / service delivery point) master data — status, service category and priority,
 * location, supplier, multipliers, and which reading types the metrology requires.
 *
 * Source: the CIM15 `UsagePointConfig.xsd` published with Connexo (see `config-common.ts` for the exact path);
 * facts only.
 *
 * ```xml
 * UsagePointConfig = ReadingType*, UsagePoint*
 * UsagePoint = mRID?, amiBillingReady? (AmiBillingReadyKind), checkBilling?, connectionState?
 *              (UsagePointConnectedKind), estimatedLoad? (CurrentFlow), grounded?, isSdp?, isVirtual?,
 *              minimalUsageExpected?, nominalServiceVoltage? (Voltage), outageRegion?, phaseCode? (PhaseCode),
 *              ratedCurrent? (CurrentFlow), ratedPower? (ActivePower), readCycle?, readRoute?,
 *              serviceDeliveryRemark?, servicePriority?, ConfigurationEvents?, Equipments?, Meters*,
 *              MetrologyRequirements* {mRID?, reason? (ReadingReasonKind), Names*, ReadingTypes@ref+}, Names*,
 *              PricingStructures? {mRID?, code?, Names*}, ServiceCategory? {mRID?, kind? (ServiceKind), Names*},
 *              ServiceLocation? {mRID?, Names*}, ServiceMultipliers* {mRID?, kind?, value?, Names*},
 *              ServiceSupplier? {mRID?, kind? (SupplierKind), Names*}, UsagePointLocation? {mRID?, Names*}, status?
 * ```
 *
 * Cardinalities are the profile's: `Equipments` and `PricingStructures` occur at most once there.
 * UNCONFIRMED: `Meters` (mRID/Names references to the meters at the usage point; placed in alphabetical order
 * among the associations) is not in the profile we could read — the link is normally sent in
 * `MasterDataLinkageConfig`. `status` is present in that file but marked there as a vendor addition; we keep it
 * (last) because HES↔MDMS integrations exchange the usage point status.
 *
 * @module
 */
import { NameType, StatusType } from './common.ts';
import { ConfigReadingTypeType, ConfigurationEventType, IdentifiedRefType } from './config-common.ts';
import { READING_REASONS } from './meter-readings.ts';
import { complexType, type Infer } from './schema.ts';

export const UsagePointConfigNamespace = 'http://iec.ch/TC57/2011/UsagePointConfig#';

/** `AmiBillingReadyKind`. */
export const AMI_BILLING_READY_KINDS = [
  'amiCapable',
  'amiDisabled',
  'billingApproved',
  'enabled',
  'nonAmi',
  'nonMetered',
  'operable',
] as const;
/** `UsagePointConnectedKind`. */
export const USAGE_POINT_CONNECTED_KINDS = [
  'connected',
  'logicallyDisconnected',
  'physicallyDisconnected',
] as const;
/** `PhaseCode` as enumerated in the CIM15 metering profiles. */
export const PHASE_CODES = [
  'A',
  'AB',
  'ABC',
  'ABCN',
  'ABN',
  'AC',
  'ACN',
  'AN',
  'B',
  'BC',
  'BCN',
  'BN',
  'C',
  'CN',
  'N',
  's1',
  's12',
  's12N',
  's1N',
  's2',
  's2N',
] as const;
/** `ServiceKind`. */
export const SERVICE_KINDS = [
  'electricity',
  'gas',
  'heat',
  'internet',
  'other',
  'rates',
  'refuse',
  'sewerage',
  'time',
  'tvLicence',
  'water',
] as const;
/** `SupplierKind`. */
export const SUPPLIER_KINDS = ['other', 'retailer', 'utility'] as const;
/** `ServiceMultiplierKind`. */
export const SERVICE_MULTIPLIER_KINDS = ['ctRatio', 'ptRatio', 'transformerRatio'] as const;

export const MetrologyRequirementType = complexType({
  name: 'MetrologyRequirement',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'reason', t: 'string', enum: READING_REASONS },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'ReadingTypes', t: 'ref', many: true, req: true, fmt: 'readingType' },
  ],
} as const);
export type MetrologyRequirement = Infer<typeof MetrologyRequirementType>;

export const PricingStructureType = complexType({
  name: 'PricingStructure',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'code', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const ServiceCategoryType = complexType({
  name: 'ServiceCategory',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', enum: SERVICE_KINDS },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);
export type ServiceCategory = Infer<typeof ServiceCategoryType>;

export const ServiceMultiplierType = complexType({
  name: 'ServiceMultiplier',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', enum: SERVICE_MULTIPLIER_KINDS },
    { n: 'value', t: 'float' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const ServiceSupplierType = complexType({
  name: 'ServiceSupplier',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'kind', t: 'string', enum: SUPPLIER_KINDS },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const ConfigUsagePointType = complexType({
  name: 'UsagePoint',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'amiBillingReady', t: 'string', enum: AMI_BILLING_READY_KINDS },
    { n: 'checkBilling', t: 'boolean' },
    { n: 'connectionState', t: 'string', enum: USAGE_POINT_CONNECTED_KINDS },
    { n: 'estimatedLoad', t: 'float' },
    { n: 'grounded', t: 'boolean' },
    { n: 'isSdp', t: 'boolean' },
    { n: 'isVirtual', t: 'boolean' },
    { n: 'minimalUsageExpected', t: 'boolean' },
    { n: 'nominalServiceVoltage', t: 'float' },
    { n: 'outageRegion', t: 'string' },
    { n: 'phaseCode', t: 'string', enum: PHASE_CODES },
    { n: 'ratedCurrent', t: 'float' },
    { n: 'ratedPower', t: 'float' },
    { n: 'readCycle', t: 'string' },
    { n: 'readRoute', t: 'string' },
    { n: 'serviceDeliveryRemark', t: 'string' },
    { n: 'servicePriority', t: 'string' },
    { n: 'ConfigurationEvents', t: 'complex', type: ConfigurationEventType },
    { n: 'Equipments', t: 'complex', type: IdentifiedRefType },
    { n: 'Meters', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'MetrologyRequirements', t: 'complex', type: MetrologyRequirementType, many: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'PricingStructures', t: 'complex', type: PricingStructureType },
    { n: 'ServiceCategory', t: 'complex', type: ServiceCategoryType },
    { n: 'ServiceLocation', t: 'complex', type: IdentifiedRefType },
    { n: 'ServiceMultipliers', t: 'complex', type: ServiceMultiplierType, many: true },
    { n: 'ServiceSupplier', t: 'complex', type: ServiceSupplierType },
    { n: 'UsagePointLocation', t: 'complex', type: IdentifiedRefType },
    { n: 'status', t: 'complex', type: StatusType },
  ],
} as const);
export type ConfigUsagePoint = Infer<typeof ConfigUsagePointType>;

/** The `UsagePointConfig` profile root. */
export const UsagePointConfigType = complexType({
  name: 'UsagePointConfig',
  fields: [
    { n: 'ReadingType', t: 'complex', type: ConfigReadingTypeType, many: true },
    { n: 'UsagePoint', t: 'complex', type: ConfigUsagePointType, many: true },
  ],
} as const);
export type UsagePointConfig = Infer<typeof UsagePointConfigType>;
