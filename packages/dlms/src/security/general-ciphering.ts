/**
 * general-ciphering (tag 221, 0xDD), IEC 62056-5-3 xDLMS-APDU:
 *
 * ```asn1
 * General-Ciphering ::= SEQUENCE {
 *   transaction-id           OCTET STRING,
 *   originator-system-title  OCTET STRING,
 *   recipient-system-title   OCTET STRING,
 *   date-time                OCTET STRING,
 *   other-information        OCTET STRING,
 *   key-info                 Key-Info OPTIONAL,
 *   ciphered-content         OCTET STRING
 * }
 * Key-Info ::= CHOICE {
 *   identified-key [0] Identified-Key,
 *   wrapped-key    [1] Wrapped-Key,
 *   agreed-key     [2] Agreed-Key
 * }
 * Identified-Key ::= SEQUENCE { key-id Key-Id }
 * Key-Id ::= ENUMERATED { global-unicast-encryption-key (0), global-broadcast-encryption-key (1) }
 * Wrapped-Key ::= SEQUENCE { kek-id Kek-Id, key-ciphered-data OCTET STRING }
 * Kek-Id ::= ENUMERATED { master-key (0) }
 * Agreed-Key ::= SEQUENCE { key-parameters OCTET STRING, key-ciphered-data OCTET STRING }
 * ```
 *
 * A-XDR: each OCTET STRING is a length then its bytes; OPTIONAL is a 0x00 (absent) / 0x01 (present) byte;
 * a CHOICE is its tag number as one byte; an ENUMERATED is one byte. The ciphered-content is the security
 * header (SC ‖ IC) followed by the ciphertext (and the 12-byte tag when authenticated).
 *
 * This module encodes and decodes the structure. Unprotecting its content needs the key named by key-info
 * (identified keys and AES-wrapped keys; agreed keys need suite 1/2 key agreement, see the report).
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';

export type KeyInfo =
  | { type: 'identified-key'; keyId: number }
  | { type: 'wrapped-key'; kekId: number; keyCipheredData: Uint8Array }
  | { type: 'agreed-key'; keyParameters: Uint8Array; keyCipheredData: Uint8Array };

export interface GeneralCipheringFields {
  transactionId: Uint8Array;
  originatorSystemTitle: Uint8Array;
  recipientSystemTitle: Uint8Array;
  dateTime: Uint8Array;
  otherInformation: Uint8Array;
  keyInfo?: KeyInfo | undefined;
}

export function readOctetString(r: Reader, what: string): Uint8Array {
  const n = r.length(what);
  return r.bytes(n, what);
}

export function writeOctetString(w: Writer, b: Uint8Array): void {
  w.length(b.length).bytes(b);
}

/** Reads the fields before ciphered-content (the reader is positioned just after the 0xDD tag). */
export function readGeneralCipheringFields(r: Reader): GeneralCipheringFields {
  const transactionId = withPath('transaction-id', () => readOctetString(r, 'transaction-id'));
  const originatorSystemTitle = withPath('originator-system-title', () =>
    readOctetString(r, 'originator-system-title'),
  );
  const recipientSystemTitle = withPath('recipient-system-title', () =>
    readOctetString(r, 'recipient-system-title'),
  );
  const dateTime = withPath('date-time', () => readOctetString(r, 'date-time'));
  const otherInformation = withPath('other-information', () => readOctetString(r, 'other-information'));
  const keyInfo = withPath('key-info', () => readKeyInfo(r));
  return { transactionId, originatorSystemTitle, recipientSystemTitle, dateTime, otherInformation, keyInfo };
}

function readKeyInfo(r: Reader): KeyInfo | undefined {
  const at = r.pos;
  const present = r.u8('key-info presence');
  if (present === 0) return undefined;
  if (present !== 1) r.fail(`OPTIONAL presence flag must be 0 or 1, got ${present}`, at);
  const choiceAt = r.pos;
  const choice = r.u8('key-info choice');
  switch (choice) {
    case 0:
      return withPath('identified-key', () => ({ type: 'identified-key', keyId: r.u8('key-id') }));
    case 1:
      return withPath('wrapped-key', () => {
        const kekId = r.u8('kek-id');
        const keyCipheredData = withPath('key-ciphered-data', () => readOctetString(r, 'key-ciphered-data'));
        return { type: 'wrapped-key', kekId, keyCipheredData };
      });
    case 2:
      return withPath('agreed-key', () => {
        const keyParameters = withPath('key-parameters', () => readOctetString(r, 'key-parameters'));
        const keyCipheredData = withPath('key-ciphered-data', () => readOctetString(r, 'key-ciphered-data'));
        return { type: 'agreed-key', keyParameters, keyCipheredData };
      });
    default:
      return r.fail(`unknown Key-Info choice ${choice}`, choiceAt);
  }
}

export function writeGeneralCipheringFields(w: Writer, f: GeneralCipheringFields): void {
  writeOctetString(w, f.transactionId);
  writeOctetString(w, f.originatorSystemTitle);
  writeOctetString(w, f.recipientSystemTitle);
  writeOctetString(w, f.dateTime);
  writeOctetString(w, f.otherInformation);
  const k = f.keyInfo;
  if (k === undefined) {
    w.u8(0);
    return;
  }
  w.u8(1);
  switch (k.type) {
    case 'identified-key':
      w.u8(0).u8(enumByte(k.keyId, 'keyId'));
      return;
    case 'wrapped-key':
      w.u8(1).u8(enumByte(k.kekId, 'kekId'));
      writeOctetString(w, k.keyCipheredData);
      return;
    case 'agreed-key':
      w.u8(2);
      writeOctetString(w, k.keyParameters);
      writeOctetString(w, k.keyCipheredData);
      return;
    default:
      throw new DlmsError('INVALID_ARGUMENT', `unknown key-info type ${JSON.stringify((k as KeyInfo).type)}`);
  }
}

function enumByte(v: number, title: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) {
    throw new DlmsError('INVALID_ARGUMENT', `"${title}" must be an ENUMERATED value 0..255, got ${v}`);
  }
  return v;
}
