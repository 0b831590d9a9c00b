/**
 * IS 15959 event codes (the seven event logs 0.0.99.98.0–6.255), their pairing into episodes, and the
 * event status word (ESW, 0.0.94.91.18.255) with its filter (ESWF, 0.0.94.91.26.255).
 *
 * | log | codes |
 * |---|---|
 * | 0 voltage | 1/2 R, 3/4 Y, 5/6 B phase voltage missing (occurrence/restoration); 7/8 over-voltage; 9/10 low voltage; 11/12 voltage unbalance |
 * | 1 current | 51–56 R/Y/B current reverse; 57–62 R/Y/B CT open; 63/64 current unbalance; 65/66 CT bypass; 67/68 over-current; [O] 69/70 earth loading; [O] 83/84 high neutral current |
 * | 2 power | 101/102 power failure |
 * | 3 transaction | 151 RTC set; 152 demand integration period; 153 profile capture period; 154 billing-date schedule; 155 activity calendar; 157 new firmware activated; 158 load limit set; 159/160 load limit enabled/disabled; 161 MR (LLS) secret change; 162 US (HLS) key change; 163 FW (HLS) key change; 164 global key change; 165 ESWF change; 166 MD reset |
 * | 4 other | 201/202 magnet; 203/204 neutral disturbance; 205/206 very low PF; 207/208 neutral missing; 209/210 plug-in communication module removal; 211 postpaid; 212 prepaid; 213 forwarded-only; 214 import-export mode; 215/216 overload |
 * | 5 non-rollover | 251 meter cover opened |
 * | 6 control | 301 load switch disconnected; 302 connected |
 *
 * Pairs: an odd code of a pair is the occurrence, the next even code the restoration. 159/160 (load limit
 * enabled/disabled) are two settings, not an occurrence and its end, so they stay single events; 301/302
 * (disconnected/connected) pair as an outage of supply: a "disconnected" episode ends at "connected".
 *
 * ESW: a bit-string of 128 bits, **bit 0 = the most significant bit of the first byte** [C]. Bits not in
 * the table are vendor or utility extensions [O] and decode as `bit<N>`.
 *
 * @module
 */
import { bitStringGet } from '../axdr/bitstring.ts';
import type { BitString } from '../axdr/types.ts';
import type { EventLogId } from './catalogue.ts';

export interface EventCodeInfo {
  readonly code: number;
  readonly name: string;
  readonly log: EventLogId;
  /** `occurrence` and `restoration` pair into an episode; `single` events stand alone. */
  readonly kind: 'occurrence' | 'restoration' | 'single';
  /** The code this one pairs with (the restoration of an occurrence, or the other way round). */
  readonly pair: number | undefined;
  /** The reference marks all codes [C] except earth loading and high neutral current [O]. */
  readonly mark: 'C' | 'O';
}

type Spec = readonly [code: number, name: string, paired: boolean, mark?: 'O'];

const TABLE: Readonly<Record<EventLogId, readonly Spec[]>> = {
  voltageEvents: [
    [1, 'R-phase voltage missing', true],
    [3, 'Y-phase voltage missing', true],
    [5, 'B-phase voltage missing', true],
    [7, 'Over voltage', true],
    [9, 'Low voltage', true],
    [11, 'Voltage unbalance', true],
  ],
  currentEvents: [
    [51, 'R-phase current reverse', true],
    [53, 'Y-phase current reverse', true],
    [55, 'B-phase current reverse', true],
    [57, 'R-phase CT open', true],
    [59, 'Y-phase CT open', true],
    [61, 'B-phase CT open', true],
    [63, 'Current unbalance', true],
    [65, 'CT bypass', true],
    [67, 'Over current', true],
    [69, 'Earth loading', true, 'O'],
    [83, 'High neutral current', true, 'O'],
  ],
  powerEvents: [[101, 'Power failure', true]],
  transactionEvents: [
    [151, 'Real time clock set', false],
    [152, 'Demand integration period set', false],
    [153, 'Profile capture period set', false],
    [154, 'Billing date schedule set', false],
    [155, 'Activity calendar set', false],
    [157, 'New firmware activated', false],
    [158, 'Load limit set', false],
    [159, 'Load limit function enabled', false],
    [160, 'Load limit function disabled', false],
    [161, 'Meter reader (LLS) secret changed', false],
    [162, 'Utility settings (HLS) key changed', false],
    [163, 'Firmware upgrade (HLS) key changed', false],
    [164, 'Global key changed', false],
    [165, 'ESWF changed', false],
    [166, 'MD reset', false],
  ],
  otherEvents: [
    [201, 'Magnet influence', true],
    [203, 'Neutral disturbance', true],
    [205, 'Very low power factor', true],
    [207, 'Neutral missing', true],
    [209, 'Plug-in communication module removal', true],
    [211, 'Configuration changed to postpaid mode', false],
    [212, 'Configuration changed to prepaid mode', false],
    [213, 'Configuration changed to forwarded-only mode', false],
    [214, 'Configuration changed to import-export mode', false],
    [215, 'Overload', true],
  ],
  nonRolloverEvents: [[251, 'Meter cover opened', false]],
  controlEvents: [[301, 'Load switch disconnected', true]],
};

/** Every event code of the table, by code (frozen). */
export const EVENT_CODES: ReadonlyMap<number, EventCodeInfo> = /* @__PURE__ */ (() => {
  const m = new Map<number, EventCodeInfo>();
  for (const [log, specs] of Object.entries(TABLE) as [EventLogId, readonly Spec[]][]) {
    for (const [code, name, paired, mark] of specs) {
      if (!paired) {
        m.set(code, Object.freeze({ code, name, log, kind: 'single', pair: undefined, mark: mark ?? 'C' }));
        continue;
      }
      const endName = log === 'controlEvents' ? 'Load switch connected' : `${name} restored`;
      const occ = `${name}${log === 'controlEvents' ? '' : ' (occurrence)'}`;
      m.set(
        code,
        Object.freeze({ code, name: occ, log, kind: 'occurrence', pair: code + 1, mark: mark ?? 'C' }),
      );
      m.set(
        code + 1,
        Object.freeze({
          code: code + 1,
          name: endName,
          log,
          kind: 'restoration',
          pair: code,
          mark: mark ?? 'C',
        }),
      );
    }
  }
  return m;
})();

/** The table entry of a code, or undefined when it is not in the IS 15959 table. */
export function eventCodeInfo(code: number): EventCodeInfo | undefined {
  return EVENT_CODES.get(code);
}

/** The event log a code belongs to, or undefined. */
export function eventLogOf(code: number): EventLogId | undefined {
  return EVENT_CODES.get(code)?.log;
}

/** One logged event, as {@link pairEpisodes} takes it. */
export interface EventRecord {
  /** ISO date-time of the event, or undefined when the meter's clock column was not an instant. */
  readonly timestamp: string | undefined;
  readonly code: number;
}

/** An occurrence and its restoration. */
export interface EventEpisode {
  /** The occurrence code (odd member of the pair). */
  readonly code: number;
  readonly name: string;
  readonly log: EventLogId;
  /** Start (ISO) or undefined when the log holds the restoration only (the occurrence rolled out). */
  readonly start: string | undefined;
  /** End (ISO) or undefined while the condition persists (no restoration logged yet). */
  readonly end: string | undefined;
  /** Seconds between start and end, when both are known. */
  readonly durationSeconds: number | undefined;
}

/** A single (unpaired) event and events whose code is not in the table. */
export interface PairingResult {
  readonly episodes: EventEpisode[];
  /** Events of `single` kind (transactions, mode changes, cover open …). */
  readonly singles: (EventRecord & { readonly name: string; readonly log: EventLogId })[];
  /** Codes not in the IS 15959 table, kept as they came. */
  readonly unknown: EventRecord[];
}

const ms = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * Pairs occurrences with their restorations into episodes. Events are taken in time order (stable for
 * equal or unknown times, which keep their log order). A restoration closes the oldest open occurrence
 * of its pair; a second occurrence while one is open opens another episode (meters log repeats); a
 * restoration with nothing open is an episode without a start; occurrences never restored are episodes
 * without an end. Episodes are ordered by start (those without a start first, in log order).
 */
export function pairEpisodes(events: readonly EventRecord[]): PairingResult {
  const indexed = events.map((e, i) => ({ e, i, t: ms(e.timestamp) }));
  indexed.sort((x, y) => {
    if (Number.isNaN(x.t) || Number.isNaN(y.t)) return x.i - y.i;
    return x.t - y.t || x.i - y.i;
  });
  const open = new Map<number, { ev: EventRecord; slot: number }[]>();
  const out: (EventEpisode | undefined)[] = [];
  const singles: PairingResult['singles'][number][] = [];
  const unknown: EventRecord[] = [];
  for (const { e } of indexed) {
    const info = EVENT_CODES.get(e.code);
    if (!info) {
      unknown.push(e);
      continue;
    }
    if (info.kind === 'single') {
      singles.push({ ...e, name: info.name, log: info.log });
      continue;
    }
    const occ = info.kind === 'occurrence' ? info : EVENT_CODES.get(info.pair!)!;
    const list = open.get(occ.code) ?? [];
    open.set(occ.code, list);
    if (info.kind === 'occurrence') {
      list.push({ ev: e, slot: out.length });
      out.push(undefined);
    } else {
      const started = list.shift();
      const start = started?.ev.timestamp;
      const d = (ms(e.timestamp) - ms(start)) / 1000;
      const ep: EventEpisode = {
        code: occ.code,
        name: occ.name.replace(/ \(occurrence\)$/, ''),
        log: occ.log,
        start,
        end: e.timestamp,
        durationSeconds: Number.isFinite(d) ? d : undefined,
      };
      if (started) out[started.slot] = ep;
      else out.push(ep);
    }
  }
  for (const [code, list] of open) {
    const info = EVENT_CODES.get(code)!;
    for (const { ev, slot } of list) {
      out[slot] = {
        code,
        name: info.name.replace(/ \(occurrence\)$/, ''),
        log: info.log,
        start: ev.timestamp,
        end: undefined,
        durationSeconds: undefined,
      };
    }
  }
  const episodes = out.filter((x): x is EventEpisode => x !== undefined);
  const key = (x: EventEpisode) => (x.start === undefined ? Number.NEGATIVE_INFINITY : ms(x.start));
  episodes.sort((a, b) => key(a) - key(b) || 0);
  return { episodes, singles, unknown };
}

// ---------------------------------------------------------------------------------------------------------
// Event status word

/** ESW bit → name [C]. */
export const ESW_BITS: ReadonlyMap<number, string> = /* @__PURE__ */ new Map([
  [0, 'R-phase voltage missing'],
  [1, 'Y-phase voltage missing'],
  [2, 'B-phase voltage missing'],
  [3, 'Over voltage'],
  [4, 'Low voltage'],
  [5, 'Voltage unbalance'],
  [6, 'R-phase current reverse'],
  [7, 'Y-phase current reverse'],
  [8, 'B-phase current reverse'],
  [9, 'Current unbalance'],
  [10, 'Current bypass'],
  [11, 'Over current'],
  [12, 'Very low power factor'],
  [51, 'Earth loading'],
  [81, 'Magnet influence'],
  [82, 'Neutral disturbance'],
  [83, 'Meter cover open'],
  [84, 'Load disconnected/connected'],
  [85, 'Last gasp'],
  [86, 'First breath'],
  [87, 'Billing counter incremented'],
]);

export interface EswBit {
  readonly bit: number;
  /** The table's name, or `bit<N>` for a vendor/utility extension. */
  readonly name: string;
  /** True when the bit is in the IS 15959 table. */
  readonly known: boolean;
}

export interface EventStatusWord {
  /** Number of bits carried (128 for a conforming meter). */
  readonly length: number;
  /** The set bits, lowest first. */
  readonly set: readonly EswBit[];
  /** The bits as a string of `0`/`1`, bit 0 first. */
  readonly bits: string;
}

/** Names the set bits of an ESW or ESWF bit-string (bit 0 = MSB of the first byte). */
export function decodeEsw(bs: BitString): EventStatusWord {
  const set: EswBit[] = [];
  let bits = '';
  for (let i = 0; i < bs.length; i++) {
    const on = bitStringGet(bs, i);
    bits += on ? '1' : '0';
    if (on) {
      const name = ESW_BITS.get(i);
      set.push({ bit: i, name: name ?? `bit${i}`, known: name !== undefined });
    }
  }
  return { length: bs.length, set, bits };
}

/** The ESW bits that are set in both the ESW and the filter: what a meter would push (ESWF bit 1 = enabled) [O]. */
export function eswMasked(esw: BitString, eswf: BitString): number[] {
  const out: number[] = [];
  const n = Math.min(esw.length, eswf.length);
  for (let i = 0; i < n; i++) if (bitStringGet(esw, i) && bitStringGet(eswf, i)) out.push(i);
  return out;
}

/** An event log row with its code looked up in the table. */
export interface LoggedEvent extends EventRecord {
  /** The table's name, undefined for a code not in the table. */
  readonly name: string | undefined;
  readonly log: EventLogId | undefined;
  readonly kind: EventCodeInfo['kind'] | 'unknown';
  /** The whole typed row (snapshot values included). */
  readonly row: Readonly<Record<string, unknown>>;
}

/**
 * The events of typed event-log rows (from `profileRows`): each row's `timestamp` (an ISO string, or
 * undefined when the clock column was missing) and `eventCode` (a number). Rows without a numeric
 * `eventCode` are skipped: they carry no event (a `null-data` code is an empty capture).
 */
export function eventsFromRows(rows: readonly Readonly<Record<string, unknown>>[]): LoggedEvent[] {
  const out: LoggedEvent[] = [];
  for (const row of rows) {
    const code = row['eventCode'];
    if (typeof code !== 'number') continue;
    const t = row['timestamp'];
    const info = EVENT_CODES.get(code);
    out.push({
      timestamp: typeof t === 'string' ? t : undefined,
      code,
      name: info?.name,
      log: info?.log,
      kind: info?.kind ?? 'unknown',
      row,
    });
  }
  return out;
}
