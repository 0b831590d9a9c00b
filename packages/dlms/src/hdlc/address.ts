/**
 * HDLC addresses (IEC 62056-46 § 6.4.2, DLMS UA 1000-2 "Green Book" § 8.4.2.2).
 *
 * The address field uses HDLC extended addressing: every address byte carries 7 address bits in its
 * upper bits, and its least significant bit is 1 only on the **last** byte of the address. A client
 * address is always one byte. A server address is one, two or four bytes and is made of an **upper HDLC
 * address** (the logical device, e.g. 1 = management logical device) and an optional **lower HDLC
 * address** (the physical device, for multi-drop):
 *
 * | size | layout                                                        | upper range | lower range |
 * | ---- | ------------------------------------------------------------- | ----------- | ----------- |
 * | 1    | `uuuuuuu1`                                                    | 0..0x7F     | absent      |
 * | 2    | `uuuuuuu0 lllllll1`                                           | 0..0x7F     | 0..0x7F     |
 * | 4    | `uuuuuuu0 uuuuuuu0 lllllll0 lllllll1` (14-bit upper and lower) | 0..0x3FFF   | 0..0x3FFF   |
 *
 * Reserved values (Green Book table "Reserved special HDLC addresses"): NO_STATION 0x00; management
 * logical device (upper) / client management process (client) 0x01; public client 0x10; CALLING physical
 * device (lower) 0x7E (1 byte) / 0x3FFE (2 bytes); ALL_STATION (broadcast) 0x7F (1 byte) / 0x3FFF
 * (2 bytes).
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/**
 * One HDLC address as it appears in a frame. `size` is the number of address bytes on the wire.
 * For a one-byte address only `upper` is present (a client SAP, or a server's logical device).
 *
 * @since 0.1.0
 * @category HDLC
 */
export interface HdlcAddress {
  size: 1 | 2 | 4;
  upper: number;
  lower?: number;
}

/** Special HDLC address values (Green Book § 8.4.2.2). @since 0.1.0 @category HDLC */
export const HdlcSpecialAddress = {
  /** NO_STATION: addresses nobody (client, upper and lower). */
  NO_STATION: 0x00,
  /** Management logical device (server upper address) or client management process (client). */
  MANAGEMENT: 0x01,
  /** The public client SAP. */
  PUBLIC_CLIENT: 0x10,
  /** CALLING physical device (lower address, one-byte form), used by a meter that calls in. */
  CALLING: 0x7e,
  /** CALLING physical device in the 14-bit (four-byte address) form. */
  CALLING_14: 0x3ffe,
  /** ALL_STATION (broadcast), one-byte form. */
  ALL_STATION: 0x7f,
  /** ALL_STATION (broadcast), 14-bit form. */
  ALL_STATION_14: 0x3fff,
} as const;

/** A one-byte client address (client SAP, 0..0x7F). @since 0.1.0 @category HDLC */
export function clientAddress(sap: number): HdlcAddress {
  return checkAddress({ size: 1, upper: sap });
}

/**
 * A server address. Without `lower` it is the one-byte form; with `lower` the two-byte form when both
 * fit in 7 bits, otherwise the four-byte form. Pass `size` to force a form.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function serverAddress(upper: number, lower?: number, size?: 1 | 2 | 4): HdlcAddress {
  const s = size ?? (lower === undefined ? 1 : upper <= 0x7f && lower <= 0x7f ? 2 : 4);
  return checkAddress(s === 1 ? { size: 1, upper } : { size: s, upper, lower: lower ?? 0 });
}

/** Validates an address's ranges (throws `INVALID_ARGUMENT`) and returns it. */
export function checkAddress(a: HdlcAddress): HdlcAddress {
  const max = a.size === 4 ? 0x3fff : 0x7f;
  if (a.size !== 1 && a.size !== 2 && a.size !== 4) badAddress('size', a.size);
  if (!Number.isInteger(a.upper) || a.upper < 0 || a.upper > max) badAddress('upper', a.upper);
  if (a.size === 1) {
    if (a.lower !== undefined) badAddress('lower (one-byte address has none)', a.lower);
  } else if (a.lower === undefined || !Number.isInteger(a.lower) || a.lower < 0 || a.lower > max) {
    badAddress('lower', a.lower);
  }
  return a;
}

function badAddress(what: string, v: unknown): never {
  throw new DlmsError('INVALID_ARGUMENT', `HDLC address: ${what} ${String(v)} out of range`);
}

/** True when two addresses are the same on the wire. */
export function sameAddress(a: HdlcAddress, b: HdlcAddress): boolean {
  return a.size === b.size && a.upper === b.upper && (a.lower ?? 0) === (b.lower ?? 0);
}
