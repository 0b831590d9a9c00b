/**
 * The shared reader and writer for IEC 61968-9 dotted integer codes (ReadingType, EndDeviceEventType,
 * EndDeviceControlType, ReadingQualityType): N decimal integers separated by `.`.
 *
 * Strict and canonical, so that `format(parse(s)) === s` for every accepted `s`: each field is `0` or an optional
 * `-` followed by a digit 1–9 and more digits, within the signed 32-bit range. Leading zeros, `+`, `-0`, spaces,
 * empty fields and a wrong field count are refused with `INVALID_VALUE`; the error's `path` is `[fieldIndex]`
 * (0-based) and its `offset` the character offset where the field starts (or where the bad character is).
 *
 * @module
 */
import { CimError } from '../errors.ts';

/** Longest accepted code text. 18 fields of at most 11 characters and 17 dots is 215; anything longer is refused. */
export const MAX_CODE_LENGTH = 256;

const INT32_MAX = 2147483647;

/**
 * Parses `text` into exactly `fields.length` integers. `what` names the code in messages (e.g. `ReadingType`).
 * Throws `CimError` `INVALID_ARGUMENT` (not a string), `LIMIT_EXCEEDED` (too long) or `INVALID_VALUE`.
 */
export function parseDotted(text: unknown, fields: readonly string[], what: string): number[] {
  if (typeof text !== 'string') {
    throw new CimError('INVALID_ARGUMENT', `${what}: expected a string, got ${typeof text}`);
  }
  const len = text.length;
  if (len > MAX_CODE_LENGTH) {
    throw new CimError('LIMIT_EXCEEDED', `${what}: ${len} characters, more than ${MAX_CODE_LENGTH}`, {
      offset: MAX_CODE_LENGTH,
    });
  }
  const n = fields.length;
  const out = new Array<number>(n);
  let field = 0;
  let i = 0;
  for (;;) {
    if (field >= n) {
      throw new CimError('INVALID_VALUE', `${what}: more than ${n} fields`, { offset: i, path: [field] });
    }
    let j = i;
    const neg = j < len && text.charCodeAt(j) === 45; /* - */
    if (neg) j++;
    const digits = j;
    let v = 0;
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      j++;
      if (j - digits > 10) break;
    }
    const nd = j - digits;
    if (nd === 0 || nd > 10 || (nd > 1 && text.charCodeAt(digits) === 48) || (neg && v === 0)) {
      throw bad(
        what,
        fields,
        field,
        i,
        nd === 0 ? 'an empty or non-numeric field' : 'a non-canonical integer',
      );
    }
    if (v > (neg ? INT32_MAX + 1 : INT32_MAX))
      throw bad(what, fields, field, i, 'an integer out of 32-bit range');
    if (j < len && text.charCodeAt(j) !== 46 /* . */) {
      throw new CimError(
        'INVALID_VALUE',
        `${what}: field ${field} (${fields[field]}) is not an integer (character ${JSON.stringify(text[j])})`,
        { offset: j, path: [field] },
      );
    }
    out[field++] = neg ? -v : v;
    if (j >= len) break;
    i = j + 1;
  }
  if (field < n) {
    throw new CimError('INVALID_VALUE', `${what}: ${field} fields, expected ${n}`, {
      offset: len,
      path: [field],
    });
  }
  return out;
}

function bad(
  what: string,
  fields: readonly string[],
  field: number,
  offset: number,
  problem: string,
): CimError {
  return new CimError('INVALID_VALUE', `${what}: field ${field} (${fields[field]}) is ${problem}`, {
    offset,
    path: [field],
  });
}

/**
 * Checks that `value` can be written into a dotted code (an integer in the signed 32-bit range) and returns it;
 * otherwise throws `INVALID_ARGUMENT` with `path` `[name]`.
 */
export function checkField(what: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value > INT32_MAX || value < -INT32_MAX - 1) {
    throw new CimError(
      'INVALID_ARGUMENT',
      `${what}: ${name} must be a 32-bit integer, got ${String(value)}`,
      {
        path: [name],
      },
    );
  }
  return value === 0 ? 0 : value; // normalises -0
}
