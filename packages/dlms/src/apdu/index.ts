/**
 * `@ami-interop/dlms/apdu`: xDLMS APDUs (IEC 62056-5-3 / Green Book), A-XDR encoded.
 *
 * Implemented so far: InitiateRequest (`01`), InitiateResponse (`08`), ConfirmedServiceError (`0E`) and
 * ExceptionResponse (`D8`), plus the conformance block. {@link decodeXdlmsApdu} dispatches on the first
 * octet; any other tag is refused with `UNSUPPORTED`, naming the tag.
 *
 * Every model is JSON-safe (octet strings as upper-case hex, enumerations by name), so
 * `JSON.parse(JSON.stringify(apdu))` re-encodes to the same bytes.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import {
  type ConfirmedServiceError,
  readConfirmedServiceError,
  writeConfirmedServiceError,
} from './confirmed-service-error.ts';
import {
  type ExceptionResponse,
  readExceptionResponse,
  writeExceptionResponse,
} from './exception-response.ts';
import {
  type InitiateRequest,
  type InitiateResponse,
  readInitiateRequest,
  readInitiateResponse,
  requireBytes,
  writeInitiateRequest,
  writeInitiateResponse,
} from './initiate.ts';

export {
  CONFIRMED_SERVICE_ERROR_TAG,
  CONFIRMED_SERVICES,
  type ConfirmedService,
  type ConfirmedServiceError,
  decodeConfirmedServiceError,
  encodeConfirmedServiceError,
  SERVICE_ERRORS,
  type ServiceError,
  type ServiceErrorKind,
} from './confirmed-service-error.ts';
export {
  CONFORMANCE_BITS,
  type Conformance,
  type ConformanceBit,
  conformanceFromNumber,
  conformanceToNumber,
  hasConformance,
} from './conformance.ts';
export {
  decodeExceptionResponse,
  EXCEPTION_RESPONSE_TAG,
  EXCEPTION_SERVICE_ERRORS,
  EXCEPTION_STATE_ERRORS,
  type ExceptionResponse,
  type ExceptionServiceError,
  type ExceptionStateError,
  encodeExceptionResponse,
} from './exception-response.ts';
export {
  decodeInitiateRequest,
  decodeInitiateResponse,
  encodeInitiateRequest,
  encodeInitiateResponse,
  INITIATE_REQUEST_TAG,
  INITIATE_RESPONSE_TAG,
  type InitiateRequest,
  type InitiateResponse,
  VAA_NAME_LN,
  VAA_NAME_SN,
} from './initiate.ts';

/** The xDLMS APDUs this module decodes, discriminated by `type`. */
export type XdlmsApdu = InitiateRequest | InitiateResponse | ConfirmedServiceError | ExceptionResponse;

/** Names of xDLMS tags, for messages about tags this module does not (yet) decode. */
const TAG_NAMES: Readonly<Record<number, string>> = {
  1: 'initiateRequest',
  5: 'readRequest',
  6: 'writeRequest',
  8: 'initiateResponse',
  12: 'readResponse',
  13: 'writeResponse',
  14: 'confirmedServiceError',
  15: 'data-notification',
  22: 'unconfirmedWriteRequest',
  24: 'informationReportRequest',
  33: 'glo-initiateRequest',
  40: 'glo-initiateResponse',
  46: 'glo-confirmedServiceError',
  65: 'ded-initiateRequest',
  72: 'ded-initiateResponse',
  78: 'ded-confirmedServiceError',
  192: 'get-request',
  193: 'set-request',
  194: 'event-notification-request',
  195: 'action-request',
  196: 'get-response',
  197: 'set-response',
  199: 'action-response',
  216: 'exception-response',
  217: 'access-request',
  218: 'access-response',
  219: 'general-glo-ciphering',
  220: 'general-ded-ciphering',
  221: 'general-ciphering',
  223: 'general-signing',
  224: 'general-block-transfer',
};

/** A readable name for an xDLMS tag: `get-request (0xC0)`, or just the hex when unknown. */
export function xdlmsTagName(tag: number): string {
  const hex = `0x${tag.toString(16).toUpperCase().padStart(2, '0')}`;
  const name = TAG_NAMES[tag];
  return name ? `${name} (${hex})` : hex;
}

/** Reads one xDLMS APDU at the reader's position, dispatching on its tag. */
function readXdlmsApdu(r: Reader): XdlmsApdu {
  const tag = r.peek();
  switch (tag) {
    case 0x01:
      return readInitiateRequest(r);
    case 0x08:
      return readInitiateResponse(r);
    case 0x0e:
      return readConfirmedServiceError(r);
    case 0xd8:
      return readExceptionResponse(r);
    default:
      throw new DlmsError('UNSUPPORTED', `xDLMS APDU ${xdlmsTagName(tag)} is not decoded by this module`, {
        offset: r.offset,
      });
  }
}

/**
 * Decodes one whole xDLMS APDU. Truncated input is `INCOMPLETE`, trailing bytes `MALFORMED`, and a tag
 * this module does not decode `UNSUPPORTED` (the message names it).
 */
export function decodeXdlmsApdu(bytes: Uint8Array): XdlmsApdu {
  requireBytes(bytes, 'decodeXdlmsApdu');
  const r = new Reader(bytes);
  const x = readXdlmsApdu(r);
  r.expectEnd('xDLMS APDU');
  return x;
}

/** Writes one xDLMS APDU. */
function writeXdlmsApdu(w: Writer, x: XdlmsApdu): void {
  switch (x?.type) {
    case 'initiate-request':
      writeInitiateRequest(w, x);
      return;
    case 'initiate-response':
      writeInitiateResponse(w, x);
      return;
    case 'confirmed-service-error':
      writeConfirmedServiceError(w, x);
      return;
    case 'exception-response':
      writeExceptionResponse(w, x);
      return;
    default:
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `unknown xDLMS APDU type ${JSON.stringify((x as { type?: unknown })?.type)}`,
      );
  }
}

/** Encodes one xDLMS APDU. */
export function encodeXdlmsApdu(x: XdlmsApdu): Uint8Array<ArrayBuffer> {
  const w = new Writer(32);
  writeXdlmsApdu(w, x);
  return w.finish();
}
