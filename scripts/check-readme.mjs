#!/usr/bin/env node
// The README keeps exactly two set-up commands (demo and test) and .ci/run runs the test one verbatim.
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const ci = readFileSync(`${root}.ci/run`, 'utf8');
const blocks = [...readme.matchAll(/```sh\n([^`]*?)\n```/g)].map((m) => m[1].trim());
const setup = blocks.filter((b) => b.includes(' install '));
const fail = (m) => {
  console.error(`README check: ${m}`);
  process.exit(1);
};
if (setup.length !== 2) fail(`expected exactly two set-up commands, found ${setup.length}`);
const demo = setup.find((b) => b.endsWith(' demo'));
const test = setup.find((b) => b.endsWith(' test'));
if (!demo || !test) fail('one set-up command must end in "demo" and the other in "test"');
const version = /PNPM_VERSION=(\S+)/.exec(ci)?.[1];
const ciTest = ci
  .split('\n')
  .find((l) => l.includes('install --frozen-lockfile'))
  ?.replaceAll('$' + '{PNPM_VERSION}', version ?? '?')
  .trim();
if (ciTest !== test)
  fail(`.ci/run does not run the README's test command:\n  README: ${test}\n  CI:     ${ciTest}`);
