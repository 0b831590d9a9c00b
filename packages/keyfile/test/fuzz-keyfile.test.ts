/**
 * Fuzz campaign for the key-file readers: for every target of `@ami-interop/fuzz` in this package (meter
 * record TLV, whole AKF/1 files, meters CSV, DER), random bytes and mutated conformance vectors. The rule
 * (fuzz/src/target.ts): each call returns, throws nothing but a KeyfileError, and an INCOMPLETE error
 * points no further than the input's end.
 */
import { runCampaign } from '@ami-interop/fuzz/fc';
import { keyfileTargets } from '@ami-interop/fuzz/targets';
import { describe, expect, it } from 'vitest';

/**
 * Runs per input kind and target: opening a file verifies an ECDSA signature, and asn1js is slow on
 * random DER, so those two get fewer runs.
 */
const RUNS: Record<string, number> = { 'keyfile-open': 300, 'keyfile-der': 1000, default: 2500 };

describe('fuzz campaign: keyfile readers', () => {
  it('covers every keyfile target', () => {
    expect(keyfileTargets.map((t) => t.name)).toEqual([
      'keyfile-record',
      'keyfile-open',
      'keyfile-csv',
      'keyfile-der',
    ]);
  });
  for (const target of keyfileTargets) {
    it(`${target.name}: ${target.description}`, () => {
      runCampaign(target, RUNS[target.name] ?? RUNS.default!);
    });
  }
});
