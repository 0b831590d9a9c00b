/**
 * RLRQ, the A-RELEASE request. IEC 62056-5-3 (Green Book) ACSE ASN.1 (after ISO/IEC 8650-1):
 *
 * ```asn1
 * RLRQ-apdu ::= [APPLICATION 2] IMPLICIT SEQUENCE   -- 62H
 * {
 *   reason           [0]  IMPLICIT Release-request-reason OPTIONAL,
 *   user-information [30] EXPLICIT Association-information OPTIONAL
 * }
 * Release-request-reason ::= INTEGER { normal (0), urgent (1), user-defined (30) }
 * ```
 *
 * Example: `62 03 80 01 00` (reason normal). With ciphering, user-information carries a
 * glo-initiateRequest (kept opaque here).
 *
 * @module
 */
import { decodeApdu, encodeApdu, type FieldSpec, type UserInformation } from './fields.ts';
import { RELEASE_REQUEST_REASONS, type ReleaseRequestReason } from './names.ts';

/** The RLRQ's application tag number (`62`). */
export const RLRQ_TAG = 2;

/** An RLRQ. */
export interface Rlrq {
  type: 'rlrq';
  /** By name, or the number for a value the standard does not name. */
  reason?: ReleaseRequestReason | number;
  userInformation?: UserInformation;
}

/** Field table of the RLRQ. */
export const RLRQ_FIELDS: readonly FieldSpec[] = [
  { tag: 0, key: 'reason', kind: 'release-reason', names: RELEASE_REQUEST_REASONS },
  { tag: 30, key: 'userInformation', kind: 'user-information' },
];

/** Decodes a whole RLRQ. */
export function decodeRlrq(bytes: Uint8Array): Rlrq {
  return decodeApdu(bytes, RLRQ_TAG, 'rlrq', RLRQ_FIELDS) as unknown as Rlrq;
}

/** Encodes an RLRQ. */
export function encodeRlrq(rlrq: Rlrq): Uint8Array<ArrayBuffer> {
  return encodeApdu(rlrq as unknown as Record<string, unknown>, RLRQ_TAG, 'rlrq', RLRQ_FIELDS);
}
