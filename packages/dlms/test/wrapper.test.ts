import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import {
  decodeWrapperFrame,
  encodeWrapperFrame,
  type WrapperDeframeResult,
  WrapperDeframer,
  type WrapperFrame,
  type WrapperFrameJson,
  wrapperFrameFromJson,
  wrapperFrameToJson,
} from '@ami-interop/dlms/wrapper';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, isDlmsError } from '../src/index.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

runConformance('dlms/wrapper', {
  decode: (bytes) => wrapperFrameToJson(decodeWrapperFrame(bytes)),
  encode: (json) => encodeWrapperFrame(wrapperFrameFromJson(json as WrapperFrameJson)),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

const arbFrame: fc.Arbitrary<WrapperFrame> = fc.record({
  source: fc.integer({ min: 0, max: 0xffff }),
  destination: fc.integer({ min: 0, max: 0xffff }),
  apdu: fc.uint8Array({ maxLength: 600 }),
});
const frames = (rs: WrapperDeframeResult[]) => rs.filter((r) => r.kind === 'frame');

describe('wrapper', () => {
  it('decode(encode(f)) = f', () => {
    fc.assert(
      fc.property(arbFrame, (f) => {
        expect(wrapperFrameToJson(decodeWrapperFrame(encodeWrapperFrame(f)))).toEqual(wrapperFrameToJson(f));
      }),
    );
  });

  it('refuses out-of-range ports and APDUs over 65535 bytes', () => {
    expect(
      codeOf(catchIt(() => encodeWrapperFrame({ source: 65536, destination: 1, apdu: new Uint8Array(0) }))),
    ).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(catchIt(() => encodeWrapperFrame({ source: 1, destination: 1, apdu: new Uint8Array(65536) }))),
    ).toBe('INVALID_ARGUMENT');
  });

  it('random bytes throw only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const e = catchIt(() => decodeWrapperFrame(b));
        if (e !== undefined) expect(isDlmsError(e)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('WrapperDeframer', () => {
  it('deframe(frame(x)) = x for any chunking, with offsets', () => {
    fc.assert(
      fc.property(
        fc.array(arbFrame, { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 20 }),
        (fs, cuts) => {
          const encoded = fs.map(encodeWrapperFrame);
          const stream = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
          const offsets: number[] = [];
          let at = 0;
          for (const e of encoded) {
            offsets.push(at);
            stream.set(e, at);
            at += e.length;
          }
          const d = new WrapperDeframer({ maxApduLength: 1000 });
          const out: WrapperDeframeResult[] = [];
          for (let i = 0, c = 0; i < stream.length; i += cuts[c++ % cuts.length]!) {
            out.push(...d.push(stream.subarray(i, i + cuts[c % cuts.length]!)));
            expect(d.buffered).toBeLessThanOrEqual(1008);
          }
          expect(d.end()).toEqual([]);
          expect(out.every((r) => r.kind === 'frame')).toBe(true);
          expect(frames(out).map((r) => r.kind === 'frame' && wrapperFrameToJson(r.frame))).toEqual(
            fs.map(wrapperFrameToJson),
          );
          expect(out.map((r) => r.offset)).toEqual(offsets);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a bad version once, resynchronises on the next plausible header', () => {
    const a = encodeWrapperFrame({ source: 16, destination: 1, apdu: fromHex('C001C100080000010000FF0200') });
    const d = new WrapperDeframer();
    const out = d.push(Uint8Array.from([0x00, 0x02, 0x55, 0x66, ...a, ...a]));
    expect(out.map((r) => r.kind)).toEqual(['error', 'frame', 'frame']);
    expect(out[0]!.kind === 'error' && [out[0]!.error.code, out[0]!.offset]).toEqual(['MALFORMED', 0]);
    expect(out[1]!.offset).toBe(4);
    expect(d.discarded).toBe(4);
  });

  it('refuses a length above its limit and end() reports a partial frame', () => {
    const d = new WrapperDeframer({ maxApduLength: 10 });
    // (ports chosen so that no byte pair inside the refused header reads as version 1: the wrapper has no
    // checksum, so hunting can only look for plausible headers)
    const big = encodeWrapperFrame({ source: 0x30, destination: 0x20, apdu: new Uint8Array(11) });
    const small = encodeWrapperFrame({ source: 1, destination: 16, apdu: new Uint8Array(3) });
    const out = d.push(Uint8Array.from([...big.subarray(0, 8), ...small]));
    expect(out.map((r) => r.kind === 'error' && r.error.code)).toEqual(['LIMIT_EXCEEDED', false]);
    d.push(small.subarray(0, 5));
    const e = d.end();
    expect(e.length).toBe(1);
    expect(e[0]!.kind === 'error' && e[0]!.error.code).toBe('INCOMPLETE');
  });

  it('stays bounded and typed on random input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 600 }),
        (chunks, max) => {
          const d = new WrapperDeframer({ maxApduLength: max });
          for (const c of chunks) {
            for (const r of d.push(c)) if (r.kind === 'error') expect(isDlmsError(r.error)).toBe(true);
            expect(d.buffered).toBeLessThanOrEqual(max + 8);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

function catchIt(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
