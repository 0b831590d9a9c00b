import { toHex } from '@ami-interop/dlms';
import { type AcseApdu, encodeAcse } from '@ami-interop/dlms/acse';
import { apduFromJson, encodeXdlmsApdu } from '@ami-interop/dlms/apdu';
import { DATA_TAGS, dataFromJson, encodeData } from '@ami-interop/dlms/axdr';
import { encodeWrapperFrame } from '@ami-interop/dlms/wrapper';
import { CliError, usage } from '../cli-error.ts';
import type { Command } from '../command.ts';

const ACSE = new Set(['aarq', 'aare', 'rlrq', 'rlre']);

/** Encodes the JSON form `ami dlms decode --json` prints (an APDU, an ACSE APDU, or an A-XDR Data value). */
export function encodeJsonForm(json: unknown): Uint8Array {
  if (typeof json !== 'object' || json === null || typeof (json as { type?: unknown }).type !== 'string') {
    throw usage('the JSON must be an object with a "type" (an APDU, an ACSE APDU, or a Data value)');
  }
  const type = (json as { type: string }).type;
  if (ACSE.has(type)) return encodeAcse(json as AcseApdu);
  if (type in DATA_TAGS) return encodeData(dataFromJson(json as Parameters<typeof dataFromJson>[0]));
  return encodeXdlmsApdu(apduFromJson(json));
}

export function encodeCommand(): Command {
  return {
    name: 'encode',
    summary: 'encode an APDU, ACSE APDU or Data value from its JSON form (as decode --json prints it) to hex',
    args: '[<JSON>]',
    options: {
      file: {
        type: 'string',
        valueName: 'FILE',
        description: 'read the JSON from FILE (else the argument, else stdin)',
      },
      wrapper: {
        type: 'string',
        valueName: 'SRC:DST',
        description: 'put the APDU in a TCP/UDP wrapper frame from wPort SRC to wPort DST',
      },
    },
    details: [
      'Examples:',
      `  ami dlms encode '{"type":"long-unsigned","value":230}'`,
      "  ami dlms decode --hex C001C100080000010000FF0200 --json | jq '.[0].apdu.decoded' | ami dlms encode",
    ].join('\n'),
    async run(ctx) {
      const [arg, extra] = ctx.positionals;
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      const file = ctx.values.file as string | undefined;
      let text: string;
      if (arg !== undefined && file !== undefined)
        throw usage('give the JSON as an argument or --file, not both');
      if (arg !== undefined) text = arg;
      else if (file !== undefined) text = new TextDecoder().decode(ctx.io.readFile(file));
      else {
        const stdin = await ctx.io.readStdin();
        if (stdin === undefined)
          throw usage('no input: give the JSON as an argument, --file FILE, or on stdin');
        text = new TextDecoder().decode(stdin);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new CliError(`not JSON: ${(e as Error).message}`);
      }
      let bytes = encodeJsonForm(json);
      const wrapper = ctx.values.wrapper as string | undefined;
      if (wrapper !== undefined) {
        const m = /^(\d+):(\d+)$/.exec(wrapper);
        if (!m) throw usage('--wrapper takes SRC:DST wPorts, e.g. 16:1');
        bytes = encodeWrapperFrame({ source: Number(m[1]), destination: Number(m[2]), apdu: bytes });
      }
      if (ctx.json) ctx.emit({ hex: toHex(bytes), length: bytes.length });
      else ctx.io.out(`${toHex(bytes)}\n`);
      return 0;
    },
  };
}
