import { loadVectors, vectorBytes } from '@ami-interop/conformance-vectors';
import {
  clientAddress,
  encodeHdlcFrame,
  type HdlcDeframeResult,
  HdlcDeframer,
  type HdlcFrame,
  hdlcFrameToJson,
  serverAddress,
} from '@ami-interop/dlms/hdlc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, isDlmsError } from '../src/index.ts';

const frames = (rs: HdlcDeframeResult[]) => rs.filter((r) => r.kind === 'frame');
const errors = (rs: HdlcDeframeResult[]) => rs.filter((r) => r.kind === 'error');

function frame(n: number, info?: Uint8Array): HdlcFrame {
  const f: HdlcFrame = {
    segmented: false,
    destination: serverAddress(1),
    source: clientAddress(16),
    control: { type: 'I', ns: n & 7, nr: 0, pf: true },
  };
  if (info) f.info = info;
  return f;
}

describe('HdlcDeframer', () => {
  const good = loadVectors('dlms/hdlc').vectors.filter((v) => !v.error);

  it('deframes every vector fed a byte at a time, with shared and separate flags', () => {
    const all = good.map((v) => vectorBytes(v));
    for (const shared of [false, true]) {
      const d = new HdlcDeframer();
      const out: HdlcDeframeResult[] = [];
      let expectedOffset = 0;
      const offsets: number[] = [];
      for (const b of all) {
        const bytes = shared && offsets.length > 0 ? b.subarray(1) : b;
        offsets.push(shared && offsets.length > 0 ? expectedOffset - 1 : expectedOffset);
        for (const x of bytes) out.push(...d.push(Uint8Array.of(x)));
        expectedOffset += bytes.length;
      }
      expect(errors(out)).toEqual([]);
      expect(frames(out).map((r) => r.kind === 'frame' && hdlcFrameToJson(r.frame))).toEqual(
        good.map((v) => v.decoded),
      );
      expect(frames(out).map((r) => r.offset)).toEqual(offsets);
      expect(d.end()).toEqual([]);
    }
  });

  it('reports a bad FCS with its offset and resynchronises on the next frame', () => {
    const a = encodeHdlcFrame(frame(0, fromHex('E6E600C0')));
    const bad = a.slice();
    bad[bad.length - 2]! ^= 0xff;
    const b = encodeHdlcFrame(frame(1));
    const d = new HdlcDeframer();
    const out = d.push(Uint8Array.from([0x01, 0x02, ...bad, ...b]));
    expect(errors(out).map((r) => r.kind === 'error' && [r.error.code, r.offset])).toEqual([
      ['CHECKSUM_MISMATCH', 2],
    ]);
    expect(frames(out).map((r) => r.offset)).toEqual([2 + bad.length]);
    expect(d.discarded).toBeGreaterThan(0);
  });

  it('finds a real frame swallowed by a false start (0x7E inside garbage)', () => {
    const b = encodeHdlcFrame(frame(3, new Uint8Array(10)));
    // 7E A8 FF claims a 255-byte frame that would swallow b.
    const stream = Uint8Array.from([0x7e, 0xa0, 0xff, ...b, ...new Uint8Array(300)]);
    const out = new HdlcDeframer().push(stream);
    expect(frames(out).length).toBe(1);
    expect(frames(out)[0]!.offset).toBe(3);
    expect(errors(out)[0]!.kind === 'error' && errors(out)[0]!.offset).toBe(0);
  });

  it('refuses frames above its limit and bad format types, then carries on', () => {
    const small = encodeHdlcFrame(frame(0));
    const big = encodeHdlcFrame(frame(1, new Uint8Array(100)));
    const d = new HdlcDeframer({ maxFrameLength: 50 });
    const out = d.push(Uint8Array.from([...big, 0x7e, 0x12, ...small]));
    expect(errors(out).map((r) => r.kind === 'error' && r.error.code)).toContain('LIMIT_EXCEEDED');
    expect(errors(out).map((r) => r.kind === 'error' && r.error.code)).toContain('MALFORMED');
    expect(frames(out).length).toBe(1);
  });

  it('end() reports a trailing partial frame as INCOMPLETE, but not a lone flag', () => {
    const a = encodeHdlcFrame(frame(0));
    const d = new HdlcDeframer();
    expect(frames(d.push(a)).length).toBe(1);
    expect(d.end()).toEqual([]);
    d.push(a.subarray(0, 5));
    const e = d.end();
    expect(e.length).toBe(1);
    expect(e[0]!.kind === 'error' && e[0]!.error.code).toBe('INCOMPLETE');
    expect(e[0]!.offset).toBe(a.length); // the candidate's opening flag
    expect(e[0]!.kind === 'error' && e[0]!.error.offset).toBe(a.length + 5); // where bytes ran out
  });

  const arbFrames = fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 7 }),
      fc.option(fc.uint8Array({ minLength: 1, maxLength: 400 }), { nil: undefined }),
    ),
    { maxLength: 12 },
  );
  // garbage without 0x7E between frames (a 0x7E-free gap cannot itself contain a valid frame)
  const arbGarbage = fc.uint8Array({ maxLength: 20 }).map((g) => g.map((x) => (x === 0x7e ? 0x7d : x)));

  it('deframe(frame(x)) = x for any chunking, with garbage between frames', () => {
    fc.assert(
      fc.property(
        arbFrames,
        fc.array(arbGarbage, { minLength: 13, maxLength: 13 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 50 }),
        fc.boolean(),
        (spec, garbage, cuts, shared) => {
          const fs = spec.map(([n, info]) => frame(n, info));
          const parts: number[] = [];
          fs.forEach((f, k) => {
            const g = garbage[k]!;
            parts.push(...g);
            const bytes = encodeHdlcFrame(f);
            // share the flag with the previous frame when nothing is between them
            parts.push(...(shared && k > 0 && g.length === 0 ? bytes.subarray(1) : bytes));
          });
          const stream = Uint8Array.from(parts);
          const d = new HdlcDeframer();
          const out: HdlcDeframeResult[] = [];
          let i = 0;
          let c = 0;
          while (i < stream.length) {
            const n = cuts[c++ % cuts.length]!;
            out.push(...d.push(stream.subarray(i, i + n)));
            expect(d.buffered).toBeLessThanOrEqual(2049);
            i += n;
          }
          out.push(...d.end());
          expect(frames(out).map((r) => r.kind === 'frame' && hdlcFrameToJson(r.frame))).toEqual(
            fs.map(hdlcFrameToJson),
          );
          for (const r of errors(out)) expect(r.kind === 'error' && isDlmsError(r.error)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never buffers more than its bound and never throws on random input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.uint8Array({ maxLength: 3000 }).map((b) => {
            // start most chunks like a frame (flag, format type 3) so that candidates get buffered
            if (b.length > 1) b.set([0x7e, 0xa7]);
            return b;
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: 7, max: 2047 }),
        (chunks, max) => {
          const d = new HdlcDeframer({ maxFrameLength: max });
          for (const c of chunks) {
            for (const r of d.push(c)) if (r.kind === 'error') expect(isDlmsError(r.error)).toBe(true);
            expect(d.buffered).toBeLessThanOrEqual(max + 2);
          }
          d.end();
          expect(d.buffered).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
