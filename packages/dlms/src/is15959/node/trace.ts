/**
 * The IS 15959 conformance checker on a recorded trace: {@link checkTrace} takes a HES↔meter conversation
 * as captured (hex lines or raw bytes, both directions), decodes it with `decodeCapture` (framing detected,
 * HDLC reassembled, ciphered APDUs deciphered with the keys), pairs GET requests and responses by
 * invoke-id (GET blocks joined), and runs the rules of `checker.ts` on what was read. It returns the same
 * {@link MeterCheckReport} as {@link checkMeter}.
 *
 * | check id | what | skipped when |
 * |---|---|---|
 * | `trace` | every frame decoded, every ciphered APDU deciphered | never |
 * | `associate` | each AARE of the trace accepts the association | the trace has no AARE |
 * | `invocation-counter` | invocation counters strictly increase per direction (meter: error; client: warning) | no ciphered APDU |
 * | `object-list:<sap>` | object list and access rights (`checkObjectList`) | the object list was not read |
 * | `security-policy:<sap>` | security_policy of the association's Security setup | it was not read |
 * | `profile:<id>` | capture objects, order, scalers and units, value types, event codes (`checkProfile`) | its capture_objects were not read |
 * | `registers` | types of every catalogued value read on its own, scaler_unit, plausible magnitude | no catalogued value was read |
 * | `push` | — | always: check a captured push with `checkPush` |
 *
 * No I/O: the trace is given as bytes.
 *
 * @module
 */
import { decodeAcse } from '../../acse/index.ts';
import { decodeXdlmsApdu, type XdlmsApdu } from '../../apdu/index.ts';
import { decodeData, encodeData } from '../../axdr/codec.ts';
import type { Data } from '../../axdr/types.ts';
import { type CaptureEntry, type CaptureOptions, decodeCapture } from '../../capture/index.ts';
import { fromHex, toHex } from '../../internal/hex.ts';
import { formatObis } from '../../obis/index.ts';
import type { SecurityKeys } from '../../security/index.ts';
import { is15959Catalogue, type ProfileDef, type ProfileId } from '../catalogue.ts';
import { checkObjectList, checkProfile, checkScalerUnit, checkValue, objectDefFor } from '../checker.ts';
import type { Is15959Variant, Is15959VariantInput } from '../variant.ts';
import type { CheckOutcome, CheckStatus, MeterCheckReport, NetworkFinding } from './check.ts';
import { credentialsFor } from './connect.ts';
import { DEFAULT_SIMULATOR_VARIANT, type SimulatedMeterKeys } from './server.ts';

export interface CheckTraceOptions {
  /** The trace as a list of frames (e.g. one hex line each), both directions in order. */
  frames?: readonly Uint8Array[];
  /** The trace as one byte stream (frames back to back). */
  bytes?: Uint8Array;
  /**
   * Keys to decipher with: a `--keys-out` record (the association's keys are chosen by the client SAP the
   * trace shows) or the keys themselves.
   */
  keys?: SimulatedMeterKeys | Partial<SecurityKeys>;
  /** The client SAP, when the trace does not show it (HDLC or bare APDUs). */
  clientSap?: number;
  serial?: string;
  variant?: Is15959VariantInput | Is15959Variant;
  /** Scalers a utility specification fixes, by column name. */
  expectedScalers?: Readonly<Record<string, number>>;
  /** Severity of a capture order other than the catalogue's (default `error`). */
  captureOrder?: 'error' | 'warning' | 'off';
  /** A name for the trace in the report (default `trace`). */
  source?: string;
  /** Passed to `decodeCapture` (e.g. the server's system title when the trace has no AARE). */
  capture?: Omit<CaptureOptions, 'keys'>;
}

/** Plausible magnitudes of live quantities, by unit. */
const PLAUSIBLE: Readonly<Record<number, { min: number; max: number; what: string }>> = {
  35: { min: 50, max: 500, what: 'a supply voltage' },
  33: { min: 0, max: 1000, what: 'a current' },
  44: { min: 40, max: 70, what: 'a frequency' },
};

interface Read {
  classId: number;
  obis: string;
  attribute: number;
  data: Data;
  /** Entry index of the response that completed it. */
  at: number;
  blocks: number;
}

function outcome(id: string, title: string, findings: NetworkFinding[], detail?: string): CheckOutcome {
  const status: CheckStatus = findings.some((f) => f.severity === 'error')
    ? 'fail'
    : findings.some((f) => f.severity === 'warning')
      ? 'warn'
      : 'pass';
  return detail === undefined ? { id, title, status, findings } : { id, title, status, findings, detail };
}

const skip = (id: string, title: string, detail: string): CheckOutcome => ({
  id,
  title,
  status: 'skip',
  findings: [],
  detail,
});

function hexOf(d: Data): { bytes?: string } {
  try {
    return { bytes: toHex(encodeData(d)) };
  } catch {
    return {};
  }
}

function isKeyRecord(k: CheckTraceOptions['keys']): k is SimulatedMeterKeys {
  return typeof k === 'object' && k !== null && 'guek' in k;
}

/** The client SAP (wrapper port) of an entry, when its link shows it. */
function sapOfEntry(e: CaptureEntry): number | undefined {
  if (e.framing !== 'wrapper') return undefined;
  const l = e.link as { source?: unknown; destination?: unknown } | undefined;
  const p =
    e.direction === 'client-to-server'
      ? l?.source
      : e.direction === 'server-to-client'
        ? l?.destination
        : undefined;
  return typeof p === 'number' ? p : undefined;
}

/** The association the trace is about: the ciphered IS 15959 client with the most frames, else the most used. */
function clientSapOf(entries: readonly CaptureEntry[]): number | undefined {
  const n = new Map<number, number>();
  for (const e of entries) {
    const s = sapOfEntry(e);
    if (s !== undefined) n.set(s, (n.get(s) ?? 0) + 1);
  }
  const ranked = [...n.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
  return ranked.find((s) => s === 32 || s === 48 || s === 80) ?? ranked[0];
}

/** The key for reads: class/obis/attribute. */
const keyOf = (c: number, o: string, a: number) => `${c}/${o}/${a}`;

/** Checks a recorded HES↔meter trace (see the module doc). Never throws for what the trace holds. */
export function checkTrace(options: CheckTraceOptions): MeterCheckReport {
  const t0 = Date.now();
  const variant = options.variant ?? DEFAULT_SIMULATOR_VARIANT;
  const cat = is15959Catalogue(variant);
  const checks: CheckOutcome[] = [];
  const input: Uint8Array | readonly Uint8Array[] = options.frames ?? options.bytes ?? [];
  const first = decodeCapture(input, { ...options.capture });
  const clientSap = options.clientSap ?? clientSapOf(first);
  let keys: Partial<SecurityKeys> | undefined;
  if (isKeyRecord(options.keys)) {
    if (clientSap === 32 || clientSap === 48 || clientSap === 80) {
      const c = credentialsFor(options.keys, clientSap);
      keys = { ...(c.ek ? { ek: c.ek } : {}), ...(c.ak ? { ak: c.ak } : {}) };
    }
  } else if (options.keys) {
    keys = options.keys;
  }
  const entries = keys ? decodeCapture(input, { ...options.capture, keys }) : first;

  // Walk the trace: decode errors, counters, AAREs, GET pairs.
  const traceFindings: NetworkFinding[] = [];
  const counterFindings: NetworkFinding[] = [];
  const aareFindings: NetworkFinding[] = [];
  let aares = 0;
  let ciphered = 0;
  const lastCounter = new Map<string, { n: number; at: number }>();
  const pending = new Map<string, { classId: number; obis: string; attribute: number }>();
  const blocks = new Map<string, Uint8Array[]>();
  const reads = new Map<string, Read>();
  let gets = 0;
  for (const e of entries) {
    if (e.error) {
      traceFindings.push({
        id: 'read-failed',
        severity: 'warning',
        message: `frame ${e.index} (offset ${e.offset}) not decoded: ${e.error.code} ${e.error.message}`,
        path: `trace[${e.index}]`,
      });
      continue;
    }
    const a = e.apdu?.carried ?? e.apdu;
    if (!a) continue;
    let hex = a.hex;
    if (a.security) {
      ciphered++;
      const dir = e.direction;
      const n = a.security.invocationCounter;
      const last = lastCounter.get(dir);
      if (last !== undefined && n <= last.n) {
        const meter = dir === 'server-to-client';
        counterFindings.push({
          id: 'counter-not-increasing',
          severity: meter ? 'error' : 'warning',
          message: `${meter ? 'the meter' : 'the client'} sent invocation counter ${n} in frame ${e.index} after ${last.n} in frame ${last.at}: ${n === last.n ? 'repeated' : 'lower'}, counters must strictly increase`,
          path: `trace[${e.index}].security.invocationCounter`,
          bytes: n.toString(16).toUpperCase().padStart(8, '0'),
        });
      }
      lastCounter.set(dir, { n, at: e.index });
      if (a.security.plain) {
        hex = a.security.plain.hex;
      } else {
        traceFindings.push({
          id: 'read-failed',
          severity: 'warning',
          message: `frame ${e.index}: ${a.name} not deciphered: ${a.security.error?.message ?? 'no keys'}`,
          path: `trace[${e.index}]`,
        });
        continue;
      }
    }
    const bytes = fromHex(hex);
    const tag = bytes[0];
    try {
      if (tag === 0x61) {
        aares++;
        const aare = decodeAcse(bytes) as { type: string; result?: unknown };
        if (aare.type === 'aare' && aare.result !== 'accepted' && aare.result !== 0) {
          aareFindings.push({
            id: 'association',
            severity: 'error',
            message: `the meter did not accept the association in frame ${e.index}: result ${String(aare.result)}`,
            path: `trace[${e.index}].aare.result`,
            bytes: hex,
          });
        }
        continue;
      }
      if (tag !== 0xc0 && tag !== 0xc4) continue;
      const x: XdlmsApdu = decodeXdlmsApdu(bytes);
      if (x.type === 'get-request-normal') {
        gets++;
        const d = x.attribute;
        pending.set(`${sapOfEntry(e)}:${x.invokeIdAndPriority.invokeId}`, {
          classId: d.classId,
          obis: formatObis(d.instanceId),
          attribute: d.attributeId,
        });
        blocks.delete(`${sapOfEntry(e)}:${x.invokeIdAndPriority.invokeId}`);
      } else if (x.type === 'get-response-normal') {
        const id = `${sapOfEntry(e)}:${x.invokeIdAndPriority.invokeId}`;
        const req = pending.get(id);
        if (!req) continue;
        pending.delete(id);
        if ('data' in x.result)
          reads.set(keyOf(req.classId, req.obis, req.attribute), {
            ...req,
            data: x.result.data,
            at: e.index,
            blocks: 1,
          });
      } else if (x.type === 'get-response-with-datablock') {
        const id = `${sapOfEntry(e)}:${x.invokeIdAndPriority.invokeId}`;
        const req = pending.get(id);
        if (!req || !('rawData' in x.result)) continue;
        const list = blocks.get(id) ?? [];
        list.push(x.result.rawData);
        blocks.set(id, list);
        if (x.lastBlock) {
          pending.delete(id);
          blocks.delete(id);
          const all = new Uint8Array(list.reduce((s, b) => s + b.length, 0));
          let o = 0;
          for (const b of list) {
            all.set(b, o);
            o += b.length;
          }
          try {
            reads.set(keyOf(req.classId, req.obis, req.attribute), {
              ...req,
              data: decodeData(all),
              at: e.index,
              blocks: list.length,
            });
          } catch (err) {
            traceFindings.push({
              id: 'read-failed',
              severity: 'error',
              message: `${req.obis} attribute ${req.attribute}: the ${list.length} GET blocks ending in frame ${e.index} do not decode: ${(err as Error).message}`,
              path: `trace[${e.index}]`,
            });
          }
        }
      }
    } catch (err) {
      traceFindings.push({
        id: 'read-failed',
        severity: 'warning',
        message: `frame ${e.index}: APDU not decoded: ${(err as Error).message}`,
        path: `trace[${e.index}]`,
      });
    }
  }

  checks.push(
    outcome(
      'trace',
      'the trace decodes',
      traceFindings,
      `${entries.length} frames, ${ciphered} ciphered APDUs, ${gets} GET requests, ${reads.size} values read`,
    ),
  );
  checks.push(
    aares === 0
      ? skip('associate', 'the association is accepted', 'the trace has no AARE')
      : outcome('associate', 'the association is accepted', aareFindings, `${aares} AARE`),
  );
  checks.push(
    ciphered === 0
      ? skip('invocation-counter', 'invocation counters strictly increase', 'the trace has no ciphered APDU')
      : outcome(
          'invocation-counter',
          'invocation counters strictly increase',
          counterFindings,
          `${ciphered} ciphered APDUs`,
        ),
  );

  const get = (c: number, o: string, a: number) => reads.get(keyOf(c, o, a));

  // Object list and security policy of the association of the trace.
  const assoc = cat.associations.find((a) => a.clientSap === clientSap);
  const olTitle = `${assoc?.title ?? 'association'} object list and access rights`;
  const list = get(15, '0.0.40.0.0.255', 2);
  if (!list) {
    checks.push(
      skip(`object-list:${clientSap ?? '?'}`, olTitle, 'the object list was not read in the trace'),
    );
  } else if (!assoc) {
    checks.push(
      skip(
        'object-list:?',
        olTitle,
        'the client SAP is not known (pass clientSap) or not an IS 15959 association',
      ),
    );
  } else {
    try {
      checks.push(
        outcome(
          `object-list:${assoc.clientSap}`,
          olTitle,
          checkObjectList(list.data, { clientSap: clientSap as number, variant }),
        ),
      );
    } catch (err) {
      checks.push(failed(`object-list:${assoc.clientSap}`, olTitle, err));
    }
  }
  if (assoc?.securitySetup) {
    const id = `security-policy:${assoc.clientSap}`;
    const title = `${assoc.title} security policy`;
    const p = get(64, assoc.securitySetup, 2);
    if (!p) checks.push(skip(id, title, `${assoc.securitySetup} attribute 2 was not read in the trace`));
    else {
      const want = { none: 0, auth: 0x24, enc: 0x48, 'auth+enc': 0x6c }[assoc.securityPolicy];
      const got = 'value' in p.data && typeof p.data.value === 'number' ? p.data.value : -1;
      checks.push(
        outcome(
          id,
          title,
          got === want
            ? []
            : [
                {
                  id: 'security-policy',
                  severity: 'error',
                  message: `${assoc.securitySetup} security_policy is 0x${got.toString(16)}, ${assoc.securityPolicy} (0x${want.toString(16)}) expected`,
                  path: `${assoc.securitySetup}.attribute[2]`,
                  ...hexOf(p.data),
                },
              ],
        ),
      );
    }
  }

  // Profiles.
  for (const [id, p] of Object.entries(cat.profiles) as [ProfileId, ProfileDef][]) {
    const title = `${p.title} (${p.obis})`;
    const co = get(7, p.obis, 3);
    const buffer = get(7, p.obis, 2);
    if (!co) {
      checks.push(
        skip(
          `profile:${id}`,
          title,
          buffer
            ? 'the buffer was read but not its capture_objects (attribute 3): columns cannot be named'
            : 'not read in the trace',
        ),
      );
      continue;
    }
    const sco = p.scalerProfile ? get(7, p.scalerProfile, 3) : undefined;
    const sbuf = p.scalerProfile ? get(7, p.scalerProfile, 2) : undefined;
    try {
      const findings = checkProfile(
        id,
        {
          captureObjects: co.data,
          buffer: buffer?.data,
          scalerUnits: sco && sbuf ? { captureObjects: sco.data, buffer: sbuf.data } : undefined,
        },
        {
          variant,
          captureOrder: options.captureOrder ?? 'error',
          ...(options.expectedScalers ? { expectedScalers: options.expectedScalers } : {}),
        },
      );
      const rows = buffer?.data.type === 'array' ? buffer.data.value.length : undefined;
      const parts = [
        buffer ? `${rows ?? '?'} rows in ${buffer.blocks} block(s)` : 'buffer not read',
        p.scalerProfile && !(sco && sbuf) ? 'scaler profile not read' : undefined,
      ].filter((s) => s !== undefined);
      checks.push(outcome(`profile:${id}`, title, findings, parts.join('; ')));
    } catch (err) {
      checks.push(failed(`profile:${id}`, title, err));
    }
  }

  // Values read on their own: types, scaler_unit, magnitudes.
  const valueFindings: NetworkFinding[] = [];
  let values = 0;
  for (const r of reads.values()) {
    if (r.classId === 7 || r.classId === 15) continue;
    if (r.attribute === 3 && (r.classId === 3 || r.classId === 4)) continue;
    const def = objectDefFor(r.obis, r.attribute);
    if (!def) continue;
    values++;
    const path = `${r.obis}.attribute[${r.attribute}]`;
    valueFindings.push(...checkValue(def, r.data, path));
    if (r.classId !== 3 && r.classId !== 4) continue;
    const su = get(r.classId, r.obis, 3);
    if (!su) continue;
    const s = su.data;
    const scaler = s.type === 'structure' && s.value.length === 2 ? s.value[0] : undefined;
    const unit = s.type === 'structure' && s.value.length === 2 ? s.value[1] : undefined;
    if (scaler?.type !== 'integer' || unit?.type !== 'enum') {
      valueFindings.push({
        id: 'wrong-type',
        severity: 'error',
        message: `${def.name} (${def.obis}) scaler_unit must be structure { integer, enum }`,
        path: `${r.obis}.attribute[3]`,
        ...hexOf(s),
      });
      continue;
    }
    const scalerUnit = { scaler: scaler.value, unit: unit.value };
    valueFindings.push(
      ...checkScalerUnit(
        def,
        scalerUnit,
        `${r.obis}.attribute[3]`,
        options.expectedScalers ? { expectedScalers: options.expectedScalers } : {},
      ),
    );
    const range = PLAUSIBLE[scalerUnit.unit];
    const raw = 'value' in r.data && typeof r.data.value === 'number' ? r.data.value : undefined;
    if (range && raw !== undefined && raw !== 0) {
      const x = raw * 10 ** scalerUnit.scaler;
      if (x < range.min || x > range.max) {
        valueFindings.push({
          id: 'wrong-scaler',
          severity: 'error',
          message: `${def.name} (${def.obis}) reads ${Number(x.toPrecision(6))} with scaler ${scalerUnit.scaler}: not plausible for ${range.what} (${range.min}…${range.max}); the scaler is likely wrong`,
          path: `${r.obis}.attribute[3]`,
          ...hexOf(s),
        });
      }
    }
  }
  checks.push(
    values === 0
      ? skip('registers', 'values read on their own', 'no catalogued value was read on its own in the trace')
      : outcome(
          'registers',
          'values read on their own: types, scalers, units, magnitudes',
          valueFindings,
          `${values} values`,
        ),
  );
  checks.push(skip('push', 'push format', 'a trace of a client session has no push; use checkPush'));

  const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  const serial = options.serial ?? (isKeyRecord(options.keys) ? options.keys.serial : undefined);
  return {
    meter: { host: options.source ?? 'trace', port: 0, ...(serial ? { serial } : {}) },
    variant,
    startedAt: new Date(t0).toISOString(),
    durationMs: Date.now() - t0,
    checks,
    counts,
    passed: counts.fail === 0,
  };
}

function failed(id: string, title: string, e: unknown): CheckOutcome {
  return outcome(id, title, [
    {
      id: 'read-failed',
      severity: 'error',
      message: e instanceof Error ? e.message : String(e),
      path: id,
    },
  ]);
}
