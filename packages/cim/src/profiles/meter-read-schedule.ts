/**
 * IEC 61968-9 `MeterReadSchedule` (namespace `http://iec.ch/TC57/2011/MeterReadSchedule#`), following the
 * 2011 draft XSD `MeterReadSchedule.xsd`: when to read which meters/groups for which ReadingTypes.
 *
 * ```xml
 * MeterReadSchedule = CustomerAccount*, CustomerAgreement*, EndDevice* {mRID, Names*}, EndDeviceGroup*,
 *                     ReadingType* {mRID?, Names*}, TimeSchedule*, UsagePoint*, UsagePointGroup*
 * TimeSchedule = disabled?, offset? (Seconds), recurrencePattern?, recurrencePeriod? (Seconds),
 *                scheduleInterval {end?, start?}, TimePoints* {dateTime?, relativeTimeInterval? (Seconds),
 *                sequenceNumber?, window? {end?, start?}}
 * ```
 *
 * @module
 */
import { DateTimeIntervalType, NameType, ObjectRefType } from './common.ts';
import { complexType, type Infer } from './schema.ts';

export const MeterReadScheduleNamespace = 'http://iec.ch/TC57/2011/MeterReadSchedule#';

export const ScheduledEndDeviceType = complexType({
  name: 'EndDevice',
  fields: [
    { n: 'mRID', t: 'string', req: true },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const ScheduledReadingTypeType = complexType({
  name: 'ReadingType',
  fields: [
    { n: 'mRID', t: 'string', fmt: 'readingType' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);

export const TimePointType = complexType({
  name: 'TimePoint',
  fields: [
    { n: 'dateTime', t: 'dateTime' },
    { n: 'relativeTimeInterval', t: 'float' },
    { n: 'sequenceNumber', t: 'integer' },
    { n: 'window', t: 'complex', type: DateTimeIntervalType },
  ],
} as const);

export const ReadTimeScheduleType = complexType({
  name: 'TimeSchedule',
  fields: [
    { n: 'disabled', t: 'boolean' },
    { n: 'offset', t: 'float' },
    { n: 'recurrencePattern', t: 'string' },
    { n: 'recurrencePeriod', t: 'float' },
    { n: 'scheduleInterval', t: 'complex', type: DateTimeIntervalType, req: true },
    { n: 'TimePoints', t: 'complex', type: TimePointType, many: true },
  ],
} as const);
export type ReadTimeSchedule = Infer<typeof ReadTimeScheduleType>;

export const MeterReadScheduleType = complexType({
  name: 'MeterReadSchedule',
  fields: [
    { n: 'CustomerAccount', t: 'complex', type: ObjectRefType, many: true },
    { n: 'CustomerAgreement', t: 'complex', type: ObjectRefType, many: true },
    { n: 'EndDevice', t: 'complex', type: ScheduledEndDeviceType, many: true },
    { n: 'EndDeviceGroup', t: 'complex', type: ObjectRefType, many: true },
    { n: 'ReadingType', t: 'complex', type: ScheduledReadingTypeType, many: true },
    { n: 'TimeSchedule', t: 'complex', type: ReadTimeScheduleType, many: true },
    { n: 'UsagePoint', t: 'complex', type: ObjectRefType, many: true },
    { n: 'UsagePointGroup', t: 'complex', type: ObjectRefType, many: true },
  ],
} as const);
export type MeterReadSchedule = Infer<typeof MeterReadScheduleType>;
