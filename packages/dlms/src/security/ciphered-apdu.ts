/**
 * Ciphered xDLMS APDUs of security suites 0–2 (IEC 62056-5-3 "Cryptographic protection of xDLMS APDUs"):
 * service-specific glo-/ded- ciphering, general-glo-ciphering, general-ded-ciphering, and the envelope of
 * general-ciphering.
 *
 * ```asn1
 * glo-get-request [200] IMPLICIT OCTET STRING            -- and every other glo-/ded- tag, see tags.ts
 * General-Glo-Ciphering ::= SEQUENCE {                   -- [219]; General-Ded-Ciphering [220] alike
 *   system-title     OCTET STRING,
 *   ciphered-content OCTET STRING
 * }
 * ```
 *
 * The ciphered content is `SH ‖ C ‖ T` with SH = security control (1) ‖ invocation counter (4). With the
 * AES-GCM of suites 0–2 (IV = system title of the sender (8) ‖ invocation counter (4), tag 12 bytes):
 *
 * | policy (SC bits A,E) | AAD                        | GCM input  | content       |
 * |----------------------|----------------------------|------------|---------------|
 * | authentication (A)   | SC ‖ AK ‖ APDU             | empty      | SH ‖ APDU ‖ T |
 * | encryption (E)       | —                          | APDU       | SH ‖ C        |
 * | both (A, E)          | SC ‖ AK                    | APDU       | SH ‖ C ‖ T    |
 *
 * Keys: `ek` the global unicast encryption key, `bek` the global broadcast key (SC key-set bit), `dk` the
 * dedicated key (ded- and general-ded-), `ak` the authentication key. Suites 0 and 1 use 16-byte keys,
 * suite 2 32-byte keys.
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { type CryptoBackend, defaultBackend } from './backend.ts';
import { assertBytes, assertU32, concat, constantTimeEqual } from './bytes.ts';
import {
  decodeSecurityControl,
  encodeSecurityControl,
  policyOf,
  type SecurityControl,
  type SecurityPolicy,
  securityControlFor,
} from './control.ts';
import { agreeKey, coordinateLength, eccKeyPair, eccPublicKey, ecdsaSign, ecdsaVerify } from './ecc.ts';
import { authenticationFailed } from './gcm.ts';
import {
  type GeneralCipheringFields,
  type KeyInfo,
  readGeneralCipheringFields,
  readOctetString,
  writeGeneralCipheringFields,
  writeOctetString,
} from './general-ciphering.ts';
import { unwrapKey, wrapKey } from './keywrap.ts';
import {
  cipheredServiceOf,
  GENERAL_CIPHERING,
  GENERAL_DED_CIPHERING,
  GENERAL_GLO_CIPHERING,
  serviceCipherTags,
} from './tags.ts';

/** Length of the GCM authentication tag in DLMS suites 0–2. */
export const DLMS_TAG_LENGTH = 12;
/** Length of a DLMS system title. */
export const SYSTEM_TITLE_LENGTH = 8;

export type CipheringKind = 'glo' | 'ded' | 'general-glo' | 'general-ded';

/** The security header and what follows it, as carried (nothing decrypted). */
export interface CipheredContent {
  securityControl: SecurityControl;
  invocationCounter: number;
  /** The ciphertext, or the plaintext APDU under authentication only. A view into the input. */
  payload: Uint8Array;
  /** The authentication tag (12 bytes), empty when not authenticated. A view into the input. */
  authTag: Uint8Array;
}

export type CipheredApdu =
  | ({ kind: 'glo' | 'ded'; tag: number; service: string } & CipheredContent)
  | ({ kind: 'general-glo' | 'general-ded'; tag: number; systemTitle: Uint8Array } & CipheredContent)
  | ({ kind: 'general-ciphering'; tag: number } & GeneralCipheringFields & CipheredContent);

export interface SecurityKeys {
  /** Global unicast encryption key (block cipher key). */
  ek: Uint8Array;
  /** Authentication key; required for the policies with authentication. */
  ak?: Uint8Array | undefined;
  /** Dedicated key, for ded- and general-ded-ciphering. */
  dk?: Uint8Array | undefined;
  /** Global broadcast encryption key, used when the SC key-set bit is 1. */
  bek?: Uint8Array | undefined;
  /** Master key (KEK), to unwrap a general-ciphering wrapped-key. */
  kek?: Uint8Array | undefined;
  /**
   * For general-ciphering agreed keys (suites 1/2): our static key-agreement secret key, and the
   * originator's signing public key (One-Pass Diffie-Hellman, to verify its signed ephemeral key) or its
   * static key-agreement public key (Static Unified Model).
   */
  agreement?:
    | {
        secretKey: Uint8Array;
        originatorSigningPublicKey?: Uint8Array | undefined;
        originatorAgreementPublicKey?: Uint8Array | undefined;
      }
    | undefined;
}

/** The originator's side of a One-Pass Diffie-Hellman agreed key (general-ciphering, suites 1 and 2). */
export interface OnePassDhKeyInfo {
  type: 'agreed-key';
  /** C(1e, 1s, ECC CDH), key-parameters 0x01 (the default when `scheme` is absent). */
  scheme?: 'one-pass-diffie-hellman' | undefined;
  /** The recipient's static key-agreement public key, FE2OS(x) ‖ FE2OS(y). */
  recipientPublicKey: Uint8Array;
  /** The originator's private signing key, to sign its ephemeral public key. */
  signingKey: Uint8Array;
  /** The ephemeral secret key; a fresh random one by default (pass one only for tests). */
  ephemeralSecretKey?: Uint8Array;
}

/**
 * The originator's side of a Static Unified Model agreed key C(0e, 2s, ECC CDH) (general-ciphering,
 * suites 1 and 2, key-parameters 0x02): both parties use their static key-agreement keys, and the
 * transaction-id is the nonce that makes each derived key different (see {@link staticUnifiedKdfParties}).
 */
export interface StaticUnifiedKeyInfo {
  type: 'agreed-key';
  scheme: 'static-unified';
  /** Our (the originator's) static key-agreement secret key. */
  secretKey: Uint8Array;
  /** The recipient's static key-agreement public key, FE2OS(x) ‖ FE2OS(y). */
  recipientPublicKey: Uint8Array;
}

/** Key-parameters of general-ciphering's agreed-key (IEC 62056-5-3): which key agreement scheme. */
export const AGREED_KEY_PARAMETERS = Object.freeze({
  'one-pass-diffie-hellman': 0x01,
  'static-unified': 0x02,
} as const);

/** The shortest transaction-id accepted as the Static Unified Model nonce (64 bits). */
export const STATIC_UNIFIED_MIN_NONCE_LENGTH = 8;

/**
 * The KDF's PartyUInfo and PartyVInfo for the Static Unified Model C(0e, 2s) in general-ciphering:
 *
 * ```text
 * PartyUInfo = originator-system-title ‖ transaction-id   (ID_U ‖ Nonce_U, NIST SP 800-56A §6.3.2)
 * PartyVInfo = recipient-system-title
 * ```
 *
 * **Not verified against a published example.** NIST SP 800-56A requires a nonce from party U in the
 * OtherInfo of this scheme, and the general-ciphering APDU carries one fresh value the recipient can read:
 * the transaction-id. Its place in PartyUInfo (after U's system title, as the One-Pass Diffie-Hellman
 * example of Green Book Table C.2 puts the system titles) is our reading, not a checked byte layout.
 * Callers who learn another layout pass `kdfParties` to {@link protectGeneralCiphering} and
 * {@link unprotectApdu}.
 */
export function staticUnifiedKdfParties(fields: {
  transactionId: Uint8Array;
  originatorSystemTitle: Uint8Array;
  recipientSystemTitle: Uint8Array;
}): { partyUInfo: Uint8Array; partyVInfo: Uint8Array } {
  return {
    partyUInfo: concat(fields.originatorSystemTitle, fields.transactionId),
    partyVInfo: fields.recipientSystemTitle,
  };
}

/** Overrides {@link staticUnifiedKdfParties} (a different reading of the OtherInfo layout). */
export type KdfPartiesFunction = typeof staticUnifiedKdfParties;

export interface ProtectOptions extends SecurityKeys {
  policy: SecurityPolicy;
  /** 0 (default), 1 or 2. */
  suite?: 0 | 1 | 2;
  /** The sender's system title (8 bytes): the first part of the IV. */
  systemTitle: Uint8Array;
  invocationCounter: number;
  /** Default `glo`. */
  kind?: CipheringKind;
  /** Protect with `bek` and set the key-set bit. */
  broadcastKey?: boolean;
  backend?: CryptoBackend;
}

export interface UnprotectOptions {
  /** Static Unified Model only: the KDF party information (default {@link staticUnifiedKdfParties}). */
  kdfParties?: KdfPartiesFunction | undefined;
  /**
   * The sender's system title. Required for glo-/ded- APDUs (which do not carry it); for general-glo/ded
   * the carried title is used, and if this is given too they must match (else `AUTHENTICATION_FAILED`).
   */
  systemTitle?: Uint8Array | undefined;
  /**
   * Called with the invocation counter after the APDU authenticated (never before, so forged APDUs cannot
   * move a replay window), and before the plaintext is returned; throw (e.g. `REPLAYED_COUNTER`) to refuse.
   */
  counterCheck?: ((invocationCounter: number, systemTitle: Uint8Array) => void) | undefined;
  /**
   * The policies accepted (default: those with authentication, `['auth', 'auth+enc']`). A received APDU
   * under any other policy is refused with `AUTHENTICATION_FAILED` before any deciphering: without this a
   * man in the middle could clear the A bit and have the tag deciphered as data. Pass `['enc']` for
   * associations that use encryption only.
   */
  acceptPolicies?: readonly SecurityPolicy[] | undefined;
  /** The security suite expected (default 0); an APDU naming another suite is refused. */
  suite?: 0 | 1 | 2 | undefined;
  backend?: CryptoBackend | undefined;
}

const DEFAULT_POLICIES: readonly SecurityPolicy[] = Object.freeze(['auth', 'auth+enc'] as const);

export interface UnprotectResult {
  /** The unprotected APDU. */
  plain: Uint8Array;
  securityControl: SecurityControl;
  invocationCounter: number;
  /** The system title used in the IV (the sender's). */
  systemTitle: Uint8Array;
  kind: CipheringKind | 'general-ciphering';
  /** The general-ciphering fields (transaction id, titles, date-time, key-info), for that kind. */
  generalCiphering?: GeneralCipheringFields;
}

function keyLengthFor(suite: number): number {
  return suite === 2 ? 32 : 16;
}

function selectKey(keys: SecurityKeys, kind: CipheringKind, broadcast: boolean): Uint8Array {
  if (kind === 'ded' || kind === 'general-ded') {
    if (keys.dk === undefined) throw new DlmsError('INVALID_ARGUMENT', `${kind}-ciphering needs "dk"`);
    return keys.dk;
  }
  if (broadcast) {
    if (keys.bek === undefined) throw new DlmsError('INVALID_ARGUMENT', 'broadcast key set needs "bek"');
    return keys.bek;
  }
  return keys.ek;
}

function iv(systemTitle: Uint8Array, ic: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12);
  out.set(systemTitle);
  out[8] = ic >>> 24;
  out[9] = (ic >>> 16) & 0xff;
  out[10] = (ic >>> 8) & 0xff;
  out[11] = ic & 0xff;
  return out;
}

/**
 * The GCM step of every envelope: returns what follows the security header, `payload ‖ tag`.
 * `aadExtra` is inserted after SC ‖ AK (general-ciphering's A-XDR encoded fields).
 */
function sealBody(
  plain: Uint8Array,
  scByte: number,
  policy: SecurityPolicy,
  key: Uint8Array,
  ak: Uint8Array | undefined,
  nonce: Uint8Array,
  aadExtra: Uint8Array,
  backend: CryptoBackend,
): Uint8Array {
  if (policy === 'enc') return backend.gcmEncrypt(key, nonce, new Uint8Array(0), plain, 0);
  if (ak === undefined) throw new DlmsError('INVALID_ARGUMENT', 'authentication needs "ak"');
  if (policy === 'auth+enc') {
    return backend.gcmEncrypt(
      key,
      nonce,
      concat(Uint8Array.of(scByte), ak, aadExtra),
      plain,
      DLMS_TAG_LENGTH,
    );
  }
  const aad = concat(Uint8Array.of(scByte), ak, aadExtra, plain);
  return concat(plain, backend.gcmEncrypt(key, nonce, aad, new Uint8Array(0), DLMS_TAG_LENGTH));
}

/** The inverse of {@link sealBody}: verifies (when authenticated) and returns the plain APDU. */
function openBody(
  content: CipheredContent,
  scByte: number,
  key: Uint8Array,
  ak: Uint8Array | undefined,
  nonce: Uint8Array,
  aadExtra: Uint8Array,
  backend: CryptoBackend,
): Uint8Array {
  const sc = content.securityControl;
  if (!sc.authenticated) {
    return backend.gcmDecrypt(key, nonce, new Uint8Array(0), content.payload, new Uint8Array(0));
  }
  assertBytes(ak, 'ak', key.length);
  if (sc.encrypted) {
    const aad = concat(Uint8Array.of(scByte), ak, aadExtra);
    return backend.gcmDecrypt(key, nonce, aad, content.payload, content.authTag);
  }
  const aad = concat(Uint8Array.of(scByte), ak, aadExtra, content.payload);
  backend.gcmDecrypt(key, nonce, aad, new Uint8Array(0), content.authTag);
  return content.payload.slice();
}

/** The ciphered content `SH ‖ payload ‖ tag` of an APDU (the GCM step of every envelope). */
export function cipherContent(
  plain: Uint8Array,
  sc: SecurityControl,
  systemTitle: Uint8Array,
  invocationCounter: number,
  key: Uint8Array,
  ak: Uint8Array | undefined,
  backend: CryptoBackend = defaultBackend,
  aadExtra: Uint8Array = new Uint8Array(0),
): Uint8Array<ArrayBuffer> {
  const scByte = encodeSecurityControl(sc);
  const policy = policyOf(sc);
  if (policy === undefined)
    throw new DlmsError('INVALID_ARGUMENT', 'security control has neither A nor E set');
  if (sc.compressed) throw new DlmsError('UNSUPPORTED', 'compression is not supported');
  const body = sealBody(
    plain,
    scByte,
    policy,
    key,
    ak,
    iv(systemTitle, invocationCounter),
    aadExtra,
    backend,
  );
  const out = new Uint8Array(5 + body.length);
  out[0] = scByte;
  new DataView(out.buffer).setUint32(1, invocationCounter);
  out.set(body, 5);
  return out;
}

/** The final APDU: `prefix` (tag [‖ fields]) ‖ length(SH ‖ body) ‖ SC ‖ IC ‖ body, allocated once. */
function finishEnvelope(
  prefix: Uint8Array,
  scByte: number,
  ic: number,
  body: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const n = 5 + body.length;
  const lenSize = n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
  const out = new Uint8Array(prefix.length + lenSize + n);
  out.set(prefix);
  let o = prefix.length;
  if (lenSize === 1) out[o++] = n;
  else {
    out[o++] = 0x80 | (lenSize - 1);
    for (let i = lenSize - 2; i >= 0; i--) out[o++] = Math.floor(n / 2 ** (8 * i)) & 0xff;
  }
  out[o++] = scByte;
  out[o++] = ic >>> 24;
  out[o++] = (ic >>> 16) & 0xff;
  out[o++] = (ic >>> 8) & 0xff;
  out[o++] = ic & 0xff;
  out.set(body, o);
  return out;
}

function checkSuite(suite: unknown): 0 | 1 | 2 {
  if (suite !== 0 && suite !== 1 && suite !== 2) {
    throw new DlmsError('INVALID_ARGUMENT', `security suite must be 0, 1 or 2, got ${String(suite)}`);
  }
  return suite;
}

/**
 * Protects a plain xDLMS APDU: returns the whole ciphered APDU (tag, length, [system title,] SH, ciphertext,
 * tag). For `glo`/`ded` the plain APDU's first byte must be a service that has a ciphered tag (see tags.ts);
 * general-glo/ded carry any APDU.
 */
export function protectApdu(plain: Uint8Array, options: ProtectOptions): Uint8Array<ArrayBuffer> {
  assertBytes(plain, 'plain');
  const suite = checkSuite(options.suite ?? 0);
  const kind = options.kind ?? 'glo';
  const broadcast = options.broadcastKey ?? false;
  const sc = securityControlFor(options.policy, suite, broadcast);
  const key = selectKey(options, kind, broadcast);
  const klen = keyLengthFor(suite);
  assertBytes(key, 'encryption key', klen);
  if (sc.authenticated) assertBytes(options.ak, 'ak', klen);
  assertBytes(options.systemTitle, 'systemTitle', SYSTEM_TITLE_LENGTH);
  assertU32(options.invocationCounter, 'invocationCounter');

  let prefix: Uint8Array;
  if (kind === 'glo' || kind === 'ded') {
    if (plain.length === 0) throw new DlmsError('INVALID_ARGUMENT', 'empty APDU');
    const tags = serviceCipherTags(plain[0]!);
    if (tags === undefined) {
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `APDU tag 0x${plain[0]!.toString(16)} has no ${kind}- form: use general-${kind}-ciphering`,
      );
    }
    prefix = Uint8Array.of(kind === 'glo' ? tags.glo : tags.ded);
  } else if (kind === 'general-glo' || kind === 'general-ded') {
    prefix = new Uint8Array(2 + SYSTEM_TITLE_LENGTH);
    prefix[0] = kind === 'general-glo' ? GENERAL_GLO_CIPHERING : GENERAL_DED_CIPHERING;
    prefix[1] = SYSTEM_TITLE_LENGTH;
    prefix.set(options.systemTitle, 2);
  } else {
    throw new DlmsError('INVALID_ARGUMENT', `unknown ciphering kind ${JSON.stringify(kind)}`);
  }
  const scByte = encodeSecurityControl(sc);
  const nonce = iv(options.systemTitle, options.invocationCounter);
  const body = sealBody(
    plain,
    scByte,
    options.policy,
    key,
    options.ak,
    nonce,
    new Uint8Array(0),
    options.backend ?? defaultBackend,
  );
  return finishEnvelope(prefix, scByte, options.invocationCounter, body);
}

/** Options of {@link protectGeneralCiphering}: the keys, the policy and the general-ciphering fields. */
export interface GeneralCipheringProtectOptions extends SecurityKeys {
  policy: SecurityPolicy;
  suite?: 0 | 1 | 2;
  invocationCounter: number;
  transactionId: Uint8Array;
  /** The sender's system title (8 bytes), the first part of the IV. */
  originatorSystemTitle: Uint8Array;
  recipientSystemTitle: Uint8Array;
  /** A-XDR date-time octets, or empty (default). */
  dateTime?: Uint8Array;
  otherInformation?: Uint8Array;
  /**
   * How the recipient finds the key. Absent (default): the key is known from the context (`ek`, or `bek`
   * with `broadcastKey`). `identified-key` 0/1: `ek`/`bek`. `wrapped-key`: the content key `key` is sent
   * wrapped (RFC 3394) under `kek`. `agreed-key` (suites 1 and 2 only): One-Pass Diffie-Hellman C(1e, 1s),
   * see {@link OnePassDhKeyInfo}.
   */
  keyInfo?:
    | { type: 'identified-key'; keyId: 0 | 1 }
    | { type: 'wrapped-key'; key: Uint8Array }
    | OnePassDhKeyInfo
    | StaticUnifiedKeyInfo
    | undefined;
  broadcastKey?: boolean;
  backend?: CryptoBackend;
  /** Static Unified Model only: the KDF party information (default {@link staticUnifiedKdfParties}). */
  kdfParties?: KdfPartiesFunction | undefined;
}

/** The A-XDR encoding of the five leading fields, which general-ciphering adds to the AAD (after SC ‖ AK). */
function generalCipheringAad(f: GeneralCipheringFields): Uint8Array<ArrayBuffer> {
  const w = new Writer(64);
  writeOctetString(w, f.transactionId);
  writeOctetString(w, f.originatorSystemTitle);
  writeOctetString(w, f.recipientSystemTitle);
  writeOctetString(w, f.dateTime);
  writeOctetString(w, f.otherInformation);
  return w.finish();
}

/**
 * Protects any APDU as general-ciphering (tag 221). The AAD under authentication is
 * SC ‖ AK ‖ transaction-id ‖ originator-system-title ‖ recipient-system-title ‖ date-time ‖ other-information,
 * each field A-XDR encoded (length and value), as IEC 62056-5-3 specifies; IV = originator ST ‖ IC.
 */
export function protectGeneralCiphering(
  plain: Uint8Array,
  options: GeneralCipheringProtectOptions,
): Uint8Array<ArrayBuffer> {
  assertBytes(plain, 'plain');
  const suite = checkSuite(options.suite ?? 0);
  const klen = keyLengthFor(suite);
  const ki = options.keyInfo;
  let broadcast = options.broadcastKey ?? false;
  let key: Uint8Array | undefined;
  let keyInfo: KeyInfo | undefined;
  if (ki === undefined) {
    key = broadcast ? options.bek : options.ek;
  } else if (ki.type === 'identified-key') {
    if (ki.keyId !== 0 && ki.keyId !== 1)
      throw new DlmsError('INVALID_ARGUMENT', 'identified keyId must be 0 or 1');
    broadcast = ki.keyId === 1;
    key = broadcast ? options.bek : options.ek;
    keyInfo = { type: 'identified-key', keyId: ki.keyId };
  } else if (ki.type === 'wrapped-key') {
    if (options.kek === undefined) throw new DlmsError('INVALID_ARGUMENT', 'wrapped-key needs "kek"');
    assertBytes(ki.key, 'keyInfo.key', klen);
    key = ki.key;
    keyInfo = { type: 'wrapped-key', kekId: 0, keyCipheredData: wrapKey(options.kek, ki.key) };
  } else if (ki.type === 'agreed-key' && ki.scheme === 'static-unified') {
    if (suite === 0) throw new DlmsError('INVALID_ARGUMENT', 'agreed-key needs security suite 1 or 2');
    if (options.transactionId.length < STATIC_UNIFIED_MIN_NONCE_LENGTH) {
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `the Static Unified Model uses the transaction-id as its nonce: at least ${STATIC_UNIFIED_MIN_NONCE_LENGTH} fresh random bytes`,
      );
    }
    key = agreeKey(
      suite,
      ki.secretKey,
      ki.recipientPublicKey,
      (options.kdfParties ?? staticUnifiedKdfParties)(options),
    );
    keyInfo = {
      type: 'agreed-key',
      keyParameters: Uint8Array.of(AGREED_KEY_PARAMETERS['static-unified']),
      keyCipheredData: new Uint8Array(0),
    };
  } else if (ki.type === 'agreed-key') {
    if (suite === 0) throw new DlmsError('INVALID_ARGUMENT', 'agreed-key needs security suite 1 or 2');
    if (ki.scheme !== undefined && ki.scheme !== 'one-pass-diffie-hellman') {
      throw new DlmsError('INVALID_ARGUMENT', `unknown agreed-key scheme ${JSON.stringify(ki.scheme)}`);
    }
    const ephemeral = ki.ephemeralSecretKey ?? eccKeyPair(suite).secretKey;
    const q = eccPublicKey(suite, ephemeral);
    key = agreeKey(suite, ephemeral, ki.recipientPublicKey, {
      partyUInfo: options.originatorSystemTitle,
      partyVInfo: options.recipientSystemTitle,
    });
    const signature = ecdsaSign(suite, ki.signingKey, q);
    keyInfo = {
      type: 'agreed-key',
      keyParameters: Uint8Array.of(AGREED_KEY_PARAMETERS['one-pass-diffie-hellman']),
      keyCipheredData: concat(q, signature),
    };
  } else {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `unsupported key-info ${JSON.stringify((ki as { type: unknown }).type)}`,
    );
  }
  if (key === undefined) throw new DlmsError('INVALID_ARGUMENT', broadcast ? 'needs "bek"' : 'needs "ek"');
  assertBytes(key, 'encryption key', klen);
  const sc = securityControlFor(options.policy, suite, broadcast);
  if (sc.authenticated) assertBytes(options.ak, 'ak', klen);
  assertBytes(options.originatorSystemTitle, 'originatorSystemTitle', SYSTEM_TITLE_LENGTH);
  assertBytes(options.transactionId, 'transactionId');
  assertBytes(options.recipientSystemTitle, 'recipientSystemTitle');
  assertU32(options.invocationCounter, 'invocationCounter');
  const fields: GeneralCipheringFields = {
    transactionId: options.transactionId,
    originatorSystemTitle: options.originatorSystemTitle,
    recipientSystemTitle: options.recipientSystemTitle,
    dateTime: options.dateTime ?? new Uint8Array(0),
    otherInformation: options.otherInformation ?? new Uint8Array(0),
    keyInfo,
  };
  assertBytes(fields.dateTime, 'dateTime');
  assertBytes(fields.otherInformation, 'otherInformation');
  const scByte = encodeSecurityControl(sc);
  const nonce = iv(options.originatorSystemTitle, options.invocationCounter);
  const body = sealBody(
    plain,
    scByte,
    options.policy,
    key,
    options.ak,
    nonce,
    generalCipheringAad(fields),
    options.backend ?? defaultBackend,
  );
  const w = new Writer(64);
  w.u8(GENERAL_CIPHERING);
  writeGeneralCipheringFields(w, fields);
  return finishEnvelope(w.finish(), scByte, options.invocationCounter, body);
}

function parseContent(r: Reader, content: Uint8Array, start: number, allowNone: boolean): CipheredContent {
  if (content.length < 5)
    r.fail(`ciphered content of ${content.length} byte(s) has no security header`, start);
  const securityControl = decodeSecurityControl(content[0]!);
  const invocationCounter = new DataView(content.buffer, content.byteOffset, 5).getUint32(1);
  const t = securityControl.authenticated ? DLMS_TAG_LENGTH : 0;
  if (content.length < 5 + t)
    r.fail(`ciphered content of ${content.length} byte(s) has no room for its tag`, start);
  if (!allowNone && !securityControl.authenticated && !securityControl.encrypted) {
    r.fail('security control has neither authentication nor encryption set', start);
  }
  return {
    securityControl,
    invocationCounter,
    payload: content.subarray(5, content.length - t),
    authTag: content.subarray(content.length - t),
  };
}

/**
 * `allowNone`: general-ciphering may carry SC 0x00 — a protection layer for a party to which nothing is
 * applied (Green Book 9.2.7.3, multi-layer protection); everywhere else SC must set A or E.
 */
function readContent(r: Reader, allowNone = false): CipheredContent {
  const n = r.length('ciphered-content length');
  const start = r.pos;
  const content = r.bytes(n, 'ciphered-content');
  return parseContent(r, content, start, allowNone);
}

/**
 * Parses a ciphered APDU's envelope without any key: kind, service, system title (general-*), security
 * header, payload and tag — so that tools can show it before decryption. Truncated input is `INCOMPLETE`;
 * an unknown tag, a too-short content or trailing bytes are `MALFORMED`.
 */
export function decodeCipheredApdu(bytes: Uint8Array, base = 0): CipheredApdu {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 0, bytes.length, base);
  const tagAt = r.pos;
  const tag = r.u8('tag');
  let out: CipheredApdu;
  const svc = cipheredServiceOf(tag);
  if (svc !== undefined) {
    const content = withPath(`${svc.scope}-${svc.service.name}`, () => readContent(r));
    out = { kind: svc.scope, tag, service: svc.service.name, ...content };
  } else if (tag === GENERAL_GLO_CIPHERING || tag === GENERAL_DED_CIPHERING) {
    const kind = tag === GENERAL_GLO_CIPHERING ? 'general-glo' : 'general-ded';
    out = withPath(`${kind}-ciphering`, () => {
      const systemTitle = withPath('system-title', () => readOctetString(r, 'system-title'));
      const content = withPath('ciphered-content', () => readContent(r));
      return { kind, tag, systemTitle, ...content };
    });
  } else if (tag === GENERAL_CIPHERING) {
    out = withPath('general-ciphering', () => {
      const fields = readGeneralCipheringFields(r);
      const content = withPath('ciphered-content', () => readContent(r, true));
      return { kind: 'general-ciphering' as const, tag, ...fields, ...content };
    });
  } else {
    return r.fail(`tag 0x${tag.toString(16).padStart(2, '0')} is not a ciphered APDU`, tagAt);
  }
  r.expectEnd('ciphered APDU');
  return out;
}

/** Writes a parsed ciphered APDU back to bytes (the inverse of {@link decodeCipheredApdu}). */
export function encodeCipheredApdu(apdu: CipheredApdu): Uint8Array<ArrayBuffer> {
  const w = new Writer(apdu.payload.length + 64);
  w.u8(apdu.tag);
  if (apdu.kind === 'general-glo' || apdu.kind === 'general-ded') writeOctetString(w, apdu.systemTitle);
  if (apdu.kind === 'general-ciphering') writeGeneralCipheringFields(w, apdu);
  assertU32(apdu.invocationCounter, 'invocationCounter');
  const sc = encodeSecurityControl(apdu.securityControl);
  w.length(5 + apdu.payload.length + apdu.authTag.length);
  w.u8(sc).u32(apdu.invocationCounter).bytes(apdu.payload).bytes(apdu.authTag);
  return w.finish();
}

/**
 * Verifies and deciphers a glo-, ded-, general-glo-, general-ded- or general-ciphering APDU. Any integrity
 * failure (wrong key, tampered header, payload or tag, wrong system title, a policy or suite not accepted)
 * is `AUTHENTICATION_FAILED` with one opaque message; a structurally bad envelope is `MALFORMED`, a
 * truncated one `INCOMPLETE`. general-ciphering with an agreed key supports One-Pass Diffie-Hellman
 * and the Static Unified Model (suites 1/2, `keys.agreement`; a bad signature on the ephemeral key is
 * `AUTHENTICATION_FAILED`; other key-parameters are `UNSUPPORTED`); a general-ciphering layer with no protection (SC 0x00) is refused like any other policy
 * not accepted — read its payload with {@link decodeCipheredApdu}.
 */
export function unprotectApdu(
  bytes: Uint8Array,
  keys: SecurityKeys,
  options: UnprotectOptions = {},
): UnprotectResult {
  if (typeof keys !== 'object' || keys === null) {
    throw new DlmsError('INVALID_ARGUMENT', '"keys" must be an object { ek, ak?, dk?, bek?, kek? }');
  }
  assertBytes(keys.ek, 'keys.ek');
  if (typeof options !== 'object' || options === null) {
    throw new DlmsError('INVALID_ARGUMENT', '"options" must be an object');
  }
  const apdu = decodeCipheredApdu(bytes);
  const sc = apdu.securityControl;
  // Header checks that need no key. They fail as AUTHENTICATION_FAILED: the header is authenticated data,
  // and a header we would not accept is indistinguishable from a tampered one.
  const policy = policyOf(sc);
  if (policy === undefined || !(options.acceptPolicies ?? DEFAULT_POLICIES).includes(policy)) {
    throw authenticationFailed();
  }
  if (sc.suite !== (options.suite ?? 0)) throw authenticationFailed();
  let systemTitle: Uint8Array;
  let key: Uint8Array | undefined;
  let aadExtra: Uint8Array = new Uint8Array(0);
  if (apdu.kind === 'glo' || apdu.kind === 'ded') {
    if (options.systemTitle === undefined) {
      throw new DlmsError('INVALID_ARGUMENT', `${apdu.kind}-ciphered APDUs need the sender's "systemTitle"`);
    }
    systemTitle = options.systemTitle;
    key = apdu.kind === 'ded' ? keys.dk : sc.broadcastKey ? keys.bek : keys.ek;
  } else {
    const carried =
      apdu.kind === 'general-ciphering'
        ? apdu.originatorSystemTitle
        : (apdu as { systemTitle: Uint8Array }).systemTitle;
    if (carried.length !== SYSTEM_TITLE_LENGTH) {
      throw new DlmsError('MALFORMED', `system title must be 8 bytes, got ${carried.length}`, {
        offset: carried.byteOffset - bytes.byteOffset,
        path: [
          apdu.kind === 'general-ciphering' ? 'general-ciphering' : `${apdu.kind}-ciphering`,
          apdu.kind === 'general-ciphering' ? 'originator-system-title' : 'system-title',
        ],
      });
    }
    if (options.systemTitle !== undefined && !constantTimeEqual(options.systemTitle, carried)) {
      throw authenticationFailed();
    }
    systemTitle = carried;
    if (apdu.kind === 'general-ciphering') {
      aadExtra = generalCipheringAad(apdu);
      key = generalCipheringKey(apdu.keyInfo, sc.broadcastKey, keys, sc.suite, apdu, options.kdfParties);
    } else {
      key = apdu.kind === 'general-ded' ? keys.dk : sc.broadcastKey ? keys.bek : keys.ek;
    }
  }
  assertBytes(systemTitle, 'systemTitle', SYSTEM_TITLE_LENGTH);
  // A key set we hold no key for (e.g. a flipped key-set bit) cannot authenticate.
  if (key === undefined) throw authenticationFailed();
  const klen = keyLengthFor(sc.suite);
  assertBytes(key, 'encryption key', klen);
  const backend = options.backend ?? defaultBackend;
  const nonce = iv(systemTitle, apdu.invocationCounter);
  const plain = openBody(apdu, encodeSecurityControl(sc), key, keys.ak, nonce, aadExtra, backend);
  if (sc.compressed) {
    // Checked only now: under the policies with authentication the SC is in the AAD, so a flipped
    // compression bit fails authentication above rather than landing here.
    throw new DlmsError('UNSUPPORTED', 'compressed ciphered content is not supported');
  }
  if (apdu.kind === 'glo' || apdu.kind === 'ded') {
    const expected = cipheredServiceOf(apdu.tag)!.service.plain;
    if (plain[0] !== expected) {
      throw new DlmsError(
        'MALFORMED',
        `${apdu.kind}-${apdu.service} must carry an APDU with tag 0x${expected.toString(16)}`,
        { offset: 0 },
      );
    }
  }
  options.counterCheck?.(apdu.invocationCounter, systemTitle);
  const result: UnprotectResult = {
    plain,
    securityControl: sc,
    invocationCounter: apdu.invocationCounter,
    systemTitle,
    kind: apdu.kind,
  };
  if (apdu.kind === 'general-ciphering') {
    const {
      kind: _k,
      tag: _t,
      securityControl: _s,
      invocationCounter: _i,
      payload: _p,
      authTag: _a,
      ...fields
    } = apdu;
    result.generalCiphering = fields;
  }
  return result;
}

/** The content key named by general-ciphering's key-info (undefined when we hold no such key). */
function generalCipheringKey(
  keyInfo: KeyInfo | undefined,
  broadcast: boolean,
  keys: SecurityKeys,
  suite: number,
  fields: GeneralCipheringFields,
  kdfParties: KdfPartiesFunction | undefined,
): Uint8Array | undefined {
  if (keyInfo === undefined) return broadcast ? keys.bek : keys.ek;
  switch (keyInfo.type) {
    case 'identified-key':
      if (keyInfo.keyId === 0) return keys.ek;
      if (keyInfo.keyId === 1) return keys.bek;
      return undefined;
    case 'wrapped-key':
      if (keyInfo.kekId !== 0 || keys.kek === undefined) return undefined;
      return unwrapKey(keys.kek, keyInfo.keyCipheredData);
    case 'agreed-key':
      return agreedKey(keyInfo, suite, keys, fields, kdfParties);
  }
}

function agreedKey(
  keyInfo: Extract<KeyInfo, { type: 'agreed-key' }>,
  suite: number,
  keys: SecurityKeys,
  fields: GeneralCipheringFields,
  kdfParties: KdfPartiesFunction | undefined,
): Uint8Array | undefined {
  const p = keyInfo.keyParameters;
  if (p.length === 1 && p[0] === AGREED_KEY_PARAMETERS['one-pass-diffie-hellman'])
    return onePassDhKey(keyInfo, suite, keys, fields);
  if (p.length === 1 && p[0] === AGREED_KEY_PARAMETERS['static-unified'])
    return staticUnifiedKey(keyInfo, suite, keys, fields, kdfParties);
  throw new DlmsError(
    'UNSUPPORTED',
    'agreed-key: key-parameters must be 01 (One-Pass Diffie-Hellman) or 02 (Static Unified Model)',
  );
}

/**
 * Static Unified Model C(0e, 2s): Z = ECDH(recipient's static key, originator's static public key); the
 * content key is KDF(Z, AlgorithmID, {@link staticUnifiedKdfParties}). key-ciphered-data must be empty
 * (nothing ephemeral travels). The KDF is the one verified against Green Book Table C.2; the OtherInfo
 * layout of this scheme is not (see {@link staticUnifiedKdfParties}).
 */
function staticUnifiedKey(
  keyInfo: Extract<KeyInfo, { type: 'agreed-key' }>,
  suite: number,
  keys: SecurityKeys,
  fields: GeneralCipheringFields,
  kdfParties: KdfPartiesFunction | undefined,
): Uint8Array | undefined {
  if (suite !== 1 && suite !== 2) return undefined;
  const a = keys.agreement;
  if (a?.originatorAgreementPublicKey === undefined) return undefined;
  if (keyInfo.keyCipheredData.length !== 0) return undefined;
  if (fields.transactionId.length < STATIC_UNIFIED_MIN_NONCE_LENGTH) return undefined;
  return agreeKey(
    suite,
    a.secretKey,
    a.originatorAgreementPublicKey,
    (kdfParties ?? staticUnifiedKdfParties)(fields),
  );
}

/**
 * One-Pass Diffie-Hellman C(1e, 1s) as carried by general-ciphering's agreed-key (key-parameters 0x01):
 * key-ciphered-data = Q_e,U (the originator's ephemeral public key, FE2OS(x) ‖ FE2OS(y)) ‖ its ECDSA
 * signature with the originator's signing key; Z = ECDH(recipient's static key, Q_e,U); the content key is
 * KDF(Z, AlgorithmID, PartyUInfo = originator system title, PartyVInfo = recipient system title), as in
 * Green Book Table C.2. The KDF is verified against that table; this APDU layout (and what exactly is
 * signed) has **not** been checked against a published APDU example.
 */
function onePassDhKey(
  keyInfo: Extract<KeyInfo, { type: 'agreed-key' }>,
  suite: number,
  keys: SecurityKeys,
  fields: GeneralCipheringFields,
): Uint8Array | undefined {
  if (suite !== 1 && suite !== 2) return undefined;
  const a = keys.agreement;
  if (a?.originatorSigningPublicKey === undefined) return undefined;
  const l = coordinateLength(suite);
  const data = keyInfo.keyCipheredData;
  if (data.length !== 4 * l) return undefined;
  const q = data.subarray(0, 2 * l);
  ecdsaVerify(suite, a.originatorSigningPublicKey, q, data.subarray(2 * l));
  return agreeKey(suite, a.secretKey, q, {
    partyUInfo: fields.originatorSystemTitle,
    partyVInfo: fields.recipientSystemTitle,
  });
}
