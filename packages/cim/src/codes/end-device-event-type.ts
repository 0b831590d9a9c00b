/**
 * IEC 61968-9 EndDeviceEventType and EndDeviceControlType codes: `type.domain.subDomain.eventOrAction` (Annex E
 * for events, Annex F for controls; the same four enumerations serve both).
 *
 * ```text
 * 3.26.0.85    ElectricMeter . Power . NA . Failed         (power failure)
 * 3.26.0.216   ElectricMeter . Power . NA . Restored       (power restored)
 * 3.31.0.23    ElectricMeter . RCDSwitch . NA . Disconnect (control: open the remote switch)
 * ```
 *
 * Tables: the reference (`shared/reference/iec61968.md` §5.3, which cites Connexo's EndDeviceType, EndDeviceDomain,
 * EndDeviceSubDomain and EndDeviceEventOrAction). EndDeviceType and EndDeviceDomain are complete as listed there;
 * the sub-domain (about 290 values in the standard) and event-or-action lists are the selected values the reference
 * gives, plus the few that its verified example codes pin down (marked). Any other value is kept and flagged as
 * unknown by {@link describeEndDeviceEventType}: the tables are partial, not the codes.
 *
 * @module
 */
import { CimError } from '../errors.ts';
import { type CodeTable, codeTable } from './code-table.ts';
import { checkField, parseDotted } from './dotted.ts';
import type { Known } from './reading-type.ts';

/** Field 1, `type`: the kind of device the event comes from or the control goes to. 0 = unknown / not applicable. */
export const EndDeviceType = {
  NA: 0,
  DAP: 1,
  DER: 2,
  ElectricMeter: 3,
  GasMeter: 4,
  Gateway: 5,
  DSP: 6,
  PANGateway: 7,
  Transformer: 8,
  Collector: 10,
  NetworkRouter: 11,
  PANDevice: 12,
  Feeder: 13,
  Generator: 14,
  IHD: 15,
  LoadControlDevice: 16,
  PANMeter: 17,
  PrepaymentTerminal: 18,
  PCT: 19,
  RangeExtender: 20,
  Regulator: 21,
  Substation: 22,
  EnergyRouter: 23,
  WaterMeter: 24,
  WasteWaterMeter: 25,
  ComDevice: 26,
  EV: 58,
} as const;
export type EndDeviceTypeName = keyof typeof EndDeviceType;
export type EndDeviceTypeCode = (typeof EndDeviceType)[EndDeviceTypeName];
export const endDeviceTypeTable: CodeTable<EndDeviceTypeName> = /* @__PURE__ */ codeTable(
  'type',
  EndDeviceType,
  {
    NA: '',
    DAP: 'DAP',
    DER: 'DER',
    DSP: 'DSP',
    PANGateway: 'PAN gateway',
    PANDevice: 'PAN device',
    IHD: 'in-home display',
    PANMeter: 'PAN meter',
    PCT: 'PCT',
    EV: 'EV',
  },
);

/** Field 2, `domain`: the high-level nature of the event or control. Values 51–54 are Connexo-only and omitted. */
export const EndDeviceDomain = {
  NA: 0,
  Communication: 1,
  Battery: 2,
  Cartridge: 3,
  GasSupply: 4,
  WaterSupply: 5,
  Installation: 6,
  Configuration: 7,
  Demand: 8,
  ModuleFirmware: 9,
  Pairing: 10,
  Firmware: 11,
  Security: 12,
  VideoDisplay: 13,
  MobileSecurity: 14,
  LoadControl: 15,
  LoadProfile: 16,
  Logs: 17,
  Memory: 18,
  Modem: 19,
  Billing: 20,
  Metrology: 21,
  Network: 23,
  Power: 26,
  Pressure: 29,
  RCDSwitch: 31,
  Temperature: 35,
  Clock: 36,
  Watchdog: 37,
  KYZPulseCounter: 38,
  AssociatedDevice: 39,
  Volume: 40,
  Recoder: 41,
} as const;
export type EndDeviceDomainName = keyof typeof EndDeviceDomain;
export type EndDeviceDomainCode = (typeof EndDeviceDomain)[EndDeviceDomainName];
export const endDeviceDomainTable: CodeTable<EndDeviceDomainName> = /* @__PURE__ */ codeTable(
  'domain',
  EndDeviceDomain,
  { NA: '', RCDSwitch: 'remote connect/disconnect switch', KYZPulseCounter: 'KYZ pulse counter' },
);

/**
 * Field 3, `subDomain`: a further classification within the domain. Partial (see the module comment): 22, 131 are
 * pinned by verified example codes (3.2.22.150 low battery, 3.20.22.13 update credit; 3.26.131.223/248 phase-A
 * sag/swell) and named accordingly.
 */
export const EndDeviceSubdomain = {
  NA: 0,
  Access: 1,
  Current: 6,
  AutoTime: 7,
  Pricing: 9,
  Charge: 22, // from 3.2.22.150 (low battery) and 3.20.22.13 (update credit amount)
  Phase: 25,
  PowerQuality: 28,
  Cover: 29,
  Voltage: 38,
  HeadEndSystem: 52,
  LastRead: 62,
  Relay: 91,
  Time: 114,
  PhaseAVoltage: 131, // from 3.26.131.223 / .248 (phase-A sag / swell started)
  NeutralCurrent: 137,
  Threshold: 261,
} as const;
export type EndDeviceSubdomainName = keyof typeof EndDeviceSubdomain;
export type EndDeviceSubdomainCode = (typeof EndDeviceSubdomain)[EndDeviceSubdomainName];
export const endDeviceSubdomainTable: CodeTable<EndDeviceSubdomainName> = /* @__PURE__ */ codeTable(
  'subDomain',
  EndDeviceSubdomain,
  { NA: '', PhaseAVoltage: 'phase A voltage' },
);

/**
 * Field 4, `eventOrAction`: what happened (events) or what to do (controls). Partial (see the module comment): 29
 * Established and 50 Registered are pinned by the verified codes 3.1.52.29 and 3.21.62.50.
 */
export const EndDeviceEventOrAction = {
  NA: 0,
  Aborted: 1,
  ArmForClosure: 5,
  ArmForOpen: 6,
  Cancel: 8,
  Change: 13,
  Closed: 16,
  Connect: 18,
  Disable: 22,
  Disconnect: 23,
  Changed: 24,
  Enable: 26,
  Established: 29, // from 3.1.52.29 (Communication.HeadEndSystem.Established)
  Execute: 30,
  Opened: 39,
  Connected: 42,
  LossDetected: 47,
  ReEstablished: 49,
  Registered: 50, // from 3.21.62.50 (Metrology.LastRead.Registered)
  Start: 54,
  Stop: 55,
  Succeeded: 58,
  ConnectFailed: 67,
  Disconnected: 68,
  Error: 79,
  DisconnectFailed: 84,
  Failed: 85,
  MaxLimitReached: 93,
  Exceeded: 139,
  MinLimitReached: 150,
  Removed: 212,
  Reset: 214,
  ResetOccurred: 215,
  Restored: 216,
  SagStarted: 223,
  SwellStarted: 248,
  TamperDetected: 257,
  Open: 298,
  Close: 299,
} as const;
export type EndDeviceEventOrActionName = keyof typeof EndDeviceEventOrAction;
export type EndDeviceEventOrActionCode = (typeof EndDeviceEventOrAction)[EndDeviceEventOrActionName];
export const endDeviceEventOrActionTable: CodeTable<EndDeviceEventOrActionName> = /* @__PURE__ */ codeTable(
  'eventOrAction',
  EndDeviceEventOrAction,
  { NA: '', ReEstablished: 're-established' },
);

/** A decoded EndDeviceEventType or EndDeviceControlType code. */
export interface EndDeviceCode {
  readonly type: Known<EndDeviceTypeCode>;
  readonly domain: Known<EndDeviceDomainCode>;
  readonly subDomain: Known<EndDeviceSubdomainCode>;
  readonly eventOrAction: Known<EndDeviceEventOrActionCode>;
}
/** An EndDeviceEventType code. */
export type EndDeviceEventType = EndDeviceCode;
/** An EndDeviceControlType code (same structure; `eventOrAction` is the action). */
export type EndDeviceControlType = EndDeviceCode;

export const END_DEVICE_CODE_FIELDS = ['type', 'domain', 'subDomain', 'eventOrAction'] as const;
export type EndDeviceCodeField = (typeof END_DEVICE_CODE_FIELDS)[number];

function parseCode(mrid: string, what: string): EndDeviceCode {
  const f = parseDotted(mrid, END_DEVICE_CODE_FIELDS, what);
  return { type: f[0]!, domain: f[1]!, subDomain: f[2]!, eventOrAction: f[3]! };
}

function formatCode(c: EndDeviceCode, what: string): string {
  if (typeof c !== 'object' || c === null)
    throw new CimError('INVALID_ARGUMENT', `${what}: expected an object`);
  return `${checkField(what, 'type', c.type)}.${checkField(what, 'domain', c.domain)}.${checkField(what, 'subDomain', c.subDomain)}.${checkField(what, 'eventOrAction', c.eventOrAction)}`;
}

/** Parses `type.domain.subDomain.eventOrAction`. Errors as for ReadingType (`INVALID_VALUE`, path `[index]`). */
export function parseEndDeviceEventType(mrid: string): EndDeviceEventType {
  return parseCode(mrid, 'EndDeviceEventType');
}
export function formatEndDeviceEventType(code: EndDeviceEventType): string {
  return formatCode(code, 'EndDeviceEventType');
}
/** Parses an EndDeviceControlType code (same grammar as the event type). */
export function parseEndDeviceControlType(mrid: string): EndDeviceControlType {
  return parseCode(mrid, 'EndDeviceControlType');
}
export function formatEndDeviceControlType(code: EndDeviceControlType): string {
  return formatCode(code, 'EndDeviceControlType');
}

/** One field of an {@link EndDeviceCodeDescription}. */
export interface EndDeviceCodeFieldDescription {
  readonly field: EndDeviceCodeField;
  readonly value: number;
  readonly name?: string;
  readonly known: boolean;
  readonly meaning: string;
}

/** The structured and human description of an EndDeviceEventType / EndDeviceControlType code. */
export interface EndDeviceCodeDescription {
  readonly mRID: string;
  readonly code: EndDeviceCode;
  /** The dotted names, e.g. `ElectricMeter.Power.NA.Failed` (unknown values appear as their number). */
  readonly name: string;
  /** A phrase, e.g. `Electric meter: power failed`. */
  readonly text: string;
  readonly fields: readonly EndDeviceCodeFieldDescription[];
  readonly unknown: readonly EndDeviceCodeField[];
}

const TABLES = [
  endDeviceTypeTable,
  endDeviceDomainTable,
  endDeviceSubdomainTable,
  endDeviceEventOrActionTable,
];

/** Describes an EndDeviceEventType (or control type) code or mRID. Unknown values are kept and flagged. */
export function describeEndDeviceEventType(input: EndDeviceCode | string): EndDeviceCodeDescription {
  const code = typeof input === 'string' ? parseEndDeviceEventType(input) : input;
  const mRID = formatEndDeviceEventType(code);
  const values = [code.type, code.domain, code.subDomain, code.eventOrAction] as number[];
  const fields: EndDeviceCodeFieldDescription[] = [];
  const unknown: EndDeviceCodeField[] = [];
  const names: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < 4; i++) {
    const field = END_DEVICE_CODE_FIELDS[i]!;
    const e = TABLES[i]!.entry(values[i]!);
    if (e) {
      fields.push({
        field,
        value: values[i]!,
        name: e.name,
        known: true,
        meaning: e.label || 'not applicable',
      });
      names.push(e.name);
      words.push(e.label);
    } else {
      const meaning = `unknown ${field} code ${values[i]}`;
      fields.push({ field, value: values[i]!, known: false, meaning });
      unknown.push(field);
      names.push(String(values[i]));
      words.push(meaning);
    }
  }
  const who = words[0] ? words[0][0]!.toUpperCase() + words[0].slice(1) : 'End device';
  const what = [words[1], words[2], words[3]].filter((w) => w !== '').join(' ');
  return { mRID, code, name: names.join('.'), text: what === '' ? who : `${who}: ${what}`, fields, unknown };
}

/** Same as {@link describeEndDeviceEventType}, for control codes. */
export const describeEndDeviceControlType: (input: EndDeviceCode | string) => EndDeviceCodeDescription =
  describeEndDeviceEventType;
