/**
 * `@ami-interop/dlms/optical`: IEC 62056-21 messages and the mode E sign-on that switches an optical
 * probe to HDLC. Runtime-neutral: the serial port comes from a transport.
 *
 * @module
 */
export {
  type AckMessage,
  baudRateChar,
  baudRateOf,
  decodeAckMessage,
  decodeIdentificationMessage,
  decodeRequestMessage,
  encodeAckMessage,
  encodeIdentificationMessage,
  encodeRequestMessage,
  type IdentificationMessage,
  identificationBaud,
  MODE_E_BAUD_RATES,
  MODE_E_INITIAL_LINE,
  modeEAck,
  modeEHdlcLine,
  type RequestMessage,
  type SerialLineSettings,
  shortReactionTime,
  supportsModeE,
} from './messages.ts';
export { type ModeEOptions, ModeESignOn, type ModeEState, type ModeEStep } from './sign-on.ts';
