import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitStringFromBits,
  bitStringGet,
  bitStringToBits,
  cosemDateTimeFromDate,
  cosemDateTimeToDate,
  cosemDateTimeToIso,
  type Data,
  type DataJson,
  dataFromJson,
  dataToJson,
  dateTimeAsOctetString,
  decodeData,
  encodeData,
  octetStringAsDateTime,
  readData,
  readTypeDescription,
  tryCosemDateTimeToIso,
  writeData,
  writeTypeDescription,
} from '../src/axdr/index.ts';
import { DlmsError, isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { Reader } from '../src/internal/reader.ts';
import { Writer } from '../src/internal/writer.ts';
import { arbCosemDateTime, arbData, arbTypeDescription } from './arbitraries.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

runConformance('dlms/axdr', {
  decode: (bytes) => dataToJson(decodeData(bytes)),
  encode: (decoded) => encodeData(dataFromJson(decoded)),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('A-XDR Data properties', () => {
  it('decodeData(encodeData(x)) deep-equals x', () => {
    fc.assert(
      fc.property(arbData, (d) => {
        expect(decodeData(encodeData(d))).toEqual(d);
      }),
      { numRuns: 1500 },
    );
  });

  it('dataFromJson(dataToJson(x)) deep-equals x, also through JSON text', () => {
    fc.assert(
      fc.property(arbData, (d) => {
        const j = dataToJson(d);
        expect(dataFromJson(j)).toEqual(d);
        expect(dataFromJson(JSON.parse(JSON.stringify(j)))).toEqual(d);
      }),
      { numRuns: 1000 },
    );
  });

  it('every strict prefix of an encoded value is INCOMPLETE', () => {
    fc.assert(
      fc.property(arbData, (d) => {
        const bytes = encodeData(d);
        for (let n = 0; n < bytes.length; n++) {
          const e = thrown(() => decodeData(bytes.subarray(0, n)));
          if (codeOf(e) !== 'INCOMPLETE') {
            throw new Error(`prefix ${n}/${bytes.length} of ${toHex(bytes)}: ${String(e)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes only ever throw DlmsError (and never hang)', () => {
    const tagged = fc
      .tuple(
        fc.constantFrom(
          0,
          1,
          2,
          3,
          4,
          5,
          6,
          9,
          10,
          12,
          13,
          15,
          16,
          17,
          18,
          19,
          20,
          21,
          22,
          23,
          24,
          25,
          26,
          27,
          255,
        ),
        fc.uint8Array({ maxLength: 48 }),
      )
      .map(([t, rest]) => Uint8Array.of(t, ...rest));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), tagged), (bytes) => {
        try {
          const d = decodeData(bytes);
          // Whatever decodes must re-encode to a value that decodes the same.
          expect(decodeData(encodeData(d))).toEqual(d);
        } catch (e) {
          if (!(e instanceof DlmsError)) throw e;
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('decodes the vectors of every encoded JSON value to the same typed JSON', () => {
    fc.assert(
      fc.property(arbData, (d) => {
        const j: DataJson = dataToJson(d);
        expect(dataToJson(decodeData(encodeData(dataFromJson(j))))).toEqual(j);
      }),
      { numRuns: 300 },
    );
  });
});

describe('type descriptions', () => {
  it('round-trip through writeTypeDescription / readTypeDescription', () => {
    fc.assert(
      fc.property(arbTypeDescription, (td) => {
        const w = new Writer();
        writeTypeDescription(w, td);
        const bytes = w.finish();
        const r = new Reader(bytes);
        expect(readTypeDescription(r)).toEqual(td);
        expect(r.done).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the array count as a fixed Unsigned16 and the structure count as a variable length', () => {
    const w = new Writer();
    writeTypeDescription(w, {
      type: 'structure',
      elements: [{ type: 'array', count: 3, element: { type: 'long-unsigned' } }, { type: 'date-time' }],
    });
    expect(toHex(w.finish())).toBe('02020100031219');
  });
});

describe('IS 15959 profile buffers', () => {
  it('decodes a block-load buffer and reads each clock column as a date-time', () => {
    const rows: Data[] = [];
    for (let i = 0; i < 96; i++) {
      const clock = dateTimeAsOctetString(
        cosemDateTimeFromDate(new Date(Date.UTC(2024, 2, 14, 18, 30) + i * 900_000), -330),
      );
      rows.push({ type: 'structure', value: [clock, { type: 'long-unsigned', value: 23_000 + i }] });
    }
    const buffer = decodeData(encodeData({ type: 'array', value: rows }));
    if (buffer.type !== 'array') throw new Error('not an array');
    const times = buffer.value.map((row) => {
      if (row.type !== 'structure') throw new Error('not a structure');
      return cosemDateTimeToIso(octetStringAsDateTime(row.value[0]!));
    });
    expect(times[0]).toBe('2024-03-15T00:00:00.00+05:30');
    expect(times[95]).toBe('2024-03-15T23:45:00.00+05:30');
  });
});

describe('hostile input', () => {
  it('an array claiming 2^32-1 elements is refused before allocating', () => {
    for (const hex of ['0184FFFFFFFF', '0284FFFFFFFF', '0184FFFFFFFF00000000']) {
      const e = thrown(() => decodeData(fromHex(hex)));
      expect(codeOf(e), hex).toBe('LIMIT_EXCEEDED');
    }
    // Within maxElements, a count larger than the bytes left is INCOMPLETE (more may come).
    expect(codeOf(thrown(() => decodeData(fromHex('0183010000'))))).toBe('INCOMPLETE');
    // A huge octet-string or bit-string length is INCOMPLETE without allocating.
    expect(codeOf(thrown(() => decodeData(fromHex('0984FFFFFFFF00'))))).toBe('INCOMPLETE');
    expect(codeOf(thrown(() => decodeData(fromHex('0484FFFFFFFF00'))))).toBe('INCOMPLETE');
  });

  it('a structure nested 100k deep is LIMIT_EXCEEDED, not a stack overflow', () => {
    const depth = 100_000;
    const bytes = new Uint8Array(depth * 2 + 1);
    for (let i = 0; i < depth; i++) bytes.set([0x02, 0x01], i * 2);
    const e = thrown(() => decodeData(bytes));
    expect(codeOf(e)).toBe('LIMIT_EXCEEDED');
    expect((e as DlmsError).offset).toBe(64);
    // Even with a caller's limit far too high, the hard cap holds.
    expect(codeOf(thrown(() => decodeData(bytes, { maxDepth: 1e9 })))).toBe('LIMIT_EXCEEDED');
  });

  it('a deep compact-array type description is LIMIT_EXCEEDED', () => {
    const bytes = new Uint8Array(3 * 5000 + 2);
    bytes[0] = 0x13;
    for (let i = 0; i < 5000; i++) bytes.set([0x01, 0x00, 0x01], 1 + i * 3);
    expect(codeOf(thrown(() => decodeData(bytes)))).toBe('LIMIT_EXCEEDED');
  });

  it('compact-array elements that encode to zero bytes cannot multiply without bound', () => {
    // array(65535, array(65535, null-data)) as the element type, contents of one byte.
    const e = thrown(() => decodeData(fromHex('13 01FFFF 01FFFF 00 01 00')));
    expect(codeOf(e)).toBe('MALFORMED');
    // array(65535, array(65535, unsigned)) with one byte of contents: malformed at the second element.
    expect(codeOf(thrown(() => decodeData(fromHex('13 01FFFF 01FFFF 11 01 00'))))).toBe('MALFORMED');
    // structure{unsigned, array(65535, null-data)}: 65537 elements per content byte; 20 bytes hit maxElements.
    const amplified = fromHex(`13 0202 11 01FFFF00 14 ${'00'.repeat(20)}`);
    expect(codeOf(thrown(() => decodeData(amplified)))).toBe('LIMIT_EXCEEDED');
  });

  it('maxElements and maxDepth can be set per call', () => {
    const three = fromHex('0103 0000 00');
    expect(codeOf(thrown(() => decodeData(three, { maxElements: 2 })))).toBe('LIMIT_EXCEEDED');
    expect(decodeData(three, { maxElements: 3 })).toEqual({
      type: 'array',
      value: [{ type: 'null-data' }, { type: 'null-data' }, { type: 'null-data' }],
    });
    expect(codeOf(thrown(() => decodeData(fromHex('0201 0201 00'), { maxDepth: 1 })))).toBe('LIMIT_EXCEEDED');
    expect(decodeData(fromHex('0201 0201 00'), { maxDepth: 2 }).type).toBe('structure');
  });

  it('an in-memory value nested too deep to encode is INVALID_ARGUMENT, not a stack overflow', () => {
    let d: Data = { type: 'null-data' };
    for (let i = 0; i < 100_000; i++) d = { type: 'structure', value: [d] };
    expect(codeOf(thrown(() => encodeData(d)))).toBe('INVALID_ARGUMENT');
  });
});

describe('errors carry offset and path', () => {
  it('reports the path of a bad element', () => {
    const e = thrown(() => decodeData(fromHex('0102 0201 1200 0202 1200 0E'))) as DlmsError;
    expect(e.code).toBe('INCOMPLETE');
    const m = thrown(() => decodeData(fromHex('0102 0201 120000 0202 120000 0E'))) as DlmsError;
    expect(m.code).toBe('MALFORMED');
    expect(m.offset).toBe(12);
    expect(m.path).toEqual([1, 1]);
  });

  it('reports encode errors with the path to the bad value', () => {
    const d: Data = {
      type: 'structure',
      value: [
        { type: 'unsigned', value: 1 },
        { type: 'array', value: [{ type: 'long-unsigned', value: 70_000 }] },
      ],
    };
    const e = thrown(() => encodeData(d)) as DlmsError;
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.path).toEqual([1, 0]);
  });

  it('refuses values out of range or of the wrong kind', () => {
    const bad: unknown[] = [
      { type: 'integer', value: 128 },
      { type: 'long', value: 1.5 },
      { type: 'double-long-unsigned', value: -1 },
      { type: 'long64', value: 1 },
      { type: 'long64-unsigned', value: -1n },
      { type: 'octet-string', value: 'AB' },
      { type: 'visible-string', value: '€' },
      { type: 'utf8-string', value: '\ud800' },
      { type: 'bit-string', value: { length: 9, bytes: new Uint8Array(1) } },
      { type: 'boolean', value: 1 },
      { type: 'nope' },
      { type: 'compact-array', typeDescription: { type: 'unsigned' }, value: [{ type: 'long', value: 1 }] },
      { type: 'compact-array', typeDescription: { type: 'null-data' }, value: [{ type: 'null-data' }] },
      {
        type: 'date-time',
        value: { ...cosemDateTimeFromDate(new Date(0)), month: 0xfd },
      },
    ];
    for (const d of bad)
      expect(
        codeOf(thrown(() => encodeData(d as Data))),
        JSON.stringify(d, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)),
      ).toBe('INVALID_ARGUMENT');
  });

  it('refuses malformed typed JSON with INVALID_ARGUMENT and a path', () => {
    const e = thrown(() =>
      dataFromJson({ type: 'structure', value: [{ type: 'octet-string', value: 'zz' }] }),
    ) as DlmsError;
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.path.slice(0, 2)).toEqual(['value', 0]);
    for (const j of [
      null,
      1,
      { type: 'long64', value: 1 },
      { type: 'array', value: {} },
      { type: 'float32', value: 'x' },
    ]) {
      expect(codeOf(thrown(() => dataFromJson(j)))).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('embedding in APDUs', () => {
  it('readData reads one value at the reader position and leaves the rest; offsets are input offsets', () => {
    const buf = fromHex('C4 01 81 00 1200E6 FF');
    const r = new Reader(buf, 4, buf.length, 0);
    expect(readData(r)).toEqual({ type: 'long-unsigned', value: 230 });
    expect(r.pos).toBe(7);
    const bad = new Reader(fromHex('AA 07'), 1);
    expect((thrown(() => readData(bad)) as DlmsError).offset).toBe(1);
  });

  it('writeData appends to a writer', () => {
    const w = new Writer();
    w.u8(0xc4);
    writeData(w, { type: 'structure', value: [{ type: 'boolean', value: true }] });
    expect(toHex(w.finish())).toBe('C402010301');
  });

  it('octet-strings are views into the input (no copy)', () => {
    const buf = fromHex('0902AABB');
    const d = decodeData(buf);
    buf[2] = 0x11;
    expect(d.type === 'octet-string' && d.value[0]).toBe(0x11);
  });
});

describe('COSEM date-time', () => {
  it('IS 15959 octet-string(12) date-times convert both ways', () => {
    const d = decodeData(fromHex('090C07E8030F050A1E0000FEB600'));
    const dt = octetStringAsDateTime(d);
    expect(cosemDateTimeToIso(dt)).toBe('2024-03-15T10:30:00.00+05:30');
    expect(toHex(encodeData(dateTimeAsOctetString(dt)))).toBe('090C07E8030F050A1E0000FEB600');
    expect(
      codeOf(thrown(() => octetStringAsDateTime({ type: 'octet-string', value: new Uint8Array(11) }))),
    ).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => octetStringAsDateTime({ type: 'unsigned', value: 1 })))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('deviation follows UTC = local + deviation (IST is -330)', () => {
    const instant = new Date('2024-03-15T05:00:00.000Z');
    const dt = cosemDateTimeFromDate(instant, -330);
    expect([dt.year, dt.month, dt.dayOfMonth, dt.dayOfWeek, dt.hour, dt.minute]).toEqual([
      2024, 3, 15, 5, 10, 30,
    ]);
    expect(cosemDateTimeToIso(dt)).toBe('2024-03-15T10:30:00.00+05:30');
    expect(cosemDateTimeToDate(dt).toISOString()).toBe('2024-03-15T05:00:00.000Z');
    expect(Date.parse(cosemDateTimeToIso(dt))).toBe(instant.getTime());
  });

  it('cosemDateTimeFromDate → cosemDateTimeToDate is the identity to the hundredth', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2199-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -720, max: 720 }),
        (date, dev) => {
          const dt = cosemDateTimeFromDate(date, dev);
          const back = cosemDateTimeToDate(dt);
          expect(back.getTime()).toBe(Math.floor(date.getTime() / 10) * 10);
          expect(Date.parse(cosemDateTimeToIso(dt))).toBe(back.getTime());
          expect(decodeData(encodeData({ type: 'date-time', value: dt }))).toEqual({
            type: 'date-time',
            value: dt,
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses to make an instant out of wildcards, naming the fields', () => {
    const dt = { ...cosemDateTimeFromDate(new Date(0)), year: undefined, dayOfMonth: 'last' as const };
    const e = thrown(() => cosemDateTimeToIso(dt)) as DlmsError;
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/year not specified/);
    expect(e.message).toMatch(/day of month last/);
    expect(tryCosemDateTimeToIso(dt)).toBeUndefined();
    const local = { ...cosemDateTimeFromDate(new Date(0)), deviation: undefined };
    expect(codeOf(thrown(() => cosemDateTimeToIso(local)))).toBe('INVALID_ARGUMENT');
    expect(cosemDateTimeToIso(local, { allowLocal: true })).toBe('1970-01-01T00:00:00.00');
    expect(
      codeOf(thrown(() => cosemDateTimeToIso({ ...local, deviation: 0, month: 2, dayOfMonth: 30 }))),
    ).toBe('INVALID_ARGUMENT');
  });

  it('round-trips any date-time byte-exact, whatever the field values', () => {
    fc.assert(
      fc.property(arbCosemDateTime, (dt) => {
        const bytes = encodeData({ type: 'date-time', value: dt });
        expect(bytes.length).toBe(13);
        expect(toHex(encodeData(decodeData(bytes)))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });
});

describe('bit-string helpers', () => {
  it('build, read and print bits, first bit in the MSB', () => {
    const bs = bitStringFromBits('1010000000001');
    expect(bs.length).toBe(13);
    expect(toHex(bs.bytes)).toBe('A008');
    expect(bitStringGet(bs, 0)).toBe(true);
    expect(bitStringGet(bs, 1)).toBe(false);
    expect(bitStringGet(bs, 12)).toBe(true);
    expect(bitStringToBits(bs)).toBe('1010000000001');
    expect(codeOf(thrown(() => bitStringGet(bs, 13)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrown(() => bitStringFromBits('10x')))).toBe('INVALID_ARGUMENT');
    expect(toHex(encodeData({ type: 'bit-string', value: bitStringFromBits([true, false, true]) }))).toBe(
      '0403A0',
    );
  });
});
