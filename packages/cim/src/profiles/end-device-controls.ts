/**
 * IEC 61968-9 `EndDeviceControls` (namespace `http://iec.ch/TC57/2011/EndDeviceControls#`), following the
 * 2011 draft XSD `EndDeviceControls.xsd`: remote connect/disconnect (3.31.0.18 / 3.31.0.23), load limits,
 * demand reset, sent with verb `create` in a RequestMessage.
 *
 * ```xml
 * EndDeviceControls = EndDeviceControl*, EndDeviceControlType*
 * EndDeviceControl  = mRID?, drProgramLevel?, drProgramMandatory?, issuerID?, issuerTrackingID?, priceSignal?,
 *                     reason?, (PanDemandResponse | PanDisplay | PanPricing)?, EndDeviceControlType@ref,
 *                     EndDeviceGroups*, EndDevices*, primaryDeviceTiming?, secondaryDeviceTiming?,
 *                     UsagePointGroups*, UsagePoints*
 * EndDeviceTiming   = duration? (Minutes), durationIndefinite?, randomisation? (RandomisationKind), interval?
 * EndDeviceControlType = mRID?, domain?, eventOrAction?, subDomain?, type?, Names@ref
 * ```
 *
 * Not modelled: the HAN/PAN action choice (`PanDemandResponse`, `PanDisplay`, `PanPricing`), which Indian
 * AMI deployments do not use; a reader ignores these elements.
 *
 * @module
 */
import { DateTimeIntervalType, ObjectRefType } from './common.ts';
import { complexType, type Infer } from './schema.ts';

export const EndDeviceControlsNamespace = 'http://iec.ch/TC57/2011/EndDeviceControls#';

/** `RandomisationKind` of the draft XSD. */
export const RANDOMISATION_KINDS = ['default', 'end', 'none', 'start', 'startAndEnd'] as const;

export const EndDeviceTimingType = complexType({
  name: 'EndDeviceTiming',
  fields: [
    { n: 'duration', t: 'float' },
    { n: 'durationIndefinite', t: 'boolean' },
    { n: 'randomisation', t: 'string', enum: RANDOMISATION_KINDS },
    { n: 'interval', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);
export type EndDeviceTiming = Infer<typeof EndDeviceTimingType>;

export const EndDeviceControlType = complexType({
  name: 'EndDeviceControl',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'drProgramLevel', t: 'integer' },
    { n: 'drProgramMandatory', t: 'boolean' },
    { n: 'issuerID', t: 'string' },
    { n: 'issuerTrackingID', t: 'string' },
    { n: 'priceSignal', t: 'float' },
    { n: 'reason', t: 'string' },
    { n: 'EndDeviceControlType', t: 'ref', req: true, fmt: 'eventType' },
    { n: 'EndDeviceGroups', t: 'complex', type: ObjectRefType, many: true },
    { n: 'EndDevices', t: 'complex', type: ObjectRefType, many: true },
    { n: 'primaryDeviceTiming', t: 'complex', type: EndDeviceTimingType },
    { n: 'secondaryDeviceTiming', t: 'complex', type: EndDeviceTimingType },
    { n: 'UsagePointGroups', t: 'complex', type: ObjectRefType, many: true },
    { n: 'UsagePoints', t: 'complex', type: ObjectRefType, many: true },
  ],
} as const);
export type EndDeviceControl = Infer<typeof EndDeviceControlType>;

export const EndDeviceControlTypeInfoType = complexType({
  name: 'EndDeviceControlType',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'domain', t: 'string' },
    { n: 'eventOrAction', t: 'string' },
    { n: 'subDomain', t: 'string' },
    { n: 'type', t: 'string' },
    /** The draft XSD declares Names here as a reference element (`<Names ref="…"/>`). */
    { n: 'Names', t: 'ref', req: true },
  ],
} as const);
export type EndDeviceControlTypeInfo = Infer<typeof EndDeviceControlTypeInfoType>;

export const EndDeviceControlsType = complexType({
  name: 'EndDeviceControls',
  fields: [
    { n: 'EndDeviceControl', t: 'complex', type: EndDeviceControlType, many: true },
    { n: 'EndDeviceControlType', t: 'complex', type: EndDeviceControlTypeInfoType, many: true },
  ],
} as const);
export type EndDeviceControls = Infer<typeof EndDeviceControlsType>;
