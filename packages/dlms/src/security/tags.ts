/**
 * Tags of the ciphered xDLMS APDUs (IEC 62056-5-3, xDLMS-APDU ASN.1):
 *
 * ```asn1
 * -- with global ciphering                    -- with dedicated ciphering
 * glo-initiateRequest            [33]         ded-initiateRequest            [65]
 * glo-readRequest                [37]         ded-readRequest                [69]
 * glo-writeRequest               [38]         ded-writeRequest               [70]
 * glo-initiateResponse           [40]         ded-initiateResponse           [72]
 * glo-readResponse               [44]         ded-readResponse               [76]
 * glo-writeResponse              [45]         ded-writeResponse              [77]
 * glo-confirmedServiceError      [46]         ded-confirmedServiceError      [78]
 * glo-unconfirmedWriteRequest    [54]         ded-unconfirmedWriteRequest    [86]
 * glo-informationReportRequest   [56]         ded-informationReportRequest   [88]
 * glo-get-request                [200]        ded-get-request                [208]
 * glo-set-request                [201]        ded-set-request                [209]
 * glo-event-notification-request [202]        ded-event-notification-request [210]
 * glo-action-request             [203]        ded-action-request             [211]
 * glo-get-response               [204]        ded-get-response               [212]
 * glo-set-response               [205]        ded-set-response               [213]
 * glo-action-response            [207]        ded-action-response            [215]
 * -- each: IMPLICIT OCTET STRING (security header ‖ ciphered or authenticated content)
 * general-glo-ciphering [219], general-ded-ciphering [220], general-ciphering [221], general-signing [223]
 * ```
 *
 * The glo- tag of a service is its plain tag + 32 (old services) or + 8 (LN services); ded- adds 32 / 16.
 *
 * @module
 */

/** One row per service that has service-specific ciphered forms: [plain tag, name, glo- tag, ded- tag]. */
const SERVICES: readonly (readonly [number, string, number, number])[] = [
  [0x01, 'initiateRequest', 0x21, 0x41],
  [0x05, 'readRequest', 0x25, 0x45],
  [0x06, 'writeRequest', 0x26, 0x46],
  [0x08, 'initiateResponse', 0x28, 0x48],
  [0x0c, 'readResponse', 0x2c, 0x4c],
  [0x0d, 'writeResponse', 0x2d, 0x4d],
  [0x0e, 'confirmedServiceError', 0x2e, 0x4e],
  [0x16, 'unconfirmedWriteRequest', 0x36, 0x56],
  [0x18, 'informationReportRequest', 0x38, 0x58],
  [0xc0, 'get-request', 0xc8, 0xd0],
  [0xc1, 'set-request', 0xc9, 0xd1],
  [0xc2, 'event-notification-request', 0xca, 0xd2],
  [0xc3, 'action-request', 0xcb, 0xd3],
  [0xc4, 'get-response', 0xcc, 0xd4],
  [0xc5, 'set-response', 0xcd, 0xd5],
  [0xc7, 'action-response', 0xcf, 0xd7],
];

export const GENERAL_GLO_CIPHERING = 0xdb;
export const GENERAL_DED_CIPHERING = 0xdc;
export const GENERAL_CIPHERING = 0xdd;
export const GENERAL_SIGNING = 0xdf;

export interface ServiceCipherTags {
  /** Tag of the unprotected APDU. */
  plain: number;
  /** Service name as in the ASN.1, without the glo-/ded- prefix. */
  name: string;
  glo: number;
  ded: number;
}

const BY_PLAIN = new Map<number, ServiceCipherTags>();
const BY_CIPHERED = new Map<number, { service: ServiceCipherTags; scope: 'glo' | 'ded' }>();
for (const [plain, name, glo, ded] of SERVICES) {
  const s: ServiceCipherTags = Object.freeze({ plain, name, glo, ded });
  BY_PLAIN.set(plain, s);
  BY_CIPHERED.set(glo, { service: s, scope: 'glo' });
  BY_CIPHERED.set(ded, { service: s, scope: 'ded' });
}

/** The ciphered tags of the service whose plain APDU starts with `plainTag`, if it has them. */
export function serviceCipherTags(plainTag: number): ServiceCipherTags | undefined {
  return BY_PLAIN.get(plainTag);
}

/** The service and scope of a glo-/ded- tag, if `tag` is one. */
export function cipheredServiceOf(
  tag: number,
): { service: ServiceCipherTags; scope: 'glo' | 'ded' } | undefined {
  return BY_CIPHERED.get(tag);
}

/** Every glo-/ded- service row, for tools and tests. */
export function allServiceCipherTags(): ServiceCipherTags[] {
  return [...BY_PLAIN.values()];
}
