/**
 * general-signing (tag 223, 0xDF), IEC 62056-5-3 xDLMS-APDU, with the ECDSA of suites 1 and 2:
 *
 * ```asn1
 * General-Signing ::= SEQUENCE {
 *   transaction-id           OCTET STRING,
 *   originator-system-title  OCTET STRING,
 *   recipient-system-title   OCTET STRING,
 *   date-time                OCTET STRING,
 *   other-information        OCTET STRING,
 *   content                  OCTET STRING,
 *   signature                OCTET STRING
 * }
 * ```
 *
 * Each field is an A-XDR OCTET STRING (length ‖ value). The Green Book states that the length and the value of
 * each field contribute to the signature; this implementation signs the APDU's bytes from the 0xDF tag up to
 * the end of the content field (its figure of the signed part starts at the tag). **Not verified against a
 * published example** — check against a meter before relying on it.
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { assertBytes } from './bytes.ts';
import { type AsymmetricSuite, ecdsaSign, ecdsaVerify } from './ecc.ts';
import { readOctetString, writeOctetString } from './general-ciphering.ts';
import { GENERAL_SIGNING } from './tags.ts';

export interface GeneralSigning {
  transactionId: Uint8Array;
  originatorSystemTitle: Uint8Array;
  recipientSystemTitle: Uint8Array;
  dateTime: Uint8Array;
  otherInformation: Uint8Array;
  /** The signed content (typically a plain or ciphered xDLMS APDU). */
  content: Uint8Array;
  /** R ‖ S (may be empty when the signature is not applied). */
  signature: Uint8Array;
}

const FIELDS = [
  ['transactionId', 'transaction-id'],
  ['originatorSystemTitle', 'originator-system-title'],
  ['recipientSystemTitle', 'recipient-system-title'],
  ['dateTime', 'date-time'],
  ['otherInformation', 'other-information'],
  ['content', 'content'],
] as const;

/** The signed part: 0xDF ‖ the six A-XDR OCTET STRINGs before the signature. */
function signedPart(g: Omit<GeneralSigning, 'signature'>): Writer {
  const w = new Writer(g.content.length + 64);
  w.u8(GENERAL_SIGNING);
  for (const [k, name] of FIELDS) {
    assertBytes(g[k], name);
    writeOctetString(w, g[k]);
  }
  return w;
}

export function encodeGeneralSigning(g: GeneralSigning): Uint8Array<ArrayBuffer> {
  const w = signedPart(g);
  assertBytes(g.signature, 'signature');
  writeOctetString(w, g.signature);
  return w.finish();
}

/** Parses a general-signing APDU (views into the input); truncated input is `INCOMPLETE`. */
export function decodeGeneralSigning(bytes: Uint8Array, base = 0): GeneralSigning {
  return decodeWithEnd(bytes, base).value;
}

function decodeWithEnd(bytes: Uint8Array, base: number): { value: GeneralSigning; signedEnd: number } {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 0, bytes.length, base);
  const tag = r.u8('tag');
  if (tag !== GENERAL_SIGNING) r.fail(`tag 0x${tag.toString(16)} is not general-signing (0xdf)`, 0);
  return withPath('general-signing', () => {
    const f: Partial<Record<(typeof FIELDS)[number][0], Uint8Array>> = {};
    for (const [k, name] of FIELDS) f[k] = withPath(name, () => readOctetString(r, name));
    const signedEnd = r.pos;
    const signature = withPath('signature', () => readOctetString(r, 'signature'));
    r.expectEnd('general-signing');
    return { value: { ...(f as Omit<GeneralSigning, 'signature'>), signature }, signedEnd };
  });
}

/** Builds and signs a general-signing APDU with the originator's private key. */
export function signGeneralSigning(
  fields: Omit<GeneralSigning, 'signature'>,
  suite: AsymmetricSuite,
  secretKey: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const w = signedPart(fields);
  const signed = w.finish();
  const signature = ecdsaSign(suite, secretKey, signed);
  const out = new Writer(signed.length + signature.length + 4);
  out.bytes(signed);
  writeOctetString(out, signature);
  return out.finish();
}

/**
 * Parses and verifies a general-signing APDU against the originator's public key; returns its fields.
 * A bad signature (or none) is `AUTHENTICATION_FAILED`.
 */
export function verifyGeneralSigning(
  bytes: Uint8Array,
  suite: AsymmetricSuite,
  publicKey: Uint8Array,
): GeneralSigning {
  const { value, signedEnd } = decodeWithEnd(bytes, 0);
  if (value.signature.length === 0) {
    throw new DlmsError('AUTHENTICATION_FAILED', 'authentication failed');
  }
  ecdsaVerify(suite, publicKey, bytes.subarray(0, signedEnd), value.signature);
  return value;
}
