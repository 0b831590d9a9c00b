/**
 * Fuzz campaign for the CIM readers: for every target of `@ami-interop/fuzz` in this package (code parsers,
 * the IEC 61968-100 XML reader, the JSON reader), random bytes and mutated conformance vectors, read as
 * UTF-8. The rule (fuzz/src/target.ts): each call returns and throws nothing but a CimError.
 */
import { runCampaign } from '@ami-interop/fuzz/fc';
import { cimTargets } from '@ami-interop/fuzz/targets';
import { describe, expect, it } from 'vitest';

/** Runs per input kind and target: the whole file stays well under 15 s on two shared cores. */
const RUNS: Record<string, number> = { 'cim-xml': 1500, default: 2500 };

describe('fuzz campaign: cim readers', () => {
  it('covers every CIM target', () => {
    expect(cimTargets.map((t) => t.name)).toEqual(['cim-codes', 'cim-xml', 'cim-json']);
  });
  for (const target of cimTargets) {
    it(`${target.name}: ${target.description}`, () => {
      runCampaign(target, RUNS[target.name] ?? RUNS.default!);
    });
  }
});
