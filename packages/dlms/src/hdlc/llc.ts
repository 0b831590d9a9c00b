/**
 * The LLC sub-layer header of IEC 62056-46 § 5.2 (ISO/IEC 8802-2 LLC type 1 addressing): the first
 * information field of every I or UI frame that starts an APDU begins with
 * `destination LSAP E6, source LSAP E6 (command, client → server) or E7 (response, server → client),
 * LLC quality 00`. Segments after the first carry no LLC header (it is part of the segmented payload).
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/** `E6 E6 00`: client → server. @since 0.1.0 @category HDLC */
export const LLC_COMMAND: Readonly<Uint8Array> = /* @__PURE__ */ Uint8Array.of(0xe6, 0xe6, 0x00);
/** `E6 E7 00`: server → client. @since 0.1.0 @category HDLC */
export const LLC_RESPONSE: Readonly<Uint8Array> = /* @__PURE__ */ Uint8Array.of(0xe6, 0xe7, 0x00);

/** @since 0.1.0 @category HDLC */
export type LlcDirection = 'command' | 'response';

/** `apdu` with the LLC header for `direction` in front (a new array). @since 0.1.0 @category HDLC */
export function addLlc(apdu: Uint8Array, direction: LlcDirection): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(apdu.length + 3);
  out.set(direction === 'command' ? LLC_COMMAND : LLC_RESPONSE);
  out.set(apdu, 3);
  return out;
}

/**
 * Strips the LLC header and returns the APDU as a view. Pass `direction` to require a command or a
 * response header; otherwise either is accepted. Too short is `INCOMPLETE`; a wrong header `MALFORMED`.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function stripLlc(
  info: Uint8Array,
  direction?: LlcDirection,
): { direction: LlcDirection; apdu: Uint8Array } {
  if (info.length < 3)
    throw new DlmsError('INCOMPLETE', 'LLC header needs 3 bytes', { offset: info.length, path: ['llc'] });
  const ssap = info[1];
  const found: LlcDirection | undefined =
    info[0] !== 0xe6 || info[2] !== 0x00
      ? undefined
      : ssap === 0xe6
        ? 'command'
        : ssap === 0xe7
          ? 'response'
          : undefined;
  if (found === undefined || (direction !== undefined && found !== direction))
    throw new DlmsError('MALFORMED', `not an LLC ${direction ?? 'command or response'} header`, {
      offset: 0,
      path: ['llc'],
    });
  return { direction: found, apdu: info.subarray(3) };
}
