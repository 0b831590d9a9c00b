/**
 * AARQ, the A-ASSOCIATE request (client → server). IEC 62056-5-3 (Green Book) ACSE ASN.1, with the
 * fields DLMS uses (after ISO/IEC 8650-1 / ITU-T X.227):
 *
 * ```asn1
 * AARQ-apdu ::= [APPLICATION 0] IMPLICIT SEQUENCE   -- 60H
 * {
 *   protocol-version             [0]  IMPLICIT BIT STRING { version1 (0) } DEFAULT { version1 },
 *   application-context-name     [1]  Application-context-name,
 *   called-AP-title              [2]  AP-title OPTIONAL,
 *   called-AE-qualifier          [3]  AE-qualifier OPTIONAL,
 *   called-AP-invocation-id      [4]  AP-invocation-identifier OPTIONAL,
 *   called-AE-invocation-id      [5]  AE-invocation-identifier OPTIONAL,
 *   calling-AP-title             [6]  AP-title OPTIONAL,   -- the client system title (ciphered contexts)
 *   calling-AE-qualifier         [7]  AE-qualifier OPTIONAL,  -- e.g. the client's certificate (ECDSA)
 *   calling-AP-invocation-id     [8]  AP-invocation-identifier OPTIONAL,
 *   calling-AE-invocation-id     [9]  AE-invocation-identifier OPTIONAL,  -- the client user id
 *   -- present only if the authentication functional unit is selected:
 *   sender-acse-requirements     [10] IMPLICIT ACSE-requirements OPTIONAL,
 *   mechanism-name               [11] IMPLICIT Mechanism-name OPTIONAL,
 *   calling-authentication-value [12] EXPLICIT Authentication-value OPTIONAL,
 *   implementation-information   [29] IMPLICIT Implementation-data OPTIONAL,
 *   user-information             [30] EXPLICIT Association-information OPTIONAL  -- the xDLMS InitiateRequest
 * }
 * ```
 *
 * Example (LN referencing, no ciphering, LLS with password "12345678"):
 * `60 36 A1 09 06 07 60 85 74 05 08 01 01  8A 02 07 80  8B 07 60 85 74 05 08 02 01
 *  AC 0A 80 08 31 32 33 34 35 36 37 38  BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0`.
 *
 * @module
 */

import type { AcseRequirements, AuthenticationValue, ProtocolVersion, UserInformation } from './fields.ts';
import { decodeApdu, encodeApdu, type FieldSpec } from './fields.ts';
import type { ApplicationContextName, DottedOid, MechanismName } from './names.ts';

/** The AARQ's application tag number (`60`). */
export const AARQ_TAG = 0;

/** An AARQ. JSON-safe: octet strings are upper-case hex; absent optional fields have no key. */
export interface Aarq {
  type: 'aarq';
  /** Only when sent explicitly; absent means the default, version1. */
  protocolVersion?: ProtocolVersion;
  applicationContextName: ApplicationContextName | DottedOid;
  calledApTitle?: string;
  calledAeQualifier?: string;
  calledApInvocationId?: number;
  calledAeInvocationId?: number;
  /** The client system title (8 octets) in ciphered contexts and HLS. */
  callingApTitle?: string;
  /** E.g. the client's public-key certificate with ECDSA authentication. */
  callingAeQualifier?: string;
  callingApInvocationId?: number;
  /** The client user id, when the server identifies users. */
  callingAeInvocationId?: number;
  senderAcseRequirements?: AcseRequirements;
  mechanismName?: MechanismName | DottedOid;
  /** The LLS password, or the HLS client-to-server challenge. */
  callingAuthenticationValue?: AuthenticationValue;
  implementationInformation?: string;
  /** The xDLMS InitiateRequest, or a ciphered one (`21 …`) kept opaque. */
  userInformation?: UserInformation;
}

/** Field table of the AARQ (context tag, key, encoding), in tag order. */
export const AARQ_FIELDS: readonly FieldSpec[] = [
  { tag: 0, key: 'protocolVersion', kind: 'protocol-version' },
  { tag: 1, key: 'applicationContextName', kind: 'context-name', required: true },
  { tag: 2, key: 'calledApTitle', kind: 'octets' },
  { tag: 3, key: 'calledAeQualifier', kind: 'octets' },
  { tag: 4, key: 'calledApInvocationId', kind: 'integer' },
  { tag: 5, key: 'calledAeInvocationId', kind: 'integer' },
  { tag: 6, key: 'callingApTitle', kind: 'octets' },
  { tag: 7, key: 'callingAeQualifier', kind: 'octets' },
  { tag: 8, key: 'callingApInvocationId', kind: 'integer' },
  { tag: 9, key: 'callingAeInvocationId', kind: 'integer' },
  { tag: 10, key: 'senderAcseRequirements', kind: 'requirements' },
  { tag: 11, key: 'mechanismName', kind: 'mechanism' },
  { tag: 12, key: 'callingAuthenticationValue', kind: 'auth-value' },
  { tag: 29, key: 'implementationInformation', kind: 'graphic' },
  { tag: 30, key: 'userInformation', kind: 'user-information' },
];

/**
 * Decodes a whole AARQ. Truncated input is `INCOMPLETE`; a wrong outer tag, trailing bytes or bad BER
 * are `MALFORMED` with the offset; fields DLMS does not use are `UNSUPPORTED`.
 */
export function decodeAarq(bytes: Uint8Array): Aarq {
  return decodeApdu(bytes, AARQ_TAG, 'aarq', AARQ_FIELDS) as unknown as Aarq;
}

/** Encodes an AARQ (minimal definite lengths, fields in tag order). */
export function encodeAarq(aarq: Aarq): Uint8Array<ArrayBuffer> {
  return encodeApdu(aarq as unknown as Record<string, unknown>, AARQ_TAG, 'aarq', AARQ_FIELDS);
}
