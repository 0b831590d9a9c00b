/**
 * `@ami-interop/dlms/hdlc`: IEC 62056-46 HDLC framing for DLMS/COSEM over serial lines: the frame
 * codec, CRC-16/X.25 FCS, addresses, LLC header, parameter negotiation, segmentation, a stream
 * deframer and the data-link state machine ({@link HdlcConnection}). Runtime-neutral: no I/O.
 *
 * @module
 */
export {
  checkAddress,
  clientAddress,
  type HdlcAddress,
  HdlcSpecialAddress,
  sameAddress,
  serverAddress,
} from './address.ts';
export {
  HdlcConnection,
  type HdlcConnectionOptions,
  type HdlcEvent,
  type HdlcLinkState,
  type HdlcRole,
  type HdlcStep,
} from './connection.ts';
export { decodeControl, encodeControl, type HdlcControl, type HdlcFrameType } from './control.ts';
export { type HdlcDeframeResult, HdlcDeframer, type HdlcDeframerOptions } from './deframer.ts';
export { fcs16 } from './fcs.ts';
export {
  decodeHdlcFrame,
  encodeHdlcFrame,
  HDLC_FLAG,
  HDLC_MAX_FRAME_LENGTH,
  HDLC_MIN_FRAME_LENGTH,
  type HdlcFrame,
  type HdlcFrameJson,
  hdlcFrameFromJson,
  hdlcFrameToJson,
} from './frame.ts';
export { addLlc, LLC_COMMAND, LLC_RESPONSE, type LlcDirection, stripLlc } from './llc.ts';
export {
  decodeHdlcParameters,
  encodeHdlcParameters,
  HDLC_DEFAULT_PARAMETERS,
  HDLC_MAX_INFO_LENGTH,
  type HdlcParameters,
  negotiateHdlcParameters,
  peerView,
} from './parameters.ts';
export { HdlcReassembler, type HdlcSegment, segmentPayload } from './segment.ts';
