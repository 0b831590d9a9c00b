/**
 * IEC 61968-9 `MeterConfig` (namespace `http://iec.ch/TC57/2011/MeterConfig#`): meter master data sent from the
 * MDMS to the HES (verb `create`/`change`) or reported back (`created`/`changed`) — meter asset, communication,
 * connect/disconnect and metering functions, and the reading types the meter records.
 *
 * Source: the CIM15 `MeterConfig.xsd` published with Connexo (see `config-common.ts` for the exact path);
 * facts only. Vendor additions (`MeterCustomAttributeSet`, `TimeSeriesCustomAttributeSet`, `xs:any`) are not
 * modelled; a reader skips them.
 *
 * ```xml
 * MeterConfig = ComFunction*, ConnectDisconnectFunction*, Meter*, ReadingType*, SimpleEndDeviceFunction*
 * Meter       = mRID?, amrSystem?, formNumber?, initialCondition?, initialLossOfLife? (PerCent), isVirtual?,
 *               lotNumber?, purchasePrice? (Money), serialNumber?, timeZoneOffset? (Minutes), type?, utcNumber?,
 *               ActivityRecords*, ConfigurationEvents?, electronicAddress?,
 *               (ComFunction@ref | ConnectDisconnectFunction@ref | SimpleEndDeviceFunction@ref)*,
 *               EndDeviceInfo?, lifecycle?, MeterMultipliers*, Names*, Seals*, status?, UsagePoint?
 * ```
 *
 * UNCONFIRMED: `Meter.UsagePoint` (an mRID/Names reference to the usage point the meter is installed at) is
 * not in the CIM15 profile we could read (there the Meter ↔ UsagePoint link travels in
 * `MasterDataLinkageConfig`); we place it last, after `status`, and write it only when set.
 *
 * @module
 */
import { NameType, StatusType } from './common.ts';
import {
  ComFunctionType,
  ConfigReadingTypeType,
  ConnectDisconnectFunctionType,
  END_DEVICE_ASSOCIATIONS,
  IdentifiedRefType,
  MeterMultiplierType,
  SealType,
  SimpleEndDeviceFunctionType,
} from './config-common.ts';
import { complexType, type Infer } from './schema.ts';

export const MeterConfigNamespace = 'http://iec.ch/TC57/2011/MeterConfig#';

export const ConfigMeterType = complexType({
  name: 'Meter',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'amrSystem', t: 'string' },
    { n: 'formNumber', t: 'string' },
    { n: 'initialCondition', t: 'string' },
    { n: 'initialLossOfLife', t: 'float' },
    { n: 'isVirtual', t: 'boolean' },
    { n: 'lotNumber', t: 'string' },
    { n: 'purchasePrice', t: 'string' },
    { n: 'serialNumber', t: 'string' },
    { n: 'timeZoneOffset', t: 'float' },
    { n: 'type', t: 'string' },
    { n: 'utcNumber', t: 'string' },
    ...END_DEVICE_ASSOCIATIONS,
    { n: 'MeterMultipliers', t: 'complex', type: MeterMultiplierType, many: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'Seals', t: 'complex', type: SealType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
    { n: 'UsagePoint', t: 'complex', type: IdentifiedRefType },
  ],
} as const);
export type ConfigMeter = Infer<typeof ConfigMeterType>;

/** The `MeterConfig` profile root. */
export const MeterConfigType = complexType({
  name: 'MeterConfig',
  fields: [
    { n: 'ComFunction', t: 'complex', type: ComFunctionType, many: true },
    { n: 'ConnectDisconnectFunction', t: 'complex', type: ConnectDisconnectFunctionType, many: true },
    { n: 'Meter', t: 'complex', type: ConfigMeterType, many: true },
    { n: 'ReadingType', t: 'complex', type: ConfigReadingTypeType, many: true },
    { n: 'SimpleEndDeviceFunction', t: 'complex', type: SimpleEndDeviceFunctionType, many: true },
  ],
} as const);
export type MeterConfig = Infer<typeof MeterConfigType>;
