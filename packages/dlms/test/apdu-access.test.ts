import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccessRequest,
  type AccessResponse,
  apduFromJson,
  apduToJson,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  longInvokeIdAndPriorityFromNumber,
  xdlmsTagName,
} from '../src/apdu/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis } from '../src/obis/index.ts';
import { arbAccessApdu, arbAccessRequest, arbAccessResponse } from './apdu-arbitraries.ts';
import {
  assertJsonJunkOnlyDlmsError,
  assertPrefixesIncomplete,
  assertRandomAfterTagOnlyDlmsError,
  assertRoundTrip,
} from './apdu-properties.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

runConformance('dlms/apdu-access', {
  decode: (bytes: Uint8Array) => apduToJson(decodeXdlmsApdu(bytes)),
  encode: (decoded: unknown) => encodeXdlmsApdu(apduFromJson(decoded)),
  errorCode: codeOf,
  errorOffset: (e: unknown) => (isDlmsError(e) ? e.offset : undefined),
});

const clock = { classId: 8, instanceId: obis(0, 0, 1, 0, 0), attributeId: 2 };
const request = (over: Partial<AccessRequest> = {}): AccessRequest => ({
  type: 'access-request',
  longInvokeIdAndPriority: longInvokeIdAndPriorityFromNumber(0x40000001),
  accessRequestSpecification: [{ type: 'access-request-get', attribute: clock }],
  accessRequestListOfData: [{ type: 'null-data' }],
  ...over,
});
const response = (over: Partial<AccessResponse> = {}): AccessResponse => ({
  type: 'access-response',
  longInvokeIdAndPriority: longInvokeIdAndPriorityFromNumber(0x40000001),
  accessResponseListOfData: [{ type: 'null-data' }],
  accessResponseSpecification: [{ type: 'access-response-set', result: 'success' }],
  ...over,
});

describe('ACCESS models', () => {
  it('encodes a one-GET request to the bytes built by hand from the ASN.1', () => {
    // D9, long-invoke-id 1 confirmed, no date-time, 01 spec: 01 get 0008/0.0.1.0.0.255/02, 01 Data: null.
    expect(toHex(encodeXdlmsApdu(request()))).toBe('D94000000100010100080000010000FF020100');
  });

  it('names the failing field in the decode error path', () => {
    const e = thrown(() => decodeXdlmsApdu(fromHex('D94000000000010100080000010000FF020107')));
    // The Data tag 07 is not a Data type: the error says where, from the APDU down.
    expect(codeOf(e)).toBe('MALFORMED');
    expect(isDlmsError(e) && e.path).toEqual(['accessRequestListOfData', 0]);
    const bad = thrown(() => decodeXdlmsApdu(fromHex('DA4000000000000100010900')));
    expect(isDlmsError(bad) && bad.path).toEqual(['accessResponseSpecification', 0]);
  });

  it('refuses models whose lists disagree, with INVALID_ARGUMENT and the field', () => {
    const cases: [AccessRequest | AccessResponse, string][] = [
      [request({ accessRequestListOfData: [] }), 'accessRequestListOfData'],
      [
        request({ accessRequestListOfData: [{ type: 'null-data' }, { type: 'null-data' }] }),
        'accessRequestListOfData',
      ],
      [response({ accessResponseSpecification: [] }), 'accessResponseSpecification'],
      [
        response({
          accessRequestSpecification: [
            { type: 'access-request-set', attribute: clock },
            { type: 'access-request-set', attribute: clock },
          ],
        }),
        'accessResponseListOfData',
      ],
    ];
    for (const [x, field] of cases) {
      const e = thrown(() => encodeXdlmsApdu(x));
      expect(codeOf(e), field).toBe('INVALID_ARGUMENT');
      expect(isDlmsError(e) && e.path, field).toEqual([field]);
    }
  });

  it('refuses unknown specification types and bad results', () => {
    const badSpec = request({
      accessRequestSpecification: [{ type: 'access-request-next', attribute: clock } as never],
    });
    expect(codeOf(thrown(() => encodeXdlmsApdu(badSpec)))).toBe('INVALID_ARGUMENT');
    const badResult = response({
      accessResponseSpecification: [{ type: 'access-response-action', result: 'long-get-aborted' as never }],
    });
    // long-get-aborted is a Data-Access-Result, not an Action-Result (its 15 is long-action-aborted there).
    expect(codeOf(thrown(() => encodeXdlmsApdu(badResult)))).toBe('INVALID_ARGUMENT');
  });

  it('is decoded by the dispatcher instead of UNSUPPORTED, and named', () => {
    expect(xdlmsTagName(0xd9)).toBe('access-request (0xD9)');
    expect(decodeXdlmsApdu(fromHex('DA4000000100000000')).type).toBe('access-response');
  });

  it('takes the dispatcher Data limits', () => {
    const deep = fromHex(`D9 40000000 00 00 01 ${'0201'.repeat(40)}00`.replace(/\s/g, ''));
    // No specification but one Data: the count check refuses it before the Data is read…
    expect(codeOf(thrown(() => decodeXdlmsApdu(deep)))).toBe('MALFORMED');
    const deepGet = fromHex(`D94000000000010100080000010000FF0201${'0201'.repeat(40)}00`.replace(/\s/g, ''));
    // …and with a matching specification the nesting limit applies to the list of data.
    expect(codeOf(thrown(() => decodeXdlmsApdu(deepGet)))).toBe('LIMIT_EXCEEDED');
    expect(decodeXdlmsApdu(deepGet, { dataLimits: { maxDepth: 64 } }).type).toBe('access-request');
  });
});

describe('ACCESS properties', () => {
  it('decode(encode(x)) = x, and the JSON form survives JSON.stringify', () => {
    assertRoundTrip(arbAccessApdu, 300);
  });

  it('every strict prefix of an encoding is INCOMPLETE', () => {
    assertPrefixesIncomplete(fc.oneof(arbAccessRequest, arbAccessResponse), 60);
  });

  it('random bytes behind D9 / DA only ever throw DlmsError', () => {
    assertRandomAfterTagOnlyDlmsError([0xd9, 0xda], 3000);
  });

  it('valid encodings with one byte changed only ever throw DlmsError or decode to a re-encodable model', () => {
    fc.assert(
      fc.property(arbAccessApdu, fc.nat(), fc.integer({ min: 0, max: 255 }), (x, pick, value) => {
        const bytes = encodeXdlmsApdu(x).slice();
        bytes[pick % bytes.length] = value;
        try {
          const y = decodeXdlmsApdu(bytes);
          expect(decodeXdlmsApdu(encodeXdlmsApdu(y))).toEqual(y);
        } catch (e) {
          expect(isDlmsError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a JSON form with any field replaced by junk only ever throws DlmsError', () => {
    assertJsonJunkOnlyDlmsError(arbAccessApdu, 1000);
  });
});
