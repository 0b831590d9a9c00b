import { loadVectors } from '@ami-interop/conformance-vectors';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import {
  addLlc,
  clientAddress,
  decodeHdlcFrame,
  decodeHdlcParameters,
  encodeHdlcFrame,
  encodeHdlcParameters,
  fcs16,
  HDLC_DEFAULT_PARAMETERS,
  type HdlcAddress,
  type HdlcControl,
  type HdlcFrame,
  type HdlcFrameJson,
  HdlcReassembler,
  hdlcFrameFromJson,
  hdlcFrameToJson,
  negotiateHdlcParameters,
  peerView,
  segmentPayload,
  serverAddress,
  stripLlc,
} from '@ami-interop/dlms/hdlc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, isDlmsError, toHex } from '../src/index.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

runConformance('dlms/hdlc', {
  decode: (bytes) => hdlcFrameToJson(decodeHdlcFrame(bytes)),
  encode: (json) => encodeHdlcFrame(hdlcFrameFromJson(json as HdlcFrameJson)),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('FCS (CRC-16/X.25)', () => {
  it('has the catalogued check value 0x906E for "123456789"', () => {
    expect(fcs16(new TextEncoder().encode('123456789'))).toBe(0x906e);
  });
  it('matches a bitwise reference on random input', () => {
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
      }
      return c ^ 0xffff;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(fcs16(b)).toBe(bitwise(b));
      }),
      { numRuns: 200 },
    );
  });
});

describe('HDLC parameters', () => {
  const vectors = loadVectors('dlms/hdlc').vectors.filter((v) => v.params?.['parameters']);
  it('has parameter vectors', () => expect(vectors.length).toBeGreaterThan(0));
  for (const v of vectors) {
    it(`decodes the parameters of ${v.name}`, () => {
      const info = fromHex((v.decoded as HdlcFrameJson).info!);
      expect(decodeHdlcParameters(info)).toEqual(v.params!['parameters']);
    });
  }
  it('encodes the UA vector parameters byte-exact', () => {
    expect(toHex(encodeHdlcParameters(HDLC_DEFAULT_PARAMETERS))).toBe(
      '818012050180060180070400000001080400000001',
    );
  });
  it('gives the defaults for an absent field and omits defaults on request', () => {
    expect(decodeHdlcParameters(undefined)).toEqual(HDLC_DEFAULT_PARAMETERS);
    expect(encodeHdlcParameters(HDLC_DEFAULT_PARAMETERS, { omitDefaults: true }).length).toBe(0);
    expect(
      toHex(
        encodeHdlcParameters({ ...HDLC_DEFAULT_PARAMETERS, maxInfoReceive: 1024 }, { omitDefaults: true }),
      ),
    ).toBe('818004060204' + '00');
  });
  it('accepts 1-, 2- and 4-byte values, skips unknown identifiers, refuses bad values', () => {
    expect(decodeHdlcParameters(fromHex('818010 050200F8 0604000000F8 0901FF 0701 07'))).toEqual({
      maxInfoTransmit: 248,
      maxInfoReceive: 248,
      windowTransmit: 7,
      windowReceive: 1,
    });
    expect(codeOf(catchIt(() => decodeHdlcParameters(fromHex('8180030701 00'))))).toBe('MALFORMED');
    expect(codeOf(catchIt(() => decodeHdlcParameters(fromHex('8180030701 08'))))).toBe('MALFORMED');
    expect(codeOf(catchIt(() => decodeHdlcParameters(fromHex('818003070100'))))).toBe('MALFORMED');
    expect(codeOf(catchIt(() => decodeHdlcParameters(fromHex('8180050701'))))).toBe('INCOMPLETE');
    expect(codeOf(catchIt(() => decodeHdlcParameters(fromHex('8280030701 01'))))).toBe('MALFORMED');
  });
  it('negotiates the minimum in each direction', () => {
    const client = { maxInfoTransmit: 512, maxInfoReceive: 1024, windowTransmit: 7, windowReceive: 3 };
    const server = { maxInfoTransmit: 2030, maxInfoReceive: 256, windowTransmit: 1, windowReceive: 7 };
    const ua = negotiateHdlcParameters(client, server);
    expect(ua).toEqual({ maxInfoTransmit: 1024, maxInfoReceive: 256, windowTransmit: 1, windowReceive: 7 });
    expect(peerView(ua)).toEqual({
      maxInfoTransmit: 256,
      maxInfoReceive: 1024,
      windowTransmit: 7,
      windowReceive: 1,
    });
  });
  it('round-trips any valid parameter set', () => {
    const arb = fc.record({
      maxInfoTransmit: fc.integer({ min: 1, max: 2030 }),
      maxInfoReceive: fc.integer({ min: 1, max: 2030 }),
      windowTransmit: fc.integer({ min: 1, max: 7 }),
      windowReceive: fc.integer({ min: 1, max: 7 }),
    });
    fc.assert(
      fc.property(arb, fc.boolean(), (p, omit) => {
        expect(decodeHdlcParameters(encodeHdlcParameters(p, { omitDefaults: omit }))).toEqual(p);
      }),
    );
  });
});

describe('LLC header', () => {
  it('adds and strips E6 E6 00 / E6 E7 00', () => {
    const apdu = fromHex('C001C100080000010000FF0200');
    expect(toHex(addLlc(apdu, 'command'))).toBe(`E6E600${toHex(apdu)}`);
    expect(toHex(addLlc(apdu, 'response')).slice(0, 6)).toBe('E6E700');
    expect(stripLlc(addLlc(apdu, 'response'))).toEqual({ direction: 'response', apdu });
    expect(codeOf(catchIt(() => stripLlc(addLlc(apdu, 'response'), 'command')))).toBe('MALFORMED');
    expect(codeOf(catchIt(() => stripLlc(fromHex('E6E6'))))).toBe('INCOMPLETE');
  });
});

describe('addresses', () => {
  it('picks the one-, two- or four-byte form and refuses out-of-range values', () => {
    expect(serverAddress(1)).toEqual({ size: 1, upper: 1 });
    expect(serverAddress(1, 17)).toEqual({ size: 2, upper: 1, lower: 17 });
    expect(serverAddress(1, 0x3ffe)).toEqual({ size: 4, upper: 1, lower: 0x3ffe });
    expect(codeOf(catchIt(() => clientAddress(128)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(catchIt(() => serverAddress(0x4000, 1, 4)))).toBe('INVALID_ARGUMENT');
  });
});

// ---- properties --------------------------------------------------------------------------------------------

const arbAddress: fc.Arbitrary<HdlcAddress> = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((upper) => ({ size: 1 as const, upper })),
  fc
    .tuple(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x7f }))
    .map(([upper, lower]) => ({ size: 2 as const, upper, lower })),
  fc
    .tuple(fc.integer({ min: 0, max: 0x3fff }), fc.integer({ min: 0, max: 0x3fff }))
    .map(([upper, lower]) => ({ size: 4 as const, upper, lower })),
);
const seq = fc.integer({ min: 0, max: 7 });
export const arbFrame: fc.Arbitrary<HdlcFrame> = fc
  .tuple(
    arbAddress,
    arbAddress,
    fc.oneof(
      fc.record({ type: fc.constant('I' as const), ns: seq, nr: seq, pf: fc.boolean() }),
      fc.record({ type: fc.constantFrom('RR' as const, 'RNR' as const), nr: seq, pf: fc.boolean() }),
      fc.record({ type: fc.constantFrom('SNRM', 'DISC', 'UA', 'DM', 'FRMR', 'UI'), pf: fc.boolean() }),
    ) as fc.Arbitrary<HdlcControl>,
    fc.uint8Array({ minLength: 1, maxLength: 300 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([destination, source, control, info, withInfo, seg]) => {
    const f: HdlcFrame = {
      segmented: seg && (control.type === 'I' || control.type === 'UI'),
      destination,
      source,
      control,
    };
    const may = ['I', 'UI', 'SNRM', 'UA', 'FRMR'].includes(control.type);
    if (may && withInfo) f.info = info;
    return f;
  });

describe('HDLC frame properties', () => {
  it('decode(encode(f)) = f', () => {
    fc.assert(
      fc.property(arbFrame, (f) => {
        expect(hdlcFrameToJson(decodeHdlcFrame(encodeHdlcFrame(f)))).toEqual(hdlcFrameToJson(f));
      }),
      { numRuns: 500 },
    );
  });

  it('detects every single-bit flip (error, never a different frame)', () => {
    fc.assert(
      fc.property(arbFrame, (f) => {
        const bytes = encodeHdlcFrame({ ...f, info: f.info?.subarray(0, 40) });
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          const b = bytes.slice();
          b[bit >> 3]! ^= 1 << (bit & 7);
          const e = catchIt(() => decodeHdlcFrame(b));
          expect(e, `bit ${bit} flipped in ${toHex(bytes)} was accepted`).toBeDefined();
          expect(['CHECKSUM_MISMATCH', 'MALFORMED', 'INCOMPLETE']).toContain(codeOf(e));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes throw only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        for (const head of [[], [0x7e], [0x7e, 0xa0], [0x7e, 0xa0, tail.length + 1]]) {
          const b = Uint8Array.from([...head, ...tail]);
          const e = catchIt(() => decodeHdlcFrame(b));
          if (e !== undefined) expect(isDlmsError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('segmentation then reassembly gives the payload back, S on all but the last', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 2030 }), (payload, max) => {
        const segs = segmentPayload(payload, max);
        const r = new HdlcReassembler(10_000);
        let out: Uint8Array | undefined;
        segs.forEach((s, k) => {
          expect(s.info.length).toBeLessThanOrEqual(max);
          expect(s.segmented).toBe(k < segs.length - 1);
          // through real frames, as a receiver sees them
          const frame = decodeHdlcFrame(
            encodeHdlcFrame({
              segmented: s.segmented,
              destination: serverAddress(1),
              source: clientAddress(16),
              control: { type: 'I', ns: k & 7, nr: 0, pf: !s.segmented },
              info: s.info,
            }),
          );
          out = r.push(frame.info ?? new Uint8Array(0), frame.segmented);
        });
        expect(out && toHex(out)).toBe(toHex(payload));
      }),
      { numRuns: 150 },
    );
  });

  it('reassembly refuses to grow past its limit', () => {
    const r = new HdlcReassembler(100);
    r.push(new Uint8Array(60), true);
    expect(codeOf(catchIt(() => r.push(new Uint8Array(60), true)))).toBe('LIMIT_EXCEEDED');
    expect(r.buffered).toBe(0);
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
