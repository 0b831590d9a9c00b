import { fromHex } from '@ami-interop/dlms';
import type { CaptureApdu, CaptureEntry, CaptureOptions, Framing } from '@ami-interop/dlms/capture';
import { decodeCapture } from '@ami-interop/dlms/capture';
import { nodeCryptoBackend } from '@ami-interop/dlms/security/node';
import { CliError, usage } from '../cli-error.ts';
import type { Command, Context } from '../command.ts';
import { bytesOrHexText, readBytesInput } from '../input.ts';
import { renderTree } from '../tree.ts';
import { readableApdu } from './dlms-access-view.ts';

const FRAMINGS = ['auto', 'hdlc', 'wrapper', 'apdu'] as const;

function key(ctx: Context, name: string, length: number): Uint8Array | undefined {
  const v = ctx.values[name] as string | undefined;
  if (v === undefined) return undefined;
  const b = fromHex(v);
  if (b.length !== length && !(length === 16 && b.length === 32)) {
    throw usage(`--${name} must be ${length} bytes of hex, got ${b.length}`);
  }
  return b;
}

const ARROW: Record<string, string> = {
  'client-to-server': 'client → server',
  'server-to-client': 'server → client',
  unknown: 'direction unknown',
};

function apduTree(a: CaptureApdu): unknown {
  const o: Record<string, unknown> = {};
  if (a.error)
    o.error = `[${a.error.code}] ${a.error.message}${a.error.offset !== undefined ? ` at offset ${a.error.offset}` : ''}`;
  if (a.decoded !== undefined) o.decoded = readableApdu(a.decoded);
  if (a.note) o.note = a.note;
  if (a.reassembled) o[`reassembled from ${a.reassembled.blocks} blocks`] = a.reassembled.data;
  if (a.security) {
    const s: Record<string, unknown> = {
      securityControl: a.security.securityControl,
      invocationCounter: a.security.invocationCounter,
    };
    if (a.security.systemTitle) s.systemTitle = a.security.systemTitle;
    if (a.security.error) s.notDeciphered = `[${a.security.error.code}] ${a.security.error.message}`;
    if (a.security.plain) s[`plain: ${a.security.plain.name}`] = apduTree(a.security.plain);
    o.security = s;
  }
  if (a.decoded === undefined && !a.security) o.hex = a.hex;
  return o;
}

function firstApduError(a: CaptureApdu | undefined): { code: string; message: string } | undefined {
  if (!a) return undefined;
  if (a.error) return a.error;
  if (a.security?.error && a.security.error.code !== 'NO_KEYS') return a.security.error;
  return firstApduError(a.security?.plain);
}

function printEntry(e: CaptureEntry): string {
  const link = e.summary;
  const what = e.error
    ? `error [${e.error.code}] ${e.error.message}${e.error.offset !== undefined ? ` at offset ${e.error.offset}` : ''}`
    : (e.apdu?.name ?? e.note ?? '');
  const head = `#${e.index} @${e.offset}  ${ARROW[e.direction]}  ${link}  ${what}${e.apdu && e.note ? `  (${e.note})` : ''}`;
  if (e.parameters) return renderTree({ parameters: e.parameters }, head);
  if (!e.apdu) return `${head}\n`;
  return renderTree(apduTree(e.apdu), head);
}

export function decodeCommand(): Command {
  return {
    name: 'decode',
    args: '[<HEX>...]',
    summary: 'decode frames and APDUs (one, or a whole capture) and print the conversation',
    options: {
      hex: { type: 'string', valueName: 'HEX', description: 'the bytes as hex (spaces, colons allowed)' },
      file: {
        type: 'string',
        valueName: 'FILE',
        description: 'read a capture: hex text with one frame per line, or a raw byte dump',
      },
      framing: { type: 'string', valueName: 'KIND', description: `auto (default), hdlc, wrapper or apdu` },
      ek: { type: 'string', valueName: 'HEX', description: 'global unicast encryption key (16 bytes)' },
      ak: { type: 'string', valueName: 'HEX', description: 'authentication key (16 bytes)' },
      dk: { type: 'string', valueName: 'HEX', description: 'dedicated key, for ded- ciphering' },
      'system-title': {
        type: 'string',
        valueName: 'HEX',
        description: "the client's system title, when the capture has no AARQ",
      },
      'server-system-title': {
        type: 'string',
        valueName: 'HEX',
        description: "the server's system title, when the capture has no AARE",
      },
    },
    details: [
      'Reads the bytes from the arguments (each one frame), --hex, --file or stdin. Framing is detected per frame (HDLC 7E…7E, wrapper',
      '00 01 …, else a bare APDU). HDLC segments are reassembled; system titles are learnt from the',
      'AARQ/AARE; with --ek/--ak, ciphered APDUs are deciphered and shown under their security header.',
      '',
      'Examples:',
      '  ami dlms decode 7EA0070321930F017E',
      '  ami dlms decode --hex "7E A0 07 03 21 93 0F 01 7E"',
      '  ami dlms decode --hex C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B \\',
      '    --ek 000102030405060708090A0B0C0D0E0F --ak D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF --system-title 4D4D4D0000BC614E',
      '  ami dlms decode --file capture.hex --ek … --ak … --json',
    ].join('\n'),
    async run(ctx) {
      const framing = (ctx.values.framing as string | undefined) ?? 'auto';
      if (!(FRAMINGS as readonly string[]).includes(framing)) {
        throw usage(`--framing must be one of ${FRAMINGS.join(', ')}`);
      }
      const options: CaptureOptions = {
        framing: framing as Framing | 'auto',
        keys: {},
        backend: nodeCryptoBackend,
      };
      const ek = key(ctx, 'ek', 16);
      const ak = key(ctx, 'ak', 16);
      const dk = key(ctx, 'dk', 16);
      if (ek) options.keys!.ek = ek;
      if (ak) options.keys!.ak = ak;
      if (dk) options.keys!.dk = dk;
      const st = key(ctx, 'system-title', 8);
      const sst = key(ctx, 'server-system-title', 8);
      if (st) options.clientSystemTitle = st;
      if (sst) options.serverSystemTitle = sst;

      const args = ctx.positionals;
      if (args.length > 0 && (ctx.values.hex !== undefined || ctx.values.file !== undefined)) {
        throw usage('give the bytes as arguments, --hex or --file, not several');
      }
      const { bytes, lines } =
        args.length > 0 ? { bytes: fromHex(args.join('')), lines: args } : await readBytesInput(ctx);
      if (bytes.length === 0) throw new CliError('empty input');
      // A file or stdin with several hex lines is a list of frames; everything else is one byte stream.
      const input =
        lines && lines.length > 1
          ? lines.map((l) => bytesOrHexText(new TextEncoder().encode(l)).bytes)
          : bytes;
      const entries = decodeCapture(input, options);
      if (ctx.json) ctx.emit(entries);
      else for (const e of entries) ctx.io.out(printEntry(e));
      // Exit 1 when anything failed to decode or decipher, so scripts notice.
      const first = entries.find((e) => e.error || firstApduError(e.apdu));
      if (!first) return 0;
      const err = first.error ?? firstApduError(first.apdu)!;
      if (ctx.json) return 1;
      throw new CliError(`frame #${first.index}: [${err.code}] ${err.message}`);
    },
  };
}
