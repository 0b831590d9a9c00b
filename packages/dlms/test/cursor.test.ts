import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DlmsError, fromHex, isDlmsError, toHex } from '../src/index.ts';
import { Reader } from '../src/internal/reader.ts';
import { Writer } from '../src/internal/writer.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

runConformance('dlms/length', {
  decode(bytes) {
    const r = new Reader(bytes);
    const n = r.length();
    r.expectEnd('length');
    return n;
  },
  encode: (n) => new Writer().length(n as number).finish(),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('Writer fork/join', () => {
  it('writes the short or long form around a payload of any size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (payload) => {
        const w = new Writer(8);
        w.u8(0x09).fork().bytes(payload).join().u8(0xee);
        const out = w.finish();
        const r = new Reader(out);
        expect(r.u8()).toBe(0x09);
        const n = r.length();
        expect(n).toBe(payload.length);
        expect(toHex(r.bytes(n))).toBe(toHex(payload));
        expect(r.u8()).toBe(0xee);
        r.expectEnd();
      }),
      { numRuns: 200 },
    );
  });

  it('nests', () => {
    const w = new Writer();
    w.fork().u8(1).fork().bytes(new Uint8Array(200)).join().join();
    const r = new Reader(w.finish());
    expect(r.length()).toBe(1 + 2 + 200);
  });
});

describe('Reader', () => {
  it('returns views, never copies', () => {
    const buf = fromHex('01020304');
    const r = new Reader(buf);
    const v = r.bytes(2);
    buf[0] = 0xff;
    expect(v[0]).toBe(0xff);
  });

  it('reports running past the end as INCOMPLETE with the offset where bytes were needed', () => {
    const r = new Reader(fromHex('0102'), 0, 2, 100);
    r.u8();
    try {
      r.u16();
      expect.unreachable();
    } catch (e) {
      expect(isDlmsError(e, 'INCOMPLETE')).toBe(true);
      expect((e as DlmsError).offset).toBe(102);
    }
  });
});

describe('hex', () => {
  it('round-trips and accepts pasted forms', () => {
    expect(toHex(fromHex('7e a0 07:03-21\n93 0f 01 7e'))).toBe('7EA0070321930F017E');
    expect(toHex(fromHex('0xC001'))).toBe('C001');
  });
  it('refuses bad hex with an offset', () => {
    expect(() => fromHex('zz')).toThrow(DlmsError);
    try {
      fromHex('00z0');
    } catch (e) {
      expect((e as DlmsError).code).toBe('INVALID_ARGUMENT');
      expect((e as DlmsError).offset).toBe(2);
    }
  });
});

describe('DlmsError', () => {
  it('is recognised by brand across module copies, and builds a path', () => {
    const e = new DlmsError('MALFORMED', 'bad tag', { offset: 3, path: ['data', 2] });
    const foreign = Object.assign(Object.create(Error.prototype), {
      [Symbol.for('ami-interop.error')]: 'DlmsError',
    });
    expect(foreign instanceof DlmsError).toBe(true);
    expect(new Error('x') instanceof DlmsError).toBe(false);
    expect(e.describe()).toBe('[MALFORMED] bad tag at offset 3 (path data[2])');
  });
});
