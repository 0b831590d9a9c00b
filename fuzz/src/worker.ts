/**
 * The fuzzing worker: runs {@link Engine} for one target and posts the result. `cli.ts` bundles this file
 * and the targets with esbuild (see `build.ts`) and starts it as plain JavaScript, so that the worker's
 * isolate holds only the code under test and the engine, and coverage counts only the targets bundle.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, type EngineOptions } from './engine.ts';
import type { ErrorGuard, FuzzPackage, FuzzTarget } from './target.ts';

export interface WorkerInput {
  target: string;
  /** file: URL of the bundled targets module (`targets/index.ts`). */
  targetsUrl: string;
  shared: SharedArrayBuffer;
  options: EngineOptions;
  /** Seeds and corpus, read by the main thread (the vector files are found relative to the sources). */
  starting: Uint8Array[];
}

interface TargetsModule {
  targetByName(name: string): FuzzTarget | undefined;
  GUARDS: Readonly<Record<FuzzPackage, ErrorGuard>>;
}

const data = workerData as WorkerInput;
const mod = (await import(data.targetsUrl)) as TargetsModule;
const target = mod.targetByName(data.target);
if (target === undefined) throw new Error(`unknown target ${data.target}`);
const engine = new Engine(target, mod.GUARDS[target.pkg], data.shared, (url) => url === data.targetsUrl);
parentPort?.postMessage(engine.run(data.starting, data.options));
