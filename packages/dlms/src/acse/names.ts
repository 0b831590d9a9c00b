/**
 * Named values of the ACSE fields DLMS uses (IEC 62056-5-3 / Green Book, "The COSEM application
 * context" and "Authentication mechanisms"; ACSE per ISO/IEC 8650-1 / ITU-T X.227).
 *
 * Object identifiers, all under `{ joint-iso-ccitt(2) country(16) country-name(756)
 * identified-organization(5) DLMS-UA(8) }`:
 *
 * | name | OID | Green Book name |
 * |---|---|---|
 * | application contexts `2.16.756.5.8.1.x` | | |
 * | `ln` | …1.1 | Logical_Name_Referencing_No_Ciphering |
 * | `sn` | …1.2 | Short_Name_Referencing_No_Ciphering |
 * | `ln-ciphered` | …1.3 | Logical_Name_Referencing_With_Ciphering |
 * | `sn-ciphered` | …1.4 | Short_Name_Referencing_With_Ciphering |
 * | mechanisms `2.16.756.5.8.2.x` | | |
 * | `lowest` | …2.0 | COSEM_lowest_level_security_mechanism_name (no authentication) |
 * | `low` | …2.1 | COSEM_low_level_security_mechanism_name (LLS, password) |
 * | `high` | …2.2 | COSEM_high_level_security_mechanism_name (HLS, manufacturer specific) |
 * | `high-md5` | …2.3 | …_using_MD5 |
 * | `high-sha1` | …2.4 | …_using_SHA-1 |
 * | `high-gmac` | …2.5 | …_using_GMAC |
 * | `high-sha256` | …2.6 | …_using_SHA-256 |
 * | `high-ecdsa` | …2.7 | …_using_ECDSA |
 *
 * An OID that is not one of these decodes to its dotted form (e.g. `1.2.3`), so a server can still
 * answer "application-context-name-not-supported"; the encoder accepts either form.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/** A dotted object identifier, for names this table does not know. */
export type DottedOid = `${number}.${number}${string}`;

export const APPLICATION_CONTEXT_NAMES = {
  ln: '2.16.756.5.8.1.1',
  sn: '2.16.756.5.8.1.2',
  'ln-ciphered': '2.16.756.5.8.1.3',
  'sn-ciphered': '2.16.756.5.8.1.4',
} as const;
/** A DLMS application context name. */
export type ApplicationContextName = keyof typeof APPLICATION_CONTEXT_NAMES;

export const MECHANISM_NAMES = {
  lowest: '2.16.756.5.8.2.0',
  low: '2.16.756.5.8.2.1',
  high: '2.16.756.5.8.2.2',
  'high-md5': '2.16.756.5.8.2.3',
  'high-sha1': '2.16.756.5.8.2.4',
  'high-gmac': '2.16.756.5.8.2.5',
  'high-sha256': '2.16.756.5.8.2.6',
  'high-ecdsa': '2.16.756.5.8.2.7',
} as const;
/** A DLMS authentication mechanism name. */
export type MechanismName = keyof typeof MECHANISM_NAMES;

function invert<T extends Record<string, string>>(t: T): ReadonlyMap<string, keyof T> {
  return new Map(Object.entries(t).map(([k, v]) => [v, k as keyof T]));
}
const CONTEXT_BY_OID = invert(APPLICATION_CONTEXT_NAMES);
const MECHANISM_BY_OID = invert(MECHANISM_NAMES);

export function contextFromOid(oid: string): ApplicationContextName | DottedOid {
  return CONTEXT_BY_OID.get(oid) ?? (oid as DottedOid);
}
export function mechanismFromOid(oid: string): MechanismName | DottedOid {
  return MECHANISM_BY_OID.get(oid) ?? (oid as DottedOid);
}
/** The dotted OID of a name (or the dotted OID itself). */
export function oidOf(table: Record<string, string>, value: unknown, what: string): string {
  if (typeof value === 'string') {
    const known = table[value];
    if (known !== undefined) return known;
    if (/^\d+(\.\d+)+$/.test(value)) return value;
  }
  throw new DlmsError(
    'INVALID_ARGUMENT',
    `${what}: ${JSON.stringify(value)} is neither a known name nor a dotted OID`,
  );
}

/** `Association-result ::= INTEGER { accepted (0), rejected-permanent (1), rejected-transient (2) }` */
export const ASSOCIATION_RESULTS = ['accepted', 'rejected-permanent', 'rejected-transient'] as const;
export type AssociationResult = (typeof ASSOCIATION_RESULTS)[number];

/**
 * `acse-service-user [1] INTEGER { … }` of Associate-source-diagnostic (index = value), as in the Green
 * Book's ACSE ASN.1.
 */
export const ACSE_SERVICE_USER_DIAGNOSTICS = [
  'null',
  'no-reason-given',
  'application-context-name-not-supported',
  'calling-AP-title-not-recognized',
  'calling-AP-invocation-identifier-not-recognized',
  'calling-AE-qualifier-not-recognized',
  'calling-AE-invocation-identifier-not-recognized',
  'called-AP-title-not-recognized',
  'called-AP-invocation-identifier-not-recognized',
  'called-AE-qualifier-not-recognized',
  'called-AE-invocation-identifier-not-recognized',
  'authentication-mechanism-name-not-recognised',
  'authentication-mechanism-name-required',
  'authentication-failure',
  'authentication-required',
] as const;
export type AcseServiceUserDiagnostic = (typeof ACSE_SERVICE_USER_DIAGNOSTICS)[number];

/** `acse-service-provider [2] INTEGER { null (0), no-reason-given (1), no-common-acse-version (2) }` */
export const ACSE_SERVICE_PROVIDER_DIAGNOSTICS = [
  'null',
  'no-reason-given',
  'no-common-acse-version',
] as const;
export type AcseServiceProviderDiagnostic = (typeof ACSE_SERVICE_PROVIDER_DIAGNOSTICS)[number];

/** `Release-request-reason ::= INTEGER { normal (0), urgent (1), user-defined (30) }` (index = value). */
export const RELEASE_REQUEST_REASONS: Readonly<Record<number, string>> = {
  0: 'normal',
  1: 'urgent',
  30: 'user-defined',
};
export type ReleaseRequestReason = 'normal' | 'urgent' | 'user-defined';

/** `Release-response-reason ::= INTEGER { normal (0), not-finished (1), user-defined (30) }` */
export const RELEASE_RESPONSE_REASONS: Readonly<Record<number, string>> = {
  0: 'normal',
  1: 'not-finished',
  30: 'user-defined',
};
export type ReleaseResponseReason = 'normal' | 'not-finished' | 'user-defined';

/** Name of an INTEGER value from a table (array or record), or the number itself. */
export function nameOf(
  table: Readonly<Record<number, string>> | readonly string[],
  n: number,
): string | number {
  return (table as Record<number, string>)[n] ?? n;
}

/** Number of an INTEGER value given by name or number. */
export function integerOf(
  table: Readonly<Record<number, string>> | readonly string[],
  value: unknown,
  what: string,
): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    for (const [k, v] of Object.entries(table)) if (v === value) return Number(k);
  }
  throw new DlmsError(
    'INVALID_ARGUMENT',
    `${what}: ${JSON.stringify(value)} is not a known name or an integer`,
  );
}
