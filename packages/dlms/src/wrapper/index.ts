/**
 * `@ami-interop/dlms/wrapper`: the IEC 62056-47 wrapper (DLMS/COSEM over TCP and UDP): the 8-byte
 * header codec and a TCP stream deframer. Runtime-neutral: no sockets here.
 *
 * @module
 */
export { type WrapperDeframeResult, WrapperDeframer, type WrapperDeframerOptions } from './deframer.ts';
export {
  decodeWrapperFrame,
  encodeWrapperFrame,
  WRAPPER_HEADER_LENGTH,
  WRAPPER_VERSION,
  type WrapperFrame,
  type WrapperFrameJson,
  WrapperPort,
  wrapperFrameFromJson,
  wrapperFrameToJson,
} from './frame.ts';
