/**
 * `ami meter simulate|read|disconnect|reconnect|fw-upgrade|check`: the IS 15959 commands — simulated
 * meters on TCP, typed profile reads with units, remote disconnect/reconnect, firmware upgrade with
 * resume, and the conformance checker — on `@ami-interop/dlms/is15959/node` and `/is15959/operations`.
 */
import { writeFileSync } from 'node:fs';
import { fromHex } from '@ami-interop/dlms';
import type { DlmsClient } from '@ami-interop/dlms/client';
import { is15959Catalogue, type ProfileId, type Row } from '@ami-interop/dlms/is15959';
import {
  type AssociationCredentials,
  checkMeter,
  checkTrace,
  connectMeter,
  credentialsFor,
  renderCheckHtml,
  renderCheckText,
  type SimulatedMeterKeys,
  simulatorVariant,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import {
  type FirmwareProgress,
  readEvents,
  readProfile,
  readRelayState,
  remoteDisconnect,
  remoteReconnect,
  upgradeFirmware,
} from '@ami-interop/dlms/is15959/operations';
import { usage } from '../cli-error.ts';
import type { Command, Context, OptionSpec } from '../command.ts';
import { bytesOrHexText } from '../input.ts';
import { int, str } from '../options.ts';

/** How `simulate` waits to stop (default: SIGINT or SIGTERM); tests pass their own. */
export interface MeterIs15959Options {
  waitForStop?: () => Promise<void>;
}

const CONNECTION: Record<string, OptionSpec> = {
  host: { type: 'string', valueName: 'HOST', description: 'meter address (default 127.0.0.1)' },
  port: { type: 'string', valueName: 'PORT', description: 'TCP wrapper port (default 4059)' },
  client: {
    type: 'string',
    valueName: 'SAP',
    description: '16 public, 32 meter reader (LLS), 48 utility settings (HLS), 80 firmware (default 16)',
  },
  keys: {
    type: 'string',
    valueName: 'FILE',
    description: 'keys file written by `ami meter simulate --keys-out` (credentials of every association)',
  },
  serial: { type: 'string', valueName: 'S', description: 'which meter of the keys file (default: by port)' },
  ek: { type: 'string', valueName: 'HEX', description: 'global unicast encryption key (ciphered clients)' },
  ak: { type: 'string', valueName: 'HEX', description: 'authentication key (ciphered clients)' },
  secret: {
    type: 'string',
    valueName: 'S',
    description: 'client 32: the LLS password; clients 48/80 with HLS (mechanism 2): the secret in hex',
  },
  auth: {
    type: 'string',
    valueName: 'MECH',
    description: 'authentication of client 48: hls-gmac (default) or hls',
  },
  variant: { type: 'string', valueName: '1p|3p', description: 'meter variant (default 1p)' },
  timeout: { type: 'string', valueName: 'MS', description: 'response timeout (default 10000)' },
};

function hex(ctx: Context, name: string, len?: number): Uint8Array | undefined {
  const v = str(ctx, name);
  if (v === undefined) return undefined;
  if (!/^([0-9a-fA-F]{2})+$/.test(v) || (len !== undefined && v.length !== len * 2)) {
    throw usage(`--${name} must be ${len ?? 'some'} bytes of hex, got '${v}'`);
  }
  return fromHex(v);
}

function variantOf(ctx: Context): '1p' | '3p' {
  const v = str(ctx, 'variant') ?? '1p';
  if (v !== '1p' && v !== '3p') throw usage(`--variant must be 1p or 3p, got '${v}'`);
  return v;
}

function loadKeys(ctx: Context): SimulatedMeterKeys[] | undefined {
  const file = str(ctx, 'keys');
  if (file === undefined) return undefined;
  let list: SimulatedMeterKeys[];
  try {
    list = JSON.parse(new TextDecoder().decode(ctx.io.readFile(file))) as SimulatedMeterKeys[];
  } catch (e) {
    throw usage(`--keys ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(list)) throw usage(`--keys ${file}: a JSON array of meters was expected`);
  return list;
}

interface Connection {
  host: string;
  port: number;
  client: 16 | 32 | 48 | 80;
  open(): Promise<DlmsClient>;
}

function connection(ctx: Context, defaultClient: 16 | 32 | 48 | 80): Connection {
  const host = str(ctx, 'host') ?? '127.0.0.1';
  const list = loadKeys(ctx);
  const serial = str(ctx, 'serial');
  let fileKeys = serial !== undefined ? list?.find((x) => x.serial === serial) : undefined;
  if (list && serial !== undefined && !fileKeys) throw usage(`--keys: no meter with serial ${serial}`);
  const port = int(ctx, 'port', fileKeys?.port ?? 4059, 1, 65535);
  if (list && !fileKeys) {
    fileKeys = list.find((x) => x.port === port);
    if (!fileKeys) throw usage(`--keys: no meter on port ${port} (give --serial)`);
  }
  const client = int(ctx, 'client', defaultClient, 0, 255);
  if (client !== 16 && client !== 32 && client !== 48 && client !== 80) {
    throw usage(`--client must be 16, 32, 48 or 80, got ${client}`);
  }
  const cred: AssociationCredentials = fileKeys ? credentialsFor(fileKeys, client) : {};
  const ek = hex(ctx, 'ek', 16);
  const ak = hex(ctx, 'ak', 16);
  if (ek) cred.ek = ek;
  if (ak) cred.ak = ak;
  const secret = str(ctx, 'secret');
  if (secret !== undefined) {
    if (client === 32) cred.password = secret;
    else cred.secret = hex(ctx, 'secret');
  }
  const auth = str(ctx, 'auth');
  if (auth !== undefined && auth !== 'hls-gmac' && auth !== 'hls')
    throw usage(`--auth must be hls-gmac or hls`);
  const timeout = int(ctx, 'timeout', 10_000, 1, 600_000);
  return {
    host,
    port,
    client,
    open: () =>
      connectMeter({
        host,
        port,
        client,
        credentials: cred,
        responseTimeoutMs: timeout,
        ...(auth && client === 48 ? { authentication: auth } : {}),
      }),
  };
}

async function session<T>(conn: Connection, f: (c: DlmsClient) => Promise<T>): Promise<T> {
  const c = await conn.open();
  try {
    const r = await f(c);
    await c.release().catch(() => undefined);
    return r;
  } finally {
    await c.close();
  }
}

/** A cell as people read it: `231.4 V`, a date-time, text, or `—` with why a value is missing. */
export function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'object') return String(cell);
  const c = cell as Record<string, unknown>;
  if ('unit' in c && 'value' in c)
    return c.unit === '' || c.unit === 'count' ? String(c.value) : `${c.value} ${c.unit}`;
  if ('value' in c && c.value === null) return `— (${String(c.reason)})`;
  if ('hex' in c) return String(c.hex);
  if ('bits' in c) return String(c.bits);
  return JSON.stringify(c.raw ?? c);
}

function printRows(ctx: Context, title: string, rows: Row[]): void {
  ctx.io.out(`${title}: ${rows.length} row${rows.length === 1 ? '' : 's'}\n`);
  if (rows.length === 1) {
    const r = rows[0]!;
    const w = Math.max(...Object.keys(r).map((k) => k.length));
    for (const [k, v] of Object.entries(r)) ctx.io.out(`  ${k.padEnd(w)}  ${formatCell(v)}\n`);
    return;
  }
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((k) => formatCell(r[k])));
  const widths = cols.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
  ctx.io.out(`  ${cols.map((k, i) => k.padEnd(widths[i]!)).join('  ')}\n`);
  for (const c of cells) ctx.io.out(`  ${c.map((x, i) => x.padEnd(widths[i]!)).join('  ')}\n`);
}

const READ_KINDS: Record<string, ProfileId | 'events'> = {
  nameplate: 'namePlate',
  instantaneous: 'instantaneous',
  'block-load': 'blockLoad',
  'daily-load': 'dailyLoad',
  billing: 'billing',
  events: 'events',
};

function dateOption(ctx: Context, name: string): Date | undefined {
  const v = str(ctx, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!Number.isFinite(d.getTime())) throw usage(`--${name} must be an ISO 8601 date-time, got '${v}'`);
  return d;
}

function simulateCommand(o: MeterIs15959Options): Command {
  return {
    name: 'simulate',
    summary: 'run N simulated IS 15959 meters on TCP (wrapper) until Ctrl-C',
    options: {
      port: {
        type: 'string',
        valueName: 'P',
        description: 'first port; meter k on P+k (default 4059; 0 = any free ports)',
      },
      host: { type: 'string', valueName: 'HOST', description: 'address to bind (default 127.0.0.1)' },
      meters: { type: 'string', valueName: 'N', description: 'number of meters (default 1)' },
      variant: { type: 'string', valueName: '1p|3p', description: 'single- or three-phase (default 1p)' },
      seed: { type: 'string', valueName: 'S', description: 'seed of keys and data (default 1)' },
      'keys-out': {
        type: 'string',
        valueName: 'FILE',
        description: 'write [{serial, port, systemTitle, guek, gak, mk, lls, hlsUs, hlsFw, …}] (hex keys)',
      },
    },
    details: [
      'Each meter has its own serial number, system title and keys, derived from the seed (reproducible).',
      'Associations: 16 public; 32 meter reader (LLS, enc); 48 utility settings (HLS-GMAC, auth+enc);',
      '80 firmware upgrade (HLS, auth+enc). Example:',
      '  ami meter simulate --port 4059 --meters 3 --seed 42 --keys-out keys.json',
      '  ami meter read instantaneous --port 4059 --client 48 --keys keys.json',
    ].join('\n'),
    async run(ctx) {
      const meters = int(ctx, 'meters', 1, 1, 10_000);
      const port = int(ctx, 'port', 4059, 0, 65535);
      if (port !== 0 && port + meters - 1 > 65535) throw usage('--port + --meters − 1 must be at most 65535');
      const host = str(ctx, 'host') ?? '127.0.0.1';
      const seedText = str(ctx, 'seed') ?? '1';
      const seed =
        /^\d+$/.test(seedText) && Number.isSafeInteger(Number(seedText)) ? Number(seedText) : seedText;
      const variant = variantOf(ctx);
      const sim = await startSimulatedMeters({ host, port, meters, variant, seed });
      try {
        const records = sim.meters.map(({ handle: _h, ...k }) => k);
        const keysOut = str(ctx, 'keys-out');
        if (keysOut !== undefined) writeFileSync(keysOut, `${JSON.stringify(records, null, 2)}\n`);
        if (ctx.json) ctx.io.out(`${JSON.stringify({ listening: records })}\n`);
        else {
          ctx.io.out(
            `ami meter simulate: ${meters} ${variant} meter${meters === 1 ? '' : 's'} (seed ${seedText})\n`,
          );
          for (const m of records) {
            ctx.io.out(`  ${m.serial}  ${m.host}:${m.port}  system title ${m.systemTitle}  LLS ${m.lls}\n`);
          }
          ctx.io.out(
            keysOut !== undefined ? `keys written to ${keysOut}\nCtrl-C to stop.\n` : 'Ctrl-C to stop.\n',
          );
        }
        await (o.waitForStop ?? waitForSignal)();
      } finally {
        await sim.close();
      }
      if (!ctx.json) ctx.io.out('ami meter simulate: stopped\n');
      return 0;
    },
  };
}

function waitForSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function readCommand(): Command {
  return {
    name: 'read',
    summary: 'read an IS 15959 profile as typed rows with units',
    args: '<nameplate|instantaneous|block-load|daily-load|billing|events>',
    options: {
      ...CONNECTION,
      from: {
        type: 'string',
        valueName: 'ISO',
        description: 'rows from this instant (selective access by range)',
      },
      to: { type: 'string', valueName: 'ISO', description: 'rows up to this instant' },
    },
    async run(ctx) {
      const which = ctx.positionals[0];
      if (ctx.positionals.length !== 1 || which === undefined || !(which in READ_KINDS)) {
        throw usage(`ami meter read: expected one of ${Object.keys(READ_KINDS).join(', ')}`);
      }
      const kind = READ_KINDS[which]!;
      const conn = connection(ctx, 16);
      const cat = is15959Catalogue(simulatorVariant(variantOf(ctx)));
      const from = dateOption(ctx, 'from');
      const to = dateOption(ctx, 'to');
      const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
      if (kind === 'events') {
        const logs = await session(conn, (c) => readEvents(c, cat, range));
        if (ctx.json) ctx.io.out(`${JSON.stringify(logs, null, 2)}\n`);
        else for (const [k, rows] of Object.entries(logs)) printRows(ctx, k, rows);
        return 0;
      }
      const rows = await session(conn, (c) => readProfile(c, cat, kind, range));
      if (ctx.json) ctx.io.out(`${JSON.stringify(rows, null, 2)}\n`);
      else printRows(ctx, which, rows);
      return 0;
    },
  };
}

function relayCommand(name: 'disconnect' | 'reconnect'): Command {
  return {
    name,
    summary: `remote ${name} (Disconnect control 0.0.96.3.10.255) and print the relay state after`,
    options: CONNECTION,
    details: 'Needs the utility settings association: --client 48 (the default here).',
    async run(ctx) {
      const conn = connection(ctx, 48);
      const state = await session(conn, async (c) => {
        await (name === 'disconnect' ? remoteDisconnect(c) : remoteReconnect(c));
        return readRelayState(c);
      });
      if (ctx.json) ctx.io.out(`${JSON.stringify(state)}\n`);
      else {
        ctx.io.out(
          `relay ${state.connected ? 'connected' : 'disconnected'} (control_state ${state.controlState}, control_mode ${state.controlMode})\n`,
        );
      }
      const ok = name === 'disconnect' ? !state.connected : state.connected;
      return ok ? 0 : 1;
    },
  };
}

function checkCommand(): Command {
  const { client: _c, ek: _e, ak: _a, secret: _s, auth: _x, ...opts } = CONNECTION;
  return {
    name: 'check',
    summary: 'IS 15959 conformance check of a meter: pass/fail per check, with the bytes that failed',
    options: {
      ...opts,
      html: { type: 'string', valueName: 'FILE', description: 'also write a self-contained HTML report' },
      'push-port': {
        type: 'string',
        valueName: 'P',
        description: 'listen on port P (TCP wrapper) for one push during the check and check it',
      },
      'push-host': {
        type: 'string',
        valueName: 'HOST',
        description: 'address to listen on for the push (default 127.0.0.1)',
      },
      'push-timeout': {
        type: 'string',
        valueName: 'MS',
        description: 'how long to wait for the push from the start of the check (default 15000)',
      },
      trace: {
        type: 'string',
        valueName: 'FILE',
        description: 'check a recorded HES-meter trace instead (hex lines or raw bytes, both directions)',
      },
    },
    details: [
      'Associates at each level (16; 32, 48, 80 with --keys), reads object lists and access rights,',
      'every catalogued profile, registers, block transfer, selective access, invocation-counter replay.',
      'With --push-port P, listens for one push while checking and checks its format and ciphering.',
      'With --trace FILE, checks a recorded conversation instead: what was read, AARE results and',
      'invocation counters; --keys (with --serial when it lists several meters) deciphers it.',
      'Exit 0 only when every check passes (warnings and skipped checks do not fail). Example:',
      '  ami meter check --port 4059 --keys keys.json --html report.html',
      '  ami meter check --trace session.hex --keys keys.json --serial IS0000001 --json',
    ].join('\n'),
    async run(ctx) {
      const trace = str(ctx, 'trace');
      if (trace !== undefined) return runTraceCheck(ctx, trace);
      const host = str(ctx, 'host') ?? '127.0.0.1';
      const list = loadKeys(ctx);
      const serial = str(ctx, 'serial');
      let keys = serial !== undefined ? list?.find((x) => x.serial === serial) : undefined;
      if (list && serial !== undefined && !keys) throw usage(`--keys: no meter with serial ${serial}`);
      const port = int(ctx, 'port', keys?.port ?? 4059, 1, 65535);
      if (list && !keys) {
        keys = list.find((x) => x.port === port);
        if (!keys) throw usage(`--keys: no meter on port ${port} (give --serial)`);
      }
      const pushPort = str(ctx, 'push-port') === undefined ? undefined : int(ctx, 'push-port', 0, 1, 65535);
      const report = await checkMeter({
        host,
        port,
        variant: simulatorVariant(variantOf(ctx)),
        responseTimeoutMs: int(ctx, 'timeout', 10_000, 1, 600_000),
        ...(keys ? { keys } : {}),
        ...(serial !== undefined ? { serial } : {}),
        ...(pushPort !== undefined
          ? {
              push: {
                listen: { host: str(ctx, 'push-host') ?? '127.0.0.1', port: pushPort },
                timeoutMs: int(ctx, 'push-timeout', 15_000, 1, 600_000),
              },
            }
          : {}),
      });
      const html = str(ctx, 'html');
      if (html !== undefined) writeFileSync(html, renderCheckHtml(report));
      ctx.io.out(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : renderCheckText(report));
      return report.passed ? 0 : 1;
    },
  };
}

/** `ami meter check --trace FILE`: the checker on a recorded trace (hex lines are frames; else one stream). */
function runTraceCheck(ctx: Context, file: string): number {
  const list = loadKeys(ctx);
  const serial = str(ctx, 'serial');
  let keys = serial !== undefined ? list?.find((x) => x.serial === serial) : undefined;
  if (list && serial !== undefined && !keys) throw usage(`--keys: no meter with serial ${serial}`);
  if (list && !keys) {
    if (list.length !== 1) throw usage(`--keys lists ${list.length} meters: give --serial`);
    keys = list[0];
  }
  let raw: Uint8Array;
  try {
    raw = ctx.io.readFile(file);
  } catch (e) {
    throw usage(`--trace ${file}: ${(e as Error).message}`);
  }
  const { bytes, lines } = bytesOrHexText(raw);
  if (bytes.length === 0) throw usage(`--trace ${file}: empty`);
  const report = checkTrace({
    ...(lines && lines.length > 1
      ? { frames: lines.map((l) => bytesOrHexText(new TextEncoder().encode(l)).bytes) }
      : { bytes }),
    variant: simulatorVariant(variantOf(ctx)),
    source: file,
    ...(keys ? { keys } : {}),
    ...(serial !== undefined ? { serial } : {}),
  });
  const html = str(ctx, 'html');
  if (html !== undefined) writeFileSync(html, renderCheckHtml(report));
  ctx.io.out(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : renderCheckText(report));
  return report.passed ? 0 : 1;
}

function fwUpgradeCommand(): Command {
  return {
    name: 'fw-upgrade',
    summary: 'firmware upgrade through Image transfer (client 80): resumes an interrupted transfer',
    options: {
      ...CONNECTION,
      image: { type: 'string', valueName: 'FILE', description: 'the firmware image (required)' },
      id: { type: 'string', valueName: 'TEXT', description: 'image identifier (default: the file name)' },
      activate: {
        type: 'string',
        valueName: 'WHEN',
        description: 'now (default), never (verify only), or an ISO date-time to schedule activation',
      },
    },
    details: [
      'Resume: run the same command again after an interruption; blocks the meter already has (its',
      'image_transferred_blocks_status) are not sent again. Progress goes to stderr.',
    ].join('\n'),
    async run(ctx) {
      const file = str(ctx, 'image');
      if (file === undefined) throw usage('--image FILE is required');
      const image = ctx.io.readFile(file);
      const id = str(ctx, 'id') ?? (file.split(/[\\/]/).pop() || 'image');
      const when = str(ctx, 'activate') ?? 'now';
      let activate:
        | 'now'
        | false
        | {
            at: {
              time: { hour: number; minute: number; second: number; hundredths: number };
              date: { year: number; month: number; dayOfMonth: number; dayOfWeek: undefined };
            };
          };
      if (when === 'now') activate = 'now';
      else if (when === 'never') activate = false;
      else {
        const at = dateOption(ctx, 'activate')!;
        const l = new Date(at.getTime() + 330 * 60_000); // IS 15959 meters keep IST
        activate = {
          at: {
            time: {
              hour: l.getUTCHours(),
              minute: l.getUTCMinutes(),
              second: l.getUTCSeconds(),
              hundredths: 0,
            },
            date: {
              year: l.getUTCFullYear(),
              month: l.getUTCMonth() + 1,
              dayOfMonth: l.getUTCDate(),
              dayOfWeek: undefined,
            },
          },
        };
      }
      const conn = connection(ctx, 80);
      let last = -1;
      const onProgress = (p: FirmwareProgress): void => {
        if (p.phase === 'block') {
          const pct = Math.floor((100 * p.sent) / p.toSend);
          if (pct !== last && (pct % 10 === 0 || p.sent === p.toSend)) {
            last = pct;
            ctx.io.err(`  block ${p.sent}/${p.toSend} (${pct}%)\n`);
          }
        } else if (p.phase === 'initiate')
          ctx.io.err(`initiate: ${p.size} bytes, ${p.blocks} blocks of ${p.blockSize}\n`);
        else if (p.phase === 'resume')
          ctx.io.err(`resume: the meter already has ${p.alreadyOnMeter} of ${p.blocks} blocks\n`);
        else ctx.io.err(`${p.phase}\n`);
      };
      const r = await session(conn, (c) =>
        upgradeFirmware(c, { identifier: id, image, activate, onProgress }),
      );
      if (ctx.json) ctx.io.out(`${JSON.stringify(r)}\n`);
      else {
        ctx.io.out(
          `firmware ${id}: ${r.blocks} blocks (${r.sent} sent, ${r.resumed} already on the meter), image_transfer_status ${r.status}\n`,
        );
      }
      return 0;
    },
  };
}

/** The IS 15959 commands of the `meter` group. */
export function meterIs15959Commands(options: MeterIs15959Options = {}): Command[] {
  return [
    simulateCommand(options),
    readCommand(),
    checkCommand(),
    fwUpgradeCommand(),
    relayCommand('disconnect'),
    relayCommand('reconnect'),
  ];
}
