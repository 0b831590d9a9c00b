/**
 * P-256 keys and certificates in their standard containers, built and parsed with asn1js:
 *
 * ```asn1
 * -- RFC 5208 / RFC 5958 (PKCS #8), RFC 5915 (ECPrivateKey), RFC 5480 (SPKI for EC)
 * PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), privateKeyAlgorithm AlgorithmIdentifier,
 *                               privateKey OCTET STRING -- DER of ECPrivateKey }
 * ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING (32 bytes),
 *                             parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 * -- algorithm: id-ecPublicKey 1.2.840.10045.2.1 with parameters prime256v1 1.2.840.10045.3.1.7
 * -- RFC 5280 X.509 v3, signed with ecdsa-with-SHA256 1.2.840.10045.4.3.2 (no parameters)
 * Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier,
 *                            signatureValue BIT STRING -- DER Ecdsa-Sig-Value }
 * ```
 *
 * @module
 */
import { p256 } from '@noble/curves/nist.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as asn1js from 'asn1js';
import { KeyfileError } from './errors.ts';
import { concat, fromBase64, toBase64, wipe } from './internal/bytes.ts';
import { SecretBytes } from './secret.ts';

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

const NAME_ATTRS: Record<string, string> = {
  CN: OID.commonName,
  C: OID.countryName,
  L: OID.localityName,
  ST: OID.stateOrProvinceName,
  O: OID.organizationName,
  OU: OID.organizationalUnitName,
};

/** A P-256 private key (32-byte scalar, kept as {@link SecretBytes}) and its uncompressed public key. */
export interface P256PrivateKey {
  readonly d: SecretBytes;
  /** Uncompressed point, 65 bytes (0x04 || X || Y). */
  readonly publicKey: Uint8Array;
}

function asBuf(b: Uint8Array): ArrayBuffer {
  return b.slice().buffer as ArrayBuffer;
}

function toDer(node: asn1js.BaseBlock): Uint8Array<ArrayBuffer> {
  return new Uint8Array(node.toBER(false));
}

/** asn1js adapter: parses DER, refuses errors and trailing bytes with BAD_CERTIFICATE / MALFORMED. */
export function parseDer(
  bytes: Uint8Array,
  what: string,
  code: 'MALFORMED' | 'BAD_CERTIFICATE' = 'MALFORMED',
): asn1js.AsnType {
  let r: ReturnType<typeof asn1js.fromBER>;
  try {
    r = asn1js.fromBER(bytes, {
      maxDepth: 32,
      maxNodes: 10_000,
      maxContentLength: bytes.length,
      parseEmbedded: false,
    });
  } catch (cause) {
    // asn1js throws (rather than reporting) on some bad values, e.g. a GeneralizedTime that is not a time
    throw new KeyfileError(code, `${what}: not DER`, { cause });
  }
  if (r.offset === -1) throw new KeyfileError(code, `${what}: ${r.result.error || 'not DER'}`);
  if (r.offset !== bytes.length)
    throw new KeyfileError(code, `${what}: trailing bytes`, { offset: r.offset });
  return r.result;
}

function seq(node: asn1js.AsnType, what: string, code: 'MALFORMED' | 'BAD_CERTIFICATE'): asn1js.BaseBlock[] {
  if (!(node instanceof asn1js.Sequence)) throw new KeyfileError(code, `${what}: expected SEQUENCE`);
  return node.valueBlock.value;
}

function oidOf(node: asn1js.BaseBlock | undefined): string | undefined {
  return node instanceof asn1js.ObjectIdentifier ? node.valueBlock.toString() : undefined;
}

function ecAlgorithm(): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: OID.ecPublicKey }),
      new asn1js.ObjectIdentifier({ value: OID.prime256v1 }),
    ],
  });
}

function checkEcAlgorithm(
  node: asn1js.BaseBlock | undefined,
  what: string,
  code: 'MALFORMED' | 'BAD_CERTIFICATE',
): void {
  const a = seq(node as asn1js.AsnType, what, code);
  if (oidOf(a[0]) !== OID.ecPublicKey || oidOf(a[1]) !== OID.prime256v1)
    throw new KeyfileError(code, `${what}: not a P-256 (prime256v1) EC key`);
}

function pem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with this label. */
export function fromPem(text: string, label: string): Uint8Array<ArrayBuffer> {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`);
  const m = re.exec(text);
  if (!m) throw new KeyfileError('INVALID_ARGUMENT', `no PEM block "${label}"`);
  return fromBase64(m[1]!.replace(/\s+/g, ''), `PEM ${label}`);
}

/** The uncompressed public key of a private scalar. */
export function publicKeyOf(d: Uint8Array): Uint8Array<ArrayBuffer> {
  return p256.getPublicKey(d, false) as Uint8Array<ArrayBuffer>;
}

/** A private key from its 32-byte scalar (validated). */
export function privateKeyFromScalar(d: Uint8Array): P256PrivateKey {
  if (d.length !== 32 || !p256.utils.isValidSecretKey(d))
    throw new KeyfileError('INVALID_ARGUMENT', 'not a valid P-256 private scalar');
  return { d: new SecretBytes(d), publicKey: publicKeyOf(d) };
}

/** PKCS#8 DER of a P-256 private key (ECPrivateKey version 1 with the public key, as OpenSSL writes it). */
export function encodePkcs8(key: P256PrivateKey): Uint8Array<ArrayBuffer> {
  const ec = toDer(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 1 }),
        new asn1js.OctetString({ valueHex: asBuf(key.d.reveal()) }),
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 1 },
          value: [new asn1js.BitString({ valueHex: asBuf(key.publicKey) })],
        }),
      ],
    }),
  );
  const out = toDer(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 0 }),
        ecAlgorithm(),
        new asn1js.OctetString({ valueHex: asBuf(ec) }),
      ],
    }),
  );
  wipe(ec);
  return out;
}

/** Reads a PKCS#8 DER P-256 private key (also accepts a bare RFC 5915 ECPrivateKey). */
export function decodePkcs8(der: Uint8Array): P256PrivateKey {
  const top = seq(parseDer(der, 'private key'), 'PKCS#8', 'MALFORMED');
  let ecDer: Uint8Array;
  if (top[1] instanceof asn1js.Sequence) {
    checkEcAlgorithm(top[1], 'PKCS#8 algorithm', 'MALFORMED');
    if (!(top[2] instanceof asn1js.OctetString)) throw new KeyfileError('MALFORMED', 'PKCS#8: no privateKey');
    ecDer = top[2].valueBlock.valueHexView;
  } else ecDer = der;
  const ec = seq(parseDer(ecDer, 'ECPrivateKey'), 'ECPrivateKey', 'MALFORMED');
  const d = ec[1];
  if (!(d instanceof asn1js.OctetString) || d.valueBlock.valueHexView.length !== 32)
    throw new KeyfileError('MALFORMED', 'ECPrivateKey: privateKey must be 32 bytes');
  const key = privateKeyFromScalar(d.valueBlock.valueHexView);
  return key;
}

/** SPKI DER of an uncompressed (65-byte) or compressed (33-byte) P-256 public key. */
export function encodeSpki(publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  const pt = normalizePublicKey(publicKey);
  return toDer(
    new asn1js.Sequence({ value: [ecAlgorithm(), new asn1js.BitString({ valueHex: asBuf(pt) })] }),
  );
}

/** The uncompressed form of a P-256 public key; refuses points not on the curve. */
export function normalizePublicKey(publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  try {
    return p256.Point.fromBytes(publicKey).toBytes(false) as Uint8Array<ArrayBuffer>;
  } catch (cause) {
    throw new KeyfileError('INVALID_ARGUMENT', 'not a P-256 public key', { cause });
  }
}

function spkiKey(
  node: asn1js.BaseBlock | undefined,
  code: 'MALFORMED' | 'BAD_CERTIFICATE',
): Uint8Array<ArrayBuffer> {
  const s = seq(node as asn1js.AsnType, 'SubjectPublicKeyInfo', code);
  checkEcAlgorithm(s[0], 'SubjectPublicKeyInfo algorithm', code);
  const bits = s[1];
  if (!(bits instanceof asn1js.BitString) || bits.valueBlock.unusedBits !== 0)
    throw new KeyfileError(code, 'SubjectPublicKeyInfo: bad BIT STRING');
  try {
    return normalizePublicKey(bits.valueBlock.valueHexView);
  } catch (cause) {
    throw new KeyfileError(code, 'SubjectPublicKeyInfo: not a point on P-256', { cause });
  }
}

/** Reads an SPKI DER P-256 public key (uncompressed result). */
export function decodeSpki(der: Uint8Array): Uint8Array<ArrayBuffer> {
  return spkiKey(parseDer(der, 'public key') as asn1js.BaseBlock, 'MALFORMED');
}

export function privateKeyToPem(key: P256PrivateKey): string {
  const der = encodePkcs8(key);
  const out = pem('PRIVATE KEY', der);
  wipe(der);
  return out;
}

export function publicKeyToPem(publicKey: Uint8Array): string {
  return pem('PUBLIC KEY', encodeSpki(publicKey));
}

/** Reads a PKCS#8 ("PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY") PEM. */
export function privateKeyFromPem(text: string): P256PrivateKey {
  const label = text.includes('-----BEGIN EC PRIVATE KEY-----') ? 'EC PRIVATE KEY' : 'PRIVATE KEY';
  const der = fromPem(text, label);
  try {
    return decodePkcs8(der);
  } finally {
    wipe(der);
  }
}

/** Reads an SPKI ("PUBLIC KEY") PEM, or takes the public key of a certificate PEM. */
export function publicKeyFromPem(text: string): Uint8Array<ArrayBuffer> {
  if (text.includes('-----BEGIN CERTIFICATE-----'))
    return parseCertificate(fromPem(text, 'CERTIFICATE')).publicKey;
  return decodeSpki(fromPem(text, 'PUBLIC KEY'));
}

/** Key identifier used in key files: SHA-256 of the SPKI DER of the public key. */
export function keyId(publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return sha256(encodeSpki(publicKey)) as Uint8Array<ArrayBuffer>;
}

/** ECDSA P-256 / SHA-256, raw r||s (64 bytes, IEEE P1363), deterministic (RFC 6979). */
export function signP256(message: Uint8Array, key: P256PrivateKey): Uint8Array<ArrayBuffer> {
  return p256.sign(message, key.d.reveal(), { prehash: true, lowS: false }) as Uint8Array<ArrayBuffer>;
}

/** Verifies a raw r||s (64 bytes) or DER ECDSA P-256 / SHA-256 signature. High S is accepted (as X.509 does). */
export function verifyP256(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const format = signature.length === 64 ? 'compact' : 'der';
    return p256.verify(signature, message, publicKey, { prehash: true, lowS: false, format });
  } catch {
    return false;
  }
}

/** Parsed fields of an X.509 certificate that the key file uses. */
export interface Certificate {
  der: Uint8Array;
  /** The subject as "CN=…, O=…" (attributes in certificate order). */
  subject: string;
  issuer: string;
  /** The subject's common name, if any. */
  commonName: string | undefined;
  /** Serial number, uppercase hex without the DER sign byte. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** The subject's P-256 public key, uncompressed. */
  publicKey: Uint8Array<ArrayBuffer>;
  /** DER of tbsCertificate and the signature, to check the issuer's signature. */
  tbs: Uint8Array;
  signature: Uint8Array;
  /** True when issuer equals subject and the certificate's signature verifies under its own key. */
  selfSigned: boolean;
}

function nameToString(node: asn1js.BaseBlock | undefined): { text: string; cn: string | undefined } {
  const rdns = seq(node as asn1js.AsnType, 'Name', 'BAD_CERTIFICATE');
  const parts: string[] = [];
  let cn: string | undefined;
  const short = Object.fromEntries(Object.entries(NAME_ATTRS).map(([k, v]) => [v, k]));
  for (const rdn of rdns) {
    if (!(rdn instanceof asn1js.Set)) throw new KeyfileError('BAD_CERTIFICATE', 'Name: expected SET');
    for (const atv of rdn.valueBlock.value) {
      const [t, v] = seq(atv as asn1js.AsnType, 'AttributeTypeAndValue', 'BAD_CERTIFICATE');
      const oid = oidOf(t) ?? '?';
      const value = (v as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
      const text = typeof value === 'string' ? value : '?';
      if (oid === OID.commonName && cn === undefined) cn = text;
      parts.push(`${short[oid] ?? oid}=${text}`);
    }
  }
  return { text: parts.join(', '), cn };
}

function timeOf(node: asn1js.BaseBlock | undefined): Date {
  if (node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) {
    const d = node.toDate();
    if (Number.isNaN(d.getTime())) throw new KeyfileError('BAD_CERTIFICATE', 'Validity: not a valid time');
    return d;
  }
  throw new KeyfileError('BAD_CERTIFICATE', 'Validity: expected UTCTime or GeneralizedTime');
}

function serialHex(v: Uint8Array): string {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++; // the sign byte of a positive INTEGER is not part of the number
  return Array.from(v.subarray(i), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/** Parses an X.509 certificate (DER) carrying a P-256 key. */
export function parseCertificate(der: Uint8Array): Certificate {
  const top = seq(parseDer(der, 'certificate', 'BAD_CERTIFICATE'), 'Certificate', 'BAD_CERTIFICATE');
  if (top.length !== 3) throw new KeyfileError('BAD_CERTIFICATE', 'Certificate: expected 3 elements');
  const tbsNode = top[0]!;
  const tbs = seq(tbsNode as asn1js.AsnType, 'TBSCertificate', 'BAD_CERTIFICATE');
  let i = 0;
  if (tbs[0]?.idBlock.tagClass === 3 && tbs[0].idBlock.tagNumber === 0) i = 1; // [0] version
  const serial = tbs[i];
  if (!(serial instanceof asn1js.Integer)) throw new KeyfileError('BAD_CERTIFICATE', 'no serialNumber');
  const issuer = nameToString(tbs[i + 2]);
  const validity = seq(tbs[i + 3] as asn1js.AsnType, 'Validity', 'BAD_CERTIFICATE');
  const subject = nameToString(tbs[i + 4]);
  const publicKey = spkiKey(tbs[i + 5], 'BAD_CERTIFICATE');
  const sigAlg = seq(top[1] as asn1js.AsnType, 'signatureAlgorithm', 'BAD_CERTIFICATE');
  if (oidOf(sigAlg[0]) !== OID.ecdsaWithSha256)
    throw new KeyfileError('BAD_CERTIFICATE', 'certificate not signed with ecdsa-with-SHA256');
  const sigBits = top[2];
  if (!(sigBits instanceof asn1js.BitString)) throw new KeyfileError('BAD_CERTIFICATE', 'bad signatureValue');
  const tbsDer = new Uint8Array(tbsNode.valueBeforeDecodeView);
  const signature = Uint8Array.from(sigBits.valueBlock.valueHexView);
  const selfSigned = issuer.text === subject.text && verifyP256(signature, tbsDer, publicKey);
  return {
    der: Uint8Array.from(der),
    subject: subject.text,
    issuer: issuer.text,
    commonName: subject.cn,
    serialNumber: serialHex(serial.valueBlock.valueHexView),
    notBefore: timeOf(validity[0]),
    notAfter: timeOf(validity[1]),
    publicKey,
    tbs: tbsDer,
    signature,
    selfSigned,
  };
}

function parseDn(dn: string): asn1js.Sequence {
  const rdns: asn1js.Set[] = [];
  for (const part of dn.split(/,(?=\s*[A-Za-z]+=)/)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim();
    const oid = NAME_ATTRS[key];
    if (eq < 0 || !oid || value === '')
      throw new KeyfileError('INVALID_ARGUMENT', `cannot read "${part}" in a DN`);
    const v = key === 'C' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    rdns.push(
      new asn1js.Set({
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), v] })],
      }),
    );
  }
  return new asn1js.Sequence({ value: rdns });
}

function x509Time(d: Date): asn1js.BaseBlock {
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050
    ? new asn1js.UTCTime({ valueDate: d })
    : new asn1js.GeneralizedTime({ valueDate: d });
}

function positiveInteger(bytes: Uint8Array): asn1js.Integer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let v = bytes.subarray(i);
  if (v[0]! & 0x80) v = concat(new Uint8Array([0]), v);
  return new asn1js.Integer({ valueHex: asBuf(v) });
}

export interface SelfSignedOptions {
  /** Distinguished name, e.g. "CN=Maker Ltd key file signer, O=Maker Ltd, C=IN". */
  subject: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Certificate serial number bytes (default: 16 bytes from SHA-256 of the public key and time). */
  serialNumber?: Uint8Array;
}

/** A self-signed X.509 v3 certificate (DER) for a P-256 key: digitalSignature, not a CA. */
export function selfSignedCertificate(
  key: P256PrivateKey,
  options: SelfSignedOptions,
): Uint8Array<ArrayBuffer> {
  const notBefore = options.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 5 * 365 * 86_400_000);
  const spki = encodeSpki(key.publicKey);
  const serial =
    options.serialNumber ??
    sha256(concat(spki, new TextEncoder().encode(notBefore.toISOString()))).subarray(0, 16);
  const skid = sha1(key.publicKey); // RFC 5280 §4.2.1.2 method (1)
  const ext = (oid: string, critical: boolean, value: asn1js.BaseBlock): asn1js.Sequence =>
    new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: oid }),
        ...(critical ? [new asn1js.Boolean({ value: true })] : []),
        new asn1js.OctetString({ valueHex: toDer(value).buffer }),
      ],
    });
  const name = parseDn(options.subject);
  const tbs = new asn1js.Sequence({
    value: [
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Integer({ value: 2 })],
      }),
      positiveInteger(serial),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.ecdsaWithSha256 })] }),
      name,
      new asn1js.Sequence({ value: [x509Time(notBefore), x509Time(notAfter)] }),
      parseDn(options.subject),
      parseDer(spki, 'spki') as asn1js.BaseBlock,
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 3 },
        value: [
          new asn1js.Sequence({
            value: [
              ext(OID.basicConstraints, true, new asn1js.Sequence({ value: [] })),
              // keyUsage: digitalSignature (bit 0) only: BIT STRING 03 02 07 80
              ext(
                OID.keyUsage,
                true,
                new asn1js.BitString({ valueHex: new Uint8Array([0x80]).buffer, unusedBits: 7 }),
              ),
              ext(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: asBuf(skid) })),
            ],
          }),
        ],
      }),
    ],
  });
  const tbsDer = toDer(tbs);
  const sig = p256.sign(tbsDer, key.d.reveal(), { prehash: true, format: 'der' });
  return toDer(
    new asn1js.Sequence({
      value: [
        parseDer(tbsDer, 'tbs') as asn1js.BaseBlock,
        new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.ecdsaWithSha256 })] }),
        new asn1js.BitString({ valueHex: asBuf(sig) }),
      ],
    }),
  );
}

export function certificateToPem(der: Uint8Array): string {
  return pem('CERTIFICATE', der);
}

export function certificateFromPem(text: string): Certificate {
  return parseCertificate(fromPem(text, 'CERTIFICATE'));
}

/** What `generateKeyPair` returns: PEM texts ready to write to NAME.key, NAME.pub and NAME.crt. */
export interface GeneratedKeyPair {
  /** PKCS#8 PEM ("PRIVATE KEY"). */
  privateKeyPem: string;
  /** SPKI PEM ("PUBLIC KEY"). */
  publicKeyPem: string;
  /** Self-signed X.509 PEM, when `cert` was asked for. */
  certificatePem?: string;
}

/**
 * A fresh P-256 key pair as PEM (for `ami keyfile keygen`). `cert.subject` such as "CN=Maker Ltd" adds a
 * self-signed certificate. `privateScalar` fixes the key (tests, vectors).
 */
export function generateKeyPair(
  options: {
    cert?: Omit<SelfSignedOptions, 'subject'> & { subject: string };
    privateScalar?: Uint8Array;
  } = {},
): GeneratedKeyPair {
  const d = options.privateScalar ?? p256.utils.randomSecretKey();
  const key = privateKeyFromScalar(d);
  if (!options.privateScalar) wipe(d);
  const out: GeneratedKeyPair = {
    privateKeyPem: privateKeyToPem(key),
    publicKeyPem: publicKeyToPem(key.publicKey),
  };
  if (options.cert) out.certificatePem = certificateToPem(selfSignedCertificate(key, options.cert));
  key.d.wipe();
  return out;
}
