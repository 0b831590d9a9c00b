/**
 * @ami-interop/dlms: DLMS/COSEM for IS 15959 meters.
 *
 * The root holds the error family and the hex helpers; the codecs live on subpaths (`/obis`, `/axdr`,
 * `/apdu`, `/acse`, `/hdlc`, `/wrapper`, `/security`, …) so that an application imports only what it uses.
 *
 * @module
 */
export {
  DlmsError,
  type DlmsErrorCode,
  type DlmsErrorOptions,
  formatPath,
  isDlmsError,
  withPath,
} from './errors.ts';
export { fromHex, toHex } from './internal/hex.ts';
