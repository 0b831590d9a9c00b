/**
 * The DLMS/COSEM transport layer for IP networks, IEC 62056-47 (now IEC 62056-9-7 / Green Book § 7.3.3):
 * the **wrapper** protocol data unit, the same on UDP and on TCP:
 *
 * ```text
 * Version      u16   0x0001
 * Source wPort u16   the sender's SAP (a client SAP such as 0x10, or a server logical device such as 1)
 * Dest. wPort  u16   the receiver's SAP
 * Length       u16   length of the APDU that follows (0..65535)
 * APDU         Length bytes
 * ```
 *
 * Reserved wPort numbers (Green Book): client side 0x01 client management process, 0x10 public client;
 * server side 0x01 management logical device; 0x7F all-station (broadcast).
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';

/** The only wrapper version defined. @since 0.1.0 @category Wrapper */
export const WRAPPER_VERSION = 1;
/** Bytes in the wrapper header. @since 0.1.0 @category Wrapper */
export const WRAPPER_HEADER_LENGTH = 8;

/** Reserved wPort numbers. @since 0.1.0 @category Wrapper */
export const WrapperPort = {
  NO_STATION: 0x00,
  /** Client management process (client side) or management logical device (server side). */
  MANAGEMENT: 0x01,
  PUBLIC_CLIENT: 0x10,
  ALL_STATION: 0x7f,
} as const;

/** A wrapper frame; `apdu` is a view into the input when decoded. @since 0.1.0 @category Wrapper */
export interface WrapperFrame {
  source: number;
  destination: number;
  apdu: Uint8Array;
}

/** The JSON form (APDU as upper-case hex). @since 0.1.0 @category Wrapper */
export interface WrapperFrameJson {
  source: number;
  destination: number;
  apdu: string;
}

export function wrapperFrameToJson(f: WrapperFrame): WrapperFrameJson {
  return { source: f.source, destination: f.destination, apdu: toHex(f.apdu) };
}

export function wrapperFrameFromJson(j: WrapperFrameJson): WrapperFrame {
  if (typeof j !== 'object' || j === null || typeof j.apdu !== 'string')
    throw new DlmsError('INVALID_ARGUMENT', 'a wrapper frame JSON form is an object whose "apdu" is hex');
  return { source: j.source, destination: j.destination, apdu: fromHex(j.apdu) };
}

function port(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff)
    throw new DlmsError('INVALID_ARGUMENT', `wrapper ${what} wPort ${v} is not 0..65535`);
  return v;
}

/** Header plus APDU. @since 0.1.0 @category Wrapper */
export function encodeWrapperFrame(f: WrapperFrame): Uint8Array<ArrayBuffer> {
  if (f.apdu.length > 0xffff)
    throw new DlmsError('INVALID_ARGUMENT', `wrapper APDU of ${f.apdu.length} bytes exceeds 65535`);
  const out = new Uint8Array(WRAPPER_HEADER_LENGTH + f.apdu.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, WRAPPER_VERSION);
  v.setUint16(2, port(f.source, 'source'));
  v.setUint16(4, port(f.destination, 'destination'));
  v.setUint16(6, f.apdu.length);
  out.set(f.apdu, WRAPPER_HEADER_LENGTH);
  return out;
}

/**
 * Decodes exactly one wrapper frame. Short input is `INCOMPLETE`; a version other than 1 or bytes after
 * the APDU are `MALFORMED`.
 *
 * @since 0.1.0
 * @category Wrapper
 */
export function decodeWrapperFrame(bytes: Uint8Array): WrapperFrame {
  const r = new Reader(bytes);
  const version = r.u16('version');
  if (version !== WRAPPER_VERSION) r.fail(`wrapper version ${version} is not 1`, 0);
  const source = r.u16('source wPort');
  const destination = r.u16('destination wPort');
  const length = r.u16('length');
  const apdu = r.bytes(length, 'APDU');
  r.expectEnd('wrapper frame');
  return { source, destination, apdu };
}
