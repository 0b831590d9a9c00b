/**
 * The xDLMS InitiateRequest and InitiateResponse APDUs, carried in the `user-information` of the AARQ
 * and AARE (IEC 62056-5-3 / Green Book, xDLMS ASN.1). They are A-XDR encoded, except the conformance
 * block, which is BER (see {@link readConformance}).
 *
 * ```asn1
 * xDLMS-APDU ::= CHOICE {
 *   initiateRequest  [1] IMPLICIT InitiateRequest,
 *   initiateResponse [8] IMPLICIT InitiateResponse,
 *   ...
 * }
 *
 * InitiateRequest ::= SEQUENCE {
 *   -- shall not be encoded in DLMS without ciphering
 *   dedicated-key                    OCTET STRING OPTIONAL,
 *   response-allowed                 BOOLEAN DEFAULT TRUE,
 *   proposed-quality-of-service  [0] IMPLICIT Integer8 OPTIONAL,
 *   proposed-dlms-version-number     Unsigned8,
 *   proposed-conformance             Conformance,  -- shall be encoded in BER
 *   client-max-receive-pdu-size      Unsigned16
 * }
 *
 * InitiateResponse ::= SEQUENCE {
 *   negotiated-quality-of-service [0] IMPLICIT Integer8 OPTIONAL,
 *   negotiated-dlms-version-number    Unsigned8,
 *   negotiated-conformance            Conformance,  -- shall be encoded in BER
 *   server-max-receive-pdu-size       Unsigned16,
 *   vaa-name                          ObjectName     -- 0x0007 with LN referencing, 0xFA00 with SN
 * }
 * ```
 *
 * A-XDR rules used here: the CHOICE tag is one octet (`01`, `08`); an OPTIONAL component is preceded by
 * a usage flag (`00` absent, `01` present — other values are refused as `MALFORMED`); a DEFAULT component
 * is encoded as `00` when it has the default value, otherwise `01` and the value (so the default
 * `response-allowed TRUE` is the single octet `00`, and FALSE is `01 00`); a BOOLEAN is `00` for FALSE
 * and any other octet for TRUE (written `FF`); an OCTET STRING is a length then the octets.
 *
 * Example (a commonly cited LN, no-ciphering request): `01 00 00 00 06 5F1F040000 7E1F 04B0` is
 * tag 01, no dedicated key, response-allowed default (TRUE), no quality of service, DLMS version 6,
 * conformance `00 7E 1F`, client-max-receive-pdu-size 1200.
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { type Conformance, type ConformanceBit, readConformance, writeConformance } from './conformance.ts';

/** The xDLMS tag of InitiateRequest. */
export const INITIATE_REQUEST_TAG = 0x01;
/** The xDLMS tag of InitiateResponse. */
export const INITIATE_RESPONSE_TAG = 0x08;
/** `vaa-name` of an association using logical-name referencing. */
export const VAA_NAME_LN = 0x0007;
/** `vaa-name` of an association using short-name referencing. */
export const VAA_NAME_SN = 0xfa00;

/** An xDLMS InitiateRequest. JSON-safe: the dedicated key is upper-case hex. */
export interface InitiateRequest {
  type: 'initiate-request';
  /** Dedicated key (hex), only with ciphering, and only inside a ciphered InitiateRequest. */
  dedicatedKey?: string;
  /** `response-allowed`; DEFAULT TRUE. FALSE asks the server not to answer (unconfirmed association). */
  responseAllowed: boolean;
  /** Integer8, rarely used. */
  proposedQualityOfService?: number;
  /** Unsigned8; 6 for DLMS/COSEM. */
  proposedDlmsVersionNumber: number;
  proposedConformance: Conformance;
  /** Unsigned16; 0 means "no limit" on the client side. */
  clientMaxReceivePduSize: number;
}

/** An xDLMS InitiateResponse. */
export interface InitiateResponse {
  type: 'initiate-response';
  /** Integer8, rarely used. */
  negotiatedQualityOfService?: number;
  /** Unsigned8; 6 for DLMS/COSEM. */
  negotiatedDlmsVersionNumber: number;
  negotiatedConformance: Conformance;
  /** Unsigned16. */
  serverMaxReceivePduSize: number;
  /**
   * ObjectName (an Integer16 on the wire), given here as its unsigned 16-bit value as the standard writes
   * it: {@link VAA_NAME_LN} `0x0007` or {@link VAA_NAME_SN} `0xFA00`.
   */
  vaaName: number;
}

/**
 * Throws `INVALID_ARGUMENT` unless `bytes` is a Uint8Array (decoders are public entry points and must
 * fail with a typed error for any input, not a `TypeError` from deep inside).
 */
export function requireBytes(bytes: unknown, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `${what}: expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`,
    );
  }
}

/** Throws `INVALID_ARGUMENT` unless `x` is a (non-null, non-array) object. */
export function requireObject(x: unknown, what: string): void {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `${what}: expected an object, got ${x === null ? 'null' : typeof x}`,
    );
  }
}

function checkInt(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `${field} must be an integer in ${min}..${max}, got ${String(value)}`,
      {
        path: [field],
      },
    );
  }
  return value;
}

function checkConformance(value: unknown, field: string): readonly ConformanceBit[] {
  if (!Array.isArray(value)) {
    throw new DlmsError('INVALID_ARGUMENT', `${field} must be an array of conformance bit names`, {
      path: [field],
    });
  }
  return value as ConformanceBit[];
}

/** Reads an A-XDR usage flag: 0 absent, 1 present. */
function usage(r: Reader, what: string): boolean {
  const at = r.pos;
  const flag = r.u8(what);
  if (flag === 0) return false;
  if (flag === 1) return true;
  return r.fail(`${what}: usage flag must be 00 or 01, got ${flag.toString(16).padStart(2, '0')}`, at);
}

/** Reads an InitiateRequest, tag included, at the reader's position. */
export function readInitiateRequest(r: Reader): InitiateRequest {
  const at = r.pos;
  const tag = r.u8('tag');
  if (tag !== INITIATE_REQUEST_TAG) r.fail(`expected InitiateRequest tag 01, got ${hex2(tag)}`, at);
  const dedicatedKey = withPath('dedicatedKey', () =>
    usage(r, 'dedicated-key') ? toHex(r.bytes(r.length('dedicated-key length'), 'dedicated-key')) : undefined,
  );
  const responseAllowed = withPath('responseAllowed', () =>
    usage(r, 'response-allowed') ? r.u8('response-allowed') !== 0 : true,
  );
  const qos = withPath('proposedQualityOfService', () =>
    usage(r, 'proposed-quality-of-service') ? r.i8('proposed-quality-of-service') : undefined,
  );
  const version = withPath('proposedDlmsVersionNumber', () => r.u8('proposed-dlms-version-number'));
  const conformance = withPath('proposedConformance', () => readConformance(r));
  const maxPdu = withPath('clientMaxReceivePduSize', () => r.u16('client-max-receive-pdu-size'));
  // Keys in a fixed order, optional ones only when present: the JSON form is canonical.
  const out = { type: 'initiate-request' } as InitiateRequest;
  if (dedicatedKey !== undefined) out.dedicatedKey = dedicatedKey;
  out.responseAllowed = responseAllowed;
  if (qos !== undefined) out.proposedQualityOfService = qos;
  out.proposedDlmsVersionNumber = version;
  out.proposedConformance = conformance;
  out.clientMaxReceivePduSize = maxPdu;
  return out;
}

/** Writes an InitiateRequest, tag included. Throws `INVALID_ARGUMENT` for values that cannot be encoded. */
export function writeInitiateRequest(w: Writer, x: InitiateRequest): void {
  w.u8(INITIATE_REQUEST_TAG);
  if (x.dedicatedKey === undefined) w.u8(0);
  else {
    const key = withPath('dedicatedKey', () => fromHex(x.dedicatedKey!));
    w.u8(1).length(key.length).bytes(key);
  }
  if (x.responseAllowed === false) w.u8(1).u8(0);
  else if (x.responseAllowed === true || x.responseAllowed === undefined) w.u8(0);
  else
    throw new DlmsError('INVALID_ARGUMENT', 'responseAllowed must be a boolean', {
      path: ['responseAllowed'],
    });
  if (x.proposedQualityOfService === undefined) w.u8(0);
  else w.u8(1).i8(checkInt(x.proposedQualityOfService, -128, 127, 'proposedQualityOfService'));
  w.u8(checkInt(x.proposedDlmsVersionNumber, 0, 255, 'proposedDlmsVersionNumber'));
  withPath('proposedConformance', () =>
    writeConformance(w, checkConformance(x.proposedConformance, 'proposedConformance')),
  );
  w.u16(checkInt(x.clientMaxReceivePduSize, 0, 0xffff, 'clientMaxReceivePduSize'));
}

/** Reads an InitiateResponse, tag included, at the reader's position. */
export function readInitiateResponse(r: Reader): InitiateResponse {
  const at = r.pos;
  const tag = r.u8('tag');
  if (tag !== INITIATE_RESPONSE_TAG) r.fail(`expected InitiateResponse tag 08, got ${hex2(tag)}`, at);
  const out = { type: 'initiate-response' } as InitiateResponse;
  withPath('negotiatedQualityOfService', () => {
    if (usage(r, 'negotiated-quality-of-service'))
      out.negotiatedQualityOfService = r.i8('negotiated-quality-of-service');
  });
  out.negotiatedDlmsVersionNumber = withPath('negotiatedDlmsVersionNumber', () =>
    r.u8('negotiated-dlms-version-number'),
  );
  out.negotiatedConformance = withPath('negotiatedConformance', () => readConformance(r));
  out.serverMaxReceivePduSize = withPath('serverMaxReceivePduSize', () =>
    r.u16('server-max-receive-pdu-size'),
  );
  out.vaaName = withPath('vaaName', () => r.u16('vaa-name'));
  return out;
}

/** Writes an InitiateResponse, tag included. */
export function writeInitiateResponse(w: Writer, x: InitiateResponse): void {
  w.u8(INITIATE_RESPONSE_TAG);
  if (x.negotiatedQualityOfService === undefined) w.u8(0);
  else w.u8(1).i8(checkInt(x.negotiatedQualityOfService, -128, 127, 'negotiatedQualityOfService'));
  w.u8(checkInt(x.negotiatedDlmsVersionNumber, 0, 255, 'negotiatedDlmsVersionNumber'));
  withPath('negotiatedConformance', () =>
    writeConformance(w, checkConformance(x.negotiatedConformance, 'negotiatedConformance')),
  );
  w.u16(checkInt(x.serverMaxReceivePduSize, 0, 0xffff, 'serverMaxReceivePduSize'));
  w.u16(checkInt(x.vaaName, 0, 0xffff, 'vaaName'));
}

/** Decodes a whole InitiateRequest (`01 …`); trailing bytes are `MALFORMED`, truncation `INCOMPLETE`. */
export function decodeInitiateRequest(bytes: Uint8Array): InitiateRequest {
  requireBytes(bytes, 'decodeInitiateRequest');
  const r = new Reader(bytes);
  const x = readInitiateRequest(r);
  r.expectEnd('InitiateRequest');
  return x;
}

/** Encodes an InitiateRequest (`01 …`). */
export function encodeInitiateRequest(x: InitiateRequest): Uint8Array<ArrayBuffer> {
  requireObject(x, 'encodeInitiateRequest');
  const w = new Writer(32);
  writeInitiateRequest(w, x);
  return w.finish();
}

/** Decodes a whole InitiateResponse (`08 …`). */
export function decodeInitiateResponse(bytes: Uint8Array): InitiateResponse {
  requireBytes(bytes, 'decodeInitiateResponse');
  const r = new Reader(bytes);
  const x = readInitiateResponse(r);
  r.expectEnd('InitiateResponse');
  return x;
}

/** Encodes an InitiateResponse (`08 …`). */
export function encodeInitiateResponse(x: InitiateResponse): Uint8Array<ArrayBuffer> {
  requireObject(x, 'encodeInitiateResponse');
  const w = new Writer(32);
  writeInitiateResponse(w, x);
  return w.finish();
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
