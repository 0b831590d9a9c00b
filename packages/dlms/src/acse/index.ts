/**
 * `@ami-interop/dlms/acse`: the ACSE APDUs of DLMS/COSEM association establishment and release
 * (IEC 62056-5-3 / Green Book; ACSE per ISO/IEC 8650-1): AARQ, AARE, RLRQ and RLRE, BER encoded.
 *
 * Models are plain, JSON-safe objects discriminated by `type` (`aarq`, `aare`, `rlrq`, `rlre`): octet
 * strings (system titles, authentication values, opaque ciphered APDUs) are upper-case hex, names are
 * strings, absent optional fields have no key. So the JSON form *is* the model:
 * `encodeAcse(JSON.parse(JSON.stringify(decodeAcse(bytes))))` gives the bytes back whenever they are in the
 * canonical form (minimal lengths), which is what {@link encodeAcse} writes.
 *
 * The xDLMS APDU in `user-information` is decoded when it is an InitiateRequest, InitiateResponse or
 * ConfirmedServiceError (see `@ami-interop/dlms/apdu`), otherwise kept as `{ type: 'opaque', hex }`.
 *
 * @module
 */

import { requireBytes } from '../apdu/initiate.ts';
import { DlmsError } from '../errors.ts';
import { type Aare, decodeAare, encodeAare } from './aare.ts';
import { type Aarq, decodeAarq, encodeAarq } from './aarq.ts';
import { decodeRlre, encodeRlre, type Rlre } from './rlre.ts';
import { decodeRlrq, encodeRlrq, type Rlrq } from './rlrq.ts';

export { AARE_TAG, type Aare, decodeAare, encodeAare } from './aare.ts';
export { AARQ_TAG, type Aarq, decodeAarq, encodeAarq } from './aarq.ts';
export type {
  AcseRequirements,
  AssociateSourceDiagnostic,
  AuthenticationValue,
  OpaqueApdu,
  ProtocolVersion,
  UserInformation,
} from './fields.ts';
export {
  ACSE_SERVICE_PROVIDER_DIAGNOSTICS,
  ACSE_SERVICE_USER_DIAGNOSTICS,
  type AcseServiceProviderDiagnostic,
  type AcseServiceUserDiagnostic,
  APPLICATION_CONTEXT_NAMES,
  type ApplicationContextName,
  ASSOCIATION_RESULTS,
  type AssociationResult,
  type DottedOid,
  MECHANISM_NAMES,
  type MechanismName,
  type ReleaseRequestReason,
  type ReleaseResponseReason,
} from './names.ts';
export { decodeRlre, encodeRlre, RLRE_TAG, type Rlre } from './rlre.ts';
export { decodeRlrq, encodeRlrq, RLRQ_TAG, type Rlrq } from './rlrq.ts';

/** Any of the four ACSE APDUs DLMS uses. */
export type AcseApdu = Aarq | Aare | Rlrq | Rlre;

/**
 * Decodes an AARQ (`60`), AARE (`61`), RLRQ (`62`) or RLRE (`63`), chosen by the first octet. Empty input
 * is `INCOMPLETE`; any other first octet is `MALFORMED` at offset 0.
 */
export function decodeAcse(bytes: Uint8Array): AcseApdu {
  requireBytes(bytes, 'decodeAcse');
  if (bytes.length === 0) throw new DlmsError('INCOMPLETE', 'input ended: no ACSE APDU tag', { offset: 0 });
  switch (bytes[0]) {
    case 0x60:
      return decodeAarq(bytes);
    case 0x61:
      return decodeAare(bytes);
    case 0x62:
      return decodeRlrq(bytes);
    case 0x63:
      return decodeRlre(bytes);
    default:
      throw new DlmsError(
        'MALFORMED',
        `not an ACSE APDU used by DLMS: tag ${bytes[0]!.toString(16).toUpperCase().padStart(2, '0')}`,
        { offset: 0 },
      );
  }
}

/** Encodes any of the four ACSE APDUs, chosen by `type`. */
export function encodeAcse(apdu: AcseApdu): Uint8Array<ArrayBuffer> {
  switch (apdu?.type) {
    case 'aarq':
      return encodeAarq(apdu);
    case 'aare':
      return encodeAare(apdu);
    case 'rlrq':
      return encodeRlrq(apdu);
    case 'rlre':
      return encodeRlre(apdu);
    default:
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `unknown ACSE APDU type ${JSON.stringify((apdu as { type?: unknown } | null)?.type)}`,
      );
  }
}
