/**
 * IEC 61968-9 `EndDeviceEvents` (namespace `http://iec.ch/TC57/2011/EndDeviceEvents#`), following the 2011
 * draft XSD `EndDeviceEvents.xsd`: meter alarms and events (power failure 3.26.0.85, cover removed
 * 3.12.29.212, …), sent with verb `created` in an EventMessage.
 *
 * ```xml
 * EndDeviceEvents = EndDeviceEvent*, EndDeviceEventType*
 * EndDeviceEvent  = mRID?, createdDateTime, issuerID?, issuerTrackingID?, reason?, severity?, userID?, Assets?,
 *                   EndDeviceEventDetails* {name, value?}, EndDeviceEventType@ref, Names*, status?,
 *                   UsagePoint? {mRID, Names+}
 * EndDeviceEventType = mRID?, domain?, eventOrAction?, subDomain?, type?, Names
 * ```
 *
 * @module
 */
import { NameType, ObjectRefType, StatusType } from './common.ts';
import { EndDeviceEventDetailType, EndDeviceEventTypeType } from './meter-readings.ts';
import { complexType, type Infer } from './schema.ts';

export const EndDeviceEventsNamespace = 'http://iec.ch/TC57/2011/EndDeviceEvents#';

/** `UsagePoint` inside an EndDeviceEvent: the draft makes mRID and at least one Name mandatory. */
export const EventUsagePointType = complexType({
  name: 'UsagePoint',
  fields: [
    { n: 'mRID', t: 'string', req: true },
    { n: 'Names', t: 'complex', type: NameType, many: true, req: true },
  ],
} as const);

export const EndDeviceEventType = complexType({
  name: 'EndDeviceEvent',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'createdDateTime', t: 'dateTime', req: true },
    { n: 'issuerID', t: 'string' },
    { n: 'issuerTrackingID', t: 'string' },
    { n: 'reason', t: 'string' },
    { n: 'severity', t: 'string' },
    { n: 'userID', t: 'string' },
    { n: 'Assets', t: 'complex', type: ObjectRefType },
    { n: 'EndDeviceEventDetails', t: 'complex', type: EndDeviceEventDetailType, many: true },
    { n: 'EndDeviceEventType', t: 'ref', req: true, fmt: 'eventType' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
    { n: 'UsagePoint', t: 'complex', type: EventUsagePointType },
  ],
} as const);
export type EndDeviceEvent = Infer<typeof EndDeviceEventType>;

export const EndDeviceEventsType = complexType({
  name: 'EndDeviceEvents',
  fields: [
    { n: 'EndDeviceEvent', t: 'complex', type: EndDeviceEventType, many: true },
    { n: 'EndDeviceEventType', t: 'complex', type: EndDeviceEventTypeType, many: true },
  ],
} as const);
export type EndDeviceEvents = Infer<typeof EndDeviceEventsType>;
