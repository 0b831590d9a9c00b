import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listFamilies, loadVectors, README_PATH, readmeWithSources, vectorBytes } from '../src/index.ts';

const KINDS = new Set(['standard-example', 'rfc', 'nist', 'hand-built', 'regression', 'interop']);

describe('conformance vector files', () => {
  const families = listFamilies();

  it('exist', () => {
    expect(families.length).toBeGreaterThan(0);
  });

  for (const family of families) {
    it(`${family}: every vector names a declared source and has well-formed bytes`, () => {
      const file = loadVectors(family);
      expect(file.description.length).toBeGreaterThan(0);
      for (const [id, src] of Object.entries(file.sources)) {
        expect(KINDS.has(src.kind), `${id}: kind ${src.kind}`).toBe(true);
        expect(src.title.length, `${id}: title`).toBeGreaterThan(0);
        expect(src.reference.length, `${id}: reference`).toBeGreaterThan(0);
      }
      const names = new Set<string>();
      for (const v of file.vectors) {
        expect(file.sources[v.source], `${v.name}: source ${v.source} not declared`).toBeDefined();
        expect(names.has(v.name), `${v.name}: duplicate`).toBe(false);
        names.add(v.name);
        if (v.hex !== undefined || v.text !== undefined) vectorBytes(v);
      }
    });
  }

  it('README lists every source (run `pnpm vectors:readme` after adding vectors)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readmeWithSources(readme)).toBe(readme);
  });
});
