/**
 * AARE, the A-ASSOCIATE response (server → client). IEC 62056-5-3 (Green Book) ACSE ASN.1, with the
 * fields DLMS uses (after ISO/IEC 8650-1 / ITU-T X.227):
 *
 * ```asn1
 * AARE-apdu ::= [APPLICATION 1] IMPLICIT SEQUENCE   -- 61H
 * {
 *   protocol-version                [0]  IMPLICIT BIT STRING { version1 (0) } DEFAULT { version1 },
 *   application-context-name        [1]  Application-context-name,
 *   result                          [2]  Association-result,
 *   result-source-diagnostic        [3]  Associate-source-diagnostic,
 *   responding-AP-title             [4]  AP-title OPTIONAL,   -- the server system title
 *   responding-AE-qualifier         [5]  AE-qualifier OPTIONAL,
 *   responding-AP-invocation-id     [6]  AP-invocation-identifier OPTIONAL,
 *   responding-AE-invocation-id     [7]  AE-invocation-identifier OPTIONAL,
 *   -- present only if the authentication functional unit is selected:
 *   responder-acse-requirements     [8]  IMPLICIT ACSE-requirements OPTIONAL,
 *   mechanism-name                  [9]  IMPLICIT Mechanism-name OPTIONAL,
 *   responding-authentication-value [10] EXPLICIT Authentication-value OPTIONAL,  -- HLS server challenge
 *   implementation-information      [29] IMPLICIT Implementation-data OPTIONAL,
 *   user-information                [30] EXPLICIT Association-information OPTIONAL
 *     -- InitiateResponse, ConfirmedServiceError, or a ciphered glo-initiateResponse (28H)
 * }
 *
 * Association-result ::= INTEGER { accepted (0), rejected-permanent (1), rejected-transient (2) }
 *
 * Associate-source-diagnostic ::= CHOICE {
 *   acse-service-user [1] INTEGER {
 *     null (0), no-reason-given (1), application-context-name-not-supported (2),
 *     calling-AP-title-not-recognized (3), calling-AP-invocation-identifier-not-recognized (4),
 *     calling-AE-qualifier-not-recognized (5), calling-AE-invocation-identifier-not-recognized (6),
 *     called-AP-title-not-recognized (7), called-AP-invocation-identifier-not-recognized (8),
 *     called-AE-qualifier-not-recognized (9), called-AE-invocation-identifier-not-recognized (10),
 *     authentication-mechanism-name-not-recognised (11), authentication-mechanism-name-required (12),
 *     authentication-failure (13), authentication-required (14) },
 *   acse-service-provider [2] INTEGER { null (0), no-reason-given (1), no-common-acse-version (2) }
 * }
 * ```
 *
 * Example (accepted, LN no ciphering): `61 29 A1 09 06 07 60 85 74 05 08 01 01  A2 03 02 01 00
 *  A3 05 A1 03 02 01 00  BE 10 04 0E 08 00 06 5F 1F 04 00 00 10 1D 03 EF 00 07`.
 *
 * @module
 */
import {
  type AcseRequirements,
  type AssociateSourceDiagnostic,
  type AuthenticationValue,
  decodeApdu,
  encodeApdu,
  type FieldSpec,
  type ProtocolVersion,
  type UserInformation,
} from './fields.ts';
import {
  type ApplicationContextName,
  ASSOCIATION_RESULTS,
  type AssociationResult,
  type DottedOid,
  type MechanismName,
} from './names.ts';

/** The AARE's application tag number (`61`). */
export const AARE_TAG = 1;

/** An AARE. JSON-safe: octet strings are upper-case hex; absent optional fields have no key. */
export interface Aare {
  type: 'aare';
  protocolVersion?: ProtocolVersion;
  applicationContextName: ApplicationContextName | DottedOid;
  /** By name, or the number for a value the standard does not name. */
  result: AssociationResult | number;
  resultSourceDiagnostic: AssociateSourceDiagnostic;
  /** The server system title (8 octets) in ciphered contexts and HLS. */
  respondingApTitle?: string;
  respondingAeQualifier?: string;
  respondingApInvocationId?: number;
  respondingAeInvocationId?: number;
  responderAcseRequirements?: AcseRequirements;
  mechanismName?: MechanismName | DottedOid;
  /** The HLS server-to-client challenge. */
  respondingAuthenticationValue?: AuthenticationValue;
  implementationInformation?: string;
  /** InitiateResponse, ConfirmedServiceError, or a ciphered one kept opaque. */
  userInformation?: UserInformation;
}

/** Field table of the AARE (context tag, key, encoding), in tag order. */
export const AARE_FIELDS: readonly FieldSpec[] = [
  { tag: 0, key: 'protocolVersion', kind: 'protocol-version' },
  { tag: 1, key: 'applicationContextName', kind: 'context-name', required: true },
  { tag: 2, key: 'result', kind: 'result', required: true, names: ASSOCIATION_RESULTS },
  { tag: 3, key: 'resultSourceDiagnostic', kind: 'diagnostic', required: true },
  { tag: 4, key: 'respondingApTitle', kind: 'octets' },
  { tag: 5, key: 'respondingAeQualifier', kind: 'octets' },
  { tag: 6, key: 'respondingApInvocationId', kind: 'integer' },
  { tag: 7, key: 'respondingAeInvocationId', kind: 'integer' },
  { tag: 8, key: 'responderAcseRequirements', kind: 'requirements' },
  { tag: 9, key: 'mechanismName', kind: 'mechanism' },
  { tag: 10, key: 'respondingAuthenticationValue', kind: 'auth-value' },
  { tag: 29, key: 'implementationInformation', kind: 'graphic' },
  { tag: 30, key: 'userInformation', kind: 'user-information' },
];

/** Decodes a whole AARE (errors as for {@link decodeAarq}). */
export function decodeAare(bytes: Uint8Array): Aare {
  return decodeApdu(bytes, AARE_TAG, 'aare', AARE_FIELDS) as unknown as Aare;
}

/** Encodes an AARE. */
export function encodeAare(aare: Aare): Uint8Array<ArrayBuffer> {
  return encodeApdu(aare as unknown as Record<string, unknown>, AARE_TAG, 'aare', AARE_FIELDS);
}
