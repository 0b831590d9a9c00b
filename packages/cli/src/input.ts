import { fromHex } from '@ami-interop/dlms';
import { usage } from './cli-error.ts';
import type { Context } from './command.ts';

/**
 * The bytes a command works on, from `--hex`, `--file` (raw bytes, or hex text when the file is all hex
 * and whitespace) or standard input (same rule). Exactly one source.
 */
export async function readBytesInput(ctx: Context): Promise<{ bytes: Uint8Array; lines?: string[] }> {
  const hex = ctx.values.hex as string | undefined;
  const file = ctx.values.file as string | undefined;
  if (hex !== undefined && file !== undefined) throw usage('give --hex or --file, not both');
  if (hex !== undefined) return { bytes: fromHex(hex) };
  const raw = file !== undefined ? ctx.io.readFile(file) : await ctx.io.readStdin();
  if (raw === undefined) throw usage('no input: give --hex HEX, --file FILE, or pipe bytes on stdin');
  return bytesOrHexText(raw);
}

/** Hex text (one frame per line allowed) when the content is only hex digits and separators; raw bytes otherwise. */
export function bytesOrHexText(raw: Uint8Array): { bytes: Uint8Array; lines?: string[] } {
  let text = true;
  for (const b of raw) {
    const hexDigit = (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
    const sep = b === 32 || b === 9 || b === 10 || b === 13 || b === 58 || b === 45;
    if (!hexDigit && !sep) {
      text = false;
      break;
    }
  }
  if (!text) return { bytes: raw };
  const s = new TextDecoder().decode(raw);
  const lines = s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return { bytes: fromHex(lines.join('')), lines };
}
