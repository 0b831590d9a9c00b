/**
 * Coverage feedback from V8 itself: `Profiler.startPreciseCoverage({ callCount: true, detailed: true })`
 * through `node:inspector`, read back with `Profiler.takePreciseCoverage` (which also resets the counters,
 * so each take covers exactly the code run since the previous one).
 *
 * V8 reports, per executed function, a list of ranges with execution counts: the function's own range and
 * every block whose count differs from its parent's (a block never run shows up with count 0). From that
 * {@link CoverageProbe.take} works out which blocks ran and how often; a **feature** is (script, block) for
 * "ran at least once", or (script, block, hit-count bucket) with the AFL buckets 1, 2, 3, 4–7, 8–15, 16–31,
 * 32–127, 128+.
 *
 * Only scripts the filter accepts count (by default: our package sources and their dependencies, not Node
 * internals, the TypeScript loader, the fuzzer or the vector loader).
 *
 * The session is same-thread, so `post` answers synchronously; the fuzzer runs in a worker thread, so this
 * profiles the worker's isolate only.
 *
 * @module
 */
import { Session } from 'node:inspector';

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: { functionName: string; ranges: CoverageRange[]; isBlockCoverage: boolean }[];
}

/** AFL's hit-count buckets. */
export function bucket(count: number): number {
  if (count < 4) return count;
  if (count < 8) return 4;
  if (count < 16) return 5;
  if (count < 32) return 6;
  if (count < 128) return 7;
  return 8;
}

/** Default filter: code under `packages/*\/src/` or a dependency in `node_modules`, minus the loader. */
export function defaultCoverageFilter(url: string): boolean {
  if (!url.startsWith('file://')) return false;
  if (url.includes('/node_modules/')) {
    return !(url.includes('/tsx/') || url.includes('/esbuild/') || url.includes('/fast-check/'));
  }
  return url.includes('/packages/') && url.includes('/src/');
}

export class CoverageProbe {
  readonly #session = new Session();
  readonly #filter: (url: string) => boolean;
  /** scriptId → small number, or -1 for scripts the filter rejects. */
  readonly #scripts = new Map<string, number>();
  #running = false;
  /** Per function (`script:start`): every block ever reported in it, start → end. */
  readonly #blocks = new Map<string, Map<number, number>>();

  constructor(filter: (url: string) => boolean = defaultCoverageFilter) {
    this.#filter = filter;
  }

  #post<T>(method: string, params?: object): T {
    let result: T | undefined;
    let error: Error | null = null;
    this.#session.post(method, params ?? {}, (err, res) => {
      error = err;
      result = res as T;
    });
    if (error) throw error;
    if (result === undefined) throw new Error(`inspector: ${method} did not answer synchronously`);
    return result;
  }

  start(): void {
    if (this.#running) return;
    this.#session.connect();
    this.#post('Profiler.enable');
    this.#post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    this.#running = true;
  }

  stop(): void {
    if (!this.#running) return;
    this.#post('Profiler.stopPreciseCoverage');
    this.#post('Profiler.disable');
    this.#session.disconnect();
    this.#running = false;
  }

  #scriptNumber(s: ScriptCoverage): number {
    let n = this.#scripts.get(s.scriptId);
    if (n === undefined) {
      n = this.#filter(s.url) ? this.#scripts.size + 1 : -1;
      this.#scripts.set(s.scriptId, n);
    }
    return n;
  }

  /**
   * The features of the code run since the previous take. Features are numbers (a 31-bit mix of script,
   * block and bucket; collisions are as rare as in AFL's map and only cost a missed input):
   *
   * - `coarse`: one per block executed at least once. This is exact for a batch of inputs (the blocks a
   *   batch executes are the union of the blocks each input executes), so one take checks a whole batch;
   * - `fine`: one per executed block and hit-count bucket, to keep inputs that run a loop more often.
   *
   * V8 only reports a block whose count differs from its parent's, so "executed" is worked out against
   * every block seen so far in that function: a block's count is the count of the innermost reported
   * range that contains it.
   */
  take(): { fine: number[]; coarse: number[] } {
    const { result } = this.#post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage');
    const fine: number[] = [];
    const coarse: number[] = [];
    for (const s of result) {
      const n = this.#scriptNumber(s);
      if (n < 0) continue;
      const base = Math.imul(n, 0x9e3779b1);
      for (const f of s.functions) {
        const ranges = f.ranges;
        if (ranges.length === 0 || ranges[0]!.count === 0) continue;
        const key = `${n}:${ranges[0]!.startOffset}`;
        let known = this.#blocks.get(key);
        if (known === undefined) {
          known = new Map();
          this.#blocks.set(key, known);
        }
        for (const r of ranges) if (!known.has(r.startOffset)) known.set(r.startOffset, r.endOffset);
        for (const [start, end] of known) {
          // Innermost reported range containing the block (ranges come outermost first).
          let count = 0;
          for (const r of ranges) if (r.startOffset <= start && end <= r.endOffset) count = r.count;
          if (count === 0) continue;
          const at = base ^ Math.imul(start + 1, 0x85ebca6b);
          coarse.push(at & 0x7fffffff);
          fine.push((at ^ Math.imul(bucket(count), 0x27d4eb2f)) & 0x7fffffff);
        }
      }
    }
    return { fine, coarse };
  }

  /** Discards the counts gathered so far. */
  reset(): void {
    this.#post('Profiler.takePreciseCoverage');
  }
}
