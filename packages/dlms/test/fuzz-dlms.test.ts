/**
 * Fuzz campaign for the DLMS decoders: for every target of `@ami-interop/fuzz` in this package, random
 * bytes and mutated conformance vectors (flip, set, add, word, insert, delete, duplicate, copy, truncate,
 * splice two vectors). The rule (fuzz/src/target.ts): each call returns, throws nothing but a DlmsError,
 * and an INCOMPLETE error points no further than the input's end. The coverage-guided fuzzer
 * (`pnpm fuzz`) explores further; this file keeps the rule in every `vitest run`.
 */
import { runCampaign } from '@ami-interop/fuzz/fc';
import { dlmsTargets } from '@ami-interop/fuzz/targets';
import { describe, expect, it } from 'vitest';

/** Runs per input kind and target: the whole file stays well under 15 s on two shared cores. */
const RUNS: Record<string, number> = {
  'dlms-security-unprotect': 1000,
  'dlms-capture': 800,
  default: 2500,
};

describe('fuzz campaign: dlms decoders', () => {
  it('covers every DLMS target', () => {
    expect(dlmsTargets.map((t) => t.name)).toEqual([
      'dlms-axdr',
      'dlms-cosem',
      'dlms-obis',
      'dlms-acse',
      'dlms-apdu',
      'dlms-hdlc-frame',
      'dlms-hdlc-stream',
      'dlms-wrapper-frame',
      'dlms-wrapper-stream',
      'dlms-optical',
      'dlms-security-envelope',
      'dlms-security-unprotect',
      'dlms-capture',
    ]);
  });
  for (const target of dlmsTargets) {
    it(`${target.name}: ${target.description}`, () => {
      runCampaign(target, RUNS[target.name] ?? RUNS.default!);
    });
  }
});
