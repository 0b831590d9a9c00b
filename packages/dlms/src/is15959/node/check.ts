/**
 * The networked IS 15959 conformance checker: {@link checkMeter} associates at each level, reads what
 * the rules of `checker.ts` need, and adds the checks only a live session can make. Each check passes,
 * fails (an `error` finding), warns (only `warning` findings) or is skipped (saying why).
 *
 * | check id | what |
 * |---|---|
 * | `associate:<sap>` | the association is accepted with its IS 15959 authentication and security (16 always; 32, 48, 80 with keys) |
 * | `security:plain-refused:<sap>` | a ciphered association refuses an AARQ without ciphering |
 * | `security-policy:<sap>` | security_policy of the association's Security setup matches the catalogue |
 * | `object-list:<sap>` | object list: expected objects, classes, access rights per association (`checkObjectList`) |
 * | `profile:<id>` | capture objects, order, scalers and units, value types, event codes (`checkProfile`) |
 * | `registers` | each instantaneous quantity read on its own: type, scaler_unit, plausible magnitude (a wrong scaler puts a voltage off by powers of ten) |
 * | `block-transfer` | the full block-load buffer arrives in several GET blocks and decodes |
 * | `selective-access` | block load by date range (last 24 h) gives only rows in range; by entry range the asked count |
 * | `invocation-counter` | a request repeating the previous invocation counter is refused |
 * | `push` | with `push.listen`: one push received during the check is checked by `checkPush` (format, types, ciphering); else skipped |
 *
 * Every finding keeps the rule's `path` and, when there is one, the `bytes` (hex A-XDR) that failed.
 *
 * @module
 */
import { decodeData, encodeData } from '../../axdr/codec.ts';
import type { Data } from '../../axdr/types.ts';
import { DlmsClient } from '../../client/client.ts';
import { byDateRange, byEntryRange } from '../../client/selective.ts';
import { toHex } from '../../internal/hex.ts';
import { connectTcpWrapper } from '../../node/wrapper-tcp.ts';
import { MemoryInvocationCounterStore } from '../../security/counter.ts';
import { type Is15959Catalogue, is15959Catalogue, type ProfileDef, type ProfileId } from '../catalogue.ts';
import {
  checkObjectList,
  checkProfile,
  checkScalerUnit,
  checkValue,
  type Finding,
  type FindingId,
} from '../checker.ts';
import type { ObjectDef } from '../objects.ts';
import { profileRows } from '../rows.ts';
import type { Is15959Variant, Is15959VariantInput } from '../variant.ts';
import { type AssociationCredentials, connectMeter, credentialsFor } from './connect.ts';
import { type CheckPushOptions, checkPush, listenForPush } from './push-check.ts';
import { DEFAULT_SIMULATOR_VARIANT, type SimulatedMeterKeys } from './server.ts';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** Finding ids of the live checks, besides those of the rules (`FindingId`). */
export type NetworkFindingId =
  | FindingId
  | 'association'
  | 'plain-accepted'
  | 'security-policy'
  | 'replay-accepted'
  | 'block-transfer'
  | 'selective-access'
  | 'read-failed'
  /** A trace where an invocation counter repeats or goes back in one direction (`checkTrace`). */
  | 'counter-not-increasing'
  /** A push not ciphered as the Push association requires (`checkPush`). */
  | 'push-ciphering'
  /** A push whose APDU or body is not an IS 15959 push of its setup (`checkPush`). */
  | 'push-format';

/** A finding of the rules or of a live check. */
export type NetworkFinding = Omit<Finding, 'id'> & { readonly id: NetworkFindingId };

export interface CheckOutcome {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly findings: readonly NetworkFinding[];
  /** What was checked or why it was skipped. */
  readonly detail?: string;
}

export interface MeterCheckReport {
  readonly meter: { host: string; port: number; serial?: string };
  readonly variant: Is15959VariantInput | Is15959Variant;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly checks: readonly CheckOutcome[];
  readonly counts: Readonly<Record<CheckStatus, number>>;
  /** True when no check failed. */
  readonly passed: boolean;
}

export interface CheckMeterOptions {
  host: string;
  port: number;
  /** Credentials (a `--keys-out` record); without them only the public client is checked. */
  keys?: SimulatedMeterKeys;
  serial?: string;
  variant?: Is15959VariantInput | Is15959Variant;
  /** Scalers a utility specification fixes, by column name (`{ voltage: -1 }`). */
  expectedScalers?: Readonly<Record<string, number>>;
  /** Severity of a capture order other than the catalogue's (default `error`). */
  captureOrder?: 'error' | 'warning' | 'off';
  responseTimeoutMs?: number;
  /** How long to wait for a reply to a replayed request before calling it refused (default 1500 ms). */
  replayTimeoutMs?: number;
  /**
   * Listen for one push during the check (the meter's push destination must be this address) and check
   * it with {@link checkPush}. Without it the `push` check is skipped.
   */
  push?: {
    listen: { host?: string; port: number };
    /** How long to wait for the push, from the start of the check (default 15 000 ms). */
    timeoutMs?: number;
    /** Called with the port once listening (for port 0). */
    onListening?: (port: number) => void;
    /** The push setups' push_object_lists as configured, by logical name. */
    pushObjectLists?: CheckPushOptions['pushObjectLists'];
  };
}

/** Plausible magnitudes of live quantities, by unit (for the `registers` check). */
const PLAUSIBLE: Readonly<Record<number, { min: number; max: number; what: string }>> = {
  35: { min: 50, max: 500, what: 'a supply voltage' },
  33: { min: 0, max: 1000, what: 'a current' },
  44: { min: 40, max: 70, what: 'a frequency' },
};

const u = (sap: number): string => `client ${sap}`;

function outcome(id: string, title: string, findings: NetworkFinding[], detail?: string): CheckOutcome {
  const status: CheckStatus = findings.some((f) => f.severity === 'error')
    ? 'fail'
    : findings.some((f) => f.severity === 'warning')
      ? 'warn'
      : 'pass';
  return detail === undefined ? { id, title, status, findings } : { id, title, status, findings, detail };
}

function failure(
  id: string,
  title: string,
  e: unknown,
  path = id,
  fid: NetworkFindingId = 'read-failed',
): CheckOutcome {
  const message = e instanceof Error ? e.message : String(e);
  return outcome(id, title, [{ id: fid, severity: 'error', message, path }]);
}

function bytesOf(d: Data): string | undefined {
  try {
    return toHex(encodeData(d));
  } catch {
    return undefined;
  }
}

/** Runs every check (see the module doc) and returns the report. Never throws for what the meter does. */
export async function checkMeter(options: CheckMeterOptions): Promise<MeterCheckReport> {
  const t0 = Date.now();
  const variant = options.variant ?? DEFAULT_SIMULATOR_VARIANT;
  const cat = is15959Catalogue(variant);
  const checks: CheckOutcome[] = [];
  const pushed = options.push
    ? listenForPush({
        port: options.push.listen.port,
        ...(options.push.listen.host !== undefined ? { host: options.push.listen.host } : {}),
        timeoutMs: options.push.timeoutMs ?? 15_000,
        ...(options.push.onListening ? { onListening: options.push.onListening } : {}),
      }).then(
        (apdu) => ({ apdu }),
        (error: unknown) => ({ error }),
      )
    : undefined;
  const { host, port } = options;
  const timeout = options.responseTimeoutMs ?? 10_000;
  const cred = (sap: 16 | 32 | 48 | 80): AssociationCredentials | undefined =>
    sap === 16 ? {} : options.keys ? credentialsFor(options.keys, sap) : undefined;
  const open = (sap: 16 | 32 | 48 | 80, extra: Partial<Parameters<typeof connectMeter>[0]> = {}) =>
    connectMeter({
      host,
      port,
      client: sap,
      credentials: cred(sap) ?? {},
      responseTimeoutMs: timeout,
      ...extra,
    });
  const session = async <T>(c: DlmsClient, f: (c: DlmsClient) => Promise<T>): Promise<T> => {
    try {
      return await f(c);
    } finally {
      await c.release().catch(() => undefined);
      await c.close();
    }
  };

  const saps = cat.associations
    .map((a) => a.clientSap)
    .filter((s): s is 16 | 32 | 48 | 80 => s === 16 || s === 32 || s === 48 || s === 80);
  const usable = new Set<number>();
  for (const sap of saps) {
    const a = cat.associations.find((x) => x.clientSap === sap)!;
    const id = `associate:${sap}`;
    const title = `${a.title} (${u(sap)}) associates`;
    if (cred(sap) === undefined) {
      checks.push({ id, title, status: 'skip', findings: [], detail: 'no keys given (--keys)' });
      continue;
    }
    try {
      const c = await open(sap);
      await session(c, async () => undefined);
      usable.add(sap);
      checks.push(outcome(id, title, []));
    } catch (e) {
      checks.push(failure(id, title, e, `associations[${sap}]`, 'association'));
    }
    if (sap !== 16 && usable.has(sap)) {
      const pid = `security:plain-refused:${sap}`;
      const ptitle = `${a.title} refuses an association without ciphering`;
      try {
        const c = await open(sap, { policy: 'none' });
        await session(c, async () => undefined);
        checks.push(
          outcome(pid, ptitle, [
            {
              id: 'plain-accepted',
              severity: 'error',
              message: `${a.title} (${u(sap)}) accepted an AARQ without ciphering; IS 15959 requires ${a.securityPolicy}`,
              path: `associations[${sap}]`,
            },
          ]),
        );
      } catch {
        checks.push(outcome(pid, ptitle, []));
      }
    }
  }

  // The session the data checks use: utility settings, else meter reader, else public.
  const dataSap = ([48, 32, 16] as const).find((s) => usable.has(s));
  if (dataSap === undefined) {
    checks.push(await pushCheck());
    return finish();
  }

  // Object lists and security policies, per association.
  for (const sap of saps.filter((s) => usable.has(s))) {
    const a = cat.associations.find((x) => x.clientSap === sap)!;
    try {
      const c = await open(sap);
      await session(c, async (c) => {
        const list = await c.get({ classId: 15, obis: '0.0.40.0.0.255', attribute: 2 });
        checks.push(
          outcome(
            `object-list:${sap}`,
            `${a.title} (${u(sap)}) object list and access rights`,
            checkObjectList(list, { clientSap: sap, variant }),
          ),
        );
        if (a.securitySetup) {
          const want = { none: 0, auth: 0x24, enc: 0x48, 'auth+enc': 0x6c }[a.securityPolicy];
          const p = await c.get({ classId: 64, obis: a.securitySetup, attribute: 2 });
          const got = 'value' in p && typeof p.value === 'number' ? p.value : -1;
          const findings: NetworkFinding[] =
            got === want
              ? []
              : [
                  {
                    id: 'security-policy',
                    severity: 'error',
                    message: `${a.securitySetup} security_policy is 0x${got.toString(16)}, ${a.securityPolicy} (0x${want.toString(16)}) expected`,
                    path: `${a.securitySetup}.attribute[2]`,
                    ...(bytesOf(p) ? { bytes: bytesOf(p)! } : {}),
                  },
                ];
          checks.push(outcome(`security-policy:${sap}`, `${a.title} security policy`, findings));
        }
      });
    } catch (e) {
      checks.push(failure(`object-list:${sap}`, `${a.title} object list`, e));
    }
  }

  // Profiles, registers, block transfer, selective access.
  try {
    let blocks = 0;
    const c = await open(dataSap, {
      onEvent: (e) => {
        if (e.type === 'block' && e.direction === 'received') blocks++;
      },
    });
    await session(c, async (c) => {
      for (const [id, p] of Object.entries(cat.profiles) as [ProfileId, ProfileDef][]) {
        try {
          const captureObjects = await c.get({ classId: 7, obis: p.obis, attribute: 3 });
          blocks = 0;
          const buffer = await c.get({ classId: 7, obis: p.obis, attribute: 2 });
          const bufferBlocks = blocks;
          const scalerUnits = p.scalerProfile
            ? {
                captureObjects: await c.get({ classId: 7, obis: p.scalerProfile, attribute: 3 }),
                buffer: await c.get({ classId: 7, obis: p.scalerProfile, attribute: 2 }),
              }
            : undefined;
          const findings = checkProfile(
            id,
            { captureObjects, buffer, scalerUnits },
            {
              variant,
              captureOrder: options.captureOrder ?? 'error',
              ...(options.expectedScalers ? { expectedScalers: options.expectedScalers } : {}),
            },
          );
          const rows = buffer.type === 'array' ? buffer.value.length : 0;
          checks.push(outcome(`profile:${id}`, `${p.title} (${p.obis})`, findings, `${rows} rows`));
          if (id === 'blockLoad') {
            const bt: NetworkFinding[] =
              bufferBlocks > 1
                ? []
                : [
                    {
                      id: 'block-transfer',
                      severity: rows > 100 ? 'error' : 'warning',
                      message: `the block-load buffer (${rows} rows) came in ${bufferBlocks} block(s): block transfer was not used`,
                      path: `${p.obis}.attribute[2]`,
                    },
                  ];
            checks.push(
              outcome('block-transfer', 'GET with block transfer (block load)', bt, `${bufferBlocks} blocks`),
            );
            checks.push(await selectiveAccess(c, p, rows));
          }
        } catch (e) {
          checks.push(failure(`profile:${id}`, `${p.title} (${p.obis})`, e, id));
        }
      }
      checks.push(await registers(c, cat, options));
    });
  } catch (e) {
    checks.push(failure('profiles', 'profiles', e));
  }

  // Invocation counter replay.
  const icSap = ([48, 32] as const).find((s) => usable.has(s));
  if (icSap === undefined) {
    checks.push({
      id: 'invocation-counter',
      title: 'a repeated invocation counter is refused',
      status: 'skip',
      findings: [],
      detail: 'needs a ciphered association (--keys)',
    });
  } else {
    checks.push(await replayCheck(icSap));
  }
  checks.push(await pushCheck());
  return finish();

  async function pushCheck(): Promise<CheckOutcome> {
    if (!pushed) {
      return {
        id: 'push',
        title: 'push format',
        status: 'skip',
        findings: [],
        detail: 'not listening for a push (--push-port); check a captured push with checkPush',
      };
    }
    const r = await pushed;
    if ('error' in r) return failure('push', 'push format and ciphering', r.error, 'push');
    return checkPush(r.apdu, {
      variant,
      ...(options.keys ? { keys: options.keys } : {}),
      ...(options.push?.pushObjectLists ? { pushObjectLists: options.push.pushObjectLists } : {}),
    });
  }

  async function replayCheck(sap: 32 | 48): Promise<CheckOutcome> {
    const title = `a repeated invocation counter is refused (${u(sap)})`;
    const inner = new MemoryInvocationCounterStore();
    let repeat = false;
    let last = 0;
    const store = {
      seedSent: (st: Uint8Array, k: string, n: number) => inner.seedSent(st, k, n),
      next: (st: Uint8Array, k: string) => {
        if (repeat) return last;
        last = inner.next(st, k);
        return last;
      },
      accept: (st: Uint8Array, k: string, n: number) => inner.accept(st, k, n),
    };
    const credentials = cred(sap)!;
    const st = new Uint8Array(8);
    st.set([0x41, 0x4d, 0x49]);
    globalThis.crypto.getRandomValues(st.subarray(3));
    let c: DlmsClient;
    try {
      c = await connectWithStore(sap, credentials, st, store);
    } catch (e) {
      return failure('invocation-counter', title, e);
    }
    try {
      await c.get({ classId: 8, obis: '0.0.1.0.0.255', attribute: 2 });
      repeat = true;
      let accepted = false;
      try {
        await c.get({ classId: 8, obis: '0.0.1.0.0.255', attribute: 2 });
        accepted = true;
      } catch {
        accepted = false;
      }
      return outcome(
        'invocation-counter',
        title,
        accepted
          ? [
              {
                id: 'replay-accepted',
                severity: 'error',
                message: `the meter answered a request that repeated invocation counter ${last} (replay accepted)`,
                path: `associations[${sap}].invocationCounter`,
              },
            ]
          : [],
        `request with counter ${last} sent twice`,
      );
    } finally {
      await c.close();
    }
  }

  async function connectWithStore(
    sap: 32 | 48,
    credentials: AssociationCredentials,
    systemTitle: Uint8Array,
    counters: {
      next(st: Uint8Array, k: string): number;
      accept(st: Uint8Array, k: string, n: number): void;
      seedSent(st: Uint8Array, k: string, n: number): void;
    },
  ): Promise<DlmsClient> {
    const link = await connectTcpWrapper({ host, port, client: sap, server: 1, connectTimeoutMs: 5000 });
    try {
      return await DlmsClient.associate(link, {
        authentication: sap === 32 ? 'lls' : 'hls-gmac',
        ...(credentials.password !== undefined ? { password: credentials.password } : {}),
        responseTimeoutMs: options.replayTimeoutMs ?? 1500,
        security: {
          systemTitle,
          ek: credentials.ek!,
          ak: credentials.ak!,
          policy: sap === 32 ? 'enc' : 'auth+enc',
          counters,
        },
        invocationCounter: {
          openPublicLink: () =>
            connectTcpWrapper({ host, port, client: 16, server: 1, connectTimeoutMs: 5000 }),
        },
      });
    } catch (e) {
      await link.close();
      throw e;
    }
  }

  function finish(): MeterCheckReport {
    const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
    for (const c of checks) counts[c.status]++;
    return {
      meter: {
        host,
        port,
        ...((options.serial ?? options.keys?.serial)
          ? { serial: options.serial ?? options.keys!.serial }
          : {}),
      },
      variant,
      startedAt: new Date(t0).toISOString(),
      durationMs: Date.now() - t0,
      checks,
      counts,
      passed: counts.fail === 0,
    };
  }
}

async function selectiveAccess(c: DlmsClient, p: ProfileDef, rows: number): Promise<CheckOutcome> {
  const findings: NetworkFinding[] = [];
  const to = new Date();
  const from = new Date(to.getTime() - 86_400_000);
  try {
    const buf = await c.get(
      { classId: 7, obis: p.obis, attribute: 2 },
      { selectiveAccess: byDateRange(from, to, { deviation: -330 }) },
    );
    const co = await c.get({ classId: 7, obis: p.obis, attribute: 3 });
    const typed = profileRows({ captureObjects: co, buffer: buf });
    for (const [i, r] of typed.entries()) {
      const t = typeof r.timestamp === 'string' ? Date.parse(r.timestamp) : Number.NaN;
      if (!(t >= from.getTime() - 1000 && t <= to.getTime() + 1000)) {
        findings.push({
          id: 'selective-access',
          severity: 'error',
          message: `selective access by range ${from.toISOString()}…${to.toISOString()} returned a row at ${String(r.timestamp)}`,
          path: `${p.obis}.attribute[2][${i}]`,
        });
        break;
      }
    }
    const period = p.capturePeriod || 900;
    const expected = Math.floor(86_400 / period);
    if (rows >= expected && Math.abs(typed.length - expected) > 2) {
      findings.push({
        id: 'selective-access',
        severity: 'error',
        message: `selective access by range over 24 h returned ${typed.length} rows, about ${expected} expected`,
        path: `${p.obis}.attribute[2]`,
      });
    }
    const n = Math.min(10, rows);
    if (n > 0) {
      const e = await c.get(
        { classId: 7, obis: p.obis, attribute: 2 },
        { selectiveAccess: byEntryRange(1, n) },
      );
      const got = e.type === 'array' ? e.value.length : -1;
      if (got !== n) {
        findings.push({
          id: 'selective-access',
          severity: 'error',
          message: `selective access by entry 1…${n} returned ${got} rows`,
          path: `${p.obis}.attribute[2]`,
        });
      }
    }
    return outcome(
      'selective-access',
      'selective access (block load by range and by entry)',
      findings,
      `${typed.length} rows in the last 24 h`,
    );
  } catch (e) {
    return failure('selective-access', 'selective access', e);
  }
}

async function registers(
  c: DlmsClient,
  cat: Is15959Catalogue,
  options: CheckMeterOptions,
): Promise<CheckOutcome> {
  const findings: NetworkFinding[] = [];
  const defs = cat.profiles.instantaneous.columns.filter(
    (d: ObjectDef) => d.classId === 3 && d.attribute === 2,
  );
  for (const d of defs) {
    const path = `${d.obis}`;
    try {
      const v = await c.get({ classId: 3, obis: d.obis, attribute: 2 });
      findings.push(...checkValue(d, v, `${path}.attribute[2]`));
      const suData = await c.get({ classId: 3, obis: d.obis, attribute: 3 });
      const su =
        suData.type === 'structure' && suData.value.length === 2
          ? {
              scaler: (suData.value[0] as { value: number }).value,
              unit: (suData.value[1] as { value: number }).value,
            }
          : undefined;
      if (!su) {
        findings.push({
          id: 'wrong-type',
          severity: 'error',
          message: `${d.name} (${d.obis}) scaler_unit must be structure { integer, enum }`,
          path: `${path}.attribute[3]`,
          ...(bytesOf(suData) ? { bytes: bytesOf(suData)! } : {}),
        });
        continue;
      }
      findings.push(
        ...checkScalerUnit(
          d,
          su,
          `${path}.attribute[3]`,
          options.expectedScalers ? { expectedScalers: options.expectedScalers } : {},
        ),
      );
      const range = PLAUSIBLE[su.unit];
      const raw = 'value' in v && typeof v.value === 'number' ? v.value : undefined;
      if (range && raw !== undefined && raw !== 0) {
        const x = raw * 10 ** su.scaler;
        if (x < range.min || x > range.max) {
          findings.push({
            id: 'wrong-scaler',
            severity: 'error',
            message: `${d.name} (${d.obis}) reads ${Number(x.toPrecision(6))} with scaler ${su.scaler}: not plausible for ${range.what} (${range.min}…${range.max}); the scaler is likely wrong`,
            path: `${path}.attribute[3]`,
            ...(bytesOf(suData) ? { bytes: bytesOf(suData)! } : {}),
          });
        }
      }
    } catch (e) {
      findings.push({
        id: 'read-failed',
        severity: 'error',
        message: `${d.name} (${d.obis}) could not be read: ${(e as Error).message}`,
        path,
      });
    }
  }
  return outcome(
    'registers',
    'instantaneous registers: types, scalers, units, magnitudes',
    findings,
    `${defs.length} registers`,
  );
}

/** Decodes a finding's bytes back to Data (for people reading a report). */
export function findingData(f: Finding): Data | undefined {
  if (!f.bytes) return undefined;
  try {
    return decodeData(Uint8Array.from(f.bytes.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));
  } catch {
    return undefined;
  }
}
