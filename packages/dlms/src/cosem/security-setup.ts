/**
 * Interface class **Security setup** (class_id 64, version 1), IEC 62056-6-2 §4.4.7 (IS 15959
 * 0.0.43.0.x.255, one per association).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 security_policy | enum | version 1: bit 2 authenticated request, 3 encrypted request, 4 digitally signed request, 5 authenticated response, 6 encrypted response, 7 digitally signed response |
 * | 3 security_suite | enum | 0 AES-GCM-128, 1 ECDH-ECDSA-AES-GCM-128-SHA-256, 2 ECDH-ECDSA-AES-GCM-256-SHA-384 |
 * | 4 client_system_title | octet-string | 8 bytes |
 * | 5 server_system_title | octet-string | 8 bytes |
 * | 6 certificates | array of certificate_info | |
 *
 * ```text
 * certificate_info ::= structure { certificate_entity enum, certificate_type enum,
 *   serial_number octet-string, issuer octet-string, subject octet-string, subject_alt_name octet-string }
 * key_transfer_data ::= array of structure { key_id enum, key_wrapped octet-string }
 *   key_id: 0 global unicast encryption key, 1 global broadcast encryption key, 2 authentication key,
 *           3 master key (KEK)
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 security_activate | security_policy enum | the policy may only be strengthened |
 * | 2 global_key_transfer (key_transfer) | key_transfer_data | keys wrapped (RFC 3394) with the master key |
 * | 3 key_agreement | key_agreement_data: array of structure { key_id enum 0..2, key_ciphered_data } | suites 1–2, Ephemeral Unified Model (see `/security` key-agreement); returns the server's array |
 * | 4 generate_key_pair | enum | not implemented |
 * | 5 generate_certificate_request | enum | not implemented |
 * | 6 import_certificate | octet-string | not implemented |
 * | 7 export_certificate | structure | not implemented |
 * | 8 remove_certificate | structure | not implemented |
 *
 * **Server.** Keys live in memory on the object (`keys`); a key transfer unwraps every key with the
 * master key (via `/security`'s RFC 3394 unwrap) before changing any, so a bad wrap changes nothing
 * (`other-reason`). key_agreement needs suite 1 or 2 and `agreement` (the server's static signing key and
 * the client's signing public key); it verifies every item before changing any key, answers with the
 * server's signed ephemeral keys, and reports the changed key ids through `onKeysChanged` like a key
 * transfer (the owner applies them when the carrying session ends, as the response itself is still
 * protected with the old keys). A policy that would drop a bit already set is `other-reason` (IEC 62056-5-3: the
 * security policy cannot be weakened).
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { answerKeyAgreement, type KeyAgreementData } from '../security/key-agreement.ts';
import { unwrapKey } from '../security/keywrap.ts';
import { anyData, arrayOf, enumeration, enumOf, octetString, octetStringOf, struct } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';
import { actionError } from './results.ts';

export interface CertificateInfo {
  certificateEntity: number;
  certificateType: number;
  serialNumber: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  subjectAltName: Uint8Array;
}

export interface KeyTransferItem {
  keyId: 0 | 1 | 2 | 3;
  keyWrapped: Uint8Array;
}

export interface SecuritySetupAttributes {
  securityPolicy: number;
  securitySuite: 0 | 1 | 2;
  clientSystemTitle: Uint8Array;
  serverSystemTitle: Uint8Array;
  certificates: CertificateInfo[];
}

export interface SecuritySetupMethods {
  securityActivate: number;
  globalKeyTransfer: KeyTransferItem[];
  keyAgreement: KeyAgreementData[];
  generateKeyPair: Data;
  generateCertificateRequest: Data;
  importCertificate: Data;
  exportCertificate: Data;
  removeCertificate: Data;
}

/** key_agreement_data: what the client sends and the server answers (method 3). */
export const keyAgreementData = /* @__PURE__ */ arrayOf(
  struct({ keyId: enumOf([0, 1, 2], 'key_id'), keyCipheredData: octetString }),
);

export const keyTransferData = /* @__PURE__ */ arrayOf(
  struct({ keyId: enumOf([0, 1, 2, 3], 'key_id'), keyWrapped: octetString }),
);

export const SECURITY_SETUP_CLASS = /* @__PURE__ */ defineClass<
  SecuritySetupAttributes,
  SecuritySetupMethods
>({
  classId: 64,
  version: 1,
  name: 'Security setup',
  attributes: {
    securityPolicy: { id: 2, name: 'security_policy', codec: enumeration, access: 'read-only' },
    securitySuite: {
      id: 3,
      name: 'security_suite',
      codec: enumOf([0, 1, 2], 'security_suite'),
      access: 'read-only',
    },
    clientSystemTitle: { id: 4, name: 'client_system_title', codec: octetString, access: 'read-only' },
    serverSystemTitle: { id: 5, name: 'server_system_title', codec: octetStringOf(8), access: 'read-only' },
    certificates: {
      id: 6,
      name: 'certificates',
      codec: arrayOf(
        struct({
          certificateEntity: enumeration,
          certificateType: enumeration,
          serialNumber: octetString,
          issuer: octetString,
          subject: octetString,
          subjectAltName: octetString,
        }),
      ),
      access: 'read-only',
    },
  },
  methods: {
    securityActivate: {
      id: 1,
      name: 'security_activate',
      params: enumeration,
      access: 'authenticated-access',
    },
    globalKeyTransfer: {
      id: 2,
      name: 'global_key_transfer',
      params: keyTransferData,
      access: 'authenticated-access',
    },
    keyAgreement: {
      id: 3,
      name: 'key_agreement',
      params: keyAgreementData,
      access: 'authenticated-access',
    },
    generateKeyPair: { id: 4, name: 'generate_key_pair', params: anyData, access: 'no-access' },
    generateCertificateRequest: {
      id: 5,
      name: 'generate_certificate_request',
      params: anyData,
      access: 'no-access',
    },
    importCertificate: { id: 6, name: 'import_certificate', params: anyData, access: 'no-access' },
    exportCertificate: { id: 7, name: 'export_certificate', params: anyData, access: 'no-access' },
    removeCertificate: { id: 8, name: 'remove_certificate', params: anyData, access: 'no-access' },
  },
});

/** The symmetric keys of an association (suite 0–2), by key_id. */
export interface SecurityKeysById {
  /** 3: master key (KEK). */
  masterKey: Uint8Array;
  /** 0 */
  globalUnicastEncryptionKey?: Uint8Array;
  /** 1 */
  globalBroadcastEncryptionKey?: Uint8Array;
  /** 2 */
  authenticationKey?: Uint8Array;
}

const KEY_NAMES = [
  'globalUnicastEncryptionKey',
  'globalBroadcastEncryptionKey',
  'authenticationKey',
  'masterKey',
] as const;

export class SecuritySetupObject extends CosemServerObject<SecuritySetupAttributes, SecuritySetupMethods> {
  keys: SecurityKeysById;
  /** Called after a key transfer or key agreement with the ids of the keys that changed. */
  onKeysChanged: ((ids: number[]) => void) | undefined;
  /** Suites 1 and 2: the static keys key_agreement signs and verifies with; absent, the method is refused. */
  agreement: { serverSigningKey: Uint8Array; clientSigningPublicKey: Uint8Array } | undefined;

  constructor(
    logicalName: Obis | string,
    init: {
      serverSystemTitle: Uint8Array;
      keys: SecurityKeysById;
      securityPolicy?: number;
      securitySuite?: 0 | 1 | 2;
      agreement?: { serverSigningKey: Uint8Array; clientSigningPublicKey: Uint8Array };
    },
  ) {
    super(SECURITY_SETUP_CLASS, logicalName, {
      securityPolicy: init.securityPolicy ?? 0,
      securitySuite: init.securitySuite ?? 0,
      clientSystemTitle: new Uint8Array(0),
      serverSystemTitle: init.serverSystemTitle,
      certificates: [],
    });
    this.keys = init.keys;
    this.agreement = init.agreement;
  }

  protected override write<K extends keyof SecuritySetupAttributes & string>(
    key: K,
    value: SecuritySetupAttributes[K],
    ctx: CosemContext,
  ): void {
    if (key === 'clientSystemTitle' && (value as Uint8Array).length !== 8) {
      throw outOfRange('client_system_title', 'a system title has 8 bytes');
    }
    super.write(key, value, ctx);
  }

  protected override invoke<K extends keyof SecuritySetupMethods & string>(
    key: K,
    params: SecuritySetupMethods[K],
    ctx: CosemContext,
  ): Data | undefined {
    if (key === 'securityActivate') {
      const p = params as number;
      const old = this.values.securityPolicy;
      if ((p & old) !== old) {
        throw actionError(
          'other-reason',
          `security_activate: policy 0x${p.toString(16)} would weaken 0x${old.toString(16)}`,
        );
      }
      this.values.securityPolicy = p;
      return undefined;
    }
    if (key === 'globalKeyTransfer') {
      const items = params as KeyTransferItem[];
      const unwrapped: [number, Uint8Array][] = [];
      for (const it of items) {
        try {
          unwrapped.push([it.keyId, unwrapKey(this.keys.masterKey, it.keyWrapped)]);
        } catch (e) {
          throw actionError('other-reason', `global_key_transfer: key ${it.keyId} does not unwrap`, e);
        }
      }
      for (const [id, k] of unwrapped) this.keys[KEY_NAMES[id]!] = k;
      this.onKeysChanged?.(unwrapped.map(([id]) => id));
      return undefined;
    }
    if (key === 'keyAgreement') return this.#keyAgreement(params as KeyAgreementData[], ctx);
    return super.invoke(key, params, ctx);
  }

  #keyAgreement(items: KeyAgreementData[], ctx: CosemContext): Data {
    const suite = this.values.securitySuite;
    if (suite === 0 || this.agreement === undefined) {
      throw actionError('other-reason', 'key_agreement: needs security suite 1 or 2 and signing keys');
    }
    const clientSystemTitle =
      ctx.clientSystemTitle ??
      (this.values.clientSystemTitle.length === 8 ? this.values.clientSystemTitle : undefined);
    if (clientSystemTitle === undefined) {
      throw actionError('other-reason', 'key_agreement: the client system title is not known');
    }
    let answer: ReturnType<typeof answerKeyAgreement>;
    try {
      answer = answerKeyAgreement(suite, items, {
        clientSystemTitle,
        serverSystemTitle: this.values.serverSystemTitle,
        clientSigningPublicKey: this.agreement.clientSigningPublicKey,
        serverSigningKey: this.agreement.serverSigningKey,
      });
    } catch (e) {
      throw actionError('other-reason', 'key_agreement: an item does not verify', e);
    }
    for (const [id, k] of answer.keys) this.keys[KEY_NAMES[id]!] = k;
    this.onKeysChanged?.([...answer.keys.keys()]);
    return keyAgreementData.encode(answer.response);
  }
}
