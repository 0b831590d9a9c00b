/**
 * `ami meter serve`: a test meter on TCP (IEC 62056-47 wrapper or HDLC over TCP) built on `DlmsServer`
 * (`@ami-interop/dlms/server`), with a generic IS 15959-like object set: clock, energy/voltage/current
 * registers with scaler and unit, a name plate serial number, a block load profile of a few hundred rows,
 * and the Association LN objects of the Public Client (16, no security), Meter Reader (32, LLS) and Utility
 * Settings (48, HLS-GMAC with authenticated encryption). The LLS password, keys and system title are taken
 * from the options or generated and printed at start. Runs until SIGINT or SIGTERM, then closes every
 * session and the listener and exits 0.
 */
import { fromHex, toHex } from '@ami-interop/dlms';
import { conformanceFromNumber } from '@ami-interop/dlms/apdu';
import { cosemDateTimeFromDate, type Data, dateTimeAsOctetString } from '@ami-interop/dlms/axdr';
import {
  ClockObject,
  CosemObjectSet,
  DataObject,
  ProfileGenericObject,
  RegisterObject,
} from '@ami-interop/dlms/cosem';
import type { LinkListener } from '@ami-interop/dlms/link';
import { listenTcpHdlc, listenTcpWrapper } from '@ami-interop/dlms/node';
import { obis } from '@ami-interop/dlms/obis';
import { DlmsServer, type ServerEvent } from '@ami-interop/dlms/server';
import { usage } from '../cli-error.ts';
import type { Command, Context } from '../command.ts';
import { int, str } from '../options.ts';

function hexOption(ctx: Context, name: string, length: number, random: boolean): Uint8Array {
  const v = str(ctx, name);
  if (v === undefined) {
    const b = new Uint8Array(length);
    if (random) globalThis.crypto.getRandomValues(b);
    return b;
  }
  let b: Uint8Array;
  try {
    b = fromHex(v);
  } catch {
    throw usage(`--${name} must be hex, got '${v}'`);
  }
  if (b.length !== length) throw usage(`--${name} must be ${length} bytes, got ${b.length}`);
  return b;
}

function dateTimeOctets(d: Date): Data {
  return dateTimeAsOctetString(cosemDateTimeFromDate(d, -330));
}

/** The generic object set: clock, registers, serial number and a block load profile of `rows` rows. */
export function genericMeterObjects(rows: number, now: () => Date): CosemObjectSet {
  const buffer: Data[][] = [];
  const end = Math.floor(now().getTime() / 900_000) * 900_000;
  for (let i = 0; i < rows; i++) {
    buffer.push([
      dateTimeOctets(new Date(end - (rows - i) * 900_000)),
      { type: 'long-unsigned', value: 2280 + ((i * 7) % 60) },
      { type: 'long-unsigned', value: 100 + ((i * 13) % 400) },
      { type: 'double-long-unsigned', value: 250 + ((i * 31) % 500) },
    ]);
  }
  return new CosemObjectSet([
    new ClockObject(),
    new DataObject('0.0.96.1.0.255', { type: 'octet-string', value: new TextEncoder().encode('AMI0000001') }),
    new RegisterObject('1.0.1.8.0.255', {
      value: { type: 'double-long-unsigned', value: 1_234_567 },
      scalerUnit: { scaler: 0, unit: 30 },
    }),
    new RegisterObject('1.0.12.7.0.255', {
      value: { type: 'long-unsigned', value: 2301 },
      scalerUnit: { scaler: -1, unit: 35 },
    }),
    new RegisterObject('1.0.11.7.0.255', {
      value: { type: 'long-unsigned', value: 512 },
      scalerUnit: { scaler: -2, unit: 33 },
    }),
    new ProfileGenericObject('1.0.99.1.0.255', {
      captureObjects: [
        { classId: 8, logicalName: obis(0, 0, 1, 0, 0, 255), attributeIndex: 2, dataIndex: 0 },
        { classId: 3, logicalName: obis(1, 0, 12, 27, 0, 255), attributeIndex: 2, dataIndex: 0 },
        { classId: 3, logicalName: obis(1, 0, 11, 27, 0, 255), attributeIndex: 2, dataIndex: 0 },
        { classId: 3, logicalName: obis(1, 0, 1, 29, 0, 255), attributeIndex: 2, dataIndex: 0 },
      ],
      capturePeriod: 900,
      profileEntries: Math.max(rows, 1),
      buffer,
    }),
  ]);
}

export function meterServeCommand(): Command {
  return {
    name: 'serve',
    summary: 'run a test meter (DlmsServer) on TCP until Ctrl-C',
    options: {
      port: { type: 'string', valueName: 'PORT', description: 'TCP port (default 4059; 0 = any free port)' },
      host: { type: 'string', valueName: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
      link: { type: 'string', valueName: 'KIND', description: 'wrapper (default) or hdlc (HDLC over TCP)' },
      password: {
        type: 'string',
        valueName: 'TEXT',
        description: 'LLS password of client 32 (default: random, printed)',
      },
      ek: {
        type: 'string',
        valueName: 'HEX',
        description: 'encryption key of client 48 (default: random, printed)',
      },
      ak: {
        type: 'string',
        valueName: 'HEX',
        description: 'authentication key of client 48 (default: random, printed)',
      },
      'system-title': {
        type: 'string',
        valueName: 'HEX',
        description: 'server system title (default 414D490000000001)',
      },
      rows: {
        type: 'string',
        valueName: 'N',
        description: 'rows in the block load profile 1.0.99.1.0.255 (default 480)',
      },
      verbose: { type: 'boolean', short: 'v', description: 'print every association, release and refusal' },
    },
    details: [
      'Associations: 16 public client (no security, GET), 32 meter reader (LLS), 48 utility settings',
      '(HLS-GMAC, authenticated encryption). Example:',
      '  ami meter serve --port 4059 --password 12345678',
      '  ami meter get --host 127.0.0.1 --client 32 --auth lls --password 12345678 3/1.0.1.8.0.255/2',
    ].join('\n'),
    async run(ctx) {
      const port = int(ctx, 'port', 4059, 0, 65535);
      const host = str(ctx, 'host') ?? '127.0.0.1';
      const kind = str(ctx, 'link') ?? 'wrapper';
      if (kind !== 'wrapper' && kind !== 'hdlc') throw usage(`--link must be wrapper or hdlc, got '${kind}'`);
      const rows = int(ctx, 'rows', 480, 0, 100_000);
      const passwordText = str(ctx, 'password');
      const password = passwordText !== undefined ? new TextEncoder().encode(passwordText) : randomPassword();
      const ek = hexOption(ctx, 'ek', 16, true);
      const ak = hexOption(ctx, 'ak', 16, true);
      const systemTitle = str(ctx, 'system-title')
        ? hexOption(ctx, 'system-title', 8, false)
        : fromHex('414D490000000001');
      const verbose = ctx.values.verbose === true;
      const now = () => new Date();
      const server = new DlmsServer({
        objects: genericMeterObjects(rows, now),
        associations: [
          {
            clientSap: 16,
            authentication: { mechanism: 'none' },
            conformance: conformanceFromNumber(0x001214),
          },
          {
            clientSap: 32,
            authentication: { mechanism: 'lls', password },
            conformance: conformanceFromNumber(0x001e1d),
          },
          {
            clientSap: 48,
            authentication: { mechanism: 'hls-gmac' },
            securityPolicy: 'auth+enc',
            keys: { ek, ak },
            conformance: conformanceFromNumber(0x60fe1f),
          },
        ],
        systemTitle,
        now,
        onEvent: verbose ? (e) => ctx.io.err(`${describeEvent(e)}\n`) : undefined,
      });
      let listener: LinkListener & { port: number };
      try {
        listener =
          kind === 'wrapper' ? await listenTcpWrapper({ host, port }) : await listenTcpHdlc({ host, port });
      } catch (e) {
        await server.close();
        throw e;
      }
      const info = {
        listening: `${host}:${listener.port}`,
        link: kind,
        systemTitle: toHex(systemTitle),
        associations: {
          16: { authentication: 'none', security: 'none' },
          32: { authentication: 'lls', password: new TextDecoder().decode(password) },
          48: { authentication: 'hls-gmac', security: 'auth+enc', ek: toHex(ek), ak: toHex(ak) },
        },
        profileRows: rows,
      };
      if (ctx.json) ctx.io.out(`${JSON.stringify(info)}\n`);
      else {
        ctx.io.out(
          [
            `ami meter serve: listening on ${info.listening} (${kind}), server system title ${info.systemTitle}`,
            '  client 16  public client      no authentication, no security',
            `  client 32  meter reader      LLS password ${info.associations[32].password}`,
            `  client 48  utility settings  HLS-GMAC, auth+enc, EK ${info.associations[48].ek} AK ${info.associations[48].ak}`,
            `  objects: clock 0.0.1.0.0.255, registers 1.0.1.8.0.255 1.0.12.7.0.255 1.0.11.7.0.255, serial 0.0.96.1.0.255, load profile 1.0.99.1.0.255 (${rows} rows)`,
            'Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      }
      const serving = server.serve(listener);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      await listener.close();
      await serving.catch(() => undefined);
      if (!ctx.json) ctx.io.out('ami meter serve: stopped\n');
      return 0;
    },
  };
}

function randomPassword(): Uint8Array {
  const digits = new Uint8Array(8);
  globalThis.crypto.getRandomValues(digits);
  return new TextEncoder().encode(Array.from(digits, (d) => String(d % 10)).join(''));
}

function describeEvent(e: ServerEvent): string {
  const who = `session ${e.session.id} (client ${e.session.clientSap})`;
  switch (e.type) {
    case 'associated':
      return `${who}: associated (${e.mechanism})`;
    case 'released':
      return `${who}: released (${e.reason})`;
    case 'request':
      return `${who}: ${e.apdu}${e.ciphered ? ' (ciphered)' : ''}`;
    case 'refused':
      return `${who}: refused ${e.what}: ${e.reason}`;
  }
}
