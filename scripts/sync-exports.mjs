#!/usr/bin/env node
// Expands each package's `exports` map. Write a subpath as a plain string pointing at its source:
//   "./axdr": "./src/axdr/index.ts"
// and this script turns it into the conditional form every tool understands:
//   "./axdr": { "ami-source": "./src/axdr/index.ts",
//               "import":  { "types": "./dist/axdr.d.ts",  "default": "./dist/axdr.js" },
//               "require": { "types": "./dist/axdr.d.cts", "default": "./dist/axdr.cjs" } }
// Development tools (vitest, tsc, tsx) resolve the `ami-source` condition, so tests and the CLI run on
// the sources without a build; Node and bundlers resolve the built files. With --check it only verifies
// (used by `pnpm lint`), including that every source target exists.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const root = new URL('..', import.meta.url).pathname;
let bad = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const out = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json' || target === null) {
      out[subpath] = target;
      continue;
    }
    const source = typeof target === 'string' ? target : target['ami-source'];
    if (typeof source !== 'string') {
      console.error(`${pkg.name}: export "${subpath}" has no ami-source entry`);
      bad++;
      continue;
    }
    if (!existsSync(join(root, 'packages', dir, source))) {
      console.error(`${pkg.name}: export "${subpath}" points at missing ${source}`);
      bad++;
    }
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    out[subpath] = {
      'ami-source': source,
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    };
  }
  // ./package.json last, for readability.
  if ('./package.json' in out) {
    const v = out['./package.json'];
    delete out['./package.json'];
    out['./package.json'] = v;
  }
  const changed =
    JSON.stringify(out) !== JSON.stringify(pkg.exports) || pkg.publishConfig?.exports !== undefined;
  if (!changed) continue;
  if (check) {
    console.error(`${pkg.name}: exports not expanded; run node scripts/sync-exports.mjs`);
    bad++;
    continue;
  }
  pkg.exports = out;
  if (pkg.publishConfig) {
    delete pkg.publishConfig.exports;
    if (Object.keys(pkg.publishConfig).length === 0) delete pkg.publishConfig;
  }
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`${pkg.name}: exports expanded`);
}
if (bad) process.exit(1);
