/**
 * IEC 61968-9 `EndDeviceConfig` (namespace `http://iec.ch/TC57/2011/EndDeviceConfig#`): master data of end
 * devices that are not meters in the CIM sense (communication modules, DCUs, load switches…), with the same
 * function sections as `MeterConfig`.
 *
 * Source: the CIM15 `EndDeviceConfig.xsd` published with Connexo (see `config-common.ts` for the exact path);
 * facts only. Vendor additions are not modelled; a reader skips them.
 *
 * ```xml
 * EndDeviceConfig = ComFunction*, ConnectDisconnectFunction*, EndDevice*, ReadingType*, SimpleEndDeviceFunction*
 * EndDevice       = mRID?, amrSystem?, initialCondition?, initialLossOfLife? (PerCent), installCode?, isPan?,
 *                   isVirtual?, lotNumber?, purchasePrice? (Money), serialNumber?, timeZoneOffset? (Minutes),
 *                   type?, utcNumber?, ActivityRecords*, ConfigurationEvents?, electronicAddress?,
 *                   (ComFunction@ref | ConnectDisconnectFunction@ref | SimpleEndDeviceFunction@ref)*,
 *                   EndDeviceInfo?, lifecycle?, Names*, Seals*, status?, UsagePoint?
 * ```
 *
 * Unlike `Meter`, an `EndDevice` has `installCode`/`isPan` and no `formNumber`/`MeterMultipliers`.
 * UNCONFIRMED: `EndDevice.UsagePoint`, as for `Meter.UsagePoint` in `meter-config.ts`.
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
  SealType,
  SimpleEndDeviceFunctionType,
} from './config-common.ts';
import { complexType, type Infer } from './schema.ts';

export const EndDeviceConfigNamespace = 'http://iec.ch/TC57/2011/EndDeviceConfig#';

export const ConfigEndDeviceType = complexType({
  name: 'EndDevice',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'amrSystem', t: 'string' },
    { n: 'initialCondition', t: 'string' },
    { n: 'initialLossOfLife', t: 'float' },
    { n: 'installCode', t: 'string' },
    { n: 'isPan', t: 'boolean' },
    { n: 'isVirtual', t: 'boolean' },
    { n: 'lotNumber', t: 'string' },
    { n: 'purchasePrice', t: 'string' },
    { n: 'serialNumber', t: 'string' },
    { n: 'timeZoneOffset', t: 'float' },
    { n: 'type', t: 'string' },
    { n: 'utcNumber', t: 'string' },
    ...END_DEVICE_ASSOCIATIONS,
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'Seals', t: 'complex', type: SealType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
    { n: 'UsagePoint', t: 'complex', type: IdentifiedRefType },
  ],
} as const);
export type ConfigEndDevice = Infer<typeof ConfigEndDeviceType>;

/** The `EndDeviceConfig` profile root. */
export const EndDeviceConfigType = complexType({
  name: 'EndDeviceConfig',
  fields: [
    { n: 'ComFunction', t: 'complex', type: ComFunctionType, many: true },
    { n: 'ConnectDisconnectFunction', t: 'complex', type: ConnectDisconnectFunctionType, many: true },
    { n: 'EndDevice', t: 'complex', type: ConfigEndDeviceType, many: true },
    { n: 'ReadingType', t: 'complex', type: ConfigReadingTypeType, many: true },
    { n: 'SimpleEndDeviceFunction', t: 'complex', type: SimpleEndDeviceFunctionType, many: true },
  ],
} as const);
export type EndDeviceConfig = Infer<typeof EndDeviceConfigType>;
