/**
 * IEC 61968-9 `MasterDataLinkageConfig` (namespace `http://iec.ch/TC57/2011/MasterDataLinkageConfig#`): links
 * between master-data objects, e.g. "meter M1 is installed at usage point UP7 from this date" (verb `create`),
 * or the link is removed (`close`/`delete`). Every object is an mRID/Names reference; the `ConfigurationEvent`
 * carries when and why.
 *
 * Source: the CIM15 `MasterDataLinkageConfig.xsd` published with Connexo (see `config-common.ts` for the
 * exact path); facts only. Its vendor additions to `Meter` (`role`, `ReadingTypeMapping`) are not modelled;
 * a reader skips them.
 *
 * ```xml
 * MasterDataLinkageConfig = AuxiliaryAgreement*, ComModule*, ConfigurationEvent?, Customer*, CustomerAccount*,
 *                           CustomerAgreement*, EndDevice*, Meter*, PricingStructure*, ServiceLocation*,
 *                           ServiceSupplier*, TransformerTank*, UsagePoint*, UsagePointLocation*
 * (each object)           = mRID?, Names*
 * ConfigurationEvent      = mRID?, createdDateTime?, effectiveDateTime?, modifiedBy?, reason?, remark?,
 *                           severity?, type?, Names*, status?
 * ```
 *
 * @module
 */
import { ConfigurationEventType, IdentifiedRefType } from './config-common.ts';
import { complexType, type Infer } from './schema.ts';

export const MasterDataLinkageConfigNamespace = 'http://iec.ch/TC57/2011/MasterDataLinkageConfig#';

/** The `MasterDataLinkageConfig` profile root. */
export const MasterDataLinkageConfigType = complexType({
  name: 'MasterDataLinkageConfig',
  fields: [
    { n: 'AuxiliaryAgreement', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'ComModule', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'ConfigurationEvent', t: 'complex', type: ConfigurationEventType },
    { n: 'Customer', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'CustomerAccount', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'CustomerAgreement', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'EndDevice', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'Meter', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'PricingStructure', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'ServiceLocation', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'ServiceSupplier', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'TransformerTank', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'UsagePoint', t: 'complex', type: IdentifiedRefType, many: true },
    { n: 'UsagePointLocation', t: 'complex', type: IdentifiedRefType, many: true },
  ],
} as const);
export type MasterDataLinkageConfig = Infer<typeof MasterDataLinkageConfigType>;
