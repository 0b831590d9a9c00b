/**
 * OBIS codes (IEC 62056-6-1, Object Identification System): the six value groups A to F that name every
 * COSEM object. On the wire a logical name is `octet-string (SIZE(6))`, one byte per group, A first.
 *
 * ```text
 *   A  media (0 abstract, 1 electricity, …)     D  processing (e.g. 8 time integral 1)
 *   B  channel                                  E  further classification (tariff rate, …)
 *   C  quantity (e.g. 1 Σ Li active power +)   F  historical value / billing period (255 = not used)
 * ```
 *
 * Text forms accepted by {@link parseObis}:
 *
 * | form | example | notes |
 * |---|---|---|
 * | dotted | `1.0.1.8.0.255` | the form IS 15959 and most tools print |
 * | dotted, five groups | `1.0.1.8.0` | F defaults to 255 ("not used"), as IEC 62056-6-1 reduced notation |
 * | IEC | `1-0:1.8.0*255` | the standard's notation: `A-B:C.D.E*F` |
 * | IEC, dot before F | `1-0:1.8.0.255` | common in vendor documents |
 * | IEC, no F | `1-0:1.8.0` | F defaults to 255 |
 * | hex | `0100010800FF` | twelve hex digits, the logical-name bytes |
 *
 * Each group is a decimal number 0..255. Anything else is a `DlmsError` with code `INVALID_ARGUMENT` and the
 * offset of the offending character in the text.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';

/**
 * An OBIS code: six value groups, immutable. Build one with {@link parseObis} or {@link obis}; compare with
 * {@link obisEquals} / {@link compareObis} (not `===`).
 */
export interface Obis {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
  /** The dotted form, `A.B.C.D.E.F`, so that template strings and `JSON.stringify` print it readably. */
  toString(): string;
  toJSON(): string;
}

/** `dotted`: `1.0.1.8.0.255`; `iec`: `1-0:1.8.0*255` (IEC 62056-6-1 notation). */
export type ObisStyle = 'dotted' | 'iec';

const proto = {
  toString(this: Obis): string {
    return formatObis(this, 'dotted');
  },
  toJSON(this: Obis): string {
    return formatObis(this, 'dotted');
  },
};

function make(a: number, b: number, c: number, d: number, e: number, f: number): Obis {
  const o = Object.create(proto) as { -readonly [K in 'a' | 'b' | 'c' | 'd' | 'e' | 'f']: number };
  o.a = a;
  o.b = b;
  o.c = c;
  o.d = d;
  o.e = e;
  o.f = f;
  return Object.freeze(o) as unknown as Obis;
}

function group(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) {
    throw new DlmsError('INVALID_ARGUMENT', `OBIS group ${name} must be an integer 0..255, got ${v}`);
  }
  return v;
}

/** Builds an OBIS code from its groups (F defaults to 255). Out-of-range groups are `INVALID_ARGUMENT`. */
export function obis(a: number, b: number, c: number, d: number, e: number, f = 255): Obis {
  return make(group(a, 'A'), group(b, 'B'), group(c, 'C'), group(d, 'D'), group(e, 'E'), group(f, 'F'));
}

/** True when `value` is an OBIS code built by this module. */
export function isObis(value: unknown): value is Obis {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === proto;
}

const HEX12 = /^[0-9A-Fa-f]{12}$/;

/**
 * Parses an OBIS code from text (see the module doc for the accepted forms) or from the six raw bytes of a
 * logical name. Returns the same object when given an {@link Obis}.
 */
export function parseObis(input: string | Uint8Array | Obis): Obis {
  if (typeof input === 'string') return parseText(input);
  if (input instanceof Uint8Array) {
    if (input.length !== 6) {
      throw new DlmsError('INVALID_ARGUMENT', `an OBIS code is 6 bytes, got ${input.length}`, {
        offset: Math.min(input.length, 6),
      });
    }
    return make(input[0]!, input[1]!, input[2]!, input[3]!, input[4]!, input[5]!);
  }
  if (isObis(input)) return input;
  throw new DlmsError('INVALID_ARGUMENT', 'parseObis expects a string, 6 bytes or an Obis');
}

function parseText(s: string): Obis {
  if (HEX12.test(s)) {
    const g: number[] = [];
    for (let i = 0; i < 12; i += 2) g.push(Number.parseInt(s.slice(i, i + 2), 16));
    return make(g[0]!, g[1]!, g[2]!, g[3]!, g[4]!, g[5]!);
  }
  let pos = 0;
  const fail = (msg: string, at = pos): never => {
    throw new DlmsError('INVALID_ARGUMENT', `OBIS ${JSON.stringify(s)}: ${msg}`, { offset: at });
  };
  const num = (name: string): number => {
    const start = pos;
    let v = 0;
    while (pos < s.length) {
      const c = s.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      pos++;
      if (pos - start > 3) fail(`group ${name} has more than 3 digits`, start);
    }
    if (pos === start)
      fail(pos >= s.length ? `input ended, group ${name} expected` : `group ${name}: digit expected`);
    if (v > 255) fail(`group ${name} is ${v}, above 255`, start);
    return v;
  };
  const sep = (allowed: string, what: string): string => {
    const ch = s[pos];
    if (ch === undefined || !allowed.includes(ch)) {
      fail(
        ch === undefined ? `input ended, ${what} expected` : `${JSON.stringify(ch)} found, ${what} expected`,
      );
    }
    pos++;
    return ch!;
  };
  const a = num('A');
  const first = sep('.-', "'.' or '-'");
  let b: number;
  let c: number;
  let d: number;
  let e: number;
  let f = 255;
  if (first === '-') {
    b = num('B');
    sep(':', "':'");
    c = num('C');
    sep('.', "'.'");
    d = num('D');
    sep('.', "'.'");
    e = num('E');
    if (pos < s.length) {
      sep('*.', "'*' or '.'");
      f = num('F');
    }
  } else {
    b = num('B');
    sep('.', "'.'");
    c = num('C');
    sep('.', "'.'");
    d = num('D');
    sep('.', "'.'");
    e = num('E');
    if (pos < s.length) {
      sep('.', "'.'");
      f = num('F');
    }
  }
  if (pos < s.length) fail(`unexpected ${JSON.stringify(s[pos])} after group F`);
  return make(a, b, c, d, e, f);
}

/** `1.0.1.8.0.255` (dotted, the default) or `1-0:1.8.0*255` (IEC 62056-6-1). */
export function formatObis(o: Obis, style: ObisStyle = 'dotted'): string {
  return style === 'iec'
    ? `${o.a}-${o.b}:${o.c}.${o.d}.${o.e}*${o.f}`
    : `${o.a}.${o.b}.${o.c}.${o.d}.${o.e}.${o.f}`;
}

export function obisEquals(x: Obis, y: Obis): boolean {
  return x.a === y.a && x.b === y.b && x.c === y.c && x.d === y.d && x.e === y.e && x.f === y.f;
}

/** Orders by A, then B, … then F (the order of the logical-name bytes). Negative, zero or positive. */
export function compareObis(x: Obis, y: Obis): number {
  return x.a - y.a || x.b - y.b || x.c - y.c || x.d - y.d || x.e - y.e || x.f - y.f;
}

/** The six logical-name bytes (a new array). */
export function obisToBytes(o: Obis): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(o.a, o.b, o.c, o.d, o.e, o.f);
}

/** Reads six bytes as an OBIS code (for APDUs: cosem-attribute-descriptor's instance-id). */
export function readObis(r: Reader): Obis {
  const b = r.bytes(6, 'OBIS code');
  return make(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!);
}

/** Writes the six logical-name bytes (no tag, no length). */
export function writeObis(w: Writer, o: Obis): void {
  w.u8(o.a).u8(o.b).u8(o.c).u8(o.d).u8(o.e).u8(o.f);
}
