/**
 * The conformance runner: registers one vitest test per vector of a family, checking both directions
 * and the truncation sweep.
 *
 * - `decode(bytes)` must equal `decoded` (deep equality of the codec's JSON form);
 * - `encode(decoded)` must give the bytes back exactly (unless the vector says `encode: false`);
 * - every strict prefix of the bytes must be reported as incomplete (unless `truncation: false`);
 * - a negative vector (`error`) must be refused with that code (and offset, when given).
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, loadVectors, type Vector, vectorBytes } from './index.ts';

export interface CodecUnderTest {
  /** Decodes the whole input to the codec's JSON form; throws the package's typed error on bad input. */
  decode(bytes: Uint8Array, vector: Vector): unknown;
  /** Encodes the JSON form back to bytes. Omit for decode-only families. */
  encode?(decoded: unknown, vector: Vector): Uint8Array;
  /** The stable error code of a thrown value, or undefined if it is not one of ours. */
  errorCode(e: unknown): string | undefined;
  /** Error offset, when the codec reports one. */
  errorOffset?(e: unknown): number | undefined;
  /** The code meaning "more bytes needed" (default `INCOMPLETE`). */
  incompleteCode?: string;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

export function runConformance(family: string, codec: CodecUnderTest): void {
  const file = loadVectors(family);
  const sources = file.sources;
  const incomplete = codec.incompleteCode ?? 'INCOMPLETE';
  describe(`conformance: ${family}`, () => {
    it('has vectors, each with a known source and a unique name', () => {
      expect(file.vectors.length).toBeGreaterThan(0);
      const names = new Set<string>();
      for (const v of file.vectors) {
        expect(sources[v.source], `vector ${v.name}: unknown source ${v.source}`).toBeDefined();
        expect(names.has(v.name), `duplicate vector name ${v.name}`).toBe(false);
        names.add(v.name);
      }
    });
    for (const v of file.vectors) {
      const label = `${v.name} [${v.source}]`;
      const bytes = vectorBytes(v);
      if (v.error) {
        it(`refuses ${label} with ${v.error.code}`, () => {
          const e = thrown(() => codec.decode(bytes, v));
          expect(e, 'decoder accepted a vector that must be refused').toBeDefined();
          expect(codec.errorCode(e), String(e)).toBe(v.error!.code);
          if (v.error!.offset !== undefined) expect(codec.errorOffset?.(e)).toBe(v.error!.offset);
        });
        continue;
      }
      it(`decodes ${label}`, () => {
        expect(codec.decode(bytes, v)).toEqual(v.decoded);
      });
      if (codec.encode && v.encode !== false) {
        it(`encodes ${label} byte-exact`, () => {
          expect(bytesToHex(codec.encode!(v.decoded, v))).toBe(bytesToHex(bytes));
        });
      }
      if (v.truncation !== false && bytes.length > 0) {
        it(`reports every strict prefix of ${label} as incomplete`, () => {
          for (let n = 0; n < bytes.length; n++) {
            const e = thrown(() => codec.decode(bytes.subarray(0, n), v));
            expect(codec.errorCode(e), `prefix of ${n}/${bytes.length} bytes: ${String(e)}`).toBe(incomplete);
          }
        });
      }
    }
  });
}
