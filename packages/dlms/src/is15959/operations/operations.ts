/**
 * IS 15959 operations on a live session (`DlmsClient`, or anything with its `get`/`set`/`action`).
 * Each function is one configuration or control step of the standard, on the object IS 15959 names:
 *
 * | operation | object | service | transaction event |
 * |---|---|---|---|
 * | remote disconnect / reconnect | Disconnect control 0.0.96.3.10.255 (class 70) | ACTION 1 / 2 (integer 0) | control 301 / 302 |
 * | relay state | 0.0.96.3.10.255 attribute 2 output_state, 3 control_state, 4 control_mode | GET | |
 * | load limit | Limiter 0.0.17.0.0.255 (class 71) attribute 4 threshold_normal (and 3 threshold_active) | SET | 158 |
 * | RTC set | Clock 0.0.1.0.0.255 attribute 2 time | SET | 151 |
 * | demand integration period | Data 1.0.0.8.0.255 (seconds) | SET | 152 |
 * | profile capture period | Data 1.0.0.8.4.255 (seconds) and Profile generic 1.0.99.1.0.255 attribute 4 | SET | 153 |
 * | billing-date schedule | Single action schedule 0.0.15.0.0.255 attribute 4 execution_time | SET | 154 |
 * | activity calendar (TOD) | Activity calendar 0.0.13.0.0.255 attributes 6–9 (passive), 10 or ACTION 1 | SET / ACTION | 155 |
 * | MD reset | Script table 0.0.10.0.1.255 ACTION 1 execute (script 1) | ACTION | 166 |
 * | ESWF change | Data 0.0.94.91.26.255 (bit-string of 128) | SET | 165 |
 * | LLS secret change | Association LN 0.0.40.0.2.255 attribute 7 secret | SET | 161 |
 * | HLS secret change | Association LN 0.0.40.0.x.255 ACTION 2 change_HLS_secret | ACTION | 162 / 163 |
 * | global key change | Security setup 0.0.43.0.x.255 ACTION 2 global_key_transfer (RFC 3394 wrapped with the master key) | ACTION | 164 |
 *
 * The meter logs the transaction event itself; these functions do not. All of them need the Utility
 * Settings association (client 48) on an IS 15959 meter, whose rights allow the writes.
 *
 * @module
 */

import { bitStringFromBits, bitStringToBits } from '../../axdr/bitstring.ts';
import { decodeData } from '../../axdr/codec.ts';
import { cosemDateTimeFromDate, cosemDateTimeToDate } from '../../axdr/datetime.ts';
import type { Data } from '../../axdr/types.ts';
import {
  ACTIVITY_CALENDAR_CLASS,
  type DayProfile,
  type SeasonProfile,
  type WeekProfile,
} from '../../cosem/activity-calendar.ts';
import { CLOCK_CLASS } from '../../cosem/clock.ts';
import { type ExecutionTimeDate, SINGLE_ACTION_SCHEDULE_CLASS } from '../../cosem/single-action-schedule.ts';
import { DlmsError } from '../../errors.ts';
import type { Obis } from '../../obis/index.ts';
import { buildGlobalKeyTransfer } from '../../security/keywrap.ts';

/** What the operations need of a session; `DlmsClient` satisfies it. */
export interface OperationsClient {
  get(ref: { classId: number; obis: Obis | string; attribute: number }): Promise<Data>;
  set(ref: { classId: number; obis: Obis | string; attribute: number }, value: Data): Promise<void>;
  action(
    ref: { classId: number; obis: Obis | string; method: number },
    parameters?: Data,
  ): Promise<Data | undefined>;
}

/** Logical names of the objects the operations use (IS 15959). */
export const OPERATION_OBJECTS = Object.freeze({
  disconnectControl: '0.0.96.3.10.255',
  limiter: '0.0.17.0.0.255',
  clock: '0.0.1.0.0.255',
  demandIntegrationPeriod: '1.0.0.8.0.255',
  profileCapturePeriod: '1.0.0.8.4.255',
  blockLoadProfile: '1.0.99.1.0.255',
  billingDateSchedule: '0.0.15.0.0.255',
  activityCalendar: '0.0.13.0.0.255',
  mdResetScript: '0.0.10.0.1.255',
  eswf: '0.0.94.91.26.255',
  imageTransfer: '0.0.44.0.0.255',
} as const);

const INSTANCE: Readonly<Record<number, number>> = { 32: 2, 48: 3, 64: 4, 80: 5 };
const int0: Data = { type: 'integer', value: 0 };

function u32(n: number, what: string): Data {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new DlmsError('INVALID_ARGUMENT', `${what} must be an integer 0..4294967295, got ${n}`);
  }
  return { type: 'double-long-unsigned', value: n };
}

function numberOf(d: Data, what: string): number {
  if ('value' in d && typeof d.value === 'number') return d.value;
  throw new DlmsError('MALFORMED', `${what}: a number was expected, got ${d.type}`);
}

// ---------------------------------------------------------------------------------------------------------
// Disconnect control (class 70)

/** The relay as the meter reports it. */
export interface RelayState {
  /** Attribute 2: TRUE = the supply is connected. */
  readonly connected: boolean;
  /** Attribute 3: 0 disconnected, 1 connected, 2 ready for reconnection. */
  readonly controlState: number;
  /** Attribute 4 (0..6). */
  readonly controlMode: number;
}

/** Remote disconnect: ACTION remote_disconnect (method 1) on 0.0.96.3.10.255. */
export async function remoteDisconnect(client: OperationsClient): Promise<void> {
  await client.action({ classId: 70, obis: OPERATION_OBJECTS.disconnectControl, method: 1 }, int0);
}

/** Remote reconnect: ACTION remote_reconnect (method 2) on 0.0.96.3.10.255. */
export async function remoteReconnect(client: OperationsClient): Promise<void> {
  await client.action({ classId: 70, obis: OPERATION_OBJECTS.disconnectControl, method: 2 }, int0);
}

export async function readRelayState(client: OperationsClient): Promise<RelayState> {
  const ref = (attribute: number) => ({ classId: 70, obis: OPERATION_OBJECTS.disconnectControl, attribute });
  const out = await client.get(ref(2));
  if (out.type !== 'boolean')
    throw new DlmsError('MALFORMED', `output_state: boolean expected, got ${out.type}`);
  return {
    connected: out.value,
    controlState: numberOf(await client.get(ref(3)), 'control_state'),
    controlMode: numberOf(await client.get(ref(4)), 'control_mode'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Limiter (class 71)

/**
 * Sets the load limit: threshold_normal (attribute 4) and, unless `activeToo` is false, threshold_active
 * (attribute 3), in the Data type the meter already uses for the threshold (read first), in the
 * monitored value's unit (IS 15959: W, of 1.0.1.7.0.255, scaler as the meter reports).
 */
export async function setLoadLimit(
  client: OperationsClient,
  threshold: number,
  options: { activeToo?: boolean } = {},
): Promise<void> {
  const ref = (attribute: number) => ({ classId: 71, obis: OPERATION_OBJECTS.limiter, attribute });
  const current = await client.get(ref(4));
  const type = current.type;
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new DlmsError('INVALID_ARGUMENT', `threshold must be a non-negative integer, got ${threshold}`);
  }
  const value = { type, value: threshold } as Data;
  if (
    type !== 'long-unsigned' &&
    type !== 'double-long-unsigned' &&
    type !== 'long' &&
    type !== 'double-long'
  ) {
    throw new DlmsError('UNSUPPORTED', `threshold_normal is ${type}; expected an integer type`);
  }
  await client.set(ref(4), value);
  if (options.activeToo !== false) await client.set(ref(3), value);
}

/** threshold_normal and threshold_active, as numbers. */
export async function readLoadLimit(client: OperationsClient): Promise<{ normal: number; active: number }> {
  const ref = (attribute: number) => ({ classId: 71, obis: OPERATION_OBJECTS.limiter, attribute });
  return {
    normal: numberOf(await client.get(ref(4)), 'threshold_normal'),
    active: numberOf(await client.get(ref(3)), 'threshold_active'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Clock (class 8)

/** RTC set: writes `date` as the meter's local time at `deviation` (minutes, UTC = local + deviation; IST −330). */
export async function setClock(client: OperationsClient, date: Date, deviation = -330): Promise<void> {
  if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
    throw new DlmsError('INVALID_ARGUMENT', 'date must be a valid Date');
  }
  const value = CLOCK_CLASS.attributes.time.codec.encode(cosemDateTimeFromDate(date, deviation));
  await client.set({ classId: 8, obis: OPERATION_OBJECTS.clock, attribute: 2 }, value);
}

/** The meter's clock as an instant. */
export async function readClock(client: OperationsClient): Promise<Date> {
  const d = await client.get({ classId: 8, obis: OPERATION_OBJECTS.clock, attribute: 2 });
  return cosemDateTimeToDate(CLOCK_CLASS.attributes.time.codec.decode(d));
}

// ---------------------------------------------------------------------------------------------------------
// Periods, ESWF, MD reset

/** Demand integration period (seconds), Data 1.0.0.8.0.255. */
export async function setDemandIntegrationPeriod(client: OperationsClient, seconds: number): Promise<void> {
  await client.set(
    { classId: 1, obis: OPERATION_OBJECTS.demandIntegrationPeriod, attribute: 2 },
    u32(seconds, 'seconds'),
  );
}

/**
 * Profile capture period (seconds): Data 1.0.0.8.4.255, then the block-load profile's capture_period
 * (attribute 4) so both agree.
 */
export async function setCapturePeriod(client: OperationsClient, seconds: number): Promise<void> {
  const v = u32(seconds, 'seconds');
  await client.set({ classId: 1, obis: OPERATION_OBJECTS.profileCapturePeriod, attribute: 2 }, v);
  await client.set({ classId: 7, obis: OPERATION_OBJECTS.blockLoadProfile, attribute: 4 }, v);
}

/** Reads a period (seconds) of a Data object (1.0.0.8.0 / 1.0.0.8.4 / 1.0.0.8.5). */
export async function readPeriod(client: OperationsClient, obis: string): Promise<number> {
  return numberOf(await client.get({ classId: 1, obis, attribute: 2 }), obis);
}

/** MD reset: executes script 1 of the MD-reset script table 0.0.10.0.1.255. */
export async function resetMaximumDemand(client: OperationsClient): Promise<void> {
  await client.action(
    { classId: 9, obis: OPERATION_OBJECTS.mdResetScript, method: 1 },
    { type: 'long-unsigned', value: 1 },
  );
}

/** ESWF change: 128 flags, bit 0 first (IS 15959 event status word numbering). */
export async function setEswf(client: OperationsClient, bits: readonly boolean[]): Promise<void> {
  if (!Array.isArray(bits) || bits.length !== 128) {
    throw new DlmsError('INVALID_ARGUMENT', 'ESWF must be 128 flags');
  }
  await client.set(
    { classId: 1, obis: OPERATION_OBJECTS.eswf, attribute: 2 },
    { type: 'bit-string', value: bitStringFromBits([...bits]) },
  );
}

export async function readEswf(client: OperationsClient): Promise<boolean[]> {
  const d = await client.get({ classId: 1, obis: OPERATION_OBJECTS.eswf, attribute: 2 });
  if (d.type !== 'bit-string') throw new DlmsError('MALFORMED', `ESWF: bit-string expected, got ${d.type}`);
  return [...bitStringToBits(d.value)].map((c) => c === '1');
}

// ---------------------------------------------------------------------------------------------------------
// Billing date, activity calendar

/** Billing-date schedule: the execution times of 0.0.15.0.0.255 (e.g. day 1 of every month at 00:00). */
export async function setBillingDates(
  client: OperationsClient,
  times: readonly ExecutionTimeDate[],
): Promise<void> {
  const value = SINGLE_ACTION_SCHEDULE_CLASS.attributes.executionTime.codec.encode([...times]);
  await client.set({ classId: 22, obis: OPERATION_OBJECTS.billingDateSchedule, attribute: 4 }, value);
}

/** A monthly billing date: day `day` of every month at `hour:minute`. */
export function monthlyBillingDate(day: number, hour = 0, minute = 0): ExecutionTimeDate {
  if (!Number.isInteger(day) || day < 1 || day > 28) {
    throw new DlmsError('INVALID_ARGUMENT', `billing day must be 1..28, got ${day}`);
  }
  return {
    time: { hour, minute, second: 0, hundredths: 0 },
    date: { year: undefined, month: undefined, dayOfMonth: day, dayOfWeek: undefined },
  };
}

/** A passive calendar (TOD tariff programme). */
export interface PassiveCalendar {
  name: Uint8Array | string;
  seasons: SeasonProfile[];
  weeks: WeekProfile[];
  days: DayProfile[];
}

/** Writes the passive calendar (attributes 6–9 of 0.0.13.0.0.255). */
export async function programPassiveCalendar(client: OperationsClient, cal: PassiveCalendar): Promise<void> {
  const a = ACTIVITY_CALENDAR_CLASS.attributes;
  const ref = (attribute: number) => ({ classId: 20, obis: OPERATION_OBJECTS.activityCalendar, attribute });
  const name = typeof cal.name === 'string' ? new TextEncoder().encode(cal.name) : cal.name;
  await client.set(ref(6), a.calendarNamePassive.codec.encode(name));
  await client.set(ref(7), a.seasonProfilePassive.codec.encode(cal.seasons));
  await client.set(ref(8), a.weekProfileTablePassive.codec.encode(cal.weeks));
  await client.set(ref(9), a.dayProfileTablePassive.codec.encode(cal.days));
}

/**
 * Activates the passive calendar: now (ACTION activate_passive_calendar) or, with `at`, at that instant
 * (attribute 10 activate_passive_calendar_time, local time at `deviation`).
 */
export async function activatePassiveCalendar(
  client: OperationsClient,
  options: { at?: Date; deviation?: number } = {},
): Promise<void> {
  if (options.at) {
    const v = ACTIVITY_CALENDAR_CLASS.attributes.activatePassiveCalendarTime.codec.encode(
      cosemDateTimeFromDate(options.at, options.deviation ?? -330),
    );
    await client.set({ classId: 20, obis: OPERATION_OBJECTS.activityCalendar, attribute: 10 }, v);
    return;
  }
  await client.action({ classId: 20, obis: OPERATION_OBJECTS.activityCalendar, method: 1 }, int0);
}

/** The active calendar's name (attribute 2). */
export async function readActiveCalendarName(client: OperationsClient): Promise<Uint8Array> {
  const d = await client.get({ classId: 20, obis: OPERATION_OBJECTS.activityCalendar, attribute: 2 });
  return ACTIVITY_CALENDAR_CLASS.attributes.calendarNameActive.codec.decode(d);
}

// ---------------------------------------------------------------------------------------------------------
// Secrets and keys

function sapInstance(sap: number): number {
  const x = INSTANCE[sap];
  if (x === undefined)
    throw new DlmsError('INVALID_ARGUMENT', `client SAP must be 32, 48, 64 or 80, got ${sap}`);
  return x;
}

/** LLS secret change: writes the Meter Reader's (or another LLS association's) password, attribute 7. */
export async function changeLlsSecret(
  client: OperationsClient,
  secret: Uint8Array | string,
  sap = 32,
): Promise<void> {
  const value = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (value.length === 0) throw new DlmsError('INVALID_ARGUMENT', 'secret must not be empty');
  await client.set(
    { classId: 15, obis: `0.0.40.0.${sapInstance(sap)}.255`, attribute: 7 },
    { type: 'octet-string', value },
  );
}

/** HLS secret change: change_HLS_secret (method 2) of the association of `sap` (48 or 80). */
export async function changeHlsSecret(
  client: OperationsClient,
  sap: 48 | 80,
  secret: Uint8Array,
): Promise<void> {
  if (!(secret instanceof Uint8Array) || secret.length === 0) {
    throw new DlmsError('INVALID_ARGUMENT', 'secret must be non-empty bytes');
  }
  await client.action(
    { classId: 15, obis: `0.0.40.0.${sapInstance(sap)}.255`, method: 2 },
    { type: 'octet-string', value: secret },
  );
}

/**
 * Global key change: `global_key_transfer` (method 2) on the Security setup of `sap`, each key wrapped
 * with the master key (KEK) per RFC 3394. The meter uses the new keys from the next association.
 */
export async function changeGlobalKeys(
  client: OperationsClient,
  options: { sap: 32 | 48 | 64 | 80; masterKey: Uint8Array; guek?: Uint8Array; gak?: Uint8Array },
): Promise<void> {
  const keys: { keyId: 0 | 2; key: Uint8Array }[] = [];
  if (options.guek) keys.push({ keyId: 0, key: options.guek });
  if (options.gak) keys.push({ keyId: 2, key: options.gak });
  if (keys.length === 0) throw new DlmsError('INVALID_ARGUMENT', 'give guek and/or gak');
  const param = decodeData(buildGlobalKeyTransfer(options.masterKey, keys));
  await client.action({ classId: 64, obis: `0.0.43.0.${sapInstance(options.sap)}.255`, method: 2 }, param);
}
