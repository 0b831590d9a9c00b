/**
 * Bundles the fuzzing worker and the targets with esbuild (already a dev dependency of the workspace) into
 * a fresh temporary folder: two plain ES modules, so workers start without a TypeScript loader (whose own
 * code would make every coverage take several times slower) and V8 coverage can be restricted to exactly
 * one script, the targets bundle (the code under test and its dependencies). The folder is outside the
 * repository, so linters never see the output; {@link Bundles.dispose} removes it.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Bundles {
  /** Path of the worker bundle. */
  worker: string;
  /** file: URL of the targets bundle (what the coverage filter matches). */
  targetsUrl: string;
  /** Removes the bundles. */
  dispose(): void;
}

export async function buildBundles(): Promise<Bundles> {
  const dir = mkdtempSync(join(tmpdir(), 'ami-interop-fuzz-'));
  await build({
    entryPoints: { worker: join(HERE, 'worker.ts'), targets: join(HERE, 'targets', 'index.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['ami-source'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // Some dependencies are CommonJS and call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return {
    worker: join(dir, 'worker.mjs'),
    targetsUrl: pathToFileURL(join(dir, 'targets.mjs')).href,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
