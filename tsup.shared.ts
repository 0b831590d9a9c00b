import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

/**
 * One tsup entry per subpath export. The `ami-source` condition of each export (the source file that
 * development tools resolve) is the single source: `./axdr` → `src/axdr/index.ts` becomes the entry
 * `axdr`, written to `dist/axdr.{js,cjs,d.ts,d.cts}`, which the `import`/`require` conditions (expanded by
 * `scripts/sync-exports.mjs`) point at.
 */
export function entriesFromExports(pkgDir: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
    exports: Record<string, string | null | { 'ami-source'?: string }>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, value] of Object.entries(pkg.exports)) {
    if (value === null || subpath === './package.json') continue;
    const target = typeof value === 'string' ? value : value['ami-source'];
    if (typeof target !== 'string') throw new Error(`export ${subpath} has no ami-source entry`);
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
