/**
 * Byte-level mutations, shared by the coverage-guided fuzzer (which draws them from a seeded PRNG) and the
 * fast-check campaigns (which draw them from arbitraries, so failures shrink to a few operations).
 *
 * Every operation is a plain value applied by {@link applyMutation}; positions are taken modulo the input's
 * length, so any drawn number is valid. Inputs never grow past {@link MAX_INPUT} (64 KiB).
 *
 * @module
 */

/** Largest input a mutation may produce. */
export const MAX_INPUT = 64 * 1024;

/**
 * Values that sit on the boundaries decoders test: A-XDR/BER length forms (0x7F, 0x80, 0x81, 0x82, 0x84,
 * 0x88), signed/unsigned edges, the HDLC flag 0x7E and escape 0x7D, ASN.1 tags, and ASCII delimiters.
 */
export const INTERESTING_BYTES: readonly number[] = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x0a, 0x0d, 0x10, 0x13, 0x1f, 0x20, 0x22, 0x2e, 0x2f, 0x30, 0x3c,
  0x3e, 0x40, 0x60, 0x61, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x88, 0x8f, 0xa0, 0xbe, 0xc0, 0xc4,
  0xdb, 0xdf, 0xe0, 0xfe, 0xff,
];

/** Big-endian multi-byte values: lengths and counts at their limits. */
export const INTERESTING_WORDS: readonly number[] = [
  0x0000, 0x0001, 0x007f, 0x0080, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x7fffffff, 0x80000000,
  0xffffffff,
];

export type MutationOp =
  /** Flip one bit. */
  | { op: 'flip'; pos: number; bit: number }
  /** Overwrite one byte with an interesting value. */
  | { op: 'set'; pos: number; value: number }
  /** Add a small signed delta to one byte (lengths off by one). */
  | { op: 'add'; pos: number; delta: number }
  /** Overwrite 2 or 4 bytes with an interesting big-endian word. */
  | { op: 'word'; pos: number; size: 2 | 4; value: number }
  /** Insert bytes. */
  | { op: 'insert'; pos: number; bytes: Uint8Array }
  /** Delete a run of bytes. */
  | { op: 'delete'; pos: number; len: number }
  /** Duplicate a run of bytes in place (repeated elements, nested structures). */
  | { op: 'dup'; pos: number; len: number }
  /** Copy a run of bytes over another position. */
  | { op: 'copy'; from: number; to: number; len: number }
  /** Keep only a prefix. */
  | { op: 'truncate'; len: number }
  /** Replace the tail from `at` with another input's tail from `from` (crossover). */
  | { op: 'splice'; other: number; at: number; from: number }
  /** Insert a dictionary token (text targets). */
  | { op: 'token'; pos: number; token: number };

/** What mutations may draw on besides the input itself. */
export interface MutationPool {
  /** Other inputs, for `splice` (index taken modulo the length). */
  readonly others: readonly Uint8Array[];
  /** Dictionary tokens as bytes, for `token`. */
  readonly tokens: readonly Uint8Array[];
}

const EMPTY_POOL: MutationPool = { others: [], tokens: [] };

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(Math.min(n, MAX_INPUT));
  let o = 0;
  for (const p of parts) {
    if (o >= out.length) break;
    const take = Math.min(p.length, out.length - o);
    out.set(p.subarray(0, take), o);
    o += take;
  }
  return out;
}

const mod = (n: number, m: number): number => (m <= 0 ? 0 : ((n % m) + m) % m);

/** Applies one operation, returning a new array (the input is not modified). */
export function applyMutation(input: Uint8Array, m: MutationOp, pool: MutationPool = EMPTY_POOL): Uint8Array {
  const len = input.length;
  switch (m.op) {
    case 'flip': {
      if (len === 0) return input;
      const out = input.slice();
      out[mod(m.pos, len)]! ^= 1 << (m.bit & 7);
      return out;
    }
    case 'set': {
      if (len === 0) return Uint8Array.of(m.value & 0xff);
      const out = input.slice();
      out[mod(m.pos, len)] = m.value & 0xff;
      return out;
    }
    case 'add': {
      if (len === 0) return input;
      const out = input.slice();
      const p = mod(m.pos, len);
      out[p] = (out[p]! + m.delta) & 0xff;
      return out;
    }
    case 'word': {
      if (len < m.size) return input;
      const out = input.slice();
      const p = mod(m.pos, len - m.size + 1);
      for (let i = 0; i < m.size; i++) out[p + i] = (m.value >>> (8 * (m.size - 1 - i))) & 0xff;
      return out;
    }
    case 'insert': {
      const p = mod(m.pos, len + 1);
      return concat(input.subarray(0, p), m.bytes, input.subarray(p));
    }
    case 'delete': {
      if (len === 0) return input;
      const p = mod(m.pos, len);
      return concat(input.subarray(0, p), input.subarray(Math.min(len, p + Math.max(1, m.len))));
    }
    case 'dup': {
      if (len === 0) return input;
      const p = mod(m.pos, len);
      const run = input.subarray(p, Math.min(len, p + Math.max(1, m.len)));
      return concat(input.subarray(0, p), run, run, input.subarray(p + run.length));
    }
    case 'copy': {
      if (len < 2) return input;
      const from = mod(m.from, len);
      const to = mod(m.to, len);
      const n = Math.min(Math.max(1, m.len), len - from, len - to);
      const out = input.slice();
      out.set(input.subarray(from, from + n), to);
      return out;
    }
    case 'truncate':
      return input.subarray(0, mod(m.len, len + 1)).slice();
    case 'splice': {
      if (pool.others.length === 0) return input;
      const other = pool.others[mod(m.other, pool.others.length)]!;
      const at = mod(m.at, len + 1);
      const from = mod(m.from, other.length + 1);
      return concat(input.subarray(0, at), other.subarray(from));
    }
    case 'token': {
      if (pool.tokens.length === 0) return input;
      const t = pool.tokens[mod(m.token, pool.tokens.length)]!;
      const p = mod(m.pos, len + 1);
      return concat(input.subarray(0, p), t, input.subarray(p));
    }
  }
}

/** Applies operations in order. */
export function applyMutations(
  input: Uint8Array,
  ops: readonly MutationOp[],
  pool: MutationPool = EMPTY_POOL,
): Uint8Array {
  let x = input;
  for (const op of ops) x = applyMutation(x, op, pool);
  return x;
}

/**
 * A small, fast, seedable PRNG (a Weyl sequence through the murmur3 32-bit finaliser), so a fuzzing run is
 * reproducible from its seed. Not for cryptography.
 */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** 32 random bits. */
  u32(): number {
    this.#s = (this.#s + 0x9e3779b9) >>> 0;
    let z = this.#s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** 0 ≤ n < max. */
  below(max: number): number {
    return max <= 1 ? 0 : this.u32() % max;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

/** Draws one operation; small runs and small deltas are more likely, as in AFL's havoc stage. */
export function randomMutation(rng: Rng, input: Uint8Array, pool: MutationPool): MutationOp {
  const len = input.length;
  const pos = rng.below(len + 1);
  const small = (): number => 1 + rng.below(rng.below(4) === 0 ? 64 : 8);
  switch (rng.below(pool.tokens.length > 0 ? 12 : 11)) {
    case 0:
    case 1:
      return { op: 'flip', pos, bit: rng.below(8) };
    case 2:
      return { op: 'set', pos, value: rng.pick(INTERESTING_BYTES) };
    case 3:
      return { op: 'add', pos, delta: rng.below(2) === 0 ? 1 + rng.below(16) : -1 - rng.below(16) };
    case 4:
      return { op: 'word', pos, size: rng.below(2) === 0 ? 2 : 4, value: rng.pick(INTERESTING_WORDS) };
    case 5:
      return {
        op: 'insert',
        pos,
        bytes:
          rng.below(2) === 0 ? rng.bytes(small()) : new Uint8Array(small()).fill(rng.pick(INTERESTING_BYTES)),
      };
    case 6:
      return { op: 'delete', pos, len: small() };
    case 7:
      return { op: 'dup', pos, len: small() };
    case 8:
      return { op: 'copy', from: rng.below(len + 1), to: pos, len: small() };
    case 9:
      return { op: 'truncate', len: rng.below(len + 1) };
    case 10:
      return { op: 'splice', other: rng.u32(), at: pos, from: rng.u32() };
    default:
      return { op: 'token', pos, token: rng.u32() };
  }
}

/** UTF-8 bytes of dictionary tokens. */
export function tokenBytes(tokens: readonly string[] | undefined): Uint8Array[] {
  const enc = new TextEncoder();
  return (tokens ?? []).map((t) => enc.encode(t));
}
