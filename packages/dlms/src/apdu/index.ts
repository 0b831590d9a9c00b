/**
 * `@ami-interop/dlms/apdu`: xDLMS APDUs (IEC 62056-5-3 / Green Book), A-XDR encoded.
 *
 * Decoded here, by {@link decodeXdlmsApdu} dispatching on the first octet:
 * - association: InitiateRequest (`01`), InitiateResponse (`08`), ConfirmedServiceError (`0E`),
 *   ExceptionResponse (`D8`), plus the conformance block;
 * - LN services: get-request (`C0`), set-request (`C1`), event-notification-request (`C2`), action-request
 *   (`C3`), get-response (`C4`), set-response (`C5`), action-response (`C7`), data-notification (`0F`) and
 *   general-block-transfer (`E0`), access-request (`D9`) and access-response (`DA`), each CHOICE alternative a model with a `type` in the standard's words
 *   (`'get-request-normal'`, `'set-response-last-datablock'`, …);
 * - block transfer helpers: {@link GetBlockAssembler}, {@link GbtAssembler}, {@link splitIntoBlocks} and
 *   the builders of block sequences.
 *
 * Any other tag is refused with `UNSUPPORTED`, naming the tag (a glo-/ded-/general ciphered APDU says to
 * decipher it with `/security` first).
 *
 * The association models are JSON-safe as they are; the service models hold `Data`, `Uint8Array`, OBIS
 * codes and date-times, and {@link apduToJson} / {@link apduFromJson} give their stable JSON form.
 *
 * @module
 */
import { readData } from '../axdr/codec.ts';
import type { Data, DataLimits } from '../axdr/types.ts';
import { DlmsError } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import {
  cipheredServiceOf,
  GENERAL_CIPHERING,
  GENERAL_DED_CIPHERING,
  GENERAL_GLO_CIPHERING,
  GENERAL_SIGNING,
} from '../security/tags.ts';
import {
  ACCESS_REQUEST_TAG,
  ACCESS_RESPONSE_TAG,
  type AccessRequest,
  type AccessResponse,
  readAccessRequest,
  readAccessResponse,
  writeAccessRequest,
  writeAccessResponse,
} from './access.ts';
import {
  ACTION_REQUEST_TAG,
  ACTION_RESPONSE_TAG,
  type ActionRequest,
  type ActionResponse,
  readActionRequest,
  readActionResponse,
  writeActionRequest,
  writeActionResponse,
} from './action.ts';
import { show } from './common.ts';
import {
  type ConfirmedServiceError,
  readConfirmedServiceError,
  writeConfirmedServiceError,
} from './confirmed-service-error.ts';
import {
  DATA_NOTIFICATION_TAG,
  type DataNotification,
  readDataNotification,
  writeDataNotification,
} from './data-notification.ts';
import {
  EVENT_NOTIFICATION_REQUEST_TAG,
  type EventNotificationRequest,
  readEventNotificationRequest,
  writeEventNotificationRequest,
} from './event-notification.ts';
import {
  type ExceptionResponse,
  readExceptionResponse,
  writeExceptionResponse,
} from './exception-response.ts';
import {
  GENERAL_BLOCK_TRANSFER_TAG,
  type GeneralBlockTransfer,
  readGeneralBlockTransfer,
  writeGeneralBlockTransfer,
} from './general-block-transfer.ts';
import {
  GET_REQUEST_TAG,
  GET_RESPONSE_TAG,
  type GetRequest,
  type GetResponse,
  readGetRequest,
  readGetResponse,
  writeGetRequest,
  writeGetResponse,
} from './get.ts';
import {
  type InitiateRequest,
  type InitiateResponse,
  readInitiateRequest,
  readInitiateResponse,
  requireBytes,
  writeInitiateRequest,
  writeInitiateResponse,
} from './initiate.ts';
import { apduFromJsonValue, apduToJsonValue, type Json } from './json.ts';
import {
  readSetRequest,
  readSetResponse,
  SET_REQUEST_TAG,
  SET_RESPONSE_TAG,
  type SetRequest,
  type SetResponse,
  writeSetRequest,
  writeSetResponse,
} from './set.ts';

export * from './access.ts';
export * from './action.ts';
export * from './block-transfer.ts';
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
export type { DataBlockSA } from './data-block.ts';
export * from './data-notification.ts';
export {
  type CosemAttributeDescriptor,
  type CosemAttributeDescriptorWithSelection,
  type CosemMethodDescriptor,
  DESCRIPTOR_SIZE,
} from './descriptors.ts';
export * from './event-notification.ts';
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
export * from './general-block-transfer.ts';
export * from './get.ts';
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
export * from './invoke-id.ts';
export type { Json } from './json.ts';
export * from './results.ts';
export * from './selective-access.ts';
export * from './set.ts';

/** The xDLMS service APDUs of LN referencing, discriminated by `type`. */
export type XdlmsServiceApdu =
  | GetRequest
  | GetResponse
  | SetRequest
  | SetResponse
  | ActionRequest
  | ActionResponse
  | EventNotificationRequest
  | DataNotification
  | GeneralBlockTransfer
  | AccessRequest
  | AccessResponse;

/** The xDLMS APDUs this module decodes, discriminated by `type`. */
export type XdlmsApdu =
  | InitiateRequest
  | InitiateResponse
  | ConfirmedServiceError
  | ExceptionResponse
  | XdlmsServiceApdu;

/** Options of {@link decodeXdlmsApdu}. */
export interface XdlmsDecodeOptions {
  /** Limits for every Data value in the APDU (merged over `DEFAULT_DATA_LIMITS`). */
  dataLimits?: Partial<DataLimits>;
  /**
   * Accept a data-notification date-time sent as a tagged Data octet-string (`09 0C <12 octets>`) instead
   * of the Green Book's plain OCTET STRING (`0C <12 octets>`), as some HAN-port meters do. Default false
   * (refused as `MALFORMED`). When accepted, the model says so (`dateTimeForm: 'data-tagged'`) and
   * encodes back to the same bytes.
   */
  tolerateTaggedDateTime?: boolean;
}

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
export function readXdlmsApdu(r: Reader, options: XdlmsDecodeOptions = {}): XdlmsApdu {
  const tag = r.peek();
  const limits = options.dataLimits;
  const rd =
    limits === undefined ? (x: Reader): Data => readData(x) : (x: Reader): Data => readData(x, limits);
  switch (tag) {
    case GET_REQUEST_TAG:
      r.pos++;
      return readGetRequest(r, rd);
    case GET_RESPONSE_TAG:
      r.pos++;
      return readGetResponse(r, rd);
    case SET_REQUEST_TAG:
      r.pos++;
      return readSetRequest(r, rd);
    case SET_RESPONSE_TAG:
      r.pos++;
      return readSetResponse(r);
    case ACTION_REQUEST_TAG:
      r.pos++;
      return readActionRequest(r, rd);
    case ACTION_RESPONSE_TAG:
      r.pos++;
      return readActionResponse(r, rd);
    case EVENT_NOTIFICATION_REQUEST_TAG:
      r.pos++;
      return readEventNotificationRequest(r, rd);
    case DATA_NOTIFICATION_TAG:
      r.pos++;
      return readDataNotification(r, rd, options.tolerateTaggedDateTime === true);
    case GENERAL_BLOCK_TRANSFER_TAG:
      r.pos++;
      return readGeneralBlockTransfer(r);
    case ACCESS_REQUEST_TAG:
      r.pos++;
      return readAccessRequest(r, rd);
    case ACCESS_RESPONSE_TAG:
      r.pos++;
      return readAccessResponse(r, rd);
    case 0x01:
      return readInitiateRequest(r);
    case 0x08:
      return readInitiateResponse(r);
    case 0x0e:
      return readConfirmedServiceError(r);
    case 0xd8:
      return readExceptionResponse(r);
    default: {
      const ciphered =
        cipheredServiceOf(tag) !== undefined ||
        tag === GENERAL_GLO_CIPHERING ||
        tag === GENERAL_DED_CIPHERING ||
        tag === GENERAL_CIPHERING ||
        tag === GENERAL_SIGNING;
      throw new DlmsError(
        'UNSUPPORTED',
        ciphered
          ? `xDLMS APDU ${xdlmsTagName(tag)} is protected: remove the protection with /security, then decode the plain APDU`
          : `xDLMS APDU ${xdlmsTagName(tag)} is not decoded by this module`,
        { offset: r.offset },
      );
    }
  }
}

/**
 * Decodes one whole xDLMS APDU. Truncated input is `INCOMPLETE`, trailing bytes `MALFORMED`, and a tag
 * this module does not decode `UNSUPPORTED` (the message names it).
 */
export function decodeXdlmsApdu(bytes: Uint8Array, options?: XdlmsDecodeOptions): XdlmsApdu {
  requireBytes(bytes, 'decodeXdlmsApdu');
  const r = new Reader(bytes);
  const x = readXdlmsApdu(r, options);
  r.expectEnd('xDLMS APDU');
  return x;
}

/** Writes one xDLMS APDU. */
export function writeXdlmsApdu(w: Writer, x: XdlmsApdu): void {
  switch (x?.type) {
    case 'get-request-normal':
    case 'get-request-next':
    case 'get-request-with-list':
      w.u8(GET_REQUEST_TAG);
      writeGetRequest(w, x);
      return;
    case 'get-response-normal':
    case 'get-response-with-datablock':
    case 'get-response-with-list':
      w.u8(GET_RESPONSE_TAG);
      writeGetResponse(w, x);
      return;
    case 'set-request-normal':
    case 'set-request-with-first-datablock':
    case 'set-request-with-datablock':
    case 'set-request-with-list':
    case 'set-request-with-list-and-first-datablock':
      w.u8(SET_REQUEST_TAG);
      writeSetRequest(w, x);
      return;
    case 'set-response-normal':
    case 'set-response-datablock':
    case 'set-response-last-datablock':
    case 'set-response-last-datablock-with-list':
    case 'set-response-with-list':
      w.u8(SET_RESPONSE_TAG);
      writeSetResponse(w, x);
      return;
    case 'action-request-normal':
    case 'action-request-next-pblock':
    case 'action-request-with-list':
    case 'action-request-with-first-pblock':
    case 'action-request-with-list-and-first-pblock':
    case 'action-request-with-pblock':
      w.u8(ACTION_REQUEST_TAG);
      writeActionRequest(w, x);
      return;
    case 'action-response-normal':
    case 'action-response-with-pblock':
    case 'action-response-with-list':
    case 'action-response-next-pblock':
      w.u8(ACTION_RESPONSE_TAG);
      writeActionResponse(w, x);
      return;
    case 'event-notification-request':
      w.u8(EVENT_NOTIFICATION_REQUEST_TAG);
      writeEventNotificationRequest(w, x);
      return;
    case 'data-notification':
      w.u8(DATA_NOTIFICATION_TAG);
      writeDataNotification(w, x);
      return;
    case 'general-block-transfer':
      w.u8(GENERAL_BLOCK_TRANSFER_TAG);
      writeGeneralBlockTransfer(w, x);
      return;
    case 'access-request':
      w.u8(ACCESS_REQUEST_TAG);
      writeAccessRequest(w, x);
      return;
    case 'access-response':
      w.u8(ACCESS_RESPONSE_TAG);
      writeAccessResponse(w, x);
      return;
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
        `unknown xDLMS APDU type ${show((x as { type?: unknown })?.type)}`,
      );
  }
}

/** Encodes one xDLMS APDU. */
export function encodeXdlmsApdu(x: XdlmsApdu): Uint8Array<ArrayBuffer> {
  const w = new Writer(64);
  writeXdlmsApdu(w, x);
  return w.finish();
}

const SERVICE_TYPE_PREFIXES = [
  'get-',
  'set-',
  'action-',
  'event-notification-request',
  'data-notification',
  'general-block-transfer',
  'access-',
];

function isServiceType(type: unknown): boolean {
  return typeof type === 'string' && SERVICE_TYPE_PREFIXES.some((p) => type.startsWith(p));
}

/**
 * The stable JSON form of an APDU model: Data in its typed JSON form, octets as upper-case hex, OBIS codes
 * dotted, date-times as fields (see `./json.ts`). The association APDUs are JSON-safe already and come back
 * as a copy.
 */
export function apduToJson(apdu: XdlmsApdu): Json {
  if (isServiceType(apdu?.type)) return apduToJsonValue(apdu);
  return JSON.parse(JSON.stringify(apdu)) as Json;
}

/** The APDU model of a JSON form given by {@link apduToJson}; `encodeXdlmsApdu` checks every value. */
export function apduFromJson(json: unknown): XdlmsApdu {
  const type = (json as { type?: unknown } | null)?.type;
  if (isServiceType(type)) return apduFromJsonValue(json) as XdlmsApdu;
  if (typeof json !== 'object' || json === null || typeof type !== 'string') {
    throw new DlmsError('INVALID_ARGUMENT', 'an APDU in JSON form is an object with a "type"');
  }
  return json as XdlmsApdu;
}
