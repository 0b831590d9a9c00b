#!/usr/bin/env node
// Derives each package's `publishConfig.exports` (dist, with `types` under each condition) from its
// development `exports` (src/*.ts). With --check it only verifies, for lint and CI.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const root = new URL('..', import.meta.url).pathname;
let bad = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const published = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json') {
      published[subpath] = target;
      continue;
    }
    if (target === null) {
      published[subpath] = null;
      continue;
    }
    if (!existsSync(join(root, 'packages', dir, target))) {
      console.error(`${pkg.name}: export "${subpath}" points at missing ${target}`);
      bad++;
    }
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    published[subpath] = {
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    };
  }
  const want = JSON.stringify(published);
  const have = JSON.stringify(pkg.publishConfig?.exports ?? {});
  if (want !== have) {
    if (check) {
      console.error(`${pkg.name}: publishConfig.exports is out of date; run node scripts/sync-exports.mjs`);
      bad++;
    } else {
      pkg.publishConfig = { ...(pkg.publishConfig ?? {}), exports: published };
      writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
      console.log(`${pkg.name}: publishConfig.exports updated`);
    }
  }
}
if (bad) process.exit(1);
