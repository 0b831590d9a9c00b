/**
 * IS 15959 event codes (the `event code` column of the event-log profiles 0.0.99.98.0–6.255) → IEC 61968-9
 * EndDeviceEventType codes, as data. The same table, with names, is in `docs/cim-event-mapping.md`.
 *
 * Each row says how firm its CIM code is:
 * - `verified`: the exact 4-part code is one the project reference (`iec61968.md` §0, §5.3) confirms for this
 *   meaning (e.g. 3.26.0.85 power failure, 3.26.0.216 restored, 3.12.29.212 cover removed);
 * - `composed`: built from 61968-9 enumeration values (type 3 ElectricMeter, a domain, a sub-domain and an
 *   event-or-action) that fit the meaning, but the combination is not confirmed to be listed in 61968-9 Annex E;
 * - `none`: no standard code fits (`cim` is null). Send such events with a utility-agreed code and the IS 15959
 *   code in `EndDeviceEventDetails`.
 *
 * Whatever the basis, carry the IS 15959 code itself in `EndDeviceEventDetails` (name `IS15959.eventCode`) so
 * that nothing is lost when several IS 15959 codes share a CIM code (e.g. the three phases' voltage loss).
 *
 * @module
 */
import { CimError } from '../errors.ts';

/** The seven IS 15959 event logs (profile generic objects), in log order. */
export const IS15959_EVENT_LOGS = [
  { log: 'voltage', index: 0, profile: '0.0.99.98.0.255', latestEventCode: '0.0.96.11.0.255' },
  { log: 'current', index: 1, profile: '0.0.99.98.1.255', latestEventCode: '0.0.96.11.1.255' },
  { log: 'power', index: 2, profile: '0.0.99.98.2.255', latestEventCode: '0.0.96.11.2.255' },
  { log: 'transaction', index: 3, profile: '0.0.99.98.3.255', latestEventCode: '0.0.96.11.3.255' },
  { log: 'other', index: 4, profile: '0.0.99.98.4.255', latestEventCode: '0.0.96.11.4.255' },
  { log: 'nonRollover', index: 5, profile: '0.0.99.98.5.255', latestEventCode: '0.0.96.11.5.255' },
  { log: 'control', index: 6, profile: '0.0.99.98.6.255', latestEventCode: '0.0.96.11.6.255' },
] as const;
export type Is15959EventLog = (typeof IS15959_EVENT_LOGS)[number]['log'];

/** How firm a row's CIM code is (see the module comment). */
export type MappingBasis = 'verified' | 'composed' | 'none';

/** One IS 15959 event code and its 61968-9 EndDeviceEventType. */
export interface Is15959EventMapping {
  /** The IS 15959 event code. */
  readonly code: number;
  /** The IS 15959 event name (occurrence / restoration spelled out). */
  readonly name: string;
  readonly log: Is15959EventLog;
  /** `occurrence` / `restoration` for paired codes, `single` for one-shot events. */
  readonly edge: 'occurrence' | 'restoration' | 'single';
  /** The EndDeviceEventType mRID, or null when no standard code fits. */
  readonly cim: string | null;
  readonly basis: MappingBasis;
  /** Suggested EndDeviceEventDetails (besides `IS15959.eventCode`), e.g. the phase. */
  readonly details?: Readonly<Record<string, string>>;
  /** Why the row is as it is. */
  readonly notes?: string;
  /** True when the IS 15959 code itself is only observed in deployments, not confirmed in the standard's text. */
  readonly observedOnly?: boolean;
}

type Row = Is15959EventMapping;
const V = 'verified' as const;
const C = 'composed' as const;
const N = 'none' as const;

const RESTORED_NOTE =
  'Restoration: eventOrAction 216 Restored in the same domain and sub-domain (61968-9 may list a more specific code).';

function pair(
  code: number,
  name: string,
  log: Is15959EventLog,
  occ: [string | null, MappingBasis],
  rest: [string | null, MappingBasis],
  extra: Partial<Pick<Row, 'details' | 'notes' | 'observedOnly'>> = {},
): Row[] {
  return [
    { code, name: `${name} — occurrence`, log, edge: 'occurrence', cim: occ[0], basis: occ[1], ...extra },
    {
      code: code + 1,
      name: `${name} — restoration`,
      log,
      edge: 'restoration',
      cim: rest[0],
      basis: rest[1],
      ...extra,
      ...(rest[1] === 'composed' ? { notes: RESTORED_NOTE } : {}),
    },
  ];
}

/** Every IS 15959 event code of the reference (`is15959.md`), in code order. */
export const IS15959_EVENTS: readonly Is15959EventMapping[] = /* @__PURE__ */ Object.freeze([
  // Voltage log (0)
  ...pair(1, 'R-phase voltage missing', 'voltage', ['3.26.38.47', C], ['3.26.38.216', C], {
    details: { phase: 'R' },
    notes:
      'Power.Voltage.LossDetected; the phase goes in the details (a per-phase sub-domain is confirmed only for phase A).',
  }),
  ...pair(3, 'Y-phase voltage missing', 'voltage', ['3.26.38.47', C], ['3.26.38.216', C], {
    details: { phase: 'Y' },
  }),
  ...pair(5, 'B-phase voltage missing', 'voltage', ['3.26.38.47', C], ['3.26.38.216', C], {
    details: { phase: 'B' },
  }),
  ...pair(7, 'Over-voltage', 'voltage', ['3.26.38.93', C], ['3.26.38.216', C], {
    notes: 'Power.Voltage.MaxLimitReached (a sustained over-voltage, not a swell).',
  }),
  ...pair(9, 'Low voltage', 'voltage', ['3.26.38.150', C], ['3.26.38.216', C], {
    notes: 'Power.Voltage.MinLimitReached (a sustained under-voltage, not a sag).',
  }),
  ...pair(11, 'Voltage unbalance', 'voltage', [null, N], [null, N], {
    notes: 'No event-or-action for imbalance in the tables at hand.',
  }),
  // Current log (1)
  ...pair(51, 'R-phase current reverse', 'current', [null, N], [null, N], {
    details: { phase: 'R' },
    notes: 'Reverse current is an IS 15959 tamper condition without a 61968-9 code in the tables at hand.',
  }),
  ...pair(53, 'Y-phase current reverse', 'current', [null, N], [null, N], { details: { phase: 'Y' } }),
  ...pair(55, 'B-phase current reverse', 'current', [null, N], [null, N], { details: { phase: 'B' } }),
  ...pair(57, 'R-phase CT open', 'current', ['3.26.6.47', C], ['3.26.6.216', C], {
    details: { phase: 'R' },
    notes: 'Power.Current.LossDetected.',
  }),
  ...pair(59, 'Y-phase CT open', 'current', ['3.26.6.47', C], ['3.26.6.216', C], { details: { phase: 'Y' } }),
  ...pair(61, 'B-phase CT open', 'current', ['3.26.6.47', C], ['3.26.6.216', C], { details: { phase: 'B' } }),
  ...pair(63, 'Current unbalance', 'current', [null, N], [null, N]),
  ...pair(65, 'CT bypass', 'current', [null, N], [null, N], {
    notes: 'A tamper condition; no specific code.',
  }),
  ...pair(67, 'Over-current', 'current', ['3.26.6.93', C], ['3.26.6.216', C], {
    notes: 'Power.Current.MaxLimitReached.',
  }),
  ...pair(69, 'Earth loading', 'current', [null, N], [null, N], { observedOnly: true }),
  ...pair(83, 'High neutral current', 'current', ['3.26.137.93', C], ['3.26.137.216', C], {
    observedOnly: true,
    notes: 'Power.NeutralCurrent.MaxLimitReached.',
  }),
  // Power log (2)
  ...pair(101, 'Power failure', 'power', ['3.26.0.85', V], ['3.26.0.216', V], {
    notes: 'Power.Failed / Power.Restored (reference §0; 3.26.0.185 is not confirmed and not used).',
  }),
  // Transaction log (3)
  {
    code: 151,
    name: 'Real-time clock set',
    log: 'transaction',
    edge: 'single',
    cim: '3.36.114.24',
    basis: C,
    notes: 'Clock.Time.Changed.',
  },
  {
    code: 152,
    name: 'Demand integration period changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.8.0.24',
    basis: C,
    notes: 'Demand.Changed.',
  },
  {
    code: 153,
    name: 'Profile capture period changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.16.0.24',
    basis: C,
    notes: 'LoadProfile.Changed.',
  },
  {
    code: 154,
    name: 'Single-action schedule for billing dates changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.20.0.24',
    basis: C,
    notes: 'Billing.Changed.',
  },
  {
    code: 155,
    name: 'Activity calendar for time zones changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.20.9.24',
    basis: C,
    notes: 'Billing.Pricing.Changed (the TOD tariff calendar).',
  },
  {
    code: 157,
    name: 'New firmware activated',
    log: 'transaction',
    edge: 'single',
    cim: '3.11.0.24',
    basis: C,
    notes: 'Firmware.Changed.',
  },
  {
    code: 158,
    name: 'Load limit (kW) set',
    log: 'transaction',
    edge: 'single',
    cim: '3.15.261.24',
    basis: C,
    notes: 'LoadControl.Threshold.Changed.',
  },
  {
    code: 159,
    name: 'Load limit function enabled',
    log: 'transaction',
    edge: 'single',
    cim: '3.15.261.26',
    basis: C,
    notes: 'LoadControl.Threshold.Enable (an action code used as the event).',
  },
  {
    code: 160,
    name: 'Load limit function disabled',
    log: 'transaction',
    edge: 'single',
    cim: '3.15.261.22',
    basis: C,
    notes: 'LoadControl.Threshold.Disable (an action code used as the event).',
  },
  {
    code: 161,
    name: 'LLS secret (MR) changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.12.1.24',
    basis: C,
    notes: 'Security.Access.Changed.',
  },
  {
    code: 162,
    name: 'HLS key (US) changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.12.0.24',
    basis: C,
    notes: 'Security.Changed; the association goes in the details.',
    details: { association: 'US' },
  },
  {
    code: 163,
    name: 'HLS key (FW) changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.12.0.24',
    basis: C,
    details: { association: 'FW' },
  },
  {
    code: 164,
    name: 'Global key changed (encryption or authentication)',
    log: 'transaction',
    edge: 'single',
    cim: '3.12.0.24',
    basis: C,
  },
  {
    code: 165,
    name: 'ESWF changed',
    log: 'transaction',
    edge: 'single',
    cim: '3.7.0.24',
    basis: C,
    notes: 'Configuration.Changed.',
  },
  {
    code: 166,
    name: 'MD reset',
    log: 'transaction',
    edge: 'single',
    cim: '3.8.0.215',
    basis: C,
    notes:
      'Demand.ResetOccurred (the control 0.8.0.214 demand reset is verified; the event form is composed).',
  },
  // Other log (4)
  ...pair(
    201,
    'Influence of permanent magnet or AC/DC electromagnet',
    'other',
    ['3.12.0.257', C],
    ['3.12.0.216', C],
    {
      notes: 'Security.TamperDetected; the kind of tamper goes in the details.',
      details: { tamper: 'magnet' },
    },
  ),
  ...pair(
    203,
    'Neutral disturbance (HF, DC or alternate method)',
    'other',
    ['3.12.0.257', C],
    ['3.12.0.216', C],
    {
      details: { tamper: 'neutralDisturbance' },
    },
  ),
  ...pair(205, 'Very low PF', 'other', [null, N], [null, N]),
  ...pair(207, 'Neutral missing', 'other', ['3.26.137.47', C], ['3.26.137.216', C], {
    notes: 'Power.NeutralCurrent.LossDetected.',
  }),
  ...pair(209, 'Plug-in communication module removal', 'other', ['3.1.0.212', C], ['3.1.0.216', C], {
    notes: 'Communication.Removed.',
  }),
  {
    code: 211,
    name: 'Configuration change to post-paid mode',
    log: 'other',
    edge: 'single',
    cim: '3.20.0.24',
    basis: C,
    notes: 'Billing.Changed; the mode goes in the details.',
    details: { paymentMode: 'postpaid' },
  },
  {
    code: 212,
    name: 'Configuration change to pre-paid mode',
    log: 'other',
    edge: 'single',
    cim: '3.20.0.24',
    basis: C,
    details: { paymentMode: 'prepaid' },
  },
  {
    code: 213,
    name: 'Configuration change to forwarded-only metering mode',
    log: 'other',
    edge: 'single',
    cim: '3.21.0.24',
    basis: C,
    notes: 'Metrology.Changed; the mode goes in the details.',
    details: { meteringMode: 'forwardedOnly' },
  },
  {
    code: 214,
    name: 'Configuration change to import-and-export metering mode',
    log: 'other',
    edge: 'single',
    cim: '3.21.0.24',
    basis: C,
    details: { meteringMode: 'importExport' },
  },
  ...pair(215, 'Overload', 'other', ['3.8.0.177', V], ['3.8.0.216', C], {
    notes:
      '3.8.0.177 is the demand-overload code of the Aclara example (reference §5.3); its event-or-action name is not in our tables.',
  }),
  // Non-rollover log (5)
  {
    code: 251,
    name: 'Meter cover opened',
    log: 'nonRollover',
    edge: 'single',
    cim: '3.12.29.212',
    basis: V,
    notes: 'Security.Cover.Removed.',
  },
  // Control log (6)
  {
    code: 301,
    name: 'Load switch disconnected',
    log: 'control',
    edge: 'single',
    cim: '3.31.0.68',
    basis: C,
    notes: 'RCDSwitch.Disconnected (the control 3.31.0.23 Disconnect is verified).',
  },
  {
    code: 302,
    name: 'Load switch connected',
    log: 'control',
    edge: 'single',
    cim: '3.31.0.42',
    basis: C,
    notes: 'RCDSwitch.Connected (the control 3.31.0.18 Connect is verified).',
  },
]);

/** Looks an IS 15959 event code up. Throws `CimError` `UNKNOWN_CODE` (path `['eventCode']`) when it is not in the table. */
export function is15959EventToCim(code: number): Is15959EventMapping {
  for (const row of IS15959_EVENTS) if (row.code === code) return row;
  throw new CimError('UNKNOWN_CODE', `IS 15959 event code ${code} is not in the mapping table`, {
    path: ['eventCode'],
  });
}

/** The IS 15959 event codes that map to a given EndDeviceEventType mRID (the reverse direction). */
export function cimToIs15959Events(mrid: string): readonly Is15959EventMapping[] {
  return IS15959_EVENTS.filter((row) => row.cim === mrid);
}

const LOG_TITLE: Readonly<Record<Is15959EventLog, string>> = {
  voltage: 'Voltage (0)',
  current: 'Current (1)',
  power: 'Power (2)',
  transaction: 'Transaction (3)',
  other: 'Other (4)',
  nonRollover: 'Non-rollover (5)',
  control: 'Control (6)',
};

/**
 * The mapping table as Markdown (the table of `docs/cim-event-mapping.md`). `describe` names a CIM code, e.g.
 * `describeEndDeviceEventType` from `./codes`, passed in so this module does not need it.
 */
export function is15959EventTableMarkdown(
  describe: (mrid: string) => { name: string; text: string },
): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = [
    '| IS 15959 code | IS 15959 event | Log | CIM EndDeviceEventType | CIM name | Basis | Notes |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of IS15959_EVENTS) {
    const cim = r.cim === null ? '—' : `\`${r.cim}\``;
    const name = r.cim === null ? '**no standard code**' : `${describe(r.cim).name}`;
    const details = r.details
      ? ` Details: ${Object.entries(r.details)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}.`
      : '';
    const observed = r.observedOnly
      ? ' (IS 15959 code observed in deployments, not confirmed in the standard.)'
      : '';
    rows.push(
      `| ${r.code} | ${esc(r.name)} | ${LOG_TITLE[r.log]} | ${cim} | ${esc(name)} | ${r.basis} | ${esc(`${r.notes ?? ''}${details}${observed}`.trim())} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}
