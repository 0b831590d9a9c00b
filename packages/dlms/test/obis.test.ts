import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDlmsError } from '../src/errors.ts';
import { toHex } from '../src/internal/hex.ts';
import { Reader } from '../src/internal/reader.ts';
import { Writer } from '../src/internal/writer.ts';
import {
  compareObis,
  formatObis,
  isObis,
  type ObisStyle,
  obis,
  obisEquals,
  obisToBytes,
  parseObis,
  readObis,
  writeObis,
} from '../src/obis/index.ts';
import { arbObis } from './arbitraries.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

runConformance('dlms/obis', {
  decode(bytes, v) {
    if (v.params?.['form'] === 'text') {
      const o = parseObis(new TextDecoder().decode(bytes));
      return { dotted: formatObis(o), iec: formatObis(o, 'iec') };
    }
    const r = new Reader(bytes);
    const o = readObis(r);
    r.expectEnd('OBIS code');
    return { dotted: formatObis(o), iec: formatObis(o, 'iec') };
  },
  encode(decoded, v) {
    const { dotted, iec } = decoded as { dotted: string; iec: string };
    const o = parseObis(dotted);
    expect(obisEquals(parseObis(iec), o)).toBe(true);
    if (v.params?.['form'] === 'text') {
      return new TextEncoder().encode(formatObis(o, v.params['style'] as ObisStyle));
    }
    const w = new Writer();
    writeObis(w, o);
    return w.finish();
  },
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('OBIS', () => {
  it('text and bytes round-trip in both styles', () => {
    fc.assert(
      fc.property(arbObis, (o) => {
        expect(obisEquals(parseObis(formatObis(o)), o)).toBe(true);
        expect(obisEquals(parseObis(formatObis(o, 'iec')), o)).toBe(true);
        expect(obisEquals(parseObis(obisToBytes(o)), o)).toBe(true);
        expect(obisEquals(parseObis(toHex(obisToBytes(o))), o)).toBe(true);
        expect(compareObis(o, parseObis(obisToBytes(o)))).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('compares in logical-name byte order', () => {
    fc.assert(
      fc.property(arbObis, arbObis, (x, y) => {
        const c = Math.sign(compareObis(x, y));
        const bx = obisToBytes(x);
        const by = obisToBytes(y);
        let expected = 0;
        for (let i = 0; i < 6 && expected === 0; i++) expected = Math.sign(bx[i]! - by[i]!);
        expect(c).toBe(expected);
        expect(obisEquals(x, y)).toBe(expected === 0);
      }),
      { numRuns: 500 },
    );
  });

  it('random text is either an OBIS code or INVALID_ARGUMENT with an offset inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[0-9.:*-]{0,20}$/)), (s) => {
        try {
          const o = parseObis(s);
          expect(isObis(o)).toBe(true);
        } catch (e) {
          expect(codeOf(e)).toBe('INVALID_ARGUMENT');
          const off = (e as { offset?: number }).offset;
          expect(off).toBeGreaterThanOrEqual(0);
          expect(off).toBeLessThanOrEqual(s.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('is immutable and prints readably', () => {
    const o = parseObis('1-0:1.8.0*255');
    expect(Object.isFrozen(o)).toBe(true);
    expect(() => {
      (o as { a: number }).a = 2;
    }).toThrow(TypeError);
    expect(`${o}`).toBe('1.0.1.8.0.255');
    expect(JSON.stringify({ ln: o })).toBe('{"ln":"1.0.1.8.0.255"}');
    expect(parseObis(o)).toBe(o);
  });

  it('refuses wrong sizes and groups', () => {
    expect(codeOf(thrownOf(() => parseObis(new Uint8Array(5))))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrownOf(() => obis(1, 0, 1, 8, 0, 256)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrownOf(() => obis(1, 0, 1, 8, -1)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrownOf(() => parseObis(42 as unknown as string)))).toBe('INVALID_ARGUMENT');
    expect(codeOf(thrownOf(() => readObis(new Reader(new Uint8Array(5)))))).toBe('INCOMPLETE');
    expect(formatObis(obis(0, 0, 96, 1, 2), 'iec')).toBe('0-0:96.1.2*255');
  });
});

function thrownOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
