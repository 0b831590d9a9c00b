/**
 * The Get profiles, carried inside `Request` (not Payload) of a `get` RequestMessage.
 *
 * No XSD for these is in `shared/reference/xsd/`; the shapes follow the structure recorded in
 * `shared/reference/iec61968.md` §4 (Ed.1 GetMeterReadings.xsd as used by field implementations) and are
 * **not** XSD-validated in our tests. Only the commonly used filters are modelled.
 *
 * ```xml
 * GetMeterReadings = EndDevice*, EndDeviceGroup*, Reading* {reason?, source?, timePeriod?},
 *                    ReadingType* {mRID?, Names*}, TimeSchedule* {scheduleInterval?}, UsagePoint*, UsagePointGroup*
 * GetEndDeviceEvents = EndDevice*, EndDeviceGroup*, EndDeviceEventType* {mRID?, Names*},
 *                      TimeSchedule* {scheduleInterval?}, UsagePoint*
 * ```
 *
 * The time window can also come from `Request.StartTime` / `Request.EndTime`.
 *
 * @module
 */
import { DateTimeIntervalType, ObjectRefType } from './common.ts';
import { READING_REASONS } from './meter-readings.ts';
import { complexType, type Infer } from './schema.ts';

export const GetMeterReadingsNamespace = 'http://iec.ch/TC57/2011/GetMeterReadings#';
export const GetEndDeviceEventsNamespace = 'http://iec.ch/TC57/2011/GetEndDeviceEvents#';

export const TimeScheduleType = complexType({
  name: 'TimeSchedule',
  fields: [{ n: 'scheduleInterval', t: 'complex', type: DateTimeIntervalType }],
} as const);

export const ReadingFilterType = complexType({
  name: 'Reading',
  fields: [
    { n: 'reason', t: 'string', enum: READING_REASONS },
    { n: 'source', t: 'string' },
    { n: 'timePeriod', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);

export const GetMeterReadingsType = complexType({
  name: 'GetMeterReadings',
  fields: [
    { n: 'EndDevice', t: 'complex', type: ObjectRefType, many: true },
    { n: 'EndDeviceGroup', t: 'complex', type: ObjectRefType, many: true },
    { n: 'Reading', t: 'complex', type: ReadingFilterType, many: true },
    { n: 'ReadingType', t: 'complex', type: ObjectRefType, many: true },
    { n: 'TimeSchedule', t: 'complex', type: TimeScheduleType, many: true },
    { n: 'UsagePoint', t: 'complex', type: ObjectRefType, many: true },
    { n: 'UsagePointGroup', t: 'complex', type: ObjectRefType, many: true },
  ],
} as const);
export type GetMeterReadings = Infer<typeof GetMeterReadingsType>;

export const GetEndDeviceEventsType = complexType({
  name: 'GetEndDeviceEvents',
  fields: [
    { n: 'EndDevice', t: 'complex', type: ObjectRefType, many: true },
    { n: 'EndDeviceGroup', t: 'complex', type: ObjectRefType, many: true },
    { n: 'EndDeviceEventType', t: 'complex', type: ObjectRefType, many: true },
    { n: 'TimeSchedule', t: 'complex', type: TimeScheduleType, many: true },
    { n: 'UsagePoint', t: 'complex', type: ObjectRefType, many: true },
  ],
} as const);
export type GetEndDeviceEvents = Infer<typeof GetEndDeviceEventsType>;
