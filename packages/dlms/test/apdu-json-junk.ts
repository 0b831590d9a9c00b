/**
 * A property shared by the APDU tests: the JSON form of a generated APDU with any one field (at any depth)
 * replaced by junk, fed to apduFromJson + encodeXdlmsApdu, only ever throws DlmsError.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { apduFromJson, apduToJson, encodeXdlmsApdu, type XdlmsApdu } from '../src/apdu/index.ts';
import { isDlmsError } from '../src/errors.ts';

type Path = (string | number)[];

function paths(v: unknown, p: Path = [], out: Path[] = []): Path[] {
  if (p.length > 0) out.push(p);
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, [...p, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

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
