import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE_BITS,
  conformanceFromNumber,
  conformanceToNumber,
  decodeConfirmedServiceError,
  decodeExceptionResponse,
  decodeInitiateRequest,
  decodeInitiateResponse,
  decodeXdlmsApdu,
  encodeExceptionResponse,
  encodeInitiateRequest,
  encodeInitiateResponse,
  encodeXdlmsApdu,
  hasConformance,
  type InitiateRequest,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { arbXdlmsApdu } from './acse-arbitraries.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

runConformance('dlms/initiate', {
  decode: (bytes) => decodeXdlmsApdu(bytes),
  encode: (decoded) => encodeXdlmsApdu(decoded as XdlmsApdu),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('conformance block', () => {
  it('numbers bit 0 as the most significant bit of the 24', () => {
    expect(conformanceToNumber(['reserved-zero'])).toBe(0x800000);
    expect(conformanceToNumber(['action'])).toBe(0x000001);
    expect(conformanceToNumber(['get'])).toBe(0x000010);
    expect(conformanceToNumber(['general-protection', 'general-block-transfer'])).toBe(0x600000);
    expect(CONFORMANCE_BITS.indexOf('multiple-references')).toBe(14);
  });

  it('reads 00 7E 1F as the usual LN client proposal', () => {
    const bits = conformanceFromNumber(0x007e1f);
    expect(bits).toEqual([
      'priority-mgmt-supported',
      'attribute0-supported-with-get',
      'block-transfer-with-get-or-read',
      'block-transfer-with-set-or-write',
      'block-transfer-with-action',
      'multiple-references',
      'get',
      'set',
      'selective-access',
      'event-notification',
      'action',
    ]);
    expect(hasConformance(bits, 'get')).toBe(true);
    expect(hasConformance(bits, 'read')).toBe(false);
  });

  it('converts between names and numbers for every 24-bit value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        expect(conformanceToNumber(conformanceFromNumber(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts names in any order and with duplicates when encoding', () => {
    const a = encodeInitiateResponse({
      type: 'initiate-response',
      negotiatedDlmsVersionNumber: 6,
      negotiatedConformance: ['get', 'action', 'get'],
      serverMaxReceivePduSize: 256,
      vaaName: 7,
    });
    expect(toHex(a)).toBe('0800065F1F04000000110100' + '0007');
    expect(decodeInitiateResponse(a).negotiatedConformance).toEqual(['get', 'action']);
  });

  it('refuses unknown names and out-of-range numbers', () => {
    expect(codeOf(thrown(() => conformanceToNumber(['nope' as 'get'])))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => conformanceFromNumber(0x1000000)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => conformanceFromNumber(-1)))).toBe('INVALID_ARGUMENT');
  });
});

describe('InitiateRequest', () => {
  const base: InitiateRequest = {
    type: 'initiate-request',
    responseAllowed: true,
    proposedDlmsVersionNumber: 6,
    proposedConformance: conformanceFromNumber(0x007e1f),
    clientMaxReceivePduSize: 1200,
  };

  it('encodes the DEFAULT response-allowed as a single 00 and FALSE as 01 00', () => {
    expect(toHex(encodeInitiateRequest(base))).toBe('01000000065F1F0400007E1F04B0');
    expect(toHex(encodeInitiateRequest({ ...base, responseAllowed: false }))).toBe(
      '0100010000065F1F0400007E1F04B0',
    );
  });

  it('reads any non-zero BOOLEAN octet as TRUE', () => {
    for (const b of ['01', '7F', 'FF']) {
      expect(decodeInitiateRequest(fromHex(`010001${b}00065F1F0400007E1F04B0`)).responseAllowed).toBe(true);
    }
  });

  it('names the failing field in the error path', () => {
    const e = thrown(() => decodeInitiateRequest(fromHex('01000000065F1F0500007E1F04B0')));
    expect(codeOf(e)).toBe('MALFORMED');
    expect(isDlmsError(e) && e.path).toEqual(['proposedConformance']);
    expect(isDlmsError(e) && e.offset).toBe(7);
  });

  it('refuses values that do not fit', () => {
    expect(codeOf(thrown(() => encodeInitiateRequest({ ...base, clientMaxReceivePduSize: 70000 })))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(thrown(() => encodeInitiateRequest({ ...base, proposedQualityOfService: 128 })))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(thrown(() => encodeInitiateRequest({ ...base, dedicatedKey: 'xyz' })))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(thrown(() => encodeInitiateRequest({ ...base, proposedDlmsVersionNumber: 6.5 })))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('does not allocate from a claimed dedicated-key length', () => {
    // A 4-byte length claiming ~4 GiB: INCOMPLETE, not an allocation.
    expect(codeOf(thrown(() => decodeInitiateRequest(fromHex('010184FFFFFFFF00'))))).toBe('INCOMPLETE');
  });
});

describe('ExceptionResponse and ConfirmedServiceError', () => {
  it('needs invocationCounter exactly with invocation-counter-error', () => {
    expect(
      codeOf(
        thrown(() =>
          encodeExceptionResponse({
            type: 'exception-response',
            stateError: 'service-not-allowed',
            serviceError: 'invocation-counter-error',
          }),
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(
        thrown(() =>
          encodeExceptionResponse({
            type: 'exception-response',
            stateError: 'service-not-allowed',
            serviceError: 'pdu-too-long',
            invocationCounter: 1,
          }),
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
  });

  it('decodes the single-APDU entry points', () => {
    expect(decodeExceptionResponse(fromHex('D80104')).serviceError).toBe('pdu-too-long');
    expect(decodeConfirmedServiceError(fromHex('0E050300')).error).toEqual({
      kind: 'service',
      value: 'other',
    });
  });

  it('names the tag it does not decode', () => {
    // Short-name referencing (readResponse) is not implemented: the error must name the tag.
    const e = thrown(() => decodeXdlmsApdu(fromHex('0C0100')));
    expect(codeOf(e)).toBe('UNSUPPORTED');
    expect(String((e as Error).message)).toContain('readResponse (0x0C)');
  });
});

describe('xDLMS properties', () => {
  it('decode(encode(x)) = x, also after a JSON round trip of x', () => {
    fc.assert(
      fc.property(arbXdlmsApdu, (x) => {
        const bytes = encodeXdlmsApdu(x);
        expect(decodeXdlmsApdu(bytes)).toEqual(x);
        expect(toHex(encodeXdlmsApdu(JSON.parse(JSON.stringify(x))))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('reports every strict prefix of an encoding as INCOMPLETE', () => {
    fc.assert(
      fc.property(arbXdlmsApdu, (x) => {
        const bytes = encodeXdlmsApdu(x);
        for (let n = 0; n < bytes.length; n++) {
          expect(codeOf(thrown(() => decodeXdlmsApdu(bytes.subarray(0, n))))).toBe('INCOMPLETE');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('throws nothing but DlmsError on random or mutated bytes', () => {
    const decoders = [
      decodeXdlmsApdu,
      decodeInitiateRequest,
      decodeInitiateResponse,
      decodeExceptionResponse,
    ];
    const arbBytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(arbXdlmsApdu, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([x, i, b]) => {
        const bytes = encodeXdlmsApdu(x);
        bytes[i % bytes.length] = b;
        return bytes;
      }),
    );
    fc.assert(
      fc.property(arbBytes, (bytes) => {
        for (const decode of decoders) {
          const e = thrown(() => decode(bytes));
          if (e !== undefined && !isDlmsError(e)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('type confusion', () => {
  const notBytes: unknown[] = [null, undefined, '01000000', 42, [1, 0, 0], new ArrayBuffer(4), {}];
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['decodeXdlmsApdu', decodeXdlmsApdu],
    ['decodeInitiateRequest', decodeInitiateRequest],
    ['decodeInitiateResponse', decodeInitiateResponse],
    ['decodeConfirmedServiceError', decodeConfirmedServiceError],
    ['decodeExceptionResponse', decodeExceptionResponse],
  ];
  const encoders: [string, (x: never) => unknown][] = [
    ['encodeXdlmsApdu', encodeXdlmsApdu],
    ['encodeInitiateRequest', encodeInitiateRequest],
    ['encodeInitiateResponse', encodeInitiateResponse],
    ['encodeExceptionResponse', encodeExceptionResponse],
  ];
  it.each(decoders)('%s refuses anything but a Uint8Array with INVALID_ARGUMENT', (_name, decode) => {
    for (const v of notBytes)
      expect(codeOf(thrown(() => decode(v as Uint8Array))), String(v)).toBe('INVALID_ARGUMENT');
  });
  it.each(encoders)('%s refuses non-objects and empty objects with INVALID_ARGUMENT', (_name, encode) => {
    for (const v of [null, undefined, 42, 'x', [], {}]) {
      expect(codeOf(thrown(() => encode(v as never))), JSON.stringify(v)).toBe('INVALID_ARGUMENT');
    }
  });
});
