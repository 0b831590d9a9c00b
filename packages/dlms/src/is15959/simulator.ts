/**
 * The COSEM object set of a simulated IS 15959 meter (no networking: a `DlmsServer` serves it), with
 * synthetic data that follows physics and is reproducible from a seed.
 *
 * ```ts
 * const meter = createSimulatedMeter({ variant: { part: 2, phases: 1 }, serial: 'SIM0001', seed: 42,
 *                                      now: new Date('2024-03-15T05:00:00Z') });
 * meter.objects;   // CosemObjectSet: name plate, clock, registers, profiles, event logs, associations, …
 * meter.secrets;   // system title, GUEK/GAK per association, master key, LLS and HLS secrets (secrets.ts)
 * ```
 *
 * **Generation.** History is simulated interval by interval (the block-load period, aligned to local time)
 * from about 14 months before `now` up to the last complete interval; everything else is derived from it,
 * so the profiles agree with each other exactly:
 * - each interval has a load (a seed-scaled domestic shape: night base, morning and evening peaks, noise),
 *   a supply voltage (230 V ± ~1.3 %), and a power factor (0.90–0.99). The interval's energy is an integer
 *   number of Wh; VAh = Wh / pf; varh (Q1) = √(VAh² − Wh²); the average current is
 *   I = P / (V · pf) with P = Wh · 3600 / period (three-phase: the load split over the phases);
 * - cumulative registers are the starting values plus the sum of the intervals (so they only grow);
 *   a daily-load row at local midnight and a billing row at the first of each month at 00:00 hold the
 *   cumulative values at that instant; TOD zones split each interval's energy by local hour (zone 1
 *   00–06, 2 06–10, 3 10–18, 4 18–22, 5 22–24; 6–8 unused), so the zones add up to the total;
 *   maximum demands are the largest interval averages of the billing period (demand integration period =
 *   the block-load period [I]);
 * - a few episodes in the block-load window, each on its own day: a power failure (no supply: V, I and
 *   energy 0), a low-voltage spell (≈ 200 V), a magnet tamper (no physical effect), and on Part 2 meters
 *   a remote disconnect (energy and current 0 at normal voltage); plus an RTC-set transaction and a
 *   cover-open event. Each is logged in its event log with snapshot values.
 * - the instantaneous values are a fresh sample at `now`, with P = V · I · pf up to the rounding of the
 *   scaled values; the energy registers hold the cumulative values at the last complete interval.
 *
 * A block-load row is stamped with the **end** of its interval (the capture instant) [I]. Export is zero
 * (no generation). Date-times carry the meter's deviation (default −330, IST).
 *
 * **Not here** (left to the server side): the clock runs from the server's `ctx.now()` (serve with a clock
 * that starts at `now` to match the data); HLS replies of the associations are not wired; there is no
 * in-home-display association object (its client address is not recorded). The activity calendar (class
 * 20) and the single action schedules (class 22) are not created yet: those classes are not in
 * `/cosem` at the time of writing (the checker reports them as missing [O] objects, a warning).
 *
 * @module
 */
import { bitStringFromBits } from '../axdr/bitstring.ts';
import { decodeCosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import {
  type AccessRights,
  AssociationLnObject,
  type AssociationLnOptions,
  defaultAccessRights,
} from '../cosem/association-ln.ts';
import { ClockObject } from '../cosem/clock.ts';
import type { CaptureObjectDefinition, ScalerUnit } from '../cosem/common.ts';
import { DataObject } from '../cosem/data.ts';
import { DisconnectControlObject } from '../cosem/disconnect-control.ts';
import { ExtendedRegisterObject } from '../cosem/extended-register.ts';
import { ImageTransferObject } from '../cosem/image-transfer.ts';
import { LimiterObject } from '../cosem/limiter.ts';
import type { CosemObject } from '../cosem/object.ts';
import { ATTRIBUTE_ACCESS } from '../cosem/object.ts';
import { CosemObjectSet } from '../cosem/object-set.ts';
import { ProfileGenericObject } from '../cosem/profile-generic.ts';
import { PushSetupObject } from '../cosem/push-setup.ts';
import { RegisterObject } from '../cosem/register.ts';
import { ScriptTableObject } from '../cosem/script-table.ts';
import { SecuritySetupObject } from '../cosem/security-setup.ts';
import { DlmsError } from '../errors.ts';
import { parseObis } from '../obis/index.ts';
import { type Is15959Catalogue, is15959Catalogue, type ProfileDef } from './catalogue.ts';
import { ESW_BITS } from './events.ts';
import { type ObjectDef, objectDef } from './objects.ts';
import { profileCaptureObjects } from './push.ts';
import {
  deriveSecret,
  type SimulatedMeterSecrets,
  type SimulatorSeed,
  simulatedMeterSecrets,
} from './secrets.ts';
import { type Is15959Variant, type Is15959VariantInput, resolveVariant } from './variant.ts';

export interface SimulatedMeterOptions {
  readonly variant: Is15959VariantInput | Is15959Variant;
  readonly serial: string;
  readonly seed: SimulatorSeed;
  /** The instant the data runs up to. */
  readonly now: Date;
  /** Minutes, UTC = local + deviation (default −330, IST). Must keep local midnight on an interval boundary. */
  readonly deviation?: number;
}

/** The representation a simulated register uses (scaler, unit, Data type). */
export interface SimulatedScaler extends ScalerUnit {
  readonly type: 'long-unsigned' | 'double-long-unsigned' | 'long' | 'double-long' | 'integer';
}

export interface SimulatedMeter {
  readonly variant: Is15959Variant;
  readonly catalogue: Is15959Catalogue;
  readonly serial: string;
  readonly now: Date;
  readonly deviation: number;
  readonly objects: CosemObjectSet;
  readonly clock: ClockObject;
  readonly secrets: SimulatedMeterSecrets;
  /** The scaler_unit of each register, by dotted OBIS (what the scaler profiles hold). */
  readonly scalerUnits: ReadonlyMap<string, ScalerUnit>;
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic random numbers (sfc32, seeded from the derived "data" secret).

type Rng = () => number;

function sfc32(k: Uint8Array): Rng {
  const w = (i: number) => ((k[i]! << 24) | (k[i + 1]! << 16) | (k[i + 2]! << 8) | k[i + 3]!) >>> 0;
  let a = w(0);
  let b = w(4);
  let c = w(8);
  let d = w(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function gaussian(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// ---------------------------------------------------------------------------------------------------------
// Representation of values

/** Scaler, unit and type of a quantity column of the catalogue. */
export function simulatedScaler(def: ObjectDef): SimulatedScaler {
  const n = def.name;
  if (/[Pp]owerFactor/.test(n)) return { scaler: -3, unit: 255, type: 'long' };
  if (/Duration$/.test(n)) return { scaler: 0, unit: 6, type: 'double-long-unsigned' };
  if (n === 'signalStrength') return { scaler: 0, unit: 70, type: 'integer' };
  switch (def.unit) {
    case 35:
      return { scaler: -1, unit: 35, type: 'long-unsigned' };
    case 33:
      return { scaler: -3, unit: 33, type: 'double-long-unsigned' };
    case 44:
      return { scaler: -2, unit: 44, type: 'long-unsigned' };
    case 27:
      return { scaler: 0, unit: 27, type: def.classId === 3 ? 'double-long' : 'double-long-unsigned' };
    case 28:
    case 29:
      return { scaler: 0, unit: def.unit, type: def.classId === 3 ? 'double-long' : 'double-long-unsigned' };
    case 30:
    case 31:
    case 32:
      return { scaler: 0, unit: def.unit, type: 'double-long-unsigned' };
    default:
      return { scaler: 0, unit: def.unit ?? 255, type: 'double-long-unsigned' };
  }
}

const DLU_MAX = 0xffffffff;

function num(type: SimulatedScaler['type'], v: number): Data {
  const x = Math.round(v);
  switch (type) {
    case 'long-unsigned':
      return { type, value: Math.min(0xffff, Math.max(0, x)) };
    case 'long':
      return { type, value: Math.min(32767, Math.max(-32768, x)) };
    case 'integer':
      return { type, value: Math.min(127, Math.max(-128, x)) };
    case 'double-long':
      return { type, value: Math.min(0x7fffffff, Math.max(-0x80000000, x)) };
    default:
      return { type: 'double-long-unsigned', value: Math.min(DLU_MAX, Math.max(0, x)) };
  }
}

/** The 12 bytes of a date-time at `utcMs`, as a meter at `deviation` shows it (clock status 00). */
function dateTimeBytes(utcMs: number, deviation: number): Uint8Array {
  const l = new Date(utcMs - deviation * 60_000);
  const y = l.getUTCFullYear();
  const dow = l.getUTCDay();
  const dev = deviation & 0xffff;
  return Uint8Array.of(
    y >> 8,
    y & 0xff,
    l.getUTCMonth() + 1,
    l.getUTCDate(),
    dow === 0 ? 7 : dow,
    l.getUTCHours(),
    l.getUTCMinutes(),
    l.getUTCSeconds(),
    0,
    dev >> 8,
    dev & 0xff,
    0,
  );
}

const dt = (utcMs: number, deviation: number): Data => ({
  type: 'octet-string',
  value: dateTimeBytes(utcMs, deviation),
});
const text = (s: string): Data => ({ type: 'octet-string', value: new TextEncoder().encode(s) });
const u16 = (value: number): Data => ({ type: 'long-unsigned', value });
const u32 = (value: number): Data => ({ type: 'double-long-unsigned', value });

// ---------------------------------------------------------------------------------------------------------
// The simulation

const ZONES = 8;
function zoneOf(hour: number): number {
  return hour < 6 ? 0 : hour < 10 ? 1 : hour < 18 ? 2 : hour < 22 ? 3 : 4;
}

interface Interval {
  /** End of the interval, UTC ms. */
  end: number;
  wh: number;
  vah: number;
  varh: number;
  /** Voltage (V) and current (A) per phase (one entry for single-phase). */
  v: number[];
  i: number[];
  pf: number;
}

interface Episode {
  code: number;
  /** First and last interval index (inclusive) in the history. */
  from: number;
  to: number;
}

interface LoggedEvent {
  at: number;
  code: number;
  /** The interval whose values the snapshot shows. */
  index: number;
}

const DAY = 86_400_000;

function localMonthStart(localMs: number, monthsBack: number): number {
  const d = new Date(localMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1);
}

/** Builds the meter (see the module doc). Fast: a 3360-row block load builds in a few tens of ms. */
export function createSimulatedMeter(options: SimulatedMeterOptions): SimulatedMeter {
  if (typeof options !== 'object' || options === null) {
    throw new DlmsError('INVALID_ARGUMENT', 'createSimulatedMeter expects { variant, serial, seed, now }');
  }
  const variant = resolveVariant(options.variant);
  const catalogue = is15959Catalogue(variant);
  const { serial, seed } = options;
  const now = options.now;
  if (!(now instanceof Date) || !Number.isFinite(now.getTime())) {
    throw new DlmsError('INVALID_ARGUMENT', 'now must be a valid Date');
  }
  const deviation = options.deviation ?? -330;
  const P = variant.blockLoadPeriod;
  const Pms = P * 1000;
  if (!Number.isInteger(deviation) || (deviation * 60_000) % Pms !== 0) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `deviation ${deviation} min does not keep local midnight on a ${P} s interval boundary`,
    );
  }
  const secrets = simulatedMeterSecrets(seed, serial);
  const rng = sfc32(deriveSecret(seed, serial, 'data', 16));
  const devMs = deviation * 60_000;
  const phases = variant.phases;

  // Time grid, local = utc − devMs.
  const nowLocal = now.getTime() - devMs;
  const lastEndLocal = Math.floor(nowLocal / Pms) * Pms;
  const N = variant.blockLoadDepth;
  const firstBillingLocal = localMonthStart(lastEndLocal, variant.billingDepth);
  const startLocal = Math.min(
    Math.floor(firstBillingLocal / DAY) * DAY,
    Math.floor((lastEndLocal - 71 * DAY) / DAY) * DAY,
    Math.floor((lastEndLocal - N * Pms) / DAY) * DAY,
  );
  const M = (lastEndLocal - startLocal) / Pms;
  const windowFrom = M - N;

  // Meter character, from the seed.
  const scale = (phases === 3 ? 3 : 1) * (0.6 + rng() * 1.4);
  const basePf = 0.9 + rng() * 0.07;
  const split = [1 + 0.1 * gaussian(rng), 1 + 0.1 * gaussian(rng), 1 + 0.1 * gaussian(rng)].map((x) =>
    Math.max(0.5, x),
  );
  const splitSum = split[0]! + split[1]! + split[2]!;

  // Episodes on distinct days of the block-load window (not its first or last day).
  const windowDays = Math.max(3, Math.floor((N * Pms) / DAY) - 2);
  const perDay = DAY / Pms;
  const usedDays = new Set<number>();
  const episode = (code: number, minLen: number, maxLen: number): Episode | undefined => {
    if (N < perDay * 3) return undefined;
    let day = 1 + Math.floor(rng() * windowDays);
    for (let k = 0; k < windowDays && usedDays.has(day); k++) day = 1 + ((day + 1) % windowDays);
    if (usedDays.has(day)) return undefined;
    usedDays.add(day);
    const len = minLen + Math.floor(rng() * (maxLen - minLen + 1));
    const first = windowFrom + day * perDay + Math.floor(perDay / 3) + Math.floor(rng() * (perDay / 3));
    return { code, from: first, to: Math.min(M - 2, first + len - 1) };
  };
  const episodes: Episode[] = [];
  const add = (e: Episode | undefined) => e && episodes.push(e);
  add(episode(101, 2, 4)); // power failure
  add(episode(9, 3, 6)); // low voltage
  add(episode(201, 1, 3)); // magnet
  if (variant.hasConnectDisconnect) add(episode(301, 4, 8)); // remote disconnect
  const inEpisode = (code: number, i: number) =>
    episodes.some((e) => e.code === code && i >= e.from && i <= e.to);

  // Interval by interval, into typed arrays (≈ 40 000 intervals: no per-interval objects).
  const WH = new Float64Array(M);
  const VAH = new Float64Array(M);
  const VARH = new Float64Array(M);
  const PF = new Float64Array(M);
  const VOLT = new Float64Array(M * phases);
  const AMP = new Float64Array(M * phases);
  const endOf = (i: number) => startLocal + (i + 1) * Pms + devMs;
  for (let i = 0; i < M; i++) {
    const endLocal = startLocal + (i + 1) * Pms;
    const hour = ((endLocal - Pms / 2) % DAY) / 3_600_000;
    const off = inEpisode(101, i);
    const disconnected = inEpisode(301, i);
    const low = inEpisode(9, i);
    for (let p = 0; p < phases; p++) {
      VOLT[i * phases + p] = off
        ? 0
        : low
          ? 200 + 1.5 * gaussian(rng)
          : Math.min(245, Math.max(215, 230 + 3 * gaussian(rng)));
    }
    const pf = Math.min(0.99, Math.max(0.85, basePf + 0.01 * gaussian(rng)));
    const shape =
      180 +
      320 * Math.exp(-(((hour - 8) / 1.5) ** 2)) +
      700 * Math.exp(-(((hour - 20.5) / 2) ** 2)) +
      120 * Math.exp(-(((hour - 14) / 3) ** 2));
    const load = off || disconnected ? 0 : Math.max(20, scale * shape * (1 + 0.15 * gaussian(rng)));
    const wh = Math.round((load * P) / 3600);
    const vah = wh === 0 ? 0 : Math.round(wh / pf);
    WH[i] = wh;
    VAH[i] = vah;
    VARH[i] = Math.round(Math.sqrt(Math.max(0, vah * vah - wh * wh)));
    PF[i] = pf;
    const watts = (wh * 3600) / P;
    for (let p = 0; p < phases; p++) {
      const share = phases === 1 ? 1 : split[p]! / splitSum;
      const v = VOLT[i * phases + p]!;
      AMP[i * phases + p] = v === 0 ? 0 : (watts * share) / (v * pf);
    }
  }
  /** One interval as an object (for the few rows that need it). */
  const interval = (i: number): Interval => ({
    end: endOf(i),
    wh: WH[i]!,
    vah: VAH[i]!,
    varh: VARH[i]!,
    v: Array.from(VOLT.subarray(i * phases, (i + 1) * phases)),
    i: Array.from(AMP.subarray(i * phases, (i + 1) * phases)),
    pf: PF[i]!,
  });

  // Cumulative registers and snapshots.
  const E0 = Math.floor(400_000 + rng() * 4_000_000);
  const zones0 = new Array<number>(ZONES).fill(0);
  const zoneShare = [0.2, 0.15, 0.3, 0.3, 0.05];
  let assigned = 0;
  for (let z = 1; z < 5; z++) {
    zones0[z] = Math.floor(E0 * zoneShare[z]!);
    assigned += zones0[z]!;
  }
  zones0[0] = E0 - assigned;
  const vahZones0 = zones0.map((x) => Math.round(x / basePf));
  const VAH0 = vahZones0.reduce((a, b) => a + b, 0);
  const Q10 = Math.round(Math.sqrt(VAH0 * VAH0 - E0 * E0));
  let wh = E0;
  let vah = VAH0;
  let q1 = Q10;
  const whZ = zones0.slice();
  const vahZ = vahZones0.slice();
  let billingCount = 20 + Math.floor(rng() * 40);
  let powerOnMin = Math.floor(200_000 + rng() * 200_000);
  let powerOffMin = Math.floor(rng() * 5000);
  let powerFailures = Math.floor(rng() * 50);
  // billing-period accumulators
  let pWh = 0;
  let pVah = 0;
  let pOnMin = 0;
  const md = () => ({
    w: 0,
    wAt: 0,
    va: 0,
    vaAt: 0,
    wz: new Array(ZONES).fill(0),
    wzAt: new Array(ZONES).fill(0),
    vaz: new Array(ZONES).fill(0),
    vazAt: new Array(ZONES).fill(0),
  });
  let pMd = md();
  const daily: { at: number; wh: number; vah: number }[] = [];
  const billing: Data[][] = [];
  const cumWh = new Float64Array(M);
  const billingCols = catalogue.profiles.billing.columns;
  const billingReg = new Map(billingCols.map((c) => [c.name, simulatedScaler(c)]));
  for (let i = 0; i < M; i++) {
    const x = { end: endOf(i), wh: WH[i]!, vah: VAH[i]!, varh: VARH[i]!, v0: VOLT[i * phases]! };
    const hour = Math.floor(((x.end - devMs - Pms / 2) % DAY) / 3_600_000);
    const z = zoneOf(hour);
    wh += x.wh;
    vah += x.vah;
    q1 += x.varh;
    whZ[z]! += x.wh;
    vahZ[z]! += x.vah;
    cumWh[i] = wh;
    pWh += x.wh;
    pVah += x.vah;
    const supplied = x.v0 > 0;
    if (supplied) {
      powerOnMin += P / 60;
      pOnMin += P / 60;
    } else powerOffMin += P / 60;
    if (inEpisode(101, i) && !inEpisode(101, i - 1)) powerFailures++;
    const dW = (x.wh * 3600) / P;
    const dVA = (x.vah * 3600) / P;
    if (dW > pMd.w) {
      pMd.w = dW;
      pMd.wAt = x.end;
    }
    if (dVA > pMd.va) {
      pMd.va = dVA;
      pMd.vaAt = x.end;
    }
    if (dW > pMd.wz[z]) {
      pMd.wz[z] = dW;
      pMd.wzAt[z] = x.end;
    }
    if (dVA > pMd.vaz[z]) {
      pMd.vaz[z] = dVA;
      pMd.vazAt[z] = x.end;
    }
    const endLocal = x.end - devMs;
    if (endLocal % DAY === 0) daily.push({ at: x.end, wh, vah });
    if (endLocal % DAY === 0 && new Date(endLocal).getUTCDate() === 1) {
      billingCount++;
      const values: Record<string, Data> = {
        billingDate: dt(x.end, deviation),
        averagePowerFactor: num('long', pVah === 0 ? 0 : (pWh / pVah) * 1000),
        energyWhImport: u32(wh),
        energyVAhImport: u32(vah),
        mdW: u32(Math.round(pMd.w)),
        mdWTime: dt(pMd.wAt || x.end, deviation),
        mdVA: u32(Math.round(pMd.va)),
        mdVATime: dt(pMd.vaAt || x.end, deviation),
        billingPowerOnDuration: u32(Math.round(pOnMin)),
        energyWhExport: u32(0),
        energyVAhExport: u32(0),
        mdWExport: u32(0),
        mdWExportTime: dt(x.end, deviation),
        mdVAExport: u32(0),
        mdVAExportTime: dt(x.end, deviation),
        md84: u32(0),
        energyVarhQ1: u32(q1),
        energyVarhQ2: u32(0),
        energyVarhQ3: u32(0),
        energyVarhQ4: u32(0),
      };
      for (let k = 0; k < ZONES; k++) {
        values[`energyWhImportTz${k + 1}`] = u32(whZ[k]!);
        values[`energyVAhImportTz${k + 1}`] = u32(vahZ[k]!);
        values[`mdWTz${k + 1}`] = u32(Math.round(pMd.wz[k]));
        values[`mdWTz${k + 1}Time`] = dt(pMd.wzAt[k] || x.end, deviation);
        values[`mdVATz${k + 1}`] = u32(Math.round(pMd.vaz[k]));
        values[`mdVATz${k + 1}Time`] = dt(pMd.vazAt[k] || x.end, deviation);
      }
      billing.push(billingCols.map((c) => values[c.name] ?? num(billingReg.get(c.name)!.type, 0)));
      pWh = 0;
      pVah = 0;
      pOnMin = 0;
      pMd = md();
    }
  }

  // Events.
  const logs: LoggedEvent[][] = [[], [], [], [], [], [], []];
  const logOf = (code: number) =>
    code < 50 ? 0 : code < 100 ? 1 : code < 150 ? 2 : code < 200 ? 3 : code < 250 ? 4 : code < 300 ? 5 : 6;
  let tamper = Math.floor(rng() * 5);
  const tamperAt: { at: number; count: number }[] = [];
  const events: LoggedEvent[] = [];
  for (const e of episodes) {
    const start = endOf(e.from) - Pms;
    events.push({ at: start, code: e.code, index: e.from });
    events.push({ at: endOf(e.to), code: e.code + 1, index: e.to });
  }
  const single = (code: number) => {
    const idx = windowFrom + Math.floor(rng() * N);
    events.push({ at: endOf(idx) - Math.floor(rng() * P) * 1000, code, index: idx });
  };
  single(151);
  single(251);
  events.sort((a, b) => a.at - b.at);
  let programming = Math.floor(rng() * 10);
  for (const ev of events) {
    if (ev.code === 201 || ev.code === 251) {
      tamper++;
      tamperAt.push({ at: ev.at, count: tamper });
    }
    if (ev.code === 151) programming++;
    logs[logOf(ev.code)]!.push(ev);
  }
  const tamperCountAt = (t: number) => {
    let c = tamper - tamperAt.length;
    for (const x of tamperAt) if (x.at <= t) c = x.count;
    return c;
  };

  // Current values (instantaneous), a fresh sample at `now`.
  const last = interval(M - 1);
  const instV: number[] = [];
  const instI: number[] = [];
  const instPf: number[] = [];
  const nowHour = (nowLocal % DAY) / 3_600_000;
  const instLoad = Math.max(
    20,
    scale *
      (180 + 320 * Math.exp(-(((nowHour - 8) / 1.5) ** 2)) + 700 * Math.exp(-(((nowHour - 20.5) / 2) ** 2))),
  );
  let instP = 0;
  let instS = 0;
  for (let p = 0; p < phases; p++) {
    const vRaw = Math.round((230 + 2 * gaussian(rng)) * 10);
    const pfRaw = Math.round(Math.min(0.99, basePf + 0.01 * gaussian(rng)) * 1000);
    const share = phases === 1 ? 1 : split[p]! / splitSum;
    const iRaw = Math.round(((instLoad * share) / ((vRaw / 10) * (pfRaw / 1000))) * 1000);
    instV.push(vRaw);
    instI.push(iRaw);
    instPf.push(pfRaw);
    instP += (vRaw / 10) * (iRaw / 1000) * (pfRaw / 1000);
    instS += (vRaw / 10) * (iRaw / 1000);
  }
  const current = new Map<string, Data>();
  const set = (name: string, value: number) =>
    current.set(name, num(simulatedScaler(objectDef(name)).type, value));
  if (phases === 1) {
    set('voltage', instV[0]!);
    set('phaseCurrent', instI[0]!);
    set('neutralCurrent', instI[0]!);
    set('eventCurrent', instI[0]!);
    set('powerFactor', instPf[0]!);
  } else {
    const ph = ['R', 'Y', 'B'];
    for (let p = 0; p < 3; p++) {
      set(`voltage${ph[p]}`, instV[p]!);
      set(`current${ph[p]}`, instI[p]!);
      set(`powerFactor${ph[p]}`, instPf[p]!);
    }
    set('powerFactor', instS === 0 ? 0 : (instP / instS) * 1000);
  }
  set('frequency', Math.round((50 + 0.03 * gaussian(rng)) * 100));
  set('activePower', instP);
  set('apparentPower', instS);
  set('reactivePower', Math.sqrt(Math.max(0, instS * instS - instP * instP)));
  set('energyWhImport', wh);
  set('energyVAhImport', vah);
  set('energyWhExport', 0);
  set('energyVAhExport', 0);
  set('energyVarhQ1', q1);
  for (const q of ['energyVarhQ2', 'energyVarhQ3', 'energyVarhQ4']) set(q, 0);
  set('cumulativePowerOnDuration', powerOnMin);
  set('billingPowerOnDuration', pOnMin);
  set('powerOffDuration', powerOffMin);
  set('averagePowerFactor', pVah === 0 ? 0 : (pWh / pVah) * 1000);
  set('mdW', pMd.w);
  set('mdVA', pMd.va);
  set('mdWExport', 0);
  set('mdVAExport', 0);
  set('md84', 0);
  for (let k = 0; k < ZONES; k++) {
    set(`energyWhImportTz${k + 1}`, whZ[k]!);
    set(`energyVAhImportTz${k + 1}`, vahZ[k]!);
    set(`mdWTz${k + 1}`, pMd.wz[k]);
    set(`mdVATz${k + 1}`, pMd.vaz[k]);
  }
  // Block-load registers: the last complete interval.
  set('blockEnergyWhImport', last.wh);
  set('blockEnergyVAhImport', last.vah);
  set('blockEnergyWhExport', 0);
  set('blockEnergyVAhExport', 0);
  if (phases === 1) {
    set('avgVoltage', last.v[0]! * 10);
    set('avgCurrent', last.i[0]! * 1000);
    set('avgNeutralCurrent', last.i[0]! * 1000);
  } else {
    const ph = ['R', 'Y', 'B'];
    for (let p = 0; p < 3; p++) {
      set(`avgVoltage${ph[p]}`, last.v[p]! * 10);
      set(`avgCurrent${ph[p]}`, last.i[p]! * 1000);
    }
  }
  set('signalStrength', -70 - Math.floor(rng() * 20));
  current.set('meterHealth', { type: 'unsigned', value: 0 });
  current.set('tamperCount', u16(tamper));
  current.set('billingCount', u16(billingCount));
  current.set('programmingCount', u16(programming));
  current.set('powerFailureCount', u16(powerFailures));
  const lastBilling = billing[billing.length - 1];
  current.set('billingDate', lastBilling ? lastBilling[0]! : dt(now.getTime(), deviation));
  const mdTime = (at: number): Data => dt(at || now.getTime(), deviation);
  const mdTimes = new Map<string, Data>([
    ['mdWTime', mdTime(pMd.wAt)],
    ['mdVATime', mdTime(pMd.vaAt)],
    ['mdWExportTime', mdTime(0)],
    ['mdVAExportTime', mdTime(0)],
  ]);
  for (let k = 0; k < ZONES; k++) {
    mdTimes.set(`mdWTz${k + 1}Time`, mdTime(pMd.wzAt[k]));
    mdTimes.set(`mdVATz${k + 1}Time`, mdTime(pMd.vazAt[k]));
  }
  mdTimes.set('md84Time', mdTime(0));

  // Name plate values.
  const nameplate: Record<string, Data> = {
    serialNumber: text(serial),
    deviceId: text(`SIM${serial}`),
    manufacturer: text('AMI-INTEROP SIMULATOR'),
    firmwareVersion: text('SIM-1.0.0'),
    meterType: { type: 'unsigned', value: phases === 1 ? 5 : 6 },
    category: text(variant.part === 3 ? 'C1' : phases === 1 ? 'D1' : 'D2'),
    currentRating: text(variant.part === 3 ? '-/5A' : phases === 1 ? '5-30A' : '10-60A'),
    yearOfManufacture: u16(now.getUTCFullYear()),
  };
  for (const [k, v] of Object.entries(nameplate)) current.set(k, v);

  // ---------------------------------------------------------------------------------------------------
  // Objects
  const objects = new CosemObjectSet();
  const clock = objects.add(new ClockObject(undefined, { timeZone: deviation, measuringPeriodSeconds: P }));
  const scalerUnits = new Map<string, ScalerUnit>();
  const registered = new Set<string>(['0.0.1.0.0.255']);
  const allDefs: ObjectDef[] = [];
  for (const p of Object.values(catalogue.profiles)) for (const c of p.columns) allDefs.push(c);
  if (!variant.blockLoadHealthColumns) allDefs.push(objectDef('meterHealth'), objectDef('signalStrength'));
  for (const c of allDefs) {
    if (registered.has(c.obis)) continue;
    if (c.classId === 70 || c.classId === 71) continue; // created below
    registered.add(c.obis);
    if (c.classId === 1) {
      const v = current.get(c.column === 'eventCode' ? 'eventCode' : c.name);
      if (c.column === 'eventCode') {
        const log = Number(c.obis.split('.')[4]);
        const l = logs[log]!;
        objects.add(new DataObject(c.obis, u16(l.length > 0 ? l[l.length - 1]!.code : 0)));
      } else objects.add(new DataObject(c.obis, v ?? u16(0)));
      continue;
    }
    const s = simulatedScaler(c);
    scalerUnits.set(c.obis, { scaler: s.scaler, unit: s.unit });
    const valueName = c.attribute === 5 ? c.name.replace(/Time$/, '') : c.name;
    const value = current.get(valueName) ?? num(s.type, 0);
    if (c.classId === 4) {
      const timeName = `${valueName}Time`;
      const t = mdTimes.get(timeName) ?? mdTime(0);
      const er = new ExtendedRegisterObject(c.obis, {
        value,
        scalerUnit: { scaler: s.scaler, unit: s.unit },
        status: { type: 'unsigned', value: 0 },
        captureTime: decodeCosemDateTime((t as { value: Uint8Array }).value),
      });
      objects.add(er);
    } else {
      objects.add(new RegisterObject(c.obis, { value, scalerUnit: { scaler: s.scaler, unit: s.unit } }));
    }
  }

  // Profiles.
  const pg = (p: ProfileDef, buffer: Data[][], captureObjects = profileCaptureObjects(p)) =>
    objects.add(
      new ProfileGenericObject(p.obis, {
        captureObjects,
        profileEntries: Math.max(p.depth, buffer.length),
        capturePeriod: p.capturePeriod,
        buffer,
      }),
    );
  const cur = (c: ObjectDef): Data => {
    if (c.name === 'timestamp') return dt(now.getTime(), deviation);
    if (c.attribute === 5) return mdTimes.get(c.name) ?? mdTime(0);
    if (c.name === 'relayStatus') return { type: 'boolean', value: true };
    if (c.name === 'loadLimit') return u32(loadLimitW);
    return current.get(c.name) ?? num(simulatedScaler(c).type, 0);
  };
  const loadLimitW = phases === 1 ? 8000 : 25000;
  const prof = catalogue.profiles;
  pg(prof.namePlate, [prof.namePlate.columns.map(cur)]);
  pg(prof.instantaneous, [prof.instantaneous.columns.map(cur)]);
  const blockCols = prof.blockLoad.columns;
  const block: Data[][] = new Array(N);
  for (let r = 0; r < N; r++) {
    const x = interval(windowFrom + r);
    block[r] = blockCols.map((c): Data => {
      switch (c.name) {
        case 'timestamp':
          return dt(x.end, deviation);
        case 'avgVoltage':
        case 'avgVoltageR':
          return u16(Math.round(x.v[0]! * 10));
        case 'avgVoltageY':
          return u16(Math.round(x.v[1]! * 10));
        case 'avgVoltageB':
          return u16(Math.round(x.v[2]! * 10));
        case 'avgCurrent':
        case 'avgNeutralCurrent':
        case 'avgCurrentR':
          return u32(Math.round(x.i[0]! * 1000));
        case 'avgCurrentY':
          return u32(Math.round(x.i[1]! * 1000));
        case 'avgCurrentB':
          return u32(Math.round(x.i[2]! * 1000));
        case 'blockEnergyWhImport':
          return u32(x.wh);
        case 'blockEnergyVAhImport':
          return u32(x.vah);
        case 'meterHealth':
          return { type: 'unsigned', value: 0 };
        case 'signalStrength':
          return current.get('signalStrength')!;
        default:
          return u32(0);
      }
    });
  }
  pg(prof.blockLoad, block);
  const daily70 = daily.slice(-prof.dailyLoad.depth);
  pg(
    prof.dailyLoad,
    daily70.map((d) => [dt(d.at, deviation), u32(d.wh), u32(d.vah), u32(0), u32(0)]),
  );
  pg(prof.billing, billing.slice(-variant.billingDepth));
  const eventProfiles = [
    prof.voltageEvents,
    prof.currentEvents,
    prof.powerEvents,
    prof.transactionEvents,
    prof.otherEvents,
    prof.nonRolloverEvents,
    prof.controlEvents,
  ];
  eventProfiles.forEach((p, log) => {
    const rows = logs[log]!.map((ev) => {
      const x = interval(ev.index);
      return p.columns.map((c): Data => {
        if (c.name === 'timestamp') return dt(ev.at, deviation);
        if (c.column === 'eventCode') return u16(ev.code);
        const pfRaw = Math.round(x.pf * 1000);
        switch (c.name) {
          case 'eventCurrent':
          case 'currentR':
            return u32(Math.round(x.i[0]! * 1000));
          case 'currentY':
            return u32(Math.round(x.i[1]! * 1000));
          case 'currentB':
            return u32(Math.round(x.i[2]! * 1000));
          case 'voltage':
          case 'voltageR':
            return u16(Math.round(x.v[0]! * 10));
          case 'voltageY':
            return u16(Math.round(x.v[1]! * 10));
          case 'voltageB':
            return u16(Math.round(x.v[2]! * 10));
          case 'powerFactor':
          case 'powerFactorR':
          case 'powerFactorY':
          case 'powerFactorB':
            return { type: 'long', value: x.v[0] === 0 ? 0 : pfRaw };
          case 'energyWhImport':
            return u32(cumWh[ev.index]!);
          case 'energyWhExport':
            return u32(0);
          case 'tamperCount':
            return u16(tamperCountAt(ev.at));
          default:
            return num(simulatedScaler(c).type, 0);
        }
      });
    });
    pg(p, rows);
  });

  // Scaler profiles: attribute 3 of each register-like column, one row of scaler_unit.
  const scalerProfiles = new Map<string, ObjectDef[]>();
  for (const p of Object.values(prof)) {
    if (!p.scalerProfile) continue;
    const list = scalerProfiles.get(p.scalerProfile) ?? [];
    for (const c of p.columns) {
      if ((c.classId === 3 || c.classId === 4) && c.attribute === 2 && !list.some((x) => x.obis === c.obis)) {
        list.push(c);
      }
    }
    scalerProfiles.set(p.scalerProfile, list);
  }
  for (const [obis, list] of scalerProfiles) {
    const co: CaptureObjectDefinition[] = list.map((c) => ({
      classId: c.classId,
      logicalName: parseObis(c.obis),
      attributeIndex: 3,
      dataIndex: 0,
    }));
    const row: Data[] = list.map((c) => {
      const su = scalerUnits.get(c.obis)!;
      return {
        type: 'structure',
        value: [
          { type: 'integer', value: su.scaler },
          { type: 'enum', value: su.unit },
        ],
      };
    });
    objects.add(new ProfileGenericObject(obis, { captureObjects: co, profileEntries: 1, buffer: [row] }));
  }

  // Other objects.
  const esw = bitStringFromBits(new Array(128).fill(false));
  objects.add(new DataObject('0.0.94.91.18.255', { type: 'bit-string', value: esw }));
  const eswf = bitStringFromBits(Array.from({ length: 128 }, (_, i) => ESW_BITS.has(i)));
  objects.add(new DataObject('0.0.94.91.26.255', { type: 'bit-string', value: eswf }));
  objects.add(new DataObject('0.0.94.96.19.255', { type: 'unsigned', value: 0 }));
  objects.add(new DataObject('0.0.94.96.20.255', { type: 'unsigned', value: 0 }));
  objects.add(new DataObject('1.0.0.8.0.255', u32(P)));
  objects.add(new DataObject('1.0.0.8.4.255', u32(P)));
  objects.add(new DataObject('1.0.0.8.5.255', u32(86400)));
  objects.add(new DataObject('0.0.0.1.1.255', { type: 'unsigned', value: variant.billingDepth }));
  const mdRegs = allDefs.filter((c) => c.classId === 4 && c.attribute === 2);
  objects.add(
    new ScriptTableObject('0.0.10.0.1.255', [
      {
        scriptIdentifier: 1,
        actions: [...new Set(mdRegs.map((c) => c.obis))].map((o) => ({
          serviceId: 2 as const,
          classId: 4,
          logicalName: parseObis(o),
          index: 1,
          parameter: { type: 'integer', value: 0 } as Data,
        })),
      },
    ]),
  );
  objects.add(new ScriptTableObject('0.0.10.0.100.255', []));
  for (let k = 21; k <= 25; k++) objects.add(new DataObject(`0.0.94.96.${k}.255`, u32(0)));
  if (variant.hasFirmwareAssociation) objects.add(new ScriptTableObject('0.0.10.0.107.255', []));
  if (variant.hasConnectDisconnect) {
    objects.add(new DisconnectControlObject('0.0.96.3.10.255', 4, 1));
    objects.add(
      new LimiterObject('0.0.17.0.0.255', {
        monitoredValue: { classId: 3, logicalName: parseObis('1.0.1.7.0.255'), attributeIndex: 2 },
        thresholdNormal: u32(loadLimitW),
        actions: {
          actionOverThreshold: { scriptLogicalName: parseObis('0.0.10.0.106.255'), scriptSelector: 1 },
          actionUnderThreshold: { scriptLogicalName: parseObis('0.0.10.0.106.255'), scriptSelector: 2 },
        },
      }),
    );
  }
  if (variant.hasFirmwareAssociation)
    objects.add(new ImageTransferObject('0.0.44.0.0.255', { blockSize: 256 }));
  if (variant.hasPush) {
    for (const ps of catalogue.pushSetups) {
      const head: CaptureObjectDefinition[] = [
        { classId: 1, logicalName: parseObis('0.0.96.1.2.255'), attributeIndex: 2, dataIndex: 0 },
        { classId: 40, logicalName: parseObis(ps.obis), attributeIndex: 1, dataIndex: 0 },
        { classId: 8, logicalName: parseObis('0.0.1.0.0.255'), attributeIndex: 2, dataIndex: 0 },
      ];
      const tail: CaptureObjectDefinition[] =
        ps.profile === 'alert'
          ? [{ classId: 1, logicalName: parseObis('0.0.94.91.18.255'), attributeIndex: 2, dataIndex: 0 }]
          : ps.profile === 'instantaneous'
            ? profileCaptureObjects(prof.instantaneous).slice(1)
            : [
                {
                  classId: 7,
                  logicalName: parseObis(prof[ps.profile].obis),
                  attributeIndex: 2,
                  dataIndex: 0,
                },
              ];
      objects.add(
        new PushSetupObject(ps.obis, {
          pushObjectList: [...head, ...tail],
          sendDestinationAndMethod: {
            transportService: 0,
            destination: new TextEncoder().encode('[::1]:4059'),
            message: 0,
          },
        }),
      );
    }
  }

  // Associations and security.
  const policyBits = (p: string) => (p === 'enc' ? 0x48 : p === 'auth+enc' ? 0x6c : p === 'auth' ? 0x24 : 0);
  for (const a of catalogue.associations) {
    if (a.clientSap === undefined) continue;
    const sap = a.clientSap;
    if (a.securitySetup) {
      const k = secrets.keys[sap as 32 | 48 | 64 | 80];
      objects.add(
        new SecuritySetupObject(a.securitySetup, {
          serverSystemTitle: secrets.systemTitle,
          keys: {
            masterKey: secrets.masterKey,
            globalUnicastEncryptionKey: k.guek,
            authenticationKey: k.gak,
          },
          securityPolicy: policyBits(a.securityPolicy),
          securitySuite: 0,
        }),
      );
    }
    if (a.invocationCounter) objects.add(new DataObject(a.invocationCounter, u32(0)));
    const readOnly = sap === 16 || sap === 32 || sap === 64;
    const secret =
      a.authentication.mechanism === 1
        ? new TextEncoder().encode(secrets.llsSecret)
        : sap === 48 || sap === 80
          ? secrets.hlsSecret[sap]
          : undefined;
    const opts: AssociationLnOptions = {
      clientSap: sap,
      contextId: a.securitySetup ? 3 : 1,
      mechanismId: a.authentication.mechanism,
    };
    if (secret) opts.secret = secret;
    if (a.securitySetup) opts.securitySetupReference = parseObis(a.securitySetup);
    if (readOnly) opts.rights = readOnlyRights;
    objects.add(new AssociationLnObject(a.associationLn, opts));
  }
  return {
    variant,
    catalogue,
    serial,
    now,
    deviation,
    objects,
    clock,
    secrets,
    scalerUnits,
  };
}

/** Read-only rights for the associations whose services are GET only (public, meter reader, push). */
function readOnlyRights(o: CosemObject): AccessRights {
  const r = defaultAccessRights(o);
  return {
    attributeAccess: r.attributeAccess.map((a) => ({
      ...a,
      accessMode:
        a.accessMode === ATTRIBUTE_ACCESS['write-only'] ||
        a.accessMode === ATTRIBUTE_ACCESS['authenticated-write-only']
          ? ATTRIBUTE_ACCESS['no-access']
          : a.accessMode === ATTRIBUTE_ACCESS['no-access']
            ? a.accessMode
            : ATTRIBUTE_ACCESS['read-only'],
    })),
    methodAccess: r.methodAccess.map((m) => ({ ...m, accessMode: 0 })),
  };
}
