import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CSV_REQUIRED_COLUMNS,
  decodeMeterRecord,
  encodeMeterRecord,
  isKeyfileError,
  type MeterRecord,
  type MeterRecordJson,
  meterFromJson,
  meterToJson,
  parseMetersCsv,
  SecretBytes,
} from '../src/index.ts';

const key = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
);
const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: 'grapheme-ascii' });
const secretArb = fc.uint8Array({ minLength: 1, maxLength: 255 }).map((b) => new SecretBytes(b));

const recordArb: fc.Arbitrary<MeterRecord> = fc
  .record({
    serial: text(32),
    deviceId: fc.option(text(40), { nil: undefined }),
    manufacturer: fc.option(fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), { nil: undefined }),
    systemTitle: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    guek: key,
    gbek: fc.option(key, { nil: undefined }),
    gak: key,
    mk: key,
    lls: fc.option(secretArb, { nil: undefined }),
    hlsUs: fc.option(secretArb, { nil: undefined }),
    saps: fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 4 }),
    counter: fc.nat({ max: 0xffffffff }),
    extra: fc.dictionary(text(10), fc.string({ maxLength: 30 }), { maxKeys: 4 }),
  })
  .map((r) => {
    const m: MeterRecord = {
      serial: r.serial,
      systemTitle: r.systemTitle,
      keys: { guek: new SecretBytes(r.guek), gak: new SecretBytes(r.gak), mk: new SecretBytes(r.mk) },
      secrets: {},
      invocationCounters: [...r.saps]
        .sort((a, b) => a - b)
        .map((clientSap) => ({ clientSap, counter: r.counter })),
      firmware: [],
      extra: r.extra,
    };
    if (r.deviceId !== undefined) m.deviceId = r.deviceId;
    if (r.manufacturer !== undefined) m.manufacturer = r.manufacturer;
    if (r.gbek) m.keys.gbek = new SecretBytes(r.gbek);
    if (r.lls) m.secrets.lls = r.lls;
    if (r.hlsUs) m.secrets.hlsUs = r.hlsUs;
    return m;
  });

describe('meter record codec', () => {
  it('decode(encode(x)) = x', () => {
    fc.assert(
      fc.property(recordArb, (m) => {
        const back = decodeMeterRecord(encodeMeterRecord(m));
        expect(meterToJson(back, { reveal: true })).toEqual(meterToJson(m, { reveal: true }));
      }),
      { numRuns: 300 },
    );
  });

  it('every strict prefix of an encoding is INCOMPLETE', () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), (m, k) => {
        const b = encodeMeterRecord(m);
        const n = k % b.length;
        try {
          decodeMeterRecord(b.subarray(0, n));
        } catch (e) {
          return isKeyfileError(e, 'INCOMPLETE');
        }
        return false;
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw anything but typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeMeterRecord(b);
        } catch (e) {
          return isKeyfileError(e);
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to encode values outside the limits', () => {
    const ok = (over: Partial<MeterRecord>) => () => encodeMeterRecord({ ...baseRecord(), ...over });
    expect(ok({ serial: '' })).toThrow(/serial/);
    expect(ok({ systemTitle: new Uint8Array(7) })).toThrow(/systemTitle/);
    expect(ok({ keys: { guek: new SecretBytes(new Uint8Array(15)), gak: k16(), mk: k16() } })).toThrow(
      /guek/,
    );
    expect(
      ok({
        invocationCounters: [
          { clientSap: 48, counter: 1 },
          { clientSap: 32, counter: 1 },
        ],
      }),
    ).toThrow(/ascending/);
  });
});

describe('extra field names taken from input', () => {
  // `obj[name] = v` with name "__proto__" calls the prototype setter and loses
  // the field (found by the round-trip property above, seed -813388149).
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

  it('survive the binary record, JSON and CSV as own fields, and no prototype changes', () => {
    const extra: Record<string, string> = {};
    for (const n of names) Object.defineProperty(extra, n, { value: `v-${n}`, enumerable: true });
    const m = { ...baseRecord(), extra };
    const fromBinary = decodeMeterRecord(encodeMeterRecord(m));
    const fromJson = meterFromJson(JSON.parse(JSON.stringify(meterToJson(m, { reveal: true }))));
    const header = `${CSV_REQUIRED_COLUMNS.join(',')},${names.map((n) => n.toLowerCase()).join(',')}`;
    const row = `A,${'00'.repeat(8)},${'01'.repeat(16)},${'01'.repeat(16)},${'01'.repeat(16)},,,,${names.map((n) => `v-${n}`).join(',')}`;
    const [fromCsv] = parseMetersCsv(`${header}\n${row}\n`);
    for (const back of [fromBinary, fromJson, fromCsv!]) {
      expect(Object.getPrototypeOf(back.extra)).toBe(Object.prototype);
      for (const n of names) {
        const key = back === fromCsv ? n.toLowerCase() : n;
        expect(Object.hasOwn(back.extra, key), key).toBe(true);
        expect(back.extra[key]).toBe(`v-${n}`);
      }
    }
  });

  it('a JSON extra value that is not text is MALFORMED', () => {
    const j = meterToJson(baseRecord(), { reveal: true });
    const bad = { ...j, extra: { site: 7 } } as unknown as MeterRecordJson;
    expect(() => meterFromJson(bad)).toThrow(/extra\.site/);
  });
});

function k16(): SecretBytes {
  return new SecretBytes(new Uint8Array(16).fill(1));
}

function baseRecord(): MeterRecord {
  return {
    serial: 'A',
    systemTitle: new Uint8Array(8),
    keys: { guek: k16(), gak: k16(), mk: k16() },
    secrets: {},
    invocationCounters: [],
    firmware: [],
    extra: {},
  };
}
