/**
 * The xDLMS conformance block: the services and capabilities a client proposes (InitiateRequest) and a
 * server grants (InitiateResponse). IEC 62056-5-3 (Green Book), xDLMS ASN.1:
 *
 * ```asn1
 * Conformance ::= [APPLICATION 31] IMPLICIT BIT STRING
 * {
 *   -- the bit is set when the corresponding service or functionality is available
 *   reserved-zero                    (0),
 *   -- The actual list of general protection services depends on the security suite
 *   general-protection               (1),
 *   general-block-transfer           (2),
 *   read                             (3),
 *   write                            (4),
 *   unconfirmed-write                (5),
 *   delta-value-encoding             (6),  -- reserved-six in editions before delta-value encoding
 *   reserved-seven                   (7),
 *   attribute0-supported-with-set    (8),
 *   priority-mgmt-supported          (9),
 *   attribute0-supported-with-get   (10),
 *   block-transfer-with-get-or-read (11),
 *   block-transfer-with-set-or-write(12),
 *   block-transfer-with-action      (13),
 *   multiple-references             (14),
 *   information-report              (15),
 *   data-notification               (16),
 *   access                          (17),
 *   parameterized-access            (18),
 *   get                             (19),
 *   set                             (20),
 *   selective-access                (21),
 *   event-notification              (22),
 *   action                          (23)
 * } (SIZE (24))
 * ```
 *
 * Inside the otherwise A-XDR-encoded InitiateRequest/InitiateResponse the block is BER-encoded:
 * `5F 1F` (application class, tag 31 in the high-tag-number form), length `04`, `00` unused bits, then
 * the 24 bits. As in every BER bit string, bit 0 is the most significant bit of the first octet, so
 * `00 7E 1F` = bits 9–14 and 19–23.
 *
 * Two forms are offered: a list of bit names ({@link Conformance}, JSON-safe, in bit order when decoded)
 * and the 24-bit number (bit `n` is `1 << (23 - n)`), with {@link conformanceToNumber} and
 * {@link conformanceFromNumber} between them.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';

/** The conformance bit names, indexed by bit number (bit 0 first). */
export const CONFORMANCE_BITS = [
  'reserved-zero',
  'general-protection',
  'general-block-transfer',
  'read',
  'write',
  'unconfirmed-write',
  'delta-value-encoding',
  'reserved-seven',
  'attribute0-supported-with-set',
  'priority-mgmt-supported',
  'attribute0-supported-with-get',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'block-transfer-with-action',
  'multiple-references',
  'information-report',
  'data-notification',
  'access',
  'parameterized-access',
  'get',
  'set',
  'selective-access',
  'event-notification',
  'action',
] as const;

/** One named conformance bit. */
export type ConformanceBit = (typeof CONFORMANCE_BITS)[number];

/**
 * A conformance block as the set of bits that are set, by name. Decoders return the names in bit
 * order (so the JSON form is canonical); encoders accept any order and ignore duplicates.
 */
export type Conformance = readonly ConformanceBit[];

const BIT_INDEX: ReadonlyMap<string, number> = new Map(CONFORMANCE_BITS.map((name, i) => [name, i]));

/** The 24-bit number of a conformance block: bit `n` (by the standard's numbering) is `1 << (23 - n)`. */
export function conformanceToNumber(bits: Conformance): number {
  let n = 0;
  for (const name of bits) {
    const i = BIT_INDEX.get(name);
    if (i === undefined)
      throw new DlmsError('INVALID_ARGUMENT', `unknown conformance bit ${JSON.stringify(name)}`);
    n |= 1 << (23 - i);
  }
  return n;
}

/** The bit names set in a 24-bit conformance number, in bit order. */
export function conformanceFromNumber(n: number): ConformanceBit[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffff) {
    throw new DlmsError('INVALID_ARGUMENT', `conformance ${n} is not a 24-bit number`);
  }
  const out: ConformanceBit[] = [];
  for (let i = 0; i < 24; i++) if (n & (1 << (23 - i))) out.push(CONFORMANCE_BITS[i]!);
  return out;
}

/** True when `bits` contains `name`. */
export function hasConformance(bits: Conformance, name: ConformanceBit): boolean {
  return bits.includes(name);
}

/** Reads the BER-encoded block `5F 1F 04 00 b0 b1 b2` (the form used inside A-XDR). */
export function readConformance(r: Reader): ConformanceBit[] {
  const at = r.pos;
  if (r.u8('conformance tag') !== 0x5f || r.u8('conformance tag') !== 0x1f) {
    r.fail('conformance: expected the [APPLICATION 31] tag 5F 1F', at);
  }
  const lenAt = r.pos;
  if (r.u8('conformance length') !== 4) r.fail('conformance: length must be 4 (a 24-bit BIT STRING)', lenAt);
  const unusedAt = r.pos;
  if (r.u8('conformance unused bits') !== 0) r.fail('conformance: unused-bits octet must be 0', unusedAt);
  const hi = r.u8('conformance bits');
  const lo = r.u16('conformance bits');
  return conformanceFromNumber((hi << 16) | lo);
}

/** Writes the BER-encoded block `5F 1F 04 00 b0 b1 b2`. */
export function writeConformance(w: Writer, bits: Conformance): void {
  const n = conformanceToNumber(bits);
  w.u8(0x5f)
    .u8(0x1f)
    .u8(0x04)
    .u8(0x00)
    .u8(n >>> 16)
    .u16(n & 0xffff);
}
