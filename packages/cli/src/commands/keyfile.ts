import { readFileSync } from 'node:fs';
import { fromHex } from '@ami-interop/dlms';
import {
  certificateFromPem,
  type KeyFileSummary,
  meterToJson,
  type OpeningKey,
  type OpenOptions,
  privateKeyFromPem,
  publicKeyFromPem,
  type Recipient,
} from '@ami-interop/keyfile';
import {
  openKeyFilePath,
  sealKeyFileToPath,
  verifyKeyFilePath,
  writeKeyPair,
} from '@ami-interop/keyfile/node';
import { usage } from '../cli-error.ts';
import type { Command, Context, Group } from '../command.ts';
import { str } from '../options.ts';

const text = (path: string): string => readFileSync(path, 'utf8');

function required(ctx: Context, name: string): string {
  const v = str(ctx, name);
  if (v === undefined) throw usage(`--${name} is required`);
  return v;
}

/** The key that opens a file: the HES private key (PEM), a password, or a pre-shared KEK. */
function openingKey(ctx: Context): OpeningKey | undefined {
  const key = str(ctx, 'key');
  const password = str(ctx, 'password');
  const kek = str(ctx, 'kek');
  const given = [key, password, kek].filter((x) => x !== undefined).length;
  if (given > 1) throw usage('give one of --key, --password, --kek');
  if (key !== undefined) return { kind: 'ecdh', privateKey: privateKeyFromPem(text(key)) };
  if (password !== undefined) return { kind: 'password', password };
  if (kek !== undefined) return { kind: 'kek', kek: fromHex(kek) };
  return undefined;
}

function openOptions(ctx: Context): OpenOptions {
  const o: OpenOptions = {};
  const k = openingKey(ctx);
  if (k) o.key = k;
  const trust = ctx.values.trust as string[] | undefined;
  if (trust?.length) o.trustedSigners = trust.map(text);
  return o;
}

function summary(s: KeyFileSummary): Record<string, unknown> {
  return {
    batchId: s.header.batchId,
    issuer: s.header.issuer,
    recipient: s.header.recipient,
    created: s.header.created,
    valid: `${s.header.notBefore} .. ${s.header.notAfter}`,
    keyManagement: s.header.keyManagement.alg,
    signer: s.signer.subject,
    meters: s.count,
  };
}

const OPEN_OPTIONS = {
  key: { type: 'string', valueName: 'FILE', description: "the HES's private key (PKCS#8 PEM)" },
  password: { type: 'string', valueName: 'TEXT', description: 'the password, for password-sealed files' },
  kek: {
    type: 'string',
    valueName: 'HEX',
    description: 'the pre-shared key-encryption key, for KEK-sealed files',
  },
  trust: {
    type: 'string',
    multiple: true,
    valueName: 'FILE',
    description: "a maker's certificate to trust; a file signed by anyone else is refused",
  },
} as const;

function keygenCommand(): Command {
  return {
    name: 'keygen',
    summary: 'make a P-256 key pair: NAME.key (PKCS#8 PEM), NAME.pub (SPKI PEM), and with --cert NAME.crt',
    options: {
      out: { type: 'string', short: 'o', valueName: 'NAME', description: 'path and name without extension' },
      cert: {
        type: 'string',
        valueName: 'DN',
        description: 'also a self-signed certificate, e.g. "CN=Maker Ltd, C=IN"',
      },
    },
    async run(ctx) {
      const name = required(ctx, 'out');
      const cert = str(ctx, 'cert');
      const written = await writeKeyPair(name, cert ? { cert: { subject: cert } } : {});
      ctx.emit(written, 'written');
      return 0;
    },
  };
}

function sealCommand(): Command {
  return {
    name: 'seal',
    summary: 'seal a meters CSV into a signed, encrypted key file for one HES',
    options: {
      meters: {
        type: 'string',
        valueName: 'CSV',
        description:
          'serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret (+ optional columns)',
      },
      recipient: {
        type: 'string',
        valueName: 'FILE',
        description: "the HES's public key or certificate (PEM)",
      },
      password: { type: 'string', valueName: 'TEXT', description: 'seal to a password instead (scrypt)' },
      kek: { type: 'string', valueName: 'HEX', description: 'seal to a pre-shared KEK instead (RFC 3394)' },
      'kek-id': { type: 'string', valueName: 'ID', description: 'the name of the pre-shared KEK' },
      signer: { type: 'string', valueName: 'FILE', description: "the maker's private key (PKCS#8 PEM)" },
      cert: { type: 'string', valueName: 'FILE', description: "the maker's certificate (PEM)" },
      out: { type: 'string', short: 'o', valueName: 'FILE', description: 'the key file to write' },
      issuer: {
        type: 'string',
        valueName: 'NAME',
        description: "the maker's name (default: the certificate's CN)",
      },
      'recipient-name': {
        type: 'string',
        valueName: 'NAME',
        description: "the HES's name (default: unified-hes)",
      },
      'valid-days': {
        type: 'string',
        valueName: 'N',
        description: 'validity from now, in days (default 30)',
      },
    },
    async run(ctx) {
      const meters = required(ctx, 'meters');
      const out = required(ctx, 'out');
      const modes = ['recipient', 'password', 'kek'].filter((k) => str(ctx, k) !== undefined);
      if (modes.length !== 1) throw usage('give exactly one of --recipient, --password, --kek');
      let recipient: Recipient;
      if (str(ctx, 'recipient'))
        recipient = { kind: 'ecdh', publicKey: publicKeyFromPem(text(str(ctx, 'recipient')!)) };
      else if (str(ctx, 'password')) recipient = { kind: 'password', password: str(ctx, 'password')! };
      else recipient = { kind: 'kek', kek: fromHex(str(ctx, 'kek')!), kekId: str(ctx, 'kek-id') ?? 'kek' };
      const certificate = text(required(ctx, 'cert'));
      const days = str(ctx, 'valid-days');
      if (days !== undefined && !/^\d+$/.test(days)) throw usage('--valid-days takes a whole number');
      const now = new Date(Math.floor(Date.now() / 1000) * 1000);
      const cn = certificateFromPem(certificate).commonName;
      const result = await sealKeyFileToPath(meters, out, {
        issuer: str(ctx, 'issuer') ?? cn ?? 'meter maker',
        recipientName: str(ctx, 'recipient-name') ?? 'unified-hes',
        recipient,
        signer: { privateKey: privateKeyFromPem(text(required(ctx, 'signer'))), certificate },
        created: now,
        notAfter: new Date(now.getTime() + Number(days ?? 30) * 86_400_000),
      });
      ctx.emit({ written: out, bytes: result.bytes }, 'sealed');
      return 0;
    },
  };
}

function openCommand(): Command {
  return {
    name: 'open',
    summary: 'verify and decrypt a key file and list its meters (keys only with --reveal)',
    args: '<FILE>',
    options: {
      ...OPEN_OPTIONS,
      reveal: {
        type: 'boolean',
        description: 'print the keys and secrets too (handle the output with care)',
      },
    },
    async run(ctx) {
      const [file, extra] = ctx.positionals;
      if (file === undefined) throw usage('give the key file');
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      const options = openOptions(ctx);
      if (!options.key) throw usage('give the key that opens it: --key, --password or --kek');
      const reveal = ctx.values.reveal === true;
      const meters: unknown[] = [];
      const s = await openKeyFilePath(file, options, (m) => {
        meters.push(
          reveal
            ? meterToJson(m, { reveal: true })
            : { serial: m.serial, systemTitle: meterToJson(m).systemTitle },
        );
      });
      if (ctx.json) ctx.emit({ ...summary(s), meters });
      else {
        ctx.emit(summary(s), `key file ${file}`);
        for (const m of meters as { serial: string; systemTitle: string }[]) {
          ctx.io.out(reveal ? `${JSON.stringify(m)}\n` : `${m.serial}  ${m.systemTitle}\n`);
        }
      }
      return 0;
    },
  };
}

function verifyCommand(): Command {
  return {
    name: 'verify',
    summary: 'check a key file: signature, integrity, validity and (with a key) that it is for us',
    args: '<FILE>',
    options: OPEN_OPTIONS,
    async run(ctx) {
      const [file, extra] = ctx.positionals;
      if (file === undefined) throw usage('give the key file');
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      const options = openOptions(ctx);
      // With a key, opening proves the file is for that key; without, only signature and validity are checked.
      const s = options.key
        ? await openKeyFilePath(file, options, () => undefined)
        : await verifyKeyFilePath(file, options);
      ctx.emit({ ok: true, ...summary(s), recipientChecked: options.key !== undefined }, `valid: ${file}`);
      return 0;
    },
  };
}

export function keyfileGroup(): Group {
  return {
    name: 'keyfile',
    summary: 'the secure meter key file: keygen, seal, open, verify',
    commands: [keygenCommand(), sealCommand(), openCommand(), verifyCommand()],
  };
}
