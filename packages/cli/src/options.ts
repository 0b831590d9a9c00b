import { usage } from './cli-error.ts';
import type { Context } from './command.ts';

/** A string option, or undefined when absent. */
export function str(ctx: Context, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** An integer option in [min, max], or `dflt` when absent; anything else is a usage error. */
export function int(
  ctx: Context,
  name: string,
  dflt: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = str(ctx, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? min === 0
          ? 'a non-negative integer'
          : `an integer of at least ${min}`
        : `an integer ${min}..${max}`;
    throw usage(`--${name} must be ${range}, got '${v}'`);
  }
  return n;
}
