/** Regenerates the sources table of conformance-vectors/README.md from the vector files. */
import { readFileSync, writeFileSync } from 'node:fs';
import { README_PATH, readmeWithSources } from './index.ts';

const before = readFileSync(README_PATH, 'utf8');
const after = readmeWithSources(before);
if (after !== before) writeFileSync(README_PATH, after);
console.log(after === before ? 'README sources table is current' : 'README sources table updated');
