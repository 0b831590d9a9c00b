/**
 * OBIS codes as this package takes them (it does not depend on `@ami-interop/dlms`): six value groups A–F, each
 * 0–255 (IEC 62056-6-1).
 *
 * Accepted forms: `"1.0.1.8.0.255"` (the dotted six-group form used by IS 15959 object lists), `"1-0:1.8.0*255"`
 * and `"1-0:1.8.0.255"` (the reduced-ID notation A-B:C.D.E*F; F may also follow a `.`), `"1-0:1.8.0"` (F omitted
 * = 255), or an array of six integers.
 *
 * @module
 */
import { CimError } from '../errors.ts';

/** The six OBIS value groups. */
export type Obis = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const REDUCED = /^(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:[*.&](\d{1,3}))?$/;

/** Parses an OBIS code. Throws `CimError` `INVALID_VALUE` (path `['obis']`) for anything else. */
export function parseObis(input: string | readonly number[]): Obis {
  let groups: number[];
  if (typeof input === 'string') {
    const m = input.length <= 32 ? (DOTTED.exec(input) ?? REDUCED.exec(input)) : null;
    if (!m) {
      throw new CimError('INVALID_VALUE', `not an OBIS code: ${JSON.stringify(input.slice(0, 40))}`, {
        path: ['obis'],
      });
    }
    groups = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? 255 : Number(m[i])));
  } else if (Array.isArray(input) && input.length === 6) {
    groups = [...input];
  } else {
    throw new CimError('INVALID_VALUE', 'an OBIS code is a string or six integers', { path: ['obis'] });
  }
  for (let i = 0; i < 6; i++) {
    const g = groups[i];
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > 255) {
      throw new CimError(
        'INVALID_VALUE',
        `OBIS value group ${'ABCDEF'[i]} must be 0..255, got ${String(g)}`,
        {
          path: ['obis', i],
        },
      );
    }
  }
  return groups as unknown as Obis;
}

/** Formats OBIS value groups in the dotted six-group form `a.b.c.d.e.f`. */
export function formatObis(obis: Obis): string {
  return obis.join('.');
}
