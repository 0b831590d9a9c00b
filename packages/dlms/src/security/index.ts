/**
 * `@ami-interop/dlms/security`: DLMS/COSEM security per IEC 62056-5-3 — security suite 0 (AES-GCM-128)
 * and suites 1–2 (AES-GCM-128/256 with ECDSA P-256/P-384, ECDH and the DLMS KDF), ciphered APDUs (glo-,
 * ded-, general-glo-, general-ded-, general-ciphering), general-signing, LLS and HLS mechanisms 2–7,
 * invocation counters, RFC 3394 key wrap and the Security setup `global_key_transfer` parameter.
 *
 * Runtime-neutral (browsers and Node): the default crypto backend is `@noble/ciphers`. A faster
 * `node:crypto` backend lives on the separate subpath `@ami-interop/dlms/security/node`.
 *
 * @module
 */
export {
  type BackendRuntime,
  type CryptoBackend,
  defaultBackend,
  nobleBackend,
  pickDefaultBackend,
} from './backend.ts';
export { constantTimeEqual } from './bytes.ts';
export {
  AGREED_KEY_PARAMETERS,
  type CipheredApdu,
  type CipheredContent,
  type CipheringKind,
  cipherContent,
  DLMS_TAG_LENGTH,
  decodeCipheredApdu,
  encodeCipheredApdu,
  type GeneralCipheringProtectOptions,
  type KdfPartiesFunction,
  type OnePassDhKeyInfo,
  type ProtectOptions,
  protectApdu,
  protectGeneralCiphering,
  type SecurityKeys,
  STATIC_UNIFIED_MIN_NONCE_LENGTH,
  type StaticUnifiedKeyInfo,
  SYSTEM_TITLE_LENGTH,
  staticUnifiedKdfParties,
  type UnprotectOptions,
  type UnprotectResult,
  unprotectApdu,
} from './ciphered-apdu.ts';
export {
  decodeSecurityControl,
  encodeSecurityControl,
  policyOf,
  type SecurityControl,
  type SecurityPolicy,
  securityControlFor,
} from './control.ts';
export {
  type InvocationCounterStore,
  MAX_INVOCATION_COUNTER,
  MemoryInvocationCounterStore,
  unprotectWithStore,
} from './counter.ts';
export {
  type AsymmetricSuite,
  agreeKey,
  coordinateLength,
  dlmsKdf,
  eccKeyPair,
  eccPublicKey,
  ecdhSharedSecret,
  ecdsaSign,
  ecdsaVerify,
  type KdfParams,
  kdfAlgorithmId,
} from './ecc.ts';
export { gcmDecryptNoble, gcmEncryptNoble } from './gcm.ts';
export type { GeneralCipheringFields, KeyInfo } from './general-ciphering.ts';
export {
  decodeGeneralSigning,
  encodeGeneralSigning,
  type GeneralSigning,
  signGeneralSigning,
  verifyGeneralSigning,
} from './general-signing.ts';
export {
  generateChallenge,
  type Hls2Processor,
  type HlsEcdsaParams,
  type HlsGmacParams,
  type HlsSha256Params,
  hls2AesEcb,
  hls2Response,
  hlsEcdsaResponse,
  hlsGmacResponse,
  hlsMd5Response,
  hlsSha1Response,
  hlsSha256Response,
  type RandomSource,
  verifyHlsEcdsa,
  verifyHlsGmac,
  verifyHlsResponse,
  verifyLlsPassword,
} from './hls.ts';
export {
  type AgreementKeyId,
  answerKeyAgreement,
  completeKeyAgreement,
  createKeyAgreementData,
  deriveAgreedKey,
  type KeyAgreementData,
  type KeyAgreementHalf,
  type KeyAgreementParties,
  keyAgreementSignedData,
  verifyKeyAgreementData,
} from './key-agreement.ts';
export {
  buildGlobalKeyTransfer,
  decodeKeyTransferData,
  encodeKeyTransferData,
  KEY_ID,
  type KeyData,
  type KeyId,
  unwrapKey,
  wrapKey,
} from './keywrap.ts';
export { type AssociationKeys, type MeterKeyRecord, MeterKeyStore } from './meter-keys.ts';
export { createNodeCryptoBackend, type NodeCipherFunctions } from './node-backend.ts';
export {
  allServiceCipherTags,
  cipheredServiceOf,
  GENERAL_CIPHERING,
  GENERAL_DED_CIPHERING,
  GENERAL_GLO_CIPHERING,
  GENERAL_SIGNING,
  type ServiceCipherTags,
  serviceCipherTags,
} from './tags.ts';
