/**
 * RLRE, the A-RELEASE response. IEC 62056-5-3 (Green Book) ACSE ASN.1 (after ISO/IEC 8650-1):
 *
 * ```asn1
 * RLRE-apdu ::= [APPLICATION 3] IMPLICIT SEQUENCE   -- 63H
 * {
 *   reason           [0]  IMPLICIT Release-response-reason OPTIONAL,
 *   user-information [30] EXPLICIT Association-information OPTIONAL
 * }
 * Release-response-reason ::= INTEGER { normal (0), not-finished (1), user-defined (30) }
 * ```
 *
 * Note that value 1 is `not-finished` in a response (it is `urgent` only in the request).
 *
 * Example: `63 03 80 01 00` (reason normal).
 *
 * @module
 */
import { decodeApdu, encodeApdu, type FieldSpec, type UserInformation } from './fields.ts';
import { RELEASE_RESPONSE_REASONS, type ReleaseResponseReason } from './names.ts';

/** The RLRE's application tag number (`63`). */
export const RLRE_TAG = 3;

/** An RLRE. */
export interface Rlre {
  type: 'rlre';
  /** By name, or the number for a value the standard does not name. */
  reason?: ReleaseResponseReason | number;
  userInformation?: UserInformation;
}

/** Field table of the RLRE. */
export const RLRE_FIELDS: readonly FieldSpec[] = [
  { tag: 0, key: 'reason', kind: 'release-reason', names: RELEASE_RESPONSE_REASONS },
  { tag: 30, key: 'userInformation', kind: 'user-information' },
];

/** Decodes a whole RLRE. */
export function decodeRlre(bytes: Uint8Array): Rlre {
  return decodeApdu(bytes, RLRE_TAG, 'rlre', RLRE_FIELDS) as unknown as Rlre;
}

/** Encodes an RLRE. */
export function encodeRlre(rlre: Rlre): Uint8Array<ArrayBuffer> {
  return encodeApdu(rlre as unknown as Record<string, unknown>, RLRE_TAG, 'rlre', RLRE_FIELDS);
}
