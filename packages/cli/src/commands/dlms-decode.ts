import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { readBytesInput } from '../input.ts';

export function decodeCommand(): Command {
  return {
    name: 'decode',
    summary: 'decode a frame or APDU (hex on the command line, a file, or stdin) and print what it is',
    options: {
      hex: { type: 'string', valueName: 'HEX', description: 'the bytes as hex (spaces, colons allowed)' },
      file: { type: 'string', valueName: 'FILE', description: 'read the bytes from FILE (raw, or hex text)' },
    },
    details:
      'Examples:\n  ami dlms decode --hex "C0 01 81 00 08 00 00 01 00 00 FF 02 00"\n  echo 7EA0070321930F017E | ami dlms decode --json',
    async run(ctx) {
      const { bytes } = await readBytesInput(ctx);
      if (bytes.length === 0) throw new CliError('empty input');
      throw new CliError(
        `decoding ${bytes.length} byte(s): the APDU decoders are not wired in yet (issue 3)`,
      );
    },
  };
}
