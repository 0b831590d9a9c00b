/**
 * The xDLMS ExceptionResponse APDU (tag `D8`): a server's answer to an APDU it cannot process at all
 * (not allowed in the current state, unknown, too long, failed to decipher, …). IEC 62056-5-3
 * (Green Book), xDLMS ASN.1:
 *
 * ```asn1
 * exception-response [216] IMPLICIT ExceptionResponse,
 *
 * ExceptionResponse ::= SEQUENCE {
 *   state-error [0] IMPLICIT ENUMERATED {
 *     service-not-allowed (1),
 *     service-unknown     (2)
 *   },
 *   service-error [1] CHOICE {
 *     operation-not-possible   [1] IMPLICIT NULL,
 *     service-not-supported    [2] IMPLICIT NULL,
 *     other-reason             [3] IMPLICIT NULL,
 *     pdu-too-long             [4] IMPLICIT NULL,
 *     deciphering-error        [5] IMPLICIT NULL,
 *     invocation-counter-error [6] IMPLICIT Unsigned32
 *   }
 * }
 * ```
 *
 * A-XDR: `D8`, the state-error octet, the service-error choice tag octet, and for
 * invocation-counter-error the Unsigned32 (the invocation counter the server expects at least), e.g.
 * `D8 01 02` (service-not-allowed, service-not-supported) or `D8 01 06 00000005`. State-error values the
 * standard does not name are kept as numbers; an unknown service-error choice is `MALFORMED` (its
 * length would be unknown).
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { enumValue } from './confirmed-service-error.ts';
import { requireBytes, requireObject } from './initiate.ts';

/** The xDLMS tag of ExceptionResponse. */
export const EXCEPTION_RESPONSE_TAG = 0xd8;

/** state-error names (index = value; 0 is not defined). */
export const EXCEPTION_STATE_ERRORS = [undefined, 'service-not-allowed', 'service-unknown'] as const;
export type ExceptionStateError = Exclude<(typeof EXCEPTION_STATE_ERRORS)[number], undefined>;

/** service-error choice names (index = choice tag; 0 is not defined). */
export const EXCEPTION_SERVICE_ERRORS = [
  undefined,
  'operation-not-possible',
  'service-not-supported',
  'other-reason',
  'pdu-too-long',
  'deciphering-error',
  'invocation-counter-error',
] as const;
export type ExceptionServiceError = Exclude<(typeof EXCEPTION_SERVICE_ERRORS)[number], undefined>;

/** An xDLMS ExceptionResponse. */
export interface ExceptionResponse {
  type: 'exception-response';
  /** By name, or the number when the standard names no such value. */
  stateError: ExceptionStateError | number;
  serviceError: ExceptionServiceError;
  /** Present exactly when `serviceError` is `invocation-counter-error`: the Unsigned32 it carries. */
  invocationCounter?: number;
}

/** Reads an ExceptionResponse, tag `D8` included. */
export function readExceptionResponse(r: Reader): ExceptionResponse {
  const at = r.pos;
  const tag = r.u8('tag');
  if (tag !== EXCEPTION_RESPONSE_TAG) r.fail(`expected ExceptionResponse tag D8, got ${tag}`, at);
  const stateError = withPath('stateError', () => {
    const n = r.u8('state-error');
    return EXCEPTION_STATE_ERRORS[n] ?? n;
  });
  const out: ExceptionResponse = { type: 'exception-response', stateError, serviceError: 'other-reason' };
  withPath('serviceError', () => {
    const cAt = r.pos;
    const c = r.u8('service-error');
    const name = EXCEPTION_SERVICE_ERRORS[c];
    if (name === undefined) r.fail(`unknown ExceptionResponse service-error choice ${c}`, cAt);
    out.serviceError = name;
  });
  if (out.serviceError === 'invocation-counter-error') {
    out.invocationCounter = withPath('invocationCounter', () => r.u32('invocation-counter-error'));
  }
  return out;
}

/** Writes an ExceptionResponse, tag included. */
export function writeExceptionResponse(w: Writer, x: ExceptionResponse): void {
  const state = withPath('stateError', () => enumValue(EXCEPTION_STATE_ERRORS, x.stateError, 'state-error'));
  const c = EXCEPTION_SERVICE_ERRORS.indexOf(x.serviceError);
  if (c <= 0) {
    throw new DlmsError('INVALID_ARGUMENT', `unknown service-error ${JSON.stringify(x.serviceError)}`, {
      path: ['serviceError'],
    });
  }
  w.u8(EXCEPTION_RESPONSE_TAG).u8(state).u8(c);
  if (x.serviceError === 'invocation-counter-error') {
    const ic = x.invocationCounter;
    if (typeof ic !== 'number' || !Number.isInteger(ic) || ic < 0 || ic > 0xffffffff) {
      throw new DlmsError(
        'INVALID_ARGUMENT',
        'invocation-counter-error needs invocationCounter in 0..2^32-1',
        {
          path: ['invocationCounter'],
        },
      );
    }
    w.u32(ic);
  } else if (x.invocationCounter !== undefined) {
    throw new DlmsError('INVALID_ARGUMENT', `invocationCounter is only carried by invocation-counter-error`, {
      path: ['invocationCounter'],
    });
  }
}

/** Decodes a whole ExceptionResponse (`D8 …`). */
export function decodeExceptionResponse(bytes: Uint8Array): ExceptionResponse {
  requireBytes(bytes, 'decodeExceptionResponse');
  const r = new Reader(bytes);
  const x = readExceptionResponse(r);
  r.expectEnd('ExceptionResponse');
  return x;
}

/** Encodes an ExceptionResponse (`D8 …`). */
export function encodeExceptionResponse(x: ExceptionResponse): Uint8Array<ArrayBuffer> {
  requireObject(x, 'encodeExceptionResponse');
  const w = new Writer(8);
  writeExceptionResponse(w, x);
  return w.finish();
}
