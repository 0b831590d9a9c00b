/**
 * fast-check arbitraries for the fuzz campaigns in `packages/<pkg>/test/fuzz-*.test.ts`: random bytes,
 * and vectors mutated by a short list of {@link MutationOp}s (so a failure shrinks to the vector and the
 * one or two operations that break the decoder), and a runner that applies the fuzzing rule of
 * {@link checkInput} and fails with the input as hex.
 *
 * @module
 */
import fc from 'fast-check';
import { seedInputs } from './corpus.ts';
import {
  applyMutations,
  INTERESTING_BYTES,
  INTERESTING_WORDS,
  MAX_INPUT,
  type MutationOp,
  type MutationPool,
  tokenBytes,
} from './mutate.ts';
import { checkInput, type FuzzTarget } from './target.ts';
import { GUARDS } from './targets/index.ts';

const pos = fc.nat({ max: 0xffff });

/** One mutation operation. */
export function arbMutationOp(withTokens: boolean): fc.Arbitrary<MutationOp> {
  const ops: fc.Arbitrary<MutationOp>[] = [
    fc.record({ op: fc.constant('flip' as const), pos, bit: fc.nat({ max: 7 }) }),
    fc.record({ op: fc.constant('set' as const), pos, value: fc.constantFrom(...INTERESTING_BYTES) }),
    fc.record({ op: fc.constant('add' as const), pos, delta: fc.integer({ min: -16, max: 16 }) }),
    fc.record({
      op: fc.constant('word' as const),
      pos,
      size: fc.constantFrom(2 as const, 4 as const),
      value: fc.constantFrom(...INTERESTING_WORDS),
    }),
    fc.record({
      op: fc.constant('insert' as const),
      pos,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    fc.record({ op: fc.constant('delete' as const), pos, len: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ op: fc.constant('dup' as const), pos, len: fc.integer({ min: 1, max: 32 }) }),
    fc.record({ op: fc.constant('copy' as const), from: pos, to: pos, len: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ op: fc.constant('truncate' as const), len: pos }),
    fc.record({ op: fc.constant('splice' as const), other: pos, at: pos, from: pos }),
  ];
  if (withTokens) ops.push(fc.record({ op: fc.constant('token' as const), pos, token: pos }));
  return fc.oneof(...ops);
}

/** A seed of the target with one to four mutations applied (seeds and pool from {@link seedInputs}). */
export function arbMutated(seeds: readonly Uint8Array[], pool: MutationPool): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new Error('arbMutated needs at least one seed');
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(arbMutationOp(pool.tokens.length > 0), { minLength: 1, maxLength: 4 }),
    )
    .map(([seed, ops]) => applyMutations(seed, ops, pool));
}

/** Random bytes up to `maxLength` (default 512), some starting with a seed's first byte (a valid tag). */
export function arbRandom(seeds: readonly Uint8Array[], maxLength = 512): fc.Arbitrary<Uint8Array> {
  const tags = [...new Set(seeds.filter((s) => s.length > 0).map((s) => s[0]!))];
  const plain = fc.uint8Array({ maxLength: Math.min(maxLength, MAX_INPUT) });
  if (tags.length === 0) return plain;
  return fc.oneof(
    plain,
    fc.tuple(fc.constantFrom(...tags), plain).map(([t, rest]) => {
      const out = new Uint8Array(rest.length + 1);
      out[0] = t;
      out.set(rest, 1);
      return out;
    }),
  );
}

/** The inputs of a campaign: random bytes and mutated vectors. */
export function campaignInputs(target: FuzzTarget): {
  seeds: Uint8Array[];
  random: fc.Arbitrary<Uint8Array>;
  mutated: fc.Arbitrary<Uint8Array>;
} {
  const seeds = seedInputs(target);
  const pool: MutationPool = { others: seeds, tokens: tokenBytes(target.dictionary) };
  return { seeds, random: arbRandom(seeds), mutated: arbMutated(seeds, pool) };
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/**
 * Asserts the fuzzing rule on one input: throws an Error naming the target, the violation and the input as
 * hex (fast-check then shrinks and reports the smallest failing input). A call slower than the target's
 * `slowMs` (default 2 s) fails too.
 */
export function assertHandled(target: FuzzTarget, input: Uint8Array): void {
  const t0 = performance.now();
  let v = checkInput(target, GUARDS[target.pkg], input);
  const ms = performance.now() - t0;
  // A hang guard, not a benchmark: vitest cannot interrupt synchronous code, so a call that takes seconds
  // is reported here with its input (a true infinite loop is left to the fuzzer's watchdog).
  if (v === undefined && ms > (target.slowMs ?? 2000))
    v = { kind: 'slow', message: `one call took ${ms.toFixed(0)} ms` };
  if (v !== undefined)
    throw new Error(
      `${target.name}: ${v.kind}: ${v.message}\ninput (${input.length} bytes): ${toHex(input)}\n${v.stack ?? ''}`,
    );
}

/** fc.assert over both input kinds for one target. `runs` is per kind. */
export function runCampaign(target: FuzzTarget, runs: number, seed?: number): void {
  const { random, mutated } = campaignInputs(target);
  const params = seed === undefined ? { numRuns: runs } : { numRuns: runs, seed };
  fc.assert(
    fc.property(random, (input) => assertHandled(target, input)),
    params,
  );
  fc.assert(
    fc.property(mutated, (input) => assertHandled(target, input)),
    params,
  );
}
