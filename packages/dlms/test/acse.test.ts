import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Aarq,
  type AcseApdu,
  decodeAare,
  decodeAarq,
  decodeAcse,
  decodeRlre,
  decodeRlrq,
  encodeAare,
  encodeAarq,
  encodeAcse,
  encodeRlrq,
} from '../src/acse/index.ts';
import { conformanceFromNumber } from '../src/apdu/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { arbAare, arbAarq, arbRlre, arbRlrq } from './acse-arbitraries.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

runConformance('dlms/acse', {
  decode: (bytes) => decodeAcse(bytes),
  encode: (decoded) => encodeAcse(decoded as AcseApdu),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

const arbAcse: fc.Arbitrary<AcseApdu> = fc.oneof(arbAarq, arbAare, arbRlrq, arbRlre);

describe('AARQ', () => {
  const lls: Aarq = {
    type: 'aarq',
    applicationContextName: 'ln',
    senderAcseRequirements: { authentication: true },
    mechanismName: 'low',
    callingAuthenticationValue: { charstring: toHex(new TextEncoder().encode('12345678')) },
    userInformation: {
      type: 'initiate-request',
      responseAllowed: true,
      proposedDlmsVersionNumber: 6,
      proposedConformance: conformanceFromNumber(0x007e1f),
      clientMaxReceivePduSize: 1200,
    },
  };

  it('starts with the well-known LN no-ciphering prefix', () => {
    expect(toHex(encodeAarq({ type: 'aarq', applicationContextName: 'ln' }))).toBe(
      '600BA109060760857405080101',
    );
    expect(
      toHex(encodeAarq(lls)).startsWith('6036A1090607608574050801018A0207808B0760857405080201AC0A8008'),
    ).toBe(true);
  });

  it('writes the calling-AP-title as an OCTET STRING inside [6] and the ciphered contexts by name', () => {
    const bytes = encodeAarq({
      type: 'aarq',
      applicationContextName: 'ln-ciphered',
      callingApTitle: '4D4D4D0000BC614E',
      mechanismName: 'high-gmac',
    });
    expect(toHex(bytes)).toBe('6020A109060760857405080103A60A04084D4D4D0000BC614E8B0760857405080205');
  });

  it('uses the long form when user-information is 128 bytes or more', () => {
    const hex = `21${'AB'.repeat(199)}`;
    const bytes = encodeAarq({
      type: 'aarq',
      applicationContextName: 'ln',
      userInformation: { type: 'opaque', hex },
    });
    // 60 81 D9, A1 09 …, BE 81 CB, 04 81 C8, <200 octets>
    expect(toHex(bytes.subarray(0, 3))).toBe('6081D9');
    expect(toHex(bytes.subarray(14, 20))).toBe('BE81CB0481C8');
    expect(decodeAarq(bytes).userInformation).toEqual({ type: 'opaque', hex });
  });

  it('builds the error path from the outer field to the inner one', () => {
    // InitiateRequest inside user-information with a bad conformance tag.
    const e = thrown(() =>
      decodeAarq(fromHex('601DA109060760857405080101BE10040E01000000065F1E0400007E1F04B0')),
    );
    expect(codeOf(e)).toBe('MALFORMED');
    expect(isDlmsError(e) && e.path).toEqual(['userInformation', 'proposedConformance']);
    expect(isDlmsError(e) && e.offset).toBe(22);
  });

  it('refuses fields DLMS does not use, and non-DLMS authentication-value choices, as UNSUPPORTED', () => {
    // [13] is not an AARQ field.
    expect(codeOf(thrown(() => decodeAarq(fromHex('6010A109060760857405080101AD03020100'))))).toBe(
      'UNSUPPORTED',
    );
    // calling-authentication-value external [2].
    expect(codeOf(thrown(() => decodeAarq(fromHex('600FA109060760857405080101AC028200'))))).toBe(
      'UNSUPPORTED',
    );
  });

  it('refuses encoder input that cannot be encoded, naming the field', () => {
    const bad = [
      { ...lls, applicationContextName: 'nope' },
      { ...lls, callingApTitle: 'XY' },
      { ...lls, callingApInvocationId: 1.5 },
      { ...lls, senderAcseRequirements: { authentication: 'yes' } },
      { ...lls, callingAuthenticationValue: { charstring: '00', bitstring: '1' } },
      { ...lls, userInformation: { type: 'get-request' } },
      { type: 'aarq' },
    ];
    for (const x of bad) {
      expect(codeOf(thrown(() => encodeAarq(x as unknown as Aarq))), JSON.stringify(x)).toBe(
        'INVALID_ARGUMENT',
      );
    }
    const e = thrown(() => encodeAarq({ ...lls, callingApTitle: 'XY' }));
    expect(isDlmsError(e) && e.path[0]).toBe('callingApTitle');
  });
});

describe('AARE, RLRQ, RLRE', () => {
  it('decodes each by its own entry point and refuses the others', () => {
    const rlrq = fromHex('6203800100');
    expect(decodeRlrq(rlrq)).toEqual({ type: 'rlrq', reason: 'normal' });
    expect(codeOf(thrown(() => decodeRlre(rlrq)))).toBe('MALFORMED');
    expect(codeOf(thrown(() => decodeAare(rlrq)))).toBe('MALFORMED');
    expect(toHex(encodeRlrq({ type: 'rlrq', reason: 30 }))).toBe('620380011E');
  });

  it('writes result and diagnostics as explicit INTEGERs', () => {
    const bytes = encodeAare({
      type: 'aare',
      applicationContextName: 'ln',
      result: 'rejected-transient',
      resultSourceDiagnostic: { source: 'acse-service-user', value: 'authentication-required' },
    });
    expect(toHex(bytes)).toBe('6117A109060760857405080101A203020102A305A10302010E');
  });

  it('keeps unnamed INTEGER values as numbers, with minimal two-complement encoding', () => {
    const bytes = encodeAare({
      type: 'aare',
      applicationContextName: 'ln',
      result: -129,
      resultSourceDiagnostic: { source: 'acse-service-provider', value: 128 },
    });
    expect(toHex(bytes)).toBe('6119A109060760857405080101A2040202FF7FA306A204020200' + '80');
    expect(decodeAare(bytes).result).toBe(-129);
  });
});

describe('ACSE properties', () => {
  it('decode(encode(x)) = x, also after a JSON round trip of x', () => {
    fc.assert(
      fc.property(arbAcse, (x) => {
        const bytes = encodeAcse(x);
        expect(decodeAcse(bytes)).toEqual(x);
        expect(toHex(encodeAcse(JSON.parse(JSON.stringify(x))))).toBe(toHex(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('reports every strict prefix of an encoding as INCOMPLETE', () => {
    fc.assert(
      fc.property(arbAcse, (x) => {
        const bytes = encodeAcse(x);
        for (let n = 0; n < bytes.length; n++) {
          expect(codeOf(thrown(() => decodeAcse(bytes.subarray(0, n)))), `prefix ${n}`).toBe('INCOMPLETE');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('throws nothing but DlmsError on random or mutated bytes', () => {
    const arbBytes = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc.uint8Array({ maxLength: 80 }).map((b) => Uint8Array.from([0x60, b.length, ...b])),
      fc.tuple(arbAcse, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([x, i, b]) => {
        const bytes = encodeAcse(x);
        bytes[i % bytes.length] = b;
        return bytes;
      }),
    );
    fc.assert(
      fc.property(arbBytes, (bytes) => {
        for (const decode of [decodeAcse, decodeAarq, decodeAare]) {
          const e = thrown(() => decode(bytes));
          if (e !== undefined && !isDlmsError(e)) throw e;
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('type confusion', () => {
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['decodeAcse', decodeAcse],
    ['decodeAarq', decodeAarq],
    ['decodeAare', decodeAare],
    ['decodeRlrq', decodeRlrq],
    ['decodeRlre', decodeRlre],
  ];
  it.each(decoders)('%s refuses anything but a Uint8Array with INVALID_ARGUMENT', (_name, decode) => {
    for (const v of [null, undefined, '6000', 42, [0x62, 0x00], new ArrayBuffer(2), {}]) {
      expect(codeOf(thrown(() => decode(v as Uint8Array))), String(v)).toBe('INVALID_ARGUMENT');
    }
  });
  it('encoders refuse non-objects and objects without the mandatory fields', () => {
    for (const v of [
      null,
      undefined,
      42,
      'x',
      [],
      {},
      { type: 'aarq' },
      { type: 'aare', applicationContextName: 'ln' },
    ]) {
      expect(codeOf(thrown(() => encodeAcse(v as never))), JSON.stringify(v)).toBe('INVALID_ARGUMENT');
      expect(codeOf(thrown(() => encodeAarq(v as never))), JSON.stringify(v)).toBe('INVALID_ARGUMENT');
    }
  });
});
