/**
 * The benchmark contract. A file `packages/<pkg>/bench/<name>.bench.ts` exports
 * `cases(): BenchCase[] | Promise<BenchCase[]>`; `pnpm bench [regex]` runs every case whose
 * `group/name` matches and writes `docs/benchmarks.md` with the machine it ran on.
 *
 * @module
 */

export interface BenchCase {
  /** Section of the report, e.g. "dlms/axdr" or "dlms/security suite 0". */
  group: string;
  /** What one call does, e.g. "decode block-load get-response (3360 rows)". */
  name: string;
  /** One operation. May be async. */
  fn: () => unknown;
  /** Bytes processed by one call, for MB/s. */
  bytes?: number;
  /** Items (rows, frames, messages, associations) processed by one call, for items/s. */
  items?: number;
  /** What an item is called in the report ("rows", "messages", …). */
  itemName?: string;
  /** Minimum time to spend, ms (default 500). */
  time?: number;
  /** A note printed under the row (e.g. "node:crypto backend"). */
  note?: string;
}

/**
 * What `cases()` returns: the cases, and optionally a `teardown` the runner calls once they have run (or
 * were filtered out), for cases that hold sockets, servers or timers, so that `pnpm bench` exits.
 */
export type BenchCases = BenchCase[] & { teardown?: () => Promise<void> | void };

export interface BenchModule {
  cases(): BenchCases | Promise<BenchCases>;
}
