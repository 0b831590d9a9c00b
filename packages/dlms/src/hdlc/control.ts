/**
 * The HDLC control field (IEC 62056-46 § 6.4.3, ISO/IEC 13239 modulo-8 format). Bit 7 is the most
 * significant bit; `P/F` is bit 4 (0x10), the poll bit on commands and the final bit on responses.
 *
 * ```text
 * I     RRR P SSS 0        N(R) = receive sequence, N(S) = send sequence (modulo 8)
 * RR    RRR P/F 0 0 0 1    0x01 | N(R)<<5 | P/F
 * RNR   RRR P/F 0 1 0 1    0x05 | N(R)<<5 | P/F
 * SNRM  1 0 0 P 0 0 1 1    0x83 | P        (command)
 * DISC  0 1 0 P 0 0 1 1    0x43 | P        (command)
 * UA    0 1 1 F 0 0 1 1    0x63 | F        (response)
 * DM    0 0 0 F 1 1 1 1    0x0F | F        (response)
 * FRMR  1 0 0 F 0 1 1 1    0x87 | F        (response)
 * UI    0 0 0 P/F 0 0 1 1  0x03 | P/F      (command or response)
 * ```
 *
 * REJ and SREJ are not used by IEC 62056-46 and are refused as `MALFORMED`.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/** @since 0.1.0 @category HDLC */
export type HdlcControl =
  | { type: 'I'; ns: number; nr: number; pf: boolean }
  | { type: 'RR' | 'RNR'; nr: number; pf: boolean }
  | { type: 'SNRM' | 'DISC' | 'UA' | 'DM' | 'FRMR' | 'UI'; pf: boolean };

/** @since 0.1.0 @category HDLC */
export type HdlcFrameType = HdlcControl['type'];

const U_CODES = { SNRM: 0x83, DISC: 0x43, UA: 0x63, DM: 0x0f, FRMR: 0x87, UI: 0x03 } as const;
const U_BY_CODE = new Map<number, HdlcFrameType>([
  [0x83, 'SNRM'],
  [0x43, 'DISC'],
  [0x63, 'UA'],
  [0x0f, 'DM'],
  [0x87, 'FRMR'],
  [0x03, 'UI'],
]);

function seq(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 7)
    throw new DlmsError('INVALID_ARGUMENT', `HDLC ${what} ${v} is not 0..7`);
  return v;
}

/** The control byte of `c`. */
export function encodeControl(c: HdlcControl): number {
  const pf = c.pf ? 0x10 : 0;
  switch (c.type) {
    case 'I':
      return (seq(c.nr, 'N(R)') << 5) | pf | (seq(c.ns, 'N(S)') << 1);
    case 'RR':
      return (seq(c.nr, 'N(R)') << 5) | pf | 0x01;
    case 'RNR':
      return (seq(c.nr, 'N(R)') << 5) | pf | 0x05;
    default: {
      const code = U_CODES[c.type];
      if (code === undefined) throw new DlmsError('INVALID_ARGUMENT', `unknown HDLC frame type`);
      return code | pf;
    }
  }
}

/** Decodes a control byte; `undefined` when it is not a frame type used by IEC 62056-46. */
export function decodeControl(b: number): HdlcControl | undefined {
  const pf = (b & 0x10) !== 0;
  if ((b & 1) === 0) return { type: 'I', ns: (b >> 1) & 7, nr: b >> 5, pf };
  if ((b & 3) === 1) {
    const s = b & 0x0f;
    if (s === 0x01) return { type: 'RR', nr: b >> 5, pf };
    if (s === 0x05) return { type: 'RNR', nr: b >> 5, pf };
    return undefined;
  }
  const type = U_BY_CODE.get(b & ~0x10);
  return type === undefined ? undefined : ({ type, pf } as HdlcControl);
}

/** Frame types that may carry an information field. */
export function mayCarryInfo(type: HdlcFrameType): boolean {
  return type === 'I' || type === 'UI' || type === 'SNRM' || type === 'UA' || type === 'FRMR';
}
