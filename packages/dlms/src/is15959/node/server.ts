/**
 * A simulated IS 15959 meter served by `DlmsServer` over the TCP wrapper: the object set of
 * `createSimulatedMeter`, plus what a live meter needs that the object set alone does not give:
 *
 * | association | client SAP | authentication | security |
 * |---|---|---|---|
 * | Public Client | 16 | none | none |
 * | Meter Reader | 32 | LLS (the seed-derived password) | variant's meter-reader policy (`enc` default), keys of SAP 32 |
 * | Utility Settings | 48 | HLS-GMAC (5) or HLS (2), per the variant | auth+enc, keys of SAP 48 |
 * | Firmware Upgrade | 80 | HLS (2, AES-128-ECB) | auth+enc, keys of SAP 80 |
 *
 * Push (SAP 64) is pre-established: nothing to associate; pushes go out with {@link SimulatedMeterHandle.push}.
 *
 * Behaviour added here (the core object set is not changed, only wrapped):
 * - **Invocation counters.** Each association's counter object `0.0.43.1.x.255` shows the last counter the
 *   meter accepted on that association (any client system title), so the IS 15959 recipe (read it over
 *   the public client, send with +1) works across connections.
 * - **Global key change.** A `global_key_transfer` on a Security setup takes effect when the session that
 *   carried it ends (its response is still protected with the old keys, which the client holds).
 * - **Utility Settings write rights** on the configuration objects of the operations: demand integration
 *   and capture periods, ESWF, clock, limiter thresholds, activity calendar (passive), billing-date single
 *   action schedule, profile capture periods; the Association LN secrets.
 * - **Activity calendar** 0.0.13.0.0.255 and **billing-date schedule** 0.0.15.0.0.255 when absent.
 * - **Firmware:** the Image transfer object really checks the image ({@link verifySimulatorImage}) and, on
 *   activation, the name plate's firmware version becomes the image's version.
 * - **Defects** ({@link SimulatorDefect}) for testing a conformance checker.
 *
 * @module
 */

import type { ConformanceBit } from '../../apdu/conformance.ts';
import type { Data } from '../../axdr/types.ts';
import { ActivityCalendarObject } from '../../cosem/activity-calendar.ts';
import { type AccessRights, AssociationLnObject, defaultAccessRights } from '../../cosem/association-ln.ts';
import { DataObject } from '../../cosem/data.ts';
import { ImageTransferObject } from '../../cosem/image-transfer.ts';
import { ATTRIBUTE_ACCESS, type CosemContext, type CosemObject } from '../../cosem/object.ts';
import { ProfileGenericObject } from '../../cosem/profile-generic.ts';
import { PushSetupObject } from '../../cosem/push-setup.ts';
import { RegisterObject } from '../../cosem/register.ts';
import { SecuritySetupObject } from '../../cosem/security-setup.ts';
import { SingleActionScheduleObject } from '../../cosem/single-action-schedule.ts';
import { DlmsError } from '../../errors.ts';
import { toHex } from '../../internal/hex.ts';
import { connectTcpWrapper, listenTcpWrapper, type TcpWrapperListener } from '../../node/wrapper-tcp.ts';
import { formatObis, parseObis } from '../../obis/index.ts';
import { type InvocationCounterStore, MemoryInvocationCounterStore } from '../../security/counter.ts';
import { DlmsServer } from '../../server/server.ts';
import type { ServerAssociation, ServerEvent, ServerKeys } from '../../server/types.ts';
import { verifySimulatorImage } from '../operations/image.ts';
import type { SimulatorSeed } from '../secrets.ts';
import { createSimulatedMeter, type SimulatedMeter } from '../simulator.ts';
import type { Is15959Variant, Is15959VariantInput } from '../variant.ts';

/**
 * A deliberate defect, for testing a checker (each one breaks one rule of IS 15959):
 * - `wrong-type`: the average voltage (1.0.12.27.0.255), in its register and in the block-load buffer, is a
 *   visible-string of its decimal text ("231.4") instead of a number;
 * - `wrong-scaler`: the instantaneous voltage (1.0.12.7.0.255) reports scaler −3 instead of −1 for the same
 *   raw value (so it reads 0.23 kV as 0.23 V: off by a factor of 100), in the register and the scaler profile;
 * - `missing-object`: no daily load profile (1.0.99.2.0.255, a [C] object);
 * - `wrong-access`: the Public Client may write the clock time (0.0.1.0.0.255 attribute 2);
 * - `counter-reuse`: the meter accepts a repeated invocation counter (no replay protection);
 * - `capture-order`: the block-load profile captures its average voltage and current columns swapped.
 */
export type SimulatorDefect =
  | 'wrong-type'
  | 'wrong-scaler'
  | 'missing-object'
  | 'wrong-access'
  | 'counter-reuse'
  | 'capture-order';

export const SIMULATOR_DEFECTS: readonly SimulatorDefect[] = Object.freeze([
  'wrong-type',
  'wrong-scaler',
  'missing-object',
  'wrong-access',
  'counter-reuse',
  'capture-order',
]);

/** Where pushes go (the HES's wrapper listener). */
export interface PushDestination {
  host: string;
  port: number;
  /** Push the instantaneous profile every this many ms (default: only on request, `handle.push()`). */
  intervalMs?: number;
}

export interface SimulatedMeterServerOptions {
  variant?: Is15959VariantInput | Is15959Variant;
  serial: string;
  seed: SimulatorSeed;
  /** The meter's time at start (default: the host clock). The meter's clock then runs in real time. */
  now?: Date;
  push?: PushDestination;
  defects?: readonly SimulatorDefect[];
  onEvent?: (event: ServerEvent) => void;
}

/** The variant a simulator uses unless told otherwise: Part 2, single-phase, Utility Settings with HLS-GMAC. */
export const DEFAULT_SIMULATOR_VARIANT: Is15959VariantInput = Object.freeze({
  part: 2,
  phases: 1,
  utilitySettingsMechanism: 5,
}) as Is15959VariantInput;

/** IS 15959 instance `x` of `0.0.40.0.x`, `0.0.43.0.x`, `0.0.43.1.x` per client SAP. */
const INSTANCE: Readonly<Record<number, number>> = { 16: 1, 32: 2, 48: 3, 64: 4, 80: 5 };

const CONFORMANCE: Readonly<Record<number, readonly ConformanceBit[]>> = {
  16: ['get', 'block-transfer-with-get-or-read', 'selective-access', 'multiple-references'],
  32: ['get', 'block-transfer-with-get-or-read', 'selective-access', 'multiple-references'],
  48: [
    'general-protection',
    'general-block-transfer',
    'get',
    'set',
    'action',
    'selective-access',
    'block-transfer-with-get-or-read',
    'block-transfer-with-set-or-write',
    'block-transfer-with-action',
    'multiple-references',
    'data-notification',
  ],
  80: [
    'get',
    'set',
    'action',
    'block-transfer-with-get-or-read',
    'block-transfer-with-set-or-write',
    'block-transfer-with-action',
  ],
};

/** Attributes the Utility Settings association may write, by logical name (besides the class defaults). */
const US_WRITABLE: Readonly<Record<string, readonly number[]>> = {
  '0.0.1.0.0.255': [2, 3, 5, 6, 7, 8, 9],
  '1.0.0.8.0.255': [2],
  '1.0.0.8.4.255': [2],
  '1.0.0.8.5.255': [2],
  '0.0.94.91.26.255': [2],
  '0.0.17.0.0.255': [3, 4, 5, 6, 7],
  '0.0.13.0.0.255': [6, 7, 8, 9, 10],
  '0.0.15.0.0.255': [2, 3, 4],
  '0.0.15.0.2.255': [4],
  '1.0.99.1.0.255': [4],
  '1.0.99.2.0.255': [4],
};

function withWrites(base: AccessRights, attrs: readonly number[] | undefined): AccessRights {
  if (!attrs) return base;
  return {
    attributeAccess: base.attributeAccess.map((a) =>
      attrs.includes(a.attributeId) ? { ...a, accessMode: ATTRIBUTE_ACCESS['read-and-write'] } : a,
    ),
    methodAccess: base.methodAccess,
  };
}

const u32 = (value: number): Data => ({ type: 'double-long-unsigned', value });

/** One meter, built and served on a listener. */
export interface SimulatedMeterHandle {
  readonly serial: string;
  readonly host: string;
  readonly port: number;
  readonly meter: SimulatedMeter;
  readonly server: DlmsServer;
  /** The keys in force now (they change with a global key transfer), by client SAP. */
  readonly keys: Readonly<Record<32 | 48 | 64 | 80, ServerKeys>>;
  /** Sends one push (the Push setup of `kind`) to the configured destination; returns the APDU sent. */
  push(kind?: 'instantaneous' | 'alert'): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A counter store that shows the last accepted counter of each association in its IS 15959 counter
 * object, and (for the `counter-reuse` defect) may accept replays.
 */
class MeterCounterStore implements InvocationCounterStore {
  readonly #inner = new MemoryInvocationCounterStore();
  constructor(
    readonly objects: { findByName(o: string): CosemObject | undefined },
    readonly acceptReplay: boolean,
  ) {}
  next(systemTitle: Uint8Array, keyId: string): number {
    return this.#inner.next(systemTitle, keyId);
  }
  accept(systemTitle: Uint8Array, keyId: string, ic: number): void {
    if (!this.acceptReplay) this.#inner.accept(systemTitle, keyId, ic);
    const sap = Number(/^sap(\d+)$/.exec(keyId)?.[1]);
    const x = INSTANCE[sap];
    if (x === undefined) return;
    const o = this.objects.findByName(`0.0.43.1.${x}.255`);
    if (o instanceof DataObject) {
      const cur = o.values.value;
      const old = cur.type === 'double-long-unsigned' ? cur.value : 0;
      if (ic > old || !this.acceptReplay) o.values.value = u32(Math.max(ic, old));
    }
  }
}

/** Builds the meter and its server (not listening yet). */
export function simulatedMeterServer(options: SimulatedMeterServerOptions): {
  meter: SimulatedMeter;
  server: DlmsServer;
  keys: Record<32 | 48 | 64 | 80, ServerKeys>;
} {
  const startNow = options.now ?? new Date();
  const t0 = Date.now();
  const clock = (): Date => new Date(startNow.getTime() + (Date.now() - t0));
  const meter = createSimulatedMeter({
    variant: options.variant ?? DEFAULT_SIMULATOR_VARIANT,
    serial: options.serial,
    seed: options.seed,
    now: startNow,
  });
  const defects = new Set(options.defects ?? []);
  for (const d of defects) {
    if (!SIMULATOR_DEFECTS.includes(d)) throw new DlmsError('INVALID_ARGUMENT', `unknown defect '${d}'`);
  }
  const objects = meter.objects;
  const s = meter.secrets;
  const keys = {
    32: { ek: s.keys[32].guek, ak: s.keys[32].gak },
    48: { ek: s.keys[48].guek, ak: s.keys[48].gak },
    64: { ek: s.keys[64].guek, ak: s.keys[64].gak },
    80: { ek: s.keys[80].guek, ak: s.keys[80].gak },
  } satisfies Record<32 | 48 | 64 | 80, ServerKeys>;

  // Objects the core set does not create.
  if (!objects.findByName('0.0.13.0.0.255')) objects.add(new ActivityCalendarObject('0.0.13.0.0.255'));
  if (!objects.findByName('0.0.15.0.0.255')) {
    objects.add(
      new SingleActionScheduleObject('0.0.15.0.0.255', {
        executedScript: { scriptLogicalName: parseObis('0.0.10.0.1.255'), scriptSelector: 1 },
        type: 1,
        // Day 1 of every month at 00:00 (any year, month and weekday).
        executionTime: [
          {
            time: { hour: 0, minute: 0, second: 0, hundredths: 0 },
            date: { year: undefined, month: undefined, dayOfMonth: 1, dayOfWeek: undefined },
          },
        ],
      }),
    );
  }
  // Firmware: an image transfer that checks the image and activates it.
  const it = objects.findByName('0.0.44.0.0.255');
  if (it instanceof ImageTransferObject) {
    objects.remove('0.0.44.0.0.255');
    objects.add(
      new ImageTransferObject('0.0.44.0.0.255', {
        blockSize: it.values.imageBlockSize,
        verify: (image) => verifySimulatorImage(image).ok,
        activate: (image) => {
          const v = verifySimulatorImage(image);
          if (!v.ok) return false;
          const version: Data = { type: 'octet-string', value: v.version.slice() };
          const fwv = objects.findByName('1.0.0.2.0.255');
          if (fwv instanceof DataObject) fwv.values.value = version;
          // The name plate profile holds one captured row: refresh its firmware version cell.
          const np = objects.findByName(meter.catalogue.profiles.namePlate.obis);
          if (np instanceof ProfileGenericObject) {
            const col = np.values.captureObjects.findIndex(
              (c) => formatObis(c.logicalName) === '1.0.0.2.0.255',
            );
            for (const row of np.values.buffer) if (col >= 0) row[col] = version;
          }
          return true;
        },
      }),
    );
  }
  // Image activation schedule: runs image_activate of the Image transfer at its execution time.
  if (!objects.findByName('0.0.15.0.2.255')) {
    objects.add(
      new SingleActionScheduleObject('0.0.15.0.2.255', {
        executedScript: { scriptLogicalName: parseObis('0.0.10.0.107.255'), scriptSelector: 1 },
        type: 4,
        executionTime: [],
        onExecute: (_item, _at, ctx) => {
          const img = objects.findByName('0.0.44.0.0.255');
          img?.action(4, { type: 'integer', value: 0 }, ctx);
        },
        onError: () => undefined,
      }),
    );
  }
  logTransactions(meter);
  applyDefects(meter, defects);

  // Rights.
  const ln = (sap: number) => objects.findByName(`0.0.40.0.${INSTANCE[sap]}.255`);
  const us = ln(48);
  if (us instanceof AssociationLnObject) {
    us.options.rights = (o) => withWrites(defaultAccessRights(o), US_WRITABLE[formatObis(o.logicalName)]);
  }
  const fw = ln(80);
  if (fw instanceof AssociationLnObject) {
    fw.options.rights = (o) =>
      withWrites(
        defaultAccessRights(o),
        formatObis(o.logicalName) === '0.0.15.0.2.255'
          ? [4]
          : formatObis(o.logicalName) === '0.0.44.0.0.255'
            ? [5]
            : undefined,
      );
  }
  const pub = ln(16);
  if (pub instanceof AssociationLnObject && defects.has('wrong-access')) {
    const prev = pub.options.rights;
    pub.options.rights = (o) => {
      const base = prev?.(o) ?? defaultAccessRights(o);
      return formatObis(o.logicalName) === '0.0.1.0.0.255' ? withWrites(base, [2]) : base;
    };
  }

  // Associations.
  const v = meter.variant;
  const associations: ServerAssociation[] = [
    { clientSap: 16, authentication: { mechanism: 'none' }, conformance: [...CONFORMANCE[16]!] },
    {
      clientSap: 32,
      authentication: { mechanism: 'lls', password: new TextEncoder().encode(s.llsSecret) },
      securityPolicy: v.meterReaderPolicy,
      keys: keys[32],
      conformance: [...CONFORMANCE[32]!],
    },
    {
      clientSap: 48,
      authentication:
        v.utilitySettingsMechanism === 5
          ? { mechanism: 'hls-gmac' }
          : { mechanism: 'hls', secret: s.hlsSecret[48] },
      securityPolicy: 'auth+enc',
      keys: keys[48],
      conformance: [...CONFORMANCE[48]!],
    },
  ];
  if (v.hasFirmwareAssociation) {
    associations.push({
      clientSap: 80,
      authentication: { mechanism: 'hls', secret: s.hlsSecret[80] },
      securityPolicy: 'auth+enc',
      keys: keys[80],
      conformance: [...CONFORMANCE[80]!],
    });
  }

  // Global key transfer: new keys take effect when the carrying session ends.
  const pending = new Map<number, ServerKeys>();
  for (const sap of [32, 48, 64, 80] as const) {
    const ss = objects.findByName(`0.0.43.0.${INSTANCE[sap]}.255`);
    if (!(ss instanceof SecuritySetupObject)) continue;
    ss.onKeysChanged = () => {
      pending.set(sap, {
        ek: ss.keys.globalUnicastEncryptionKey ?? keys[sap].ek,
        ak: ss.keys.authenticationKey ?? keys[sap].ak,
      });
    };
  }
  const counters = new MeterCounterStore(
    { findByName: (o) => objects.findByName(o) },
    defects.has('counter-reuse'),
  );
  const server = new DlmsServer({
    objects,
    associations,
    systemTitle: s.systemTitle,
    counterStore: counters,
    now: clock,
    onEvent: (e) => {
      if (e.type === 'released') {
        const k = pending.get(e.session.clientSap);
        if (k) {
          pending.delete(e.session.clientSap);
          const cur = keys[e.session.clientSap as 32 | 48 | 64 | 80];
          cur.ek = k.ek;
          cur.ak = k.ak;
        }
      }
      options.onEvent?.(e);
    },
  });
  return { meter, server, keys };
}

/** The 12 octets of a date-time at `at` as the meter shows it (local time at `deviation`, status 00). */
function dateTimeData(at: Date, deviation: number): Data {
  const l = new Date(at.getTime() - deviation * 60_000);
  const y = l.getUTCFullYear();
  const dow = l.getUTCDay();
  const dev = deviation & 0xffff;
  return {
    type: 'octet-string',
    value: Uint8Array.of(
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
    ),
  };
}

/**
 * Logs IS 15959 transaction events (151 RTC set … 166 MD reset) and control events (301/302) when the
 * operations succeed: each affected object's SET or ACTION is wrapped (on the instance) so that, after
 * it succeeds, a row `[clock, event code]` is appended to the event log (oldest dropped beyond its
 * depth) and the log's event-code object shows the code.
 */
function logTransactions(meter: SimulatedMeter): void {
  const objects = meter.objects;
  const append = (log: 'transactionEvents' | 'controlEvents', code: number, ctx: CosemContext): void => {
    const p = objects.findByName(meter.catalogue.profiles[log].obis);
    if (!(p instanceof ProfileGenericObject)) return;
    const cols = p.values.captureObjects;
    const row = cols.map((c): Data => {
      const ln = formatObis(c.logicalName);
      if (ln === '0.0.1.0.0.255') return dateTimeData(ctx.now(), meter.deviation);
      if (c.classId === 1 && ln.startsWith('0.0.96.11.')) return { type: 'long-unsigned', value: code };
      const o = objects.findByName(ln);
      try {
        return o ? o.get(c.attributeIndex, { now: ctx.now, objects }) : { type: 'null-data' };
      } catch {
        return { type: 'null-data' };
      }
    });
    p.values.buffer.push(row);
    const depth = p.values.profileEntries;
    if (depth > 0 && p.values.buffer.length > depth)
      p.values.buffer.splice(0, p.values.buffer.length - depth);
    const codeCol = cols.find((c) => c.classId === 1 && formatObis(c.logicalName).startsWith('0.0.96.11.'));
    const codeObj = codeCol && objects.findByName(formatObis(codeCol.logicalName));
    if (codeObj instanceof DataObject) codeObj.values.value = { type: 'long-unsigned', value: code };
  };
  const onSet = (ln: string, attrs: readonly number[], code: number): void => {
    const o = objects.findByName(ln);
    if (!o) return;
    const set = o.set.bind(o);
    o.set = (id, value, ctx, sa) => {
      set(id, value, ctx, sa);
      if (attrs.includes(id)) append('transactionEvents', code, ctx);
    };
  };
  const onAction = (
    ln: string,
    code: (method: number) => ['transactionEvents' | 'controlEvents', number] | undefined,
  ): void => {
    const o = objects.findByName(ln);
    if (!o) return;
    const action = o.action.bind(o);
    o.action = (id, params, ctx) => {
      const r = action(id, params, ctx);
      const c = code(id);
      if (c) append(c[0], c[1], ctx);
      return r;
    };
  };
  onSet('0.0.1.0.0.255', [2], 151);
  onSet('1.0.0.8.0.255', [2], 152);
  onSet('1.0.0.8.4.255', [2], 153);
  onSet('0.0.15.0.0.255', [4], 154);
  onSet('0.0.13.0.0.255', [10], 155);
  onAction('0.0.13.0.0.255', (m) => (m === 1 ? ['transactionEvents', 155] : undefined));
  onSet('0.0.17.0.0.255', [3, 4], 158);
  onSet('0.0.40.0.2.255', [7], 161);
  onAction('0.0.40.0.3.255', (m) => (m === 2 ? ['transactionEvents', 162] : undefined));
  onAction('0.0.40.0.5.255', (m) => (m === 2 ? ['transactionEvents', 163] : undefined));
  for (const x of [2, 3, 4, 5]) {
    onAction(`0.0.43.0.${x}.255`, (m) => (m === 2 ? ['transactionEvents', 164] : undefined));
  }
  onSet('0.0.94.91.26.255', [2], 165);
  onAction('0.0.10.0.1.255', (m) => (m === 1 ? ['transactionEvents', 166] : undefined));
  onAction('0.0.96.3.10.255', (m) =>
    m === 1 ? ['controlEvents', 301] : m === 2 ? ['controlEvents', 302] : undefined,
  );
  onAction('0.0.44.0.0.255', (m) => (m === 4 ? ['transactionEvents', 157] : undefined));
}

const numOf = (d: Data): number => ('value' in d && typeof d.value === 'number' ? d.value : 0);
/** A voltage (scaler −1) as its decimal text, as some meters send it. */
const asText = (d: Data): Data => ({ type: 'visible-string', value: (numOf(d) / 10).toFixed(1) });

function applyDefects(meter: SimulatedMeter, defects: ReadonlySet<SimulatorDefect>): void {
  const objects = meter.objects;
  if (defects.has('wrong-type')) {
    const r = objects.findByName('1.0.12.27.0.255');
    if (r instanceof RegisterObject) {
      r.values.value = asText(r.values.value);
    }
    const bl = objects.findByName(meter.catalogue.profiles.blockLoad.obis);
    if (bl instanceof ProfileGenericObject) {
      const col = bl.values.captureObjects.findIndex((c) => formatObis(c.logicalName) === '1.0.12.27.0.255');
      if (col >= 0) {
        for (const row of bl.values.buffer) {
          row[col] = asText(row[col]!);
        }
      }
    }
  }
  if (defects.has('wrong-scaler')) {
    const r = objects.findByName('1.0.12.7.0.255');
    if (r instanceof RegisterObject) {
      r.values.scalerUnit = { scaler: -3, unit: r.values.scalerUnit.unit };
    }
    for (const o of objects) {
      if (!(o instanceof ProfileGenericObject)) continue;
      const col = o.values.captureObjects.findIndex(
        (c) => formatObis(c.logicalName) === '1.0.12.7.0.255' && c.attributeIndex === 3,
      );
      if (col < 0) continue;
      for (const row of o.values.buffer) {
        row[col] = {
          type: 'structure',
          value: [
            { type: 'integer', value: -3 },
            { type: 'enum', value: 35 },
          ],
        };
      }
    }
  }
  if (defects.has('missing-object')) objects.remove(meter.catalogue.profiles.dailyLoad.obis);
  if (defects.has('capture-order')) {
    const bl = objects.findByName(meter.catalogue.profiles.blockLoad.obis);
    if (bl instanceof ProfileGenericObject) {
      const co = bl.values.captureObjects;
      const a = co.findIndex((c) => formatObis(c.logicalName).startsWith('1.0.12.27.'));
      const b = co.findIndex((c) => formatObis(c.logicalName).startsWith('1.0.11.27.'));
      if (a >= 0 && b >= 0) {
        [co[a], co[b]] = [co[b]!, co[a]!];
        for (const row of bl.values.buffer) [row[a], row[b]] = [row[b]!, row[a]!];
      }
    }
  }
}

export interface StartSimulatedMetersOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** First port; meter k listens on port + k. 0 = an ephemeral port for each meter. */
  port: number;
  /** Number of meters (default 1). */
  meters?: number;
  /** `'1p'`, `'3p'` or a full variant (default Part 2 single-phase, Utility Settings HLS-GMAC). */
  variant?: '1p' | '3p' | Is15959VariantInput | Is15959Variant;
  /** Seed of every secret and every synthetic value (default 1). */
  seed?: SimulatorSeed;
  /** Serial number of meter k (default `SIM` + 7-digit k + 1, e.g. `SIM0000001`). */
  serial?: (k: number) => string;
  now?: Date;
  push?: PushDestination;
  defects?: readonly SimulatorDefect[];
  onEvent?: (serial: string, event: ServerEvent) => void;
}

/** What a client needs to talk to one meter (hex keys): the `--keys-out` record. */
export interface SimulatedMeterKeys {
  serial: string;
  host: string;
  port: number;
  systemTitle: string;
  /** GUEK and GAK of Utility Settings (48); every association's are in `keys`. */
  guek: string;
  gak: string;
  /** Master key (KEK). */
  mk: string;
  /** LLS password of the Meter Reader (32). */
  lls: string;
  /** HLS secrets of Utility Settings (48) and Firmware Upgrade (80). */
  hlsUs: string;
  hlsFw: string;
  keys: Record<'32' | '48' | '64' | '80', { guek: string; gak: string }>;
}

export interface SimulatedMeters {
  readonly meters: readonly (SimulatedMeterKeys & { handle: SimulatedMeterHandle })[];
  close(): Promise<void>;
}

/** Resolves `'1p'`/`'3p'` and defaults (Utility Settings with HLS-GMAC unless the variant says otherwise). */
export function simulatorVariant(
  v: StartSimulatedMetersOptions['variant'],
): Is15959VariantInput | Is15959Variant {
  if (v === undefined || v === '1p') return DEFAULT_SIMULATOR_VARIANT;
  if (v === '3p') return { ...DEFAULT_SIMULATOR_VARIANT, phases: 3 };
  if (typeof v === 'object' && v !== null)
    return { utilitySettingsMechanism: 5, ...v } as Is15959VariantInput;
  throw new DlmsError('INVALID_ARGUMENT', `variant must be '1p', '3p' or an object, got ${String(v)}`);
}

/** The `--keys-out` record of a meter. */
export function simulatedMeterKeys(meter: SimulatedMeter, host: string, port: number): SimulatedMeterKeys {
  const s = meter.secrets;
  const k = (sap: 32 | 48 | 64 | 80) => ({ guek: toHex(s.keys[sap].guek), gak: toHex(s.keys[sap].gak) });
  return {
    serial: meter.serial,
    host,
    port,
    systemTitle: toHex(s.systemTitle),
    guek: toHex(s.keys[48].guek),
    gak: toHex(s.keys[48].gak),
    mk: toHex(s.masterKey),
    lls: s.llsSecret,
    hlsUs: toHex(s.hlsSecret[48]),
    hlsFw: toHex(s.hlsSecret[80]),
    keys: { 32: k(32), 48: k(48), 64: k(64), 80: k(80) },
  };
}

/**
 * Starts `meters` simulated meters, each with its own serial number, system title and keys (derived from
 * `seed`), each on its own TCP wrapper listener (`port + k`, or ephemeral ports with `port: 0`).
 * `close()` stops every listener, ends every session and frees every socket.
 */
export async function startSimulatedMeters(options: StartSimulatedMetersOptions): Promise<SimulatedMeters> {
  const n = options.meters ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new DlmsError('INVALID_ARGUMENT', `meters must be an integer 1..10000, got ${n}`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port + n - 1 > 65535) {
    throw new DlmsError('INVALID_ARGUMENT', `port must be 0..65535 (and port + meters − 1 too)`);
  }
  const host = options.host ?? '127.0.0.1';
  const variant = simulatorVariant(options.variant);
  const serialOf = options.serial ?? ((k: number) => `SIM${String(k + 1).padStart(7, '0')}`);
  const started: (SimulatedMeterKeys & { handle: SimulatedMeterHandle })[] = [];
  const closeAll = async () => {
    await Promise.all(started.map((m) => m.handle.close()));
  };
  try {
    for (let k = 0; k < n; k++) {
      const serial = serialOf(k);
      const handle = await serveSimulatedMeter({
        host,
        port: options.port === 0 ? 0 : options.port + k,
        variant,
        serial,
        seed: options.seed ?? 1,
        now: options.now,
        push: options.push,
        defects: options.defects,
        onEvent: options.onEvent ? (e) => options.onEvent!(serial, e) : undefined,
      });
      started.push({ ...simulatedMeterKeys(handle.meter, host, handle.port), handle });
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  let closed: Promise<void> | undefined;
  return {
    meters: started,
    close: () => {
      closed ??= closeAll();
      return closed;
    },
  };
}

/** One meter on its own listener. */
export async function serveSimulatedMeter(
  options: SimulatedMeterServerOptions & { host?: string; port: number },
): Promise<SimulatedMeterHandle> {
  const { meter, server, keys } = simulatedMeterServer(options);
  const host = options.host ?? '127.0.0.1';
  let listener: TcpWrapperListener;
  try {
    listener = await listenTcpWrapper({ host, port: options.port, servers: [1] });
  } catch (e) {
    await server.close();
    throw e;
  }
  const serving = server.serve(listener).catch(() => undefined);
  // The image activation schedule runs on the meter's clock, checked every second.
  const schedule = meter.objects.findByName('0.0.15.0.2.255');
  const ticker = setInterval(() => {
    if (schedule instanceof SingleActionScheduleObject) {
      try {
        schedule.tick({ now: server.now, objects: meter.objects });
      } catch {
        // A failed activation shows in image_transfer_status.
      }
    }
  }, 1000);
  ticker.unref?.();
  let closed: Promise<void> | undefined;
  let pushTimer: ReturnType<typeof setInterval> | undefined;
  const handle: SimulatedMeterHandle = {
    serial: meter.serial,
    host,
    port: listener.port,
    meter,
    server,
    keys,
    async push(kind = 'instantaneous') {
      const dest = options.push;
      if (!dest) throw new DlmsError('INVALID_ARGUMENT', 'no push destination configured');
      const ps = meter.catalogue.pushSetups.find((p) => p.profile === kind);
      const setup = ps ? meter.objects.findByName(ps.obis) : undefined;
      if (!(setup instanceof PushSetupObject)) {
        throw new DlmsError('INVALID_ARGUMENT', `this meter has no ${kind} push setup`);
      }
      return server.push(
        { connect: () => connectTcpWrapper({ host: dest.host, port: dest.port, client: 1, server: 64 }) },
        setup,
        { security: { policy: 'enc', ek: keys[64].ek, ak: keys[64].ak, keyId: 'sap64' } },
      );
    },
    close() {
      closed ??= (async () => {
        clearInterval(ticker);
        if (pushTimer) clearInterval(pushTimer);
        await server.close();
        await listener.close();
        await serving;
      })();
      return closed;
    },
  };
  const every = options.push?.intervalMs;
  if (every !== undefined) {
    if (!Number.isInteger(every) || every < 100) {
      await handle.close();
      throw new DlmsError('INVALID_ARGUMENT', `push.intervalMs must be an integer ≥ 100, got ${every}`);
    }
    pushTimer = setInterval(() => {
      handle.push('instantaneous').catch(() => undefined);
    }, every);
    pushTimer.unref?.();
  }
  return handle;
}
