/**
 * @ami-interop/keyfile: the secure meter key file (AKF/1) that carries meter keys from the manufacturer
 * to the unified HES. See docs/keyfile-spec.md for the format.
 *
 * @module
 */
export {
  detectKeyFileFormat,
  ecdhKeyFromPem,
  type OpenedKeyFile,
  openKeyFile,
  readKeyFile,
  sealKeyFile,
  sealKeyFileStream,
  verifyKeyFile,
  verifyKeyFileStream,
} from './api.ts';
export {
  CMS_OID,
  type CmsKeyFileHeader,
  type CmsKeyFileSummary,
  cmsFromPem,
  cmsToPem,
  type OpenedCmsKeyFile,
  openKeyFileCms,
  sealKeyFileCms,
  subjectKeyId,
  verifyKeyFileCms,
} from './cms.ts';
export {
  DEFAULT_CHUNK_SIZE,
  FORMAT,
  type GcmBackend,
  type KeyFileHeader,
  KeyFileReader,
  type KeyFileSummary,
  type KeyFileTrailer,
  KeyFileWriter,
  nobleGcm,
  type OpenOptions,
  parseHeader,
  type SealOptions,
  type Signer,
  VERSION,
} from './container.ts';
export {
  CSV_REQUIRED_COLUMNS,
  CsvRowParser,
  MetersCsvReader,
  parseMetersCsv,
  parseMetersCsvStream,
} from './csv.ts';
export { CLIENT_SAP, type DlmsMeterKeys, toDlmsMeterKeys, wipeDlmsMeterKeys } from './dlms.ts';
export {
  formatPath,
  isKeyfileError,
  KeyfileError,
  type KeyfileErrorCode,
  type KeyfileErrorOptions,
  withPath,
} from './errors.ts';
export {
  type Certificate,
  certificateFromPem,
  certificateToPem,
  decodePkcs8,
  decodeSpki,
  encodePkcs8,
  encodeSpki,
  type GeneratedKeyPair,
  generateKeyPair,
  keyId,
  type P256PrivateKey,
  parseCertificate,
  privateKeyFromPem,
  privateKeyFromScalar,
  privateKeyToPem,
  publicKeyFromPem,
  publicKeyToPem,
  type SelfSignedOptions,
  selfSignedCertificate,
} from './pki.ts';
export {
  DEFAULT_SCRYPT,
  type KeyManagement,
  MAX_SCRYPT,
  type OpeningKey,
  type Recipient,
} from './recipient.ts';
export {
  decodeMeterRecord,
  encodeMeterRecord,
  type FirmwareImage,
  type InvocationCounter,
  type MeterRecord,
  type MeterRecordJson,
  meterFromJson,
  meterToJson,
  wipeMeter,
} from './record.ts';
export { SecretBytes, secret } from './secret.ts';
