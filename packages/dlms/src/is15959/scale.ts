/**
 * Exact decimal scaling of COSEM values: `value × 10^scaler` as the double nearest to the exact decimal,
 * so that 2314 with scaler −1 is `231.4` (the same double as the literal), never `231.40000000000003`.
 *
 * For integers the result is computed from the exact operands with one correctly rounded IEEE operation
 * (a multiplication or a division by an exactly representable power of ten, 10^0..10^22), or, outside that
 * range (|scaler| > 22, integers beyond 2^53, bigint values), by parsing the decimal `<digits>e<scaler>`,
 * which JavaScript also rounds correctly. Floats are multiplied as they are (they carry binary noise of
 * their own).
 *
 * @module
 */

const POW10: readonly number[] = /* @__PURE__ */ Array.from({ length: 23 }, (_, i) => 10 ** i);

/** `raw × 10^scaler`, correctly rounded from the exact decimal (see the module doc). */
export function scaleExact(raw: number | bigint, scaler: number): number {
  if (typeof raw === 'bigint') return Number(`${raw}e${scaler}`);
  if (!Number.isInteger(raw)) return raw * 10 ** scaler;
  if (scaler === 0) return raw;
  if (Number.isSafeInteger(raw)) {
    if (scaler > 0 && scaler <= 22) return raw * POW10[scaler]!;
    if (scaler < 0 && scaler >= -22) return raw / POW10[-scaler]!;
  }
  return Number(`${BigInt(raw)}e${scaler}`);
}
