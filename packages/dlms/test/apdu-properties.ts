/**
 * The properties every APDU family must have, shared by the APDU tests: round trip through bytes and the
 * JSON form, every strict prefix INCOMPLETE, random bytes behind a tag and junk in the JSON form only ever
 * throw DlmsError.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  apduFromJson,
  apduToJson,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { toHex } from '../src/internal/hex.ts';

type Path = (string | number)[];

function paths(v: unknown, p: Path = [], out: Path[] = []): Path[] {
  if (p.length > 0) out.push(p);
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, [...p, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

/** decode(encode(x)) = x, and the JSON form survives JSON.stringify back to the same bytes. */
export function assertRoundTrip(arb: fc.Arbitrary<XdlmsApdu>, numRuns: number): void {
  fc.assert(
    fc.property(arb, (x) => {
      const bytes = encodeXdlmsApdu(x);
      const back = decodeXdlmsApdu(bytes);
      expect(back).toEqual(x);
      const json = JSON.parse(JSON.stringify(apduToJson(back)));
      expect(toHex(encodeXdlmsApdu(apduFromJson(json)))).toBe(toHex(bytes));
    }),
    { numRuns },
  );
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isDlmsError(e) ? e.code : String(e);
  }
  return undefined;
}

/** Every strict prefix of an encoding is INCOMPLETE. */
export function assertPrefixesIncomplete(arb: fc.Arbitrary<XdlmsApdu>, numRuns: number): void {
  fc.assert(
    fc.property(arb, (x) => {
      const bytes = encodeXdlmsApdu(x);
      for (let n = 0; n < bytes.length; n++) {
        expect(codeOf(() => decodeXdlmsApdu(bytes.subarray(0, n)))).toBe('INCOMPLETE');
      }
    }),
    { numRuns },
  );
}

/** Random bytes behind one of `tags` throw only DlmsError; whatever decodes re-encodes and decodes again. */
export function assertRandomAfterTagOnlyDlmsError(tags: readonly number[], numRuns: number): void {
  fc.assert(
    fc.property(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 80 }), (tag, rest) => {
      const bytes = new Uint8Array([tag, ...rest]);
      try {
        const x = decodeXdlmsApdu(bytes);
        expect(decodeXdlmsApdu(encodeXdlmsApdu(x))).toEqual(x);
      } catch (e) {
        expect(isDlmsError(e), String(e)).toBe(true);
      }
    }),
    { numRuns },
  );
}

/** The JSON form with any one field (at any depth) replaced by junk only ever throws DlmsError. */
export function assertJsonJunkOnlyDlmsError(arb: fc.Arbitrary<XdlmsApdu>, numRuns: number): void {
  fc.assert(
    fc.property(arb, fc.nat(), fc.anything(), (x, pick, junk) => {
      const json = JSON.parse(JSON.stringify(apduToJson(x)));
      const all = paths(json);
      const path = all[pick % all.length]!;
      let holder = json;
      for (const k of path.slice(0, -1)) holder = holder[k];
      holder[path[path.length - 1]!] = junk;
      try {
        encodeXdlmsApdu(apduFromJson(json));
      } catch (e) {
        expect(isDlmsError(e), `${String(e)} at ${path.join('.')}`).toBe(true);
      }
    }),
    { numRuns },
  );
}
