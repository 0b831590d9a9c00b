/**
 * The coverage-guided loop, run inside a worker thread (see `worker.ts`), one target per worker.
 *
 * ```text
 * load seeds + corpus ─▶ run each alone, keep those with new features ─▶ loop until the deadline:
 *   pick a corpus entry, stack 1–16 mutations, run it  ×BATCH
 *   take coverage once for the batch (coarse: block reached or not)
 *   new coarse feature? ─▶ bisect the batch to the inputs that brought it, keep those with new
 *                          (bucketed) features
 *   violation of the rule? ─▶ shrink the input, report it, stop
 * ```
 *
 * Batching is what makes V8 coverage affordable: a take costs milliseconds (it walks every function of the
 * isolate), a decode microseconds, and new coverage is rare once the corpus has settled, so most batches
 * cost one take.
 *
 * Hangs and memory blow-ups cannot be caught from inside: before each call the input is copied into a
 * shared buffer with a heartbeat counter, which the main thread reads when the worker stops answering or
 * dies (see `cli.ts`).
 *
 * @module
 */
import { CoverageProbe } from './coverage.ts';
import { applyMutation, MAX_INPUT, type MutationPool, Rng, randomMutation, tokenBytes } from './mutate.ts';
import { checkInput, type ErrorGuard, type FuzzTarget, type Violation } from './target.ts';

/** Layout of the shared buffer: Int32 [heartbeat, length], then MAX_INPUT bytes of the current input. */
export const SHARED_HEADER = 8;
export const SHARED_SIZE = SHARED_HEADER + MAX_INPUT;

export interface EngineOptions {
  seconds: number;
  seed: number;
  /** Inputs per coverage take. */
  batch: number;
  /** Return a minimised corpus at the end (for `--save`). */
  minimise: boolean;
}

export interface EngineStats {
  execs: number;
  corpus: number;
  features: number;
  seconds: number;
  seeds: number;
  /** Coverage takes (each costs milliseconds: the main overhead). */
  takes: number;
}

export interface EngineResult {
  stats: EngineStats;
  finding?: { violation: Violation; input: Uint8Array; original: Uint8Array };
  /** Minimised corpus (smallest first), when asked. */
  corpus?: Uint8Array[];
}

export class Engine {
  readonly #target: FuzzTarget;
  readonly #guard: ErrorGuard;
  readonly #probe: CoverageProbe;
  readonly #heartbeat: Int32Array;
  readonly #current: Uint8Array;
  readonly #fine = new Set<number>();
  readonly #coarse = new Set<number>();
  readonly #corpus: Uint8Array[] = [];
  #execs = 0;
  #takes = 0;

  /**
   * @param guard the package's typed-error guard
   * @param shared the watchdog's shared buffer ({@link SHARED_SIZE} bytes)
   * @param coverageFilter which scripts count for coverage (by URL)
   */
  constructor(
    target: FuzzTarget,
    guard: ErrorGuard,
    shared: SharedArrayBuffer,
    coverageFilter?: (url: string) => boolean,
  ) {
    this.#target = target;
    this.#guard = guard;
    this.#probe = new CoverageProbe(coverageFilter);
    this.#heartbeat = new Int32Array(shared, 0, 2);
    this.#current = new Uint8Array(shared, SHARED_HEADER, MAX_INPUT);
  }

  /** One call under the rule, with the input published for the watchdog. */
  #exec(input: Uint8Array): Violation | undefined {
    this.#current.set(input.subarray(0, MAX_INPUT));
    Atomics.store(this.#heartbeat, 1, input.length);
    Atomics.add(this.#heartbeat, 0, 1);
    this.#execs++;
    const t0 = performance.now();
    const v = checkInput(this.#target, this.#guard, input);
    const ms = performance.now() - t0;
    if (v === undefined && ms > (this.#target.slowMs ?? 2000)) {
      // Confirm once (a shared machine has hiccups) before calling it slow.
      const t1 = performance.now();
      checkInput(this.#target, this.#guard, input);
      const again = performance.now() - t1;
      if (again > (this.#target.slowMs ?? 2000))
        return {
          kind: 'slow',
          message: `slow input: ${ms.toFixed(0)} ms, then ${again.toFixed(0)} ms`,
        };
    }
    return v;
  }

  /** Adds new fine features; true when there were any. */
  #learn(features: readonly number[]): boolean {
    let fresh = false;
    for (const f of features) {
      if (!this.#fine.has(f)) {
        this.#fine.add(f);
        fresh = true;
      }
    }
    return fresh;
  }

  #learnCoarse(features: readonly number[]): void {
    for (const f of features) this.#coarse.add(f);
  }

  #novel(coarse: readonly number[]): boolean {
    for (const f of coarse) if (!this.#coarse.has(f)) return true;
    return false;
  }

  /**
   * Finds which inputs of a batch brought the new coverage by halving: run a half, take coverage, go into
   * the halves that still show something new. A single input is profiled alone and kept if it adds fine
   * features. About 2·log2(batch) takes per new input instead of one take per input.
   */
  #bisect(inputs: readonly Uint8Array[]): { violation: Violation; input: Uint8Array } | undefined {
    if (inputs.length === 1) {
      const x = inputs[0]!;
      const p = this.#profile(x);
      if (p.violation) return { violation: p.violation, input: x };
      this.#learnCoarse(p.coarse);
      if (this.#learn(p.fine)) this.#corpus.push(x);
      return undefined;
    }
    const mid = inputs.length >> 1;
    for (const half of [inputs.slice(0, mid), inputs.slice(mid)]) {
      this.#probe.reset();
      for (const x of half) {
        const v = this.#exec(x);
        if (v) return { violation: v, input: x };
      }
      this.#takes++;
      if (this.#novel(this.#probe.take().coarse)) {
        const f = this.#bisect(half);
        if (f) return f;
      }
    }
    return undefined;
  }

  /** Runs one input alone and returns its features (coverage is reset before). */
  #profile(input: Uint8Array): { fine: number[]; coarse: number[]; violation: Violation | undefined } {
    this.#probe.reset();
    this.#takes++;
    const violation = this.#exec(input);
    return { ...this.#probe.take(), violation };
  }

  /** Greedy delta-debugging: remove chunks while the same kind of violation remains. */
  shrink(input: Uint8Array, kind: Violation['kind'], budget = 3000): Uint8Array {
    let best = input;
    let tries = 0;
    for (let chunk = Math.max(1, best.length >> 1); chunk >= 1 && tries < budget; chunk >>= 1) {
      for (let at = 0; at < best.length && tries < budget; ) {
        const candidate = new Uint8Array(best.length - Math.min(chunk, best.length - at));
        candidate.set(best.subarray(0, at));
        candidate.set(best.subarray(at + chunk), at);
        tries++;
        const v = this.#exec(candidate);
        if (v !== undefined && v.kind === kind) best = candidate;
        else at += chunk;
      }
    }
    return best;
  }

  #found(violation: Violation, input: Uint8Array, stats: () => EngineStats): EngineResult {
    // Shrinking re-runs the input thousands of times: not for inputs that take seconds each.
    if (violation.kind === 'slow') return { stats: stats(), finding: { violation, input, original: input } };
    const small = this.shrink(input, violation.kind);
    const final = checkInput(this.#target, this.#guard, small) ?? violation;
    return { stats: stats(), finding: { violation: final, input: small, original: input } };
  }

  /** Fuzzes from `starting` (seeds and corpus) until `options.seconds` have passed or a finding. */
  run(starting: readonly Uint8Array[], options: EngineOptions): EngineResult {
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    const rng = new Rng(options.seed);
    const stats = (): EngineStats => ({
      execs: this.#execs,
      corpus: this.#corpus.length,
      features: this.#fine.size,
      seconds: (performance.now() - started) / 1000,
      seeds: starting.length,
      takes: this.#takes,
    });
    this.#probe.start();
    try {
      for (const input of starting) {
        const p = this.#profile(input);
        if (p.violation) return this.#found(p.violation, input, stats);
        this.#learnCoarse(p.coarse);
        if (this.#learn(p.fine) || this.#corpus.length === 0) this.#corpus.push(input);
      }
      const pool: MutationPool = { others: this.#corpus, tokens: tokenBytes(this.#target.dictionary) };
      const batch: Uint8Array[] = [];
      while (performance.now() < deadline) {
        batch.length = 0;
        this.#probe.reset();
        for (let i = 0; i < options.batch; i++) {
          let x = this.#corpus[rng.below(this.#corpus.length)]!;
          const depth = 1 << rng.below(5);
          for (let k = 0; k < depth; k++) x = applyMutation(x, randomMutation(rng, x, pool), pool);
          batch.push(x);
          const v = this.#exec(x);
          if (v) return this.#found(v, x, stats);
        }
        const features = this.#probe.take();
        this.#takes++;
        if (!this.#novel(features.coarse)) continue;
        const f = this.#bisect(batch);
        if (f) return this.#found(f.violation, f.input, stats);
      }
      const result: EngineResult = { stats: stats() };
      if (options.minimise) result.corpus = this.minimise();
      return result;
    } finally {
      this.#probe.stop();
    }
  }

  /** Smallest inputs first, each kept only if it adds a feature the kept ones do not have. */
  minimise(): Uint8Array[] {
    const sorted = [...this.#corpus].sort((a, b) => a.length - b.length);
    const seen = new Set<number>();
    const keep: Uint8Array[] = [];
    for (const x of sorted) {
      const { fine } = this.#profile(x);
      let fresh = false;
      for (const f of fine) {
        if (!seen.has(f)) {
          seen.add(f);
          fresh = true;
        }
      }
      if (fresh) keep.push(x);
    }
    return keep;
  }
}
