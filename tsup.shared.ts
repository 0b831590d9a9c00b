import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

/**
 * One tsup entry per subpath export. The development `exports` map (which resolves to `src/*.ts`, so
 * tests and the CLI run without a build) is the single source: `./axdr` → `src/axdr/index.ts` becomes the
 * entry `axdr`, written to `dist/axdr.{js,cjs,d.ts,d.cts}`. `scripts/sync-exports.mjs` derives the
 * `publishConfig.exports` that point there.
 */
export function entriesFromExports(pkgDir: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | null>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== 'string' || subpath === './package.json') continue;
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    if (!existsSync(join(pkgDir, target))) throw new Error(`export ${subpath} points at missing ${target}`);
    entries[name] = target;
  }
  return entries;
}

export function amiTsupConfig(pkgDir: string, extra: Partial<Options> = {}): Options {
  return {
    entry: entriesFromExports(pkgDir),
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    target: 'es2022',
    outDir: 'dist',
    ...extra,
  };
}
