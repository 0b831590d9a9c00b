/**
 * Fuzz campaign for the CIM readers: for every target of `@ami-interop/fuzz` in this package (code parsers,
 * the IEC 61968-100 XML reader, the JSON reader), random bytes and mutated conformance vectors, read as
 * UTF-8. The rule (fuzz/src/target.ts): each call returns and throws nothing but a CimError.
 */
import { campaignInputs, runCampaign } from '@ami-interop/fuzz/fc';
import { chunked, cimTargets } from '@ami-interop/fuzz/targets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCimError } from '../src/errors.ts';
import { readMeterReadingsStream } from '../src/xml/index.ts';

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

/**
 * The streaming reader is async, so the (synchronous) coverage-guided fuzzer cannot drive it; this
 * campaign does, with the cim-xml target's inputs cut into uneven byte chunks: every item read or a
 * CimError, nothing else.
 */
describe('fuzz campaign: readMeterReadingsStream', () => {
  const xml = cimTargets.find((t) => t.name === 'cim-xml')!;
  const { seeds, random, mutated } = campaignInputs(xml);
  let items = 0;
  const consume = async (input: Uint8Array): Promise<void> => {
    try {
      for await (const _item of readMeterReadingsStream(chunked(input))) items++;
    } catch (e) {
      if (!isCimError(e))
        throw new Error(`untyped ${String(e)} on input ${Buffer.from(input).toString('hex').toUpperCase()}`);
    }
  };
  it('reads items from the unmutated seeds (so the campaign reaches the parser)', async () => {
    for (const seed of seeds) await consume(seed);
    expect(items).toBeGreaterThan(0);
  });
  it('random bytes and mutated vectors in uneven chunks: items or CimError', async () => {
    await fc.assert(fc.asyncProperty(random, consume), { numRuns: 1000 });
    await fc.assert(fc.asyncProperty(mutated, consume), { numRuns: 1500 });
  });
});
