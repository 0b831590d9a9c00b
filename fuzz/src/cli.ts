/**
 * `pnpm fuzz` and `pnpm fuzz:ci`: the coverage-guided fuzzer's command line.
 *
 * ```text
 * pnpm fuzz                          every target, 30 s each, corpus saved
 * pnpm fuzz dlms-axdr --seconds 300  one target (or a prefix: `dlms`, `cim`, `keyfile`)
 * pnpm fuzz --list                   the targets and what each calls
 * pnpm fuzz dlms-apdu --replay F     run one input (a file, or hex) and print what happens
 * pnpm fuzz:ci                       every target within 110 s in total, nothing saved, exit 1 on a finding
 * ```
 *
 * Options: `--seconds N` per target, `--total-seconds N` (shared between the targets, for CI), `--seed N`
 * (printed, so any run can be repeated), `--batch N` (inputs per coverage take, default 128),
 * `--no-save`, `--hang-seconds N` (default 10), `--heap-mb N` (worker heap limit, default 512).
 *
 * Each target runs in its own worker thread with a heap limit. The main thread watches a heartbeat the
 * worker bumps before every call: a worker that stops bumping it (a hang) is terminated, and one that dies
 * (out of memory) is reported — in both cases with the input it was running, read from shared memory.
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Bundles, buildBundles } from './build.ts';
import { inputId, startingInputs, writeCorpus } from './corpus.ts';
import { type EngineOptions, type EngineResult, SHARED_HEADER, SHARED_SIZE } from './engine.ts';
import { checkInput, type FuzzTarget } from './target.ts';
import { ALL_TARGETS, GUARDS } from './targets/index.ts';
import type { WorkerInput } from './worker.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const FINDINGS_DIR = join(HERE, '..', 'findings');

interface Args {
  targets: FuzzTarget[];
  seconds: number;
  totalSeconds: number | undefined;
  seed: number;
  batch: number;
  save: boolean;
  hangSeconds: number;
  heapMb: number;
  list: boolean;
  replay: string | undefined;
  ci: boolean;
}

function usage(message: string): never {
  console.error(`fuzz: ${message}\nusage: pnpm fuzz [target|prefix ...] [--seconds N] [--total-seconds N] [--seed N]
       [--batch N] [--no-save] [--hang-seconds N] [--heap-mb N] [--list] [--replay FILE|HEX] [--ci]`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    targets: [],
    seconds: 30,
    totalSeconds: undefined,
    seed: (Date.now() ^ (process.pid << 16)) >>> 0,
    batch: 128,
    save: true,
    hangSeconds: 10,
    heapMb: 512,
    list: false,
    replay: undefined,
    ci: false,
  };
  const num = (i: number, name: string): number => {
    const v = Number(argv[i]);
    if (argv[i] === undefined || !Number.isFinite(v) || v < 0) usage(`${name} needs a number`);
    return v;
  };
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--') continue;
    else if (x === '--seconds') a.seconds = num(++i, x);
    else if (x === '--total-seconds') a.totalSeconds = num(++i, x);
    else if (x === '--seed') a.seed = num(++i, x) >>> 0;
    else if (x === '--batch') a.batch = Math.max(1, Math.floor(num(++i, x)));
    else if (x === '--hang-seconds') a.hangSeconds = num(++i, x);
    else if (x === '--heap-mb') a.heapMb = num(++i, x);
    else if (x === '--no-save') a.save = false;
    else if (x === '--save') a.save = true;
    else if (x === '--list') a.list = true;
    else if (x === '--replay') a.replay = argv[++i] ?? usage('--replay needs a file or hex');
    else if (x === '--ci') a.ci = true;
    else if (x.startsWith('-')) usage(`unknown option ${x}`);
    else names.push(x);
  }
  if (a.ci) {
    a.save = false;
    a.totalSeconds ??= 110;
  }
  if (names.length === 0) a.targets = [...ALL_TARGETS];
  for (const n of names) {
    const hits = ALL_TARGETS.filter((t) => t.name === n || t.name.startsWith(`${n}-`));
    if (hits.length === 0) usage(`no target ${n} (see --list)`);
    for (const t of hits) if (!a.targets.includes(t)) a.targets.push(t);
  }
  return a;
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

interface Outcome {
  target: FuzzTarget;
  result?: EngineResult;
  /** A finding from the watchdog (hang, worker death). */
  crash?: { kind: string; message: string; input: Uint8Array };
}

function runTarget(
  target: FuzzTarget,
  options: EngineOptions,
  args: Args,
  bundles: Bundles,
): Promise<Outcome> {
  const shared = new SharedArrayBuffer(SHARED_SIZE);
  const heartbeat = new Int32Array(shared, 0, 2);
  const current = (): Uint8Array =>
    new Uint8Array(shared, SHARED_HEADER, Math.max(0, Atomics.load(heartbeat, 1))).slice();
  const data: WorkerInput = {
    target: target.name,
    targetsUrl: bundles.targetsUrl,
    shared,
    options,
    starting: startingInputs(target),
  };
  const worker = new Worker(bundles.worker, {
    workerData: data,
    execArgv: ['--enable-source-maps'],
    resourceLimits: { maxOldGenerationSizeMb: args.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
  });
  return new Promise((resolve) => {
    let done = false;
    let lastBeat = -1;
    let lastChange = Date.now();
    // Startup, seeds, minimising and shrinking take time beyond `seconds`; past this the worker is stuck.
    const hardStop = Date.now() + (options.seconds + 120) * 1000;
    const finish = (o: Outcome): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      void worker.terminate();
      resolve(o);
    };
    const timer = setInterval(() => {
      const beat = Atomics.load(heartbeat, 0);
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastChange = Date.now();
      } else if (beat > 0 && Date.now() - lastChange > args.hangSeconds * 1000) {
        finish({
          target,
          crash: { kind: 'hang', message: `no progress for ${args.hangSeconds} s`, input: current() },
        });
      }
      if (Date.now() > hardStop)
        finish({
          target,
          crash: { kind: 'hang', message: 'worker did not finish in time', input: current() },
        });
    }, 250);
    worker.on('message', (result: EngineResult) => finish({ target, result }));
    worker.on('error', (e: Error & { code?: string }) =>
      finish({
        target,
        crash: {
          kind: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'worker-error',
          message: `${e.code ?? e.name}: ${e.message}\n${e.stack ?? ''}`,
          input: current(),
        },
      }),
    );
    worker.on('exit', (code) =>
      finish({
        target,
        crash: { kind: 'worker-exit', message: `worker exited with code ${code}`, input: current() },
      }),
    );
  });
}

function report(target: FuzzTarget, kind: string, message: string, input: Uint8Array, stack?: string): void {
  mkdirSync(FINDINGS_DIR, { recursive: true });
  const file = join(FINDINGS_DIR, `${target.name}-${inputId(input)}.bin`);
  writeFileSync(file, input);
  console.log(`\nFINDING target=${target.name} kind=${kind}`);
  console.log(`  ${message.split('\n').join('\n  ')}`);
  console.log(`  input (${input.length} bytes): ${toHex(input)}`);
  console.log(`  saved: ${file}`);
  console.log(`  replay: pnpm fuzz ${target.name} --replay ${file}`);
  if (stack) console.log(`  ${stack.split('\n').slice(0, 14).join('\n  ')}`);
}

function replay(args: Args): number {
  if (args.targets.length !== 1) usage('--replay needs exactly one target');
  const target = args.targets[0]!;
  const src = args.replay!;
  const input =
    /^[0-9a-fA-F\s]+$/.test(src) && src.replace(/\s/g, '').length % 2 === 0
      ? new Uint8Array(Buffer.from(src.replace(/\s/g, ''), 'hex'))
      : new Uint8Array(readFileSync(src));
  const t0 = performance.now();
  const v = checkInput(target, GUARDS[target.pkg], input);
  const ms = performance.now() - t0;
  if (v === undefined) {
    console.log(`${target.name}: handled correctly in ${ms.toFixed(1)} ms (${input.length} bytes)`);
    return 0;
  }
  report(target, v.kind, v.message, input, v.stack);
  return 1;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const t of ALL_TARGETS) console.log(`${t.name.padEnd(26)} ${t.description}`);
    return 0;
  }
  if (args.replay !== undefined) return replay(args);
  if (args.ci) {
    for (const t of args.targets.filter((x) => x.knownFinding))
      console.log(`SKIPPED ${t.name}: known finding, not fixed yet: ${t.knownFinding}`);
    args.targets = args.targets.filter((x) => !x.knownFinding);
  }
  const started = Date.now();
  const bundles = await buildBundles();
  console.log(
    `fuzz: ${args.targets.length} target(s), seed ${args.seed}, ${
      args.totalSeconds === undefined ? `${args.seconds} s each` : `${args.totalSeconds} s in total`
    }${args.save ? ', corpus saved' : ''}`,
  );
  let findings = 0;
  for (let i = 0; i < args.targets.length; i++) {
    const target = args.targets[i]!;
    let seconds = args.seconds;
    if (args.totalSeconds !== undefined) {
      // Each worker also spends ~1–2 s loading and replaying its seeds: budget for it.
      const left = args.totalSeconds - (Date.now() - started) / 1000;
      seconds = Math.max(0.5, left / (args.targets.length - i) - 2);
    }
    const options: EngineOptions = {
      seconds,
      seed: (args.seed + i * 0x9e3779b9) >>> 0,
      batch: args.batch,
      minimise: args.save,
    };
    const o = await runTarget(target, options, args, bundles);
    if (o.crash) {
      findings++;
      report(target, o.crash.kind, o.crash.message, o.crash.input);
      continue;
    }
    const r = o.result!;
    const s = r.stats;
    const line = `${target.name.padEnd(26)} ${String(s.execs).padStart(9)} execs ${String(Math.round(s.execs / Math.max(s.seconds, 0.001))).padStart(6)}/s  seeds ${String(s.seeds).padStart(3)}  corpus ${String(s.corpus).padStart(4)}  features ${s.features}  takes ${s.takes}`;
    console.log(line);
    if (r.finding) {
      findings++;
      const f = r.finding;
      report(target, f.violation.kind, f.violation.message, f.input, f.violation.stack);
      if (f.original.length !== f.input.length)
        console.log(`  (shrunk from ${f.original.length} bytes: ${toHex(f.original)})`);
    } else if (args.save && r.corpus) {
      const n = writeCorpus(target, r.corpus);
      console.log(`${''.padEnd(26)} corpus saved: ${n} file(s)`);
    }
  }
  bundles.dispose();
  const total = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: ${findings === 0 ? 'no findings' : `${findings} finding(s)`} in ${total} s`);
  return findings === 0 ? 0 : 1;
}

process.exitCode = await main();
