import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_RESULTS,
  actionResultFromNumber,
  apduFromJson,
  apduToJson,
  clockRangeDescriptor,
  DATA_ACCESS_RESULTS,
  dataAccessResultFromNumber,
  dataAccessResultToNumber,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  entryDescriptor,
  invokeIdAndPriority,
  invokeIdAndPriorityFromByte,
  invokeIdAndPriorityToByte,
  longInvokeIdAndPriorityFromNumber,
  longInvokeIdAndPriorityToNumber,
  parseProfileSelection,
  rangeDescriptor,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { decodeData, encodeData } from '../src/axdr/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis, parseObis } from '../src/obis/index.ts';
import { arbLongInvokeIdAndPriority, arbServiceApdu } from './apdu-arbitraries.ts';
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

const codec = {
  decode: (bytes: Uint8Array) => apduToJson(decodeXdlmsApdu(bytes)),
  encode: (decoded: unknown) => encodeXdlmsApdu(apduFromJson(decoded)),
  errorCode: codeOf,
  errorOffset: (e: unknown) => (isDlmsError(e) ? e.offset : undefined),
};

for (const family of [
  'dlms/apdu-get',
  'dlms/apdu-set',
  'dlms/apdu-action',
  'dlms/apdu-notification',
  'dlms/apdu-gbt',
]) {
  runConformance(family, codec);
}

describe('Invoke-Id-And-Priority', () => {
  it('puts invoke-id in bits 0-3, service-class in bit 6 and priority in bit 7', () => {
    expect(invokeIdAndPriorityToByte(invokeIdAndPriority(1))).toBe(0xc1);
    expect(invokeIdAndPriorityFromByte(0x81)).toEqual({
      invokeId: 1,
      serviceClass: 'unconfirmed',
      priority: 'high',
    });
    expect(invokeIdAndPriorityFromByte(0x40)).toEqual({
      invokeId: 0,
      serviceClass: 'confirmed',
      priority: 'normal',
    });
    expect(invokeIdAndPriorityFromByte(0x0f).invokeId).toBe(15);
  });

  it('round-trips every octet', () => {
    for (let b = 0; b < 256; b++) expect(invokeIdAndPriorityToByte(invokeIdAndPriorityFromByte(b))).toBe(b);
  });

  it('refuses an invoke-id above 15 and unknown names', () => {
    expect(codeOf(thrown(() => invokeIdAndPriority(16)))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(
        thrown(() =>
          invokeIdAndPriorityToByte({ invokeId: 1, serviceClass: 'maybe' as never, priority: 'high' }),
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});

describe('Long-Invoke-Id-And-Priority', () => {
  it('puts the flags in bits 28 (self-descriptive), 29 (break-on-error), 30 (confirmed), 31 (high)', () => {
    const base = longInvokeIdAndPriorityFromNumber(0);
    expect(longInvokeIdAndPriorityToNumber({ ...base, selfDescriptive: 'self-descriptive' })).toBe(
      0x10000000,
    );
    expect(longInvokeIdAndPriorityToNumber({ ...base, processingOption: 'break-on-error' })).toBe(0x20000000);
    expect(longInvokeIdAndPriorityToNumber({ ...base, serviceClass: 'confirmed' })).toBe(0x40000000);
    expect(longInvokeIdAndPriorityToNumber({ ...base, priority: 'high' })).toBe(0x80000000);
    expect(longInvokeIdAndPriorityToNumber({ ...base, longInvokeId: 0xabcdef })).toBe(0xabcdef);
  });

  it('round-trips generated values', () => {
    fc.assert(
      fc.property(arbLongInvokeIdAndPriority, (x) => {
        expect(longInvokeIdAndPriorityFromNumber(longInvokeIdAndPriorityToNumber(x))).toEqual(x);
      }),
    );
  });
});

describe('results', () => {
  it('names every Data-Access-Result and Action-Result value of the standard', () => {
    expect(Object.values(DATA_ACCESS_RESULTS)).toEqual([
      0, 1, 2, 3, 4, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 250,
    ]);
    expect(Object.values(ACTION_RESULTS)).toEqual([0, 1, 2, 3, 4, 9, 11, 12, 13, 14, 15, 16, 250]);
    expect(dataAccessResultFromNumber(19)).toBe('data-block-number-invalid');
    expect(actionResultFromNumber(15)).toBe('long-action-aborted');
    expect(dataAccessResultFromNumber(20)).toBe(20);
    expect(dataAccessResultToNumber('other-reason')).toBe(250);
    expect(codeOf(thrown(() => dataAccessResultToNumber('nope' as never)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => dataAccessResultToNumber('toString' as never)))).toBe('INVALID_ARGUMENT');
  });
});

describe('selective access builders', () => {
  it('builds the entry descriptor and reads it back', () => {
    const sad = entryDescriptor({ fromEntry: 1, toEntry: 96, fromSelectedValue: 1, toSelectedValue: 0 });
    expect(toHex(encodeData(sad.accessParameters))).toBe('020406000000010600000060120001120000');
    expect(parseProfileSelection(sad)).toEqual({
      kind: 'entry',
      value: { fromEntry: 1, toEntry: 96, fromSelectedValue: 1, toSelectedValue: 0 },
    });
  });

  it('builds the clock range descriptor byte-exact and reads it back', () => {
    const from = {
      year: 2024,
      month: 1,
      dayOfMonth: 1,
      dayOfWeek: undefined,
      hour: 0,
      minute: 0,
      second: 0,
      hundredths: 0,
      deviation: undefined,
      clockStatus: undefined,
    };
    const to = { ...from, dayOfMonth: 2 };
    const sad = clockRangeDescriptor(from, to);
    expect(sad.accessSelector).toBe(1);
    // By hand: structure(4){ structure(4){ long-unsigned 8, octet-string(6) 0.0.1.0.0.255, integer 2,
    // long-unsigned 0 }, octet-string(12) from, octet-string(12) to, array(0) }.
    expect(toHex(encodeData(sad.accessParameters))).toBe(
      '0204020412000809060000010000FF0F02120000090C07E80101FF000000008000FF090C07E80102FF000000008000FF0100',
    );
    const back = parseProfileSelection(sad);
    expect(back?.kind).toBe('range');
    if (back?.kind === 'range') {
      expect(back.value.restrictingObject).toEqual({
        classId: 8,
        logicalName: obis(0, 0, 1, 0, 0),
        attributeIndex: 2,
        dataIndex: 0,
      });
      expect(back.value.selectedValues).toEqual([]);
    }
  });

  it('keeps selected columns and refuses other shapes', () => {
    const col = { classId: 3, logicalName: parseObis('1.0.12.27.0.255'), attributeIndex: 2, dataIndex: 0 };
    const sad = rangeDescriptor({
      restrictingObject: col,
      fromValue: { type: 'long-unsigned', value: 1 },
      toValue: { type: 'long-unsigned', value: 2 },
      selectedValues: [col, col],
    });
    const again = decodeData(encodeData(sad.accessParameters));
    expect(parseProfileSelection({ accessSelector: 1, accessParameters: again })).toEqual({
      kind: 'range',
      value: {
        restrictingObject: col,
        fromValue: { type: 'long-unsigned', value: 1 },
        toValue: { type: 'long-unsigned', value: 2 },
        selectedValues: [col, col],
      },
    });
    expect(
      parseProfileSelection({ accessSelector: 3, accessParameters: sad.accessParameters }),
    ).toBeUndefined();
    expect(
      parseProfileSelection({ accessSelector: 2, accessParameters: sad.accessParameters }),
    ).toBeUndefined();
    expect(
      parseProfileSelection({ accessSelector: 1, accessParameters: { type: 'null-data' } }),
    ).toBeUndefined();
  });
});

describe('dispatcher', () => {
  it('says a ciphered APDU must be deciphered first', () => {
    const e = thrown(() => decodeXdlmsApdu(fromHex('CC0130')));
    expect(codeOf(e)).toBe('UNSUPPORTED');
    expect(String((e as Error).message)).toContain('/security');
  });

  it('passes Data limits down', () => {
    const deep = fromHex(`C4 01 C1 00 ${'0201'.repeat(40)}00`);
    expect(codeOf(thrown(() => decodeXdlmsApdu(deep)))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(thrown(() => decodeXdlmsApdu(deep, { dataLimits: { maxDepth: 64 } })))).toBeUndefined();
  });

  it('names the failing field in the error path', () => {
    const e = thrown(() => decodeXdlmsApdu(fromHex('C401C10007')));
    expect(isDlmsError(e) && e.path).toEqual(['result', 'data']);
  });

  it('refuses unencodable models with INVALID_ARGUMENT and a path', () => {
    const bad = {
      type: 'get-request-normal',
      invokeIdAndPriority: invokeIdAndPriority(1),
      attribute: { classId: 70000, instanceId: obis(0, 0, 1, 0, 0), attributeId: 2 },
    } as XdlmsApdu;
    const e = thrown(() => encodeXdlmsApdu(bad));
    expect(codeOf(e)).toBe('INVALID_ARGUMENT');
    expect(isDlmsError(e) && e.path).toEqual(['attribute', 'classId']);
  });
});

describe('properties', () => {
  it('decode(encode(x)) = x, and the JSON form survives JSON.stringify', () => {
    assertRoundTrip(arbServiceApdu, 400);
  });

  it('every strict prefix of an encoding is INCOMPLETE', () => {
    assertPrefixesIncomplete(arbServiceApdu, 100);
  });

  it('a JSON form with any field replaced by junk only ever throws DlmsError', () => {
    assertJsonJunkOnlyDlmsError(arbServiceApdu, 1500);
  });

  it('random bytes behind a service tag only ever throw DlmsError', () => {
    assertRandomAfterTagOnlyDlmsError([0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc7, 0x0f, 0xe0], 3000);
  });
});
