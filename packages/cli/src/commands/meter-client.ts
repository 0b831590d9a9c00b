/**
 * `ami meter get|set|action|objects`: a DLMS client session from the command line (TCP wrapper or HDLC
 * over TCP), built on `DlmsClient` (`@ami-interop/dlms/client`) and the links of `@ami-interop/dlms/node`.
 */
import { fromHex } from '@ami-interop/dlms';
import { type Data, dataFromJson, dataToJson } from '@ami-interop/dlms/axdr';
import {
  type AssociateOptions,
  type ClientAuthentication,
  DlmsClient,
  parseObjectList,
} from '@ami-interop/dlms/client';
import type { ApduLink } from '@ami-interop/dlms/link';
import { connectTcpHdlc, connectTcpWrapper } from '@ami-interop/dlms/node';
import { nodeCryptoBackend } from '@ami-interop/dlms/security/node';
import { usage } from '../cli-error.ts';
import type { Command, Context, OptionSpec } from '../command.ts';
import { int, str } from '../options.ts';

const AUTHS: Record<string, ClientAuthentication> = {
  none: 'none',
  lls: 'lls',
  hls: 'hls',
  'hls-md5': 'hls-md5',
  'hls-sha1': 'hls-sha1',
  'hls-gmac': 'hls-gmac',
  'hls-sha256': 'hls-sha256',
};

const SESSION: Record<string, OptionSpec> = {
  host: { type: 'string', valueName: 'HOST', description: 'meter or modem address (required)' },
  port: { type: 'string', valueName: 'PORT', description: 'TCP port (default 4059)' },
  link: { type: 'string', valueName: 'KIND', description: 'wrapper (default) or hdlc (HDLC over TCP)' },
  'server-address': {
    type: 'string',
    valueName: 'N',
    description: 'server logical device / HDLC upper address (default 1)',
  },
  'server-lower': { type: 'string', valueName: 'N', description: 'HDLC lower (physical) address, e.g. 256' },
  client: {
    type: 'string',
    valueName: 'SAP',
    description: 'client SAP: 16 public, 32 meter reader, 48 utility settings, … (default 16)',
  },
  auth: {
    type: 'string',
    valueName: 'MECH',
    description: 'none, lls, hls, hls-md5, hls-sha1, hls-gmac, hls-sha256 (default none)',
  },
  password: { type: 'string', valueName: 'TEXT', description: 'LLS password' },
  secret: { type: 'string', valueName: 'TEXT', description: 'HLS secret (mechanisms 2, 3, 4, 6)' },
  ek: { type: 'string', valueName: 'HEX', description: 'global unicast encryption key (ciphered context)' },
  ak: { type: 'string', valueName: 'HEX', description: 'authentication key (ciphered context)' },
  'system-title': {
    type: 'string',
    valueName: 'HEX',
    description: 'client system title, 8 bytes (ciphered context)',
  },
  timeout: { type: 'string', valueName: 'MS', description: 'response timeout (default 10000)' },
};

/** `<class>/<obis>/<index>`, e.g. `8/0.0.1.0.0.255/2`. */
export function parseRef(s: string | undefined): { classId: number; obis: string; index: number } {
  const m = /^(\d+)\/([0-9.:\-*]+)\/(-?\d+)$/.exec(s ?? '');
  if (!m) throw usage(`expected <class>/<obis>/<index>, e.g. 8/0.0.1.0.0.255/2, got '${s ?? ''}'`);
  return { classId: Number(m[1]), obis: m[2]!, index: Number(m[3]) };
}

async function openLink(ctx: Context): Promise<ApduLink> {
  const host = str(ctx, 'host');
  if (!host) throw usage('--host is required');
  const port = int(ctx, 'port', 4059, 0, 65535);
  const client = int(ctx, 'client', 16);
  const server = int(ctx, 'server-address', 1);
  const kind = str(ctx, 'link') ?? 'wrapper';
  if (kind === 'wrapper') return connectTcpWrapper({ host, port, client, server });
  if (kind === 'hdlc') {
    const lower = ctx.values['server-lower'] === undefined ? undefined : int(ctx, 'server-lower', 0);
    return connectTcpHdlc(
      lower === undefined
        ? { host, port, client, server }
        : { host, port, client, server, serverLower: lower },
    );
  }
  throw usage(`--link must be wrapper or hdlc, got '${kind}'`);
}

function associateOptions(ctx: Context): AssociateOptions {
  const auth = AUTHS[str(ctx, 'auth') ?? 'none'];
  if (!auth) throw usage(`--auth must be one of ${Object.keys(AUTHS).join(', ')}`);
  const o: AssociateOptions = { authentication: auth, responseTimeoutMs: int(ctx, 'timeout', 10_000) };
  const password = str(ctx, 'password');
  if (password !== undefined) o.password = password;
  const secret = str(ctx, 'secret');
  if (secret !== undefined) o.secret = secret;
  const ek = str(ctx, 'ek');
  const ak = str(ctx, 'ak');
  const st = str(ctx, 'system-title');
  if (ek || ak || st) {
    if (!ek || !ak || !st) throw usage('a ciphered context needs --ek, --ak and --system-title');
    const keys = { ek: fromHex(ek), ak: fromHex(ak), systemTitle: fromHex(st) };
    if (keys.ek.length !== 16 || keys.ak.length !== 16) throw usage('--ek and --ak must be 16 bytes of hex');
    if (keys.systemTitle.length !== 8) throw usage('--system-title must be 8 bytes of hex');
    // OpenSSL's AES-GCM: the CLI always runs in Node.
    o.security = { ...keys, backend: nodeCryptoBackend };
  }
  if (auth === 'lls' && password === undefined) throw usage('--auth lls needs --password');
  return o;
}

async function withClient<T>(ctx: Context, f: (c: DlmsClient) => Promise<T>): Promise<T> {
  const link = await openLink(ctx);
  let client: DlmsClient;
  try {
    client = await DlmsClient.associate(link, associateOptions(ctx));
  } catch (e) {
    await link.close();
    throw e;
  }
  try {
    return await f(client);
  } finally {
    await client.release().catch(() => client.close());
  }
}

function valueOption(ctx: Context, required: boolean): Data | undefined {
  const v = str(ctx, 'value');
  if (v === undefined) {
    if (required) throw usage(`--value is required, e.g. --value '{"type":"long-unsigned","value":5}'`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(v);
  } catch {
    throw usage('--value must be JSON (the typed Data form)');
  }
  return dataFromJson(json as Parameters<typeof dataFromJson>[0]);
}

const VALUE: OptionSpec = {
  type: 'string',
  valueName: 'JSON',
  description: `a Data value in typed JSON, e.g. '{"type":"long-unsigned","value":5}'`,
};

export function meterClientCommands(): Command[] {
  return [
    {
      name: 'get',
      summary: 'read one attribute from a meter',
      args: '<class>/<obis>/<attr>',
      options: SESSION,
      details:
        'Example: ami meter get --host 10.0.0.5 --client 32 --auth lls --password 12345678 8/0.0.1.0.0.255/2',
      async run(ctx) {
        const ref = parseRef(ctx.positionals[0]);
        const v = await withClient(ctx, (c) =>
          c.get({ classId: ref.classId, obis: ref.obis, attribute: ref.index }),
        );
        ctx.emit(dataToJson(v), `${ref.classId}/${ref.obis}/${ref.index}`);
        return 0;
      },
    },
    {
      name: 'set',
      summary: 'write one attribute of a meter',
      args: '<class>/<obis>/<attr>',
      options: { ...SESSION, value: VALUE },
      async run(ctx) {
        const ref = parseRef(ctx.positionals[0]);
        const value = valueOption(ctx, true)!;
        await withClient(ctx, (c) =>
          c.set({ classId: ref.classId, obis: ref.obis, attribute: ref.index }, value),
        );
        ctx.emit({ result: 'success' }, `${ref.classId}/${ref.obis}/${ref.index}`);
        return 0;
      },
    },
    {
      name: 'action',
      summary: 'invoke one method of a meter object',
      args: '<class>/<obis>/<method>',
      options: { ...SESSION, value: { ...VALUE, description: 'method parameters in typed JSON (optional)' } },
      async run(ctx) {
        const ref = parseRef(ctx.positionals[0]);
        const params = valueOption(ctx, false);
        const r = await withClient(ctx, (c) =>
          c.action({ classId: ref.classId, obis: ref.obis, method: ref.index }, params),
        );
        ctx.emit(
          r === undefined ? { result: 'success' } : { result: 'success', returned: dataToJson(r) },
          `${ref.classId}/${ref.obis}/${ref.index}`,
        );
        return 0;
      },
    },
    {
      name: 'objects',
      summary: 'list the objects the association sees (Association LN object_list, with access rights)',
      options: SESSION,
      async run(ctx) {
        const list = await withClient(ctx, (c) =>
          c.get({ classId: 15, obis: '0.0.40.0.0.255', attribute: 2 }),
        );
        const objects = parseObjectList(list);
        if (ctx.json) ctx.emit(objects);
        else {
          const lines = objects.map((o) => {
            const attrs = o.attributes.map((a) => `${a.id}:${a.access}`).join(' ');
            const methods = o.methods.map((m) => `${m.id}:${m.access}`).join(' ');
            return `${String(o.classId).padStart(3)} v${o.version}  ${o.logicalName.padEnd(18)}  attributes ${attrs || '-'}${methods ? `  methods ${methods}` : ''}`;
          });
          ctx.io.out(`${objects.length} objects\n${lines.join('\n')}\n`);
        }
        return 0;
      },
    },
  ];
}
