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
import { isDlmsError } from '../src/errors.ts';
import { type HdlcFrameJson, hdlcFrameFromJson } from '../src/hdlc/index.ts';
import { type WrapperFrameJson, wrapperFrameFromJson } from '../src/wrapper/index.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isDlmsError(e) ? e.code : `untyped ${String(e)}`;
  }
  return undefined;
};

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
      'dlms-json',
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

/**
 * Regressions from the fuzzer (target dlms-json: each JSON-form reader, then the encoder). The JSON-form
 * readers are not byte decoders, so these inputs cannot be vectors of the byte families; they are kept
 * here. Before the fix each threw a TypeError (out of fromHex, a property read, or checkAddress inside
 * encodeHdlcFrame); now the reader refuses them with INVALID_ARGUMENT.
 */
describe('fuzz regressions: JSON forms', () => {
  const ua: HdlcFrameJson = {
    segmented: false,
    destination: { size: 1, upper: 16 },
    source: { size: 1, upper: 1 },
    control: { type: 'UA', pf: true },
  };
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['"info": null', { ...ua, info: null }],
    ['"info": -1', { ...ua, info: -1 }],
    [
      'no addresses (encodeHdlcFrame then read .size of undefined)',
      { segmented: false, control: ua.control },
    ],
    ['"control": null', { ...ua, control: null }],
  ])('hdlcFrameFromJson refuses %s with INVALID_ARGUMENT', (_name, j) => {
    expect(codeOf(() => hdlcFrameFromJson(j as unknown as HdlcFrameJson))).toBe('INVALID_ARGUMENT');
  });
  it.each([
    ['null', null],
    ['{"":{"":""}} (the shrunk fuzzer input 7B22223A7B22223A22227D7D)', { '': { '': '' } }],
    ['"apdu": null', { source: 48, destination: 1, apdu: null }],
    ['"apdu": {}', { source: 4660, destination: 65535, apdu: {} }],
  ])('wrapperFrameFromJson refuses %s with INVALID_ARGUMENT', (_name, j) => {
    expect(codeOf(() => wrapperFrameFromJson(j as unknown as WrapperFrameJson))).toBe('INVALID_ARGUMENT');
  });
  it('still reads well-formed forms', () => {
    expect(hdlcFrameFromJson({ ...ua, info: '81' }).info).toEqual(Uint8Array.of(0x81));
    expect(wrapperFrameFromJson({ source: 16, destination: 1, apdu: 'C001' }).apdu).toEqual(
      Uint8Array.of(0xc0, 1),
    );
  });
});
