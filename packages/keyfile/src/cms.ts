/**
 * The CMS form of a key file (docs/keyfile-spec.md §6): AuthEnvelopedData (RFC 5083, AES-256-GCM per
 * RFC 5084) inside SignedData (RFC 5652), DER, built and parsed with asn1js. In memory, not streamed.
 *
 * ```asn1
 * ContentInfo { id-signedData, SignedData {
 *   version 3, digestAlgorithms { sha256 },
 *   encapContentInfo { id-ct-authEnvelopedData, eContent OCTET STRING (DER of AuthEnvelopedData) },
 *   certificates [0] { manufacturer certificate },
 *   signerInfos { SignerInfo { version 1, issuerAndSerialNumber, sha256,
 *     signedAttrs [0] { contentType, signingTime, messageDigest, akfHeader (UTF8String JSON) },
 *     ecdsa-with-SHA256, signature } } } }
 * AuthEnvelopedData { version 0, recipientInfos { kari [1] | kekri [2] | pwri [3] },
 *   authEncryptedContentInfo { id-data, { id-aes256-GCM, GCMParameters { nonce, 16 } },
 *                              [0] IMPLICIT ciphertext }, mac OCTET STRING (tag) }
 * ```
 *
 * @module
 */
import { aeskw, gcm } from '@noble/ciphers/aes.js';
import { p256 } from '@noble/curves/nist.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as asn1js from 'asn1js';
import type { OpenOptions, SealOptions } from './container.ts';
import { KeyfileError } from './errors.ts';
import { concat, ctEqual, toBase64, toHex, utf8, wipe } from './internal/bytes.ts';
import { FingerprintSet } from './internal/seen.ts';
import { TlvReader } from './internal/tlv.ts';
import {
  type Certificate,
  certificateFromPem,
  fromPem,
  normalizePublicKey,
  parseCertificate,
  parseDer,
  privateKeyFromPem,
  privateKeyFromScalar,
} from './pki.ts';
import { DEFAULT_SCRYPT, MAX_SCRYPT, type OpeningKey } from './recipient.ts';
import { encodeMeterRecord, type MeterRecord, readMeterRecord } from './record.ts';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  /** ESS signingCertificateV2 (RFC 5035): binds the signer certificate (its SHA-256) into the signature. */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  aes256Gcm: '2.16.840.1.101.3.4.1.46',
  aes128Wrap: '2.16.840.1.101.3.4.1.5',
  aes192Wrap: '2.16.840.1.101.3.4.1.25',
  aes256Wrap: '2.16.840.1.101.3.4.1.45',
  ecdhSha256Kdf: '1.3.132.1.11.1',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  /** The AKF header attribute, in the UUID arc (ITU-T X.667): c76846f3-9088-4d50-a742-2ac3673ea51f. */
  akfHeader: '2.25.265057809100332247800140717047907525919',
} as const;

const WRAP_OID: Record<number, string> = {
  16: CMS_OID.aes128Wrap,
  24: CMS_OID.aes192Wrap,
  32: CMS_OID.aes256Wrap,
};

/** The file-level fields of a CMS key file (the signed `akfHeader` attribute). */
export interface CmsKeyFileHeader {
  format: 'AKF';
  version: 1;
  batchId: string;
  issuer: string;
  recipient: string;
  created: string;
  notBefore: string;
  notAfter: string;
  count: number;
}

export interface CmsKeyFileSummary {
  header: CmsKeyFileHeader;
  signer: Certificate;
  count: number;
  /** Which RecipientInfo the file uses. */
  recipientInfo: 'kari' | 'kekri' | 'pwri';
}

export interface OpenedCmsKeyFile extends CmsKeyFileSummary {
  meters: MeterRecord[];
}

const der = (n: asn1js.BaseBlock): Uint8Array<ArrayBuffer> => new Uint8Array(n.toBER(false));
const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;
const oid = (value: string): asn1js.ObjectIdentifier => new asn1js.ObjectIdentifier({ value });
const octets = (b: Uint8Array): asn1js.OctetString => new asn1js.OctetString({ valueHex: buf(b) });
const seq = (...value: asn1js.BaseBlock[]): asn1js.Sequence => new asn1js.Sequence({ value });
const ctx = (tagNumber: number, ...value: asn1js.BaseBlock[]): asn1js.Constructed =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
const int = (n: number): asn1js.Integer => new asn1js.Integer({ value: n });
const alg = (o: string, params?: asn1js.BaseBlock): asn1js.Sequence =>
  params ? seq(oid(o), params) : seq(oid(o));

function rfc3339(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** ANSI X9.63 KDF with SHA-256 as RFC 5753 uses it, for one 256-bit AES-KW key. */
function x963Kek(z: Uint8Array): Uint8Array {
  const sharedInfo = der(seq(alg(CMS_OID.aes256Wrap), ctx(2, octets(new Uint8Array([0, 0, 1, 0])))));
  return sha256(concat(z, new Uint8Array([0, 0, 0, 1]), sharedInfo));
}

function sharedX(d: Uint8Array, pub: Uint8Array): Uint8Array {
  const s = p256.getSharedSecret(d, pub, true);
  const x = s.slice(1);
  wipe(s);
  return x;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
export function subjectKeyId(publicKey: Uint8Array): Uint8Array {
  return sha1(normalizePublicKey(publicKey));
}

function recipientInfo(
  cek: Uint8Array,
  options: SealOptions,
  random: (n: number) => Uint8Array,
): asn1js.BaseBlock {
  const r = options.recipient;
  switch (r.kind) {
    case 'ecdh': {
      const pub = normalizePublicKey(r.publicKey);
      const eph = privateKeyFromScalar(random(32));
      const z = sharedX(eph.d.reveal(), pub);
      const kek = x963Kek(z);
      const wrapped = aeskw(kek).encrypt(cek);
      wipe(z, kek);
      eph.d.wipe();
      return ctx(
        1,
        int(3),
        ctx(0, ctx(1, alg(CMS_OID.ecPublicKey), new asn1js.BitString({ valueHex: buf(eph.publicKey) }))),
        alg(CMS_OID.ecdhSha256Kdf, alg(CMS_OID.aes256Wrap)),
        seq(seq(ctx(0, octets(subjectKeyId(pub))), octets(wrapped))),
      );
    }
    case 'kek': {
      const o = WRAP_OID[r.kek.length];
      if (!o) throw new KeyfileError('INVALID_ARGUMENT', 'kek: expected 16, 24 or 32 bytes');
      if (typeof r.kekId !== 'string' || r.kekId.length < 1 || r.kekId.length > 128)
        throw new KeyfileError('INVALID_ARGUMENT', 'kekId: expected 1..128 characters');
      return ctx(2, int(4), seq(octets(utf8(r.kekId))), alg(o), octets(aeskw(r.kek).encrypt(cek)));
    }
    case 'password': {
      const { N, r: rr, p } = r.scrypt ?? DEFAULT_SCRYPT;
      if (
        !Number.isInteger(N) ||
        N < 2 ||
        (N & (N - 1)) !== 0 ||
        N > MAX_SCRYPT.N ||
        rr > MAX_SCRYPT.r ||
        p > MAX_SCRYPT.p
      )
        throw new KeyfileError('INVALID_ARGUMENT', 'scrypt parameters out of range');
      const salt = random(16);
      const kek = scrypt(utf8(r.password), salt, { N, r: rr, p, dkLen: 32 });
      const wrapped = aeskw(kek).encrypt(cek);
      wipe(kek);
      return ctx(
        3,
        int(0),
        ctx(0, oid(CMS_OID.scrypt), seq(octets(salt), int(N), int(rr), int(p), int(32))),
        alg(CMS_OID.aes256Wrap),
        octets(wrapped),
      );
    }
    default:
      throw new KeyfileError('INVALID_ARGUMENT', 'unknown recipient kind');
  }
}

function attribute(type: string, value: asn1js.BaseBlock): Uint8Array {
  return der(seq(oid(type), new asn1js.Set({ value: [value] })));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Seals meters as CMS (DER). Same options and random draws as the JSON form (chunkSize is unused). */
export function sealKeyFileCms(meters: Iterable<MeterRecord>, options: SealOptions): Uint8Array<ArrayBuffer> {
  const random = options.random ?? ((n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
  const key =
    typeof options.signer.privateKey === 'string'
      ? privateKeyFromPem(options.signer.privateKey)
      : options.signer.privateKey;
  const certDer =
    typeof options.signer.certificate === 'string'
      ? certificateFromPem(options.signer.certificate).der
      : options.signer.certificate;
  const cert = parseCertificate(certDer);
  if (!ctEqual(cert.publicKey, key.publicKey))
    throw new KeyfileError('BAD_CERTIFICATE', 'the signer certificate is not for the signer private key');
  const batchId = options.batchId ?? toHex(random(16)).toLowerCase();
  const created = options.created ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const notBefore = options.notBefore ?? created;
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 30 * 86_400_000);
  if (notAfter <= notBefore)
    throw new KeyfileError('INVALID_ARGUMENT', 'notAfter must be later than notBefore');
  const cek = Uint8Array.from(random(32));
  const nonce = Uint8Array.from(random(12));
  const ri = recipientInfo(cek, options, random);

  const seen = new FingerprintSet();
  const records: Uint8Array[] = [];
  let count = 0;
  for (const m of meters) {
    if (!seen.add(1, utf8(m.serial)) || !seen.add(2, m.systemTitle))
      throw new KeyfileError('DUPLICATE_METER', `meter "${m.serial}" (or its system title) appears twice`, {
        path: ['meters', count],
      });
    records.push(encodeMeterRecord(m));
    count++;
  }
  const pt = concat(...records);
  for (const r of records) wipe(r);
  const sealed = gcm(cek, nonce).encrypt(pt);
  wipe(pt, cek);
  const ct = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  const authEnveloped = der(
    seq(
      int(0),
      new asn1js.Set({ value: [ri] }),
      seq(
        oid(CMS_OID.data),
        alg(CMS_OID.aes256Gcm, seq(octets(nonce), int(16))),
        new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: buf(ct) }),
      ),
      octets(tag),
    ),
  );

  const header: CmsKeyFileHeader = {
    format: 'AKF',
    version: 1,
    batchId,
    issuer: options.issuer,
    recipient: options.recipientName,
    created: rfc3339(created),
    notBefore: rfc3339(notBefore),
    notAfter: rfc3339(notAfter),
    count,
  };
  const attrs = [
    attribute(CMS_OID.contentType, oid(CMS_OID.authEnvelopedData)),
    attribute(CMS_OID.signingTime, new asn1js.UTCTime({ valueDate: created })),
    attribute(CMS_OID.messageDigest, octets(sha256(authEnveloped))),
    attribute(CMS_OID.akfHeader, new asn1js.Utf8String({ value: JSON.stringify(header) })),
    // SigningCertificateV2 { certs { ESSCertIDv2 { certHash } } } (hashAlgorithm: DEFAULT sha256)
    attribute(CMS_OID.signingCertificateV2, seq(seq(seq(octets(sha256(cert.der)))))),
  ].sort(compareBytes); // DER: SET OF in ascending order of the encodings
  const attrSet = concat(
    new Uint8Array([0x31]),
    derLength(attrs.reduce((n, a) => n + a.length, 0)),
    ...attrs,
  );
  const signature = p256.sign(attrSet, key.d.reveal(), { prehash: true, format: 'der' });
  const signedAttrs = Uint8Array.from(attrSet);
  signedAttrs[0] = 0xa0; // [0] IMPLICIT SET OF Attribute

  const tbs = parseDer(cert.tbs, 'tbs') as asn1js.Sequence;
  const t = tbs.valueBlock.value;
  const off = t[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const signerInfo = seq(
    int(1),
    seq(t[off + 2]!, t[off]!), // issuerAndSerialNumber { issuer, serialNumber }
    alg(CMS_OID.sha256),
    parseDer(signedAttrs, 'signedAttrs') as asn1js.BaseBlock,
    alg(CMS_OID.ecdsaWithSha256),
    octets(signature),
  );
  return der(
    seq(
      oid(CMS_OID.signedData),
      ctx(
        0,
        seq(
          int(3),
          new asn1js.Set({ value: [alg(CMS_OID.sha256)] }),
          seq(oid(CMS_OID.authEnvelopedData), ctx(0, octets(authEnveloped))),
          ctx(0, parseDer(cert.der, 'certificate') as asn1js.BaseBlock),
          new asn1js.Set({ value: [signerInfo] }),
        ),
      ),
    ),
  );
}

function derLength(n: number): Uint8Array {
  if (n < 0x80) return new Uint8Array([n]);
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v % 256);
  return new Uint8Array([0x80 | b.length, ...b]);
}

// ---- reading -------------------------------------------------------------------------------------

function bad(message: string): KeyfileError {
  return new KeyfileError('MALFORMED', `CMS: ${message}`);
}

/** The elements of a constructed value whose identifier octet must be `id` (0x30 SEQUENCE, 0x31 SET, 0xA0+n [n]). */
function children(n: asn1js.BaseBlock | undefined, what: string, id?: number): asn1js.BaseBlock[] {
  const v = (n as asn1js.Constructed | undefined)?.valueBlock as { value?: unknown } | undefined;
  if (!n?.idBlock.isConstructed || !Array.isArray(v?.value))
    throw bad(`${what}: expected a constructed value`);
  if (id !== undefined && n.valueBeforeDecodeView[0] !== id)
    throw bad(
      `${what}: expected identifier 0x${id.toString(16)}, found 0x${n.valueBeforeDecodeView[0]?.toString(16)}`,
    );
  return v.value as asn1js.BaseBlock[];
}

function oidOf(n: asn1js.BaseBlock | undefined, what: string): string {
  if (!(n instanceof asn1js.ObjectIdentifier)) throw bad(`${what}: expected an OBJECT IDENTIFIER`);
  return n.valueBlock.toString();
}

function octetsOf(n: asn1js.BaseBlock | undefined, what: string): Uint8Array {
  if (!(n instanceof asn1js.OctetString) || n.idBlock.isConstructed)
    throw bad(`${what}: expected a primitive OCTET STRING`);
  return n.valueBlock.valueHexView;
}

function smallInt(n: asn1js.BaseBlock | undefined, what: string): number {
  if (!(n instanceof asn1js.Integer)) throw bad(`${what}: expected an INTEGER`);
  const v = n.valueBlock.valueHexView;
  if (v.length > 6) throw new KeyfileError('LIMIT_EXCEEDED', `CMS: ${what} too large`);
  let x = 0;
  for (const b of v) x = x * 256 + b;
  if (v.length > 0 && v[0]! & 0x80) throw bad(`${what}: negative`);
  return x;
}

function isCtx(n: asn1js.BaseBlock | undefined, tag: number): boolean {
  return n !== undefined && n.idBlock.tagClass === 3 && n.idBlock.tagNumber === tag;
}

function matchesTrusted(cert: Certificate, trusted: (Uint8Array | string)[]): boolean {
  for (const t of trusted) {
    const pub =
      typeof t === 'string'
        ? certificateFromPem(t).publicKey
        : t.length === 65 || t.length === 33
          ? normalizePublicKey(t)
          : parseCertificate(t).publicKey;
    if (ctEqual(pub, cert.publicKey)) return true;
  }
  return false;
}

const HEADER_FIELDS = 'batchId,count,created,format,issuer,notAfter,notBefore,recipient,version';

function parseCmsHeader(json: string): CmsKeyFileHeader {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json);
  } catch (cause) {
    throw new KeyfileError('MALFORMED', 'CMS: akfHeader is not JSON', { cause });
  }
  if (typeof o !== 'object' || o === null || o.format !== 'AKF') throw bad('akfHeader.format is not "AKF"');
  if (o.version !== 1)
    throw new KeyfileError(
      'UNSUPPORTED_VERSION',
      `AKF version ${JSON.stringify(o.version)} is not supported (this reader: 1)`,
    );
  if (Object.keys(o).sort().join(',') !== HEADER_FIELDS) throw bad('akfHeader: unexpected fields');
  for (const k of ['batchId', 'issuer', 'recipient', 'created', 'notBefore', 'notAfter'])
    if (typeof o[k] !== 'string' || (o[k] as string).length < 1 || (o[k] as string).length > 256)
      throw bad(`akfHeader.${k}`);
  for (const k of ['created', 'notBefore', 'notAfter']) {
    const d = new Date(o[k] as string);
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(o[k] as string) ||
      Number.isNaN(d.getTime()) ||
      rfc3339(d) !== o[k]
    )
      throw bad(`akfHeader.${k}: expected YYYY-MM-DDTHH:MM:SSZ`);
  }
  if (!Number.isSafeInteger(o.count) || (o.count as number) < 0) throw bad('akfHeader.count');
  return o as unknown as CmsKeyFileHeader;
}

interface ParsedCms {
  header: CmsKeyFileHeader;
  signer: Certificate;
  authEnveloped: Uint8Array;
}

/** INCOMPLETE when the outer DER element claims more bytes than are there (a cut-off transfer). */
function checkComplete(file: Uint8Array): void {
  const r = new TlvReader(file);
  if (r.u8() !== 0x30) throw bad('not a DER SEQUENCE');
  const len = r.length();
  if (r.remaining < len)
    throw new KeyfileError('INCOMPLETE', `CMS: ${len - r.remaining} more bytes expected`, {
      offset: file.length,
    });
  if (r.remaining > len) throw bad('trailing bytes after the ContentInfo');
}

/**
 * Strict DER shape: every constructed element's children fill it exactly, single-byte tags, minimal
 * definite lengths. asn1js alone tolerates an inner length that overruns its parent.
 */
function checkDerShape(b: Uint8Array, what: string): void {
  const walk = (r: TlvReader, depth: number): void => {
    if (depth > 32) throw new KeyfileError('LIMIT_EXCEEDED', `CMS: ${what} nested too deeply`);
    while (r.remaining > 0) {
      const at = r.pos;
      const tag = r.u8();
      if ((tag & 0x1f) === 0x1f)
        throw new KeyfileError('MALFORMED', `CMS: ${what}: multi-byte tag`, { offset: at });
      const len = r.length();
      if (len > r.remaining)
        throw new KeyfileError('MALFORMED', `CMS: ${what}: element overruns its parent`, { offset: at });
      const sub = r.sub(len);
      if (tag & 0x20) walk(sub, depth + 1);
    }
  };
  walk(new TlvReader(b), 0);
}

function verifySigned(file: Uint8Array, options: OpenOptions): ParsedCms {
  checkComplete(file);
  checkDerShape(file, 'ContentInfo');
  const root = parseDer(file, 'CMS ContentInfo');
  const ci = children(root as asn1js.BaseBlock, 'ContentInfo', 0x30);
  if (oidOf(ci[0], 'contentType') !== CMS_OID.signedData) throw bad('not SignedData');
  if (!isCtx(ci[1], 0)) throw bad('ContentInfo.content');
  const sd = children(children(ci[1], 'content', 0xa0)[0], 'SignedData', 0x30);
  if (smallInt(sd[0], 'SignedData.version') !== 3) throw bad('SignedData.version must be 3');
  const das = children(sd[1], 'digestAlgorithms', 0x31);
  if (das.length !== 1 || !ctEqual(das[0]!.valueBeforeDecodeView, der(alg(CMS_OID.sha256))))
    throw bad('digestAlgorithms must be exactly { sha256 } (no parameters)');
  const eci = children(sd[2], 'encapContentInfo', 0x30);
  if (oidOf(eci[0], 'eContentType') !== CMS_OID.authEnvelopedData)
    throw bad('eContentType is not authEnvelopedData');
  if (!isCtx(eci[1], 0)) throw bad('no eContent');
  const authEnveloped = octetsOf(children(eci[1], 'eContent', 0xa0)[0], 'eContent');
  let i = 3;
  let certDer: Uint8Array | undefined;
  if (isCtx(sd[i], 0)) {
    certDer = children(sd[i], 'certificates', 0xa0)[0]?.valueBeforeDecodeView;
    i++;
  }
  if (isCtx(sd[i], 1)) throw bad('crls are not used by AKF');
  if (sd.length !== i + 1) throw bad('SignedData: unexpected elements');
  const sis = children(sd[i], 'signerInfos', 0x31);
  if (sis.length !== 1) throw bad('expected exactly one SignerInfo');
  if (!certDer) throw new KeyfileError('BAD_CERTIFICATE', 'CMS: no signer certificate');
  let signer: Certificate;
  try {
    signer = parseCertificate(certDer);
  } catch (cause) {
    throw new KeyfileError('BAD_CERTIFICATE', 'CMS: the signer certificate cannot be read', { cause });
  }
  const si = children(sis[0], 'SignerInfo', 0x30);
  if (smallInt(si[0], 'SignerInfo.version') !== 1) throw bad('SignerInfo.version must be 1');
  const sid = children(si[1], 'issuerAndSerialNumber', 0x30);
  const tbs = children(parseDer(signer.tbs, 'tbs') as asn1js.BaseBlock, 'tbs');
  const off = isCtx(tbs[0], 0) ? 1 : 0;
  if (
    !ctEqual(sid[0]!.valueBeforeDecodeView, tbs[off + 2]!.valueBeforeDecodeView) ||
    !ctEqual(sid[1]!.valueBeforeDecodeView, tbs[off]!.valueBeforeDecodeView)
  )
    throw new KeyfileError(
      'BAD_CERTIFICATE',
      'CMS: the signer identifier does not name the carried certificate',
    );
  if (!ctEqual(si[2]!.valueBeforeDecodeView, der(alg(CMS_OID.sha256))))
    throw bad('digestAlgorithm must be SHA-256');
  if (!ctEqual(si[4]!.valueBeforeDecodeView, der(alg(CMS_OID.ecdsaWithSha256))))
    throw bad('signatureAlgorithm must be ecdsa-with-SHA256 (no parameters)');
  if (si.length !== 6) throw bad('SignerInfo: unsignedAttrs are not used by AKF');
  if (!isCtx(si[3], 0)) throw bad('no signedAttrs');
  if (oidOf(children(si[4], 'signatureAlgorithm')[0], 'signatureAlgorithm') !== CMS_OID.ecdsaWithSha256)
    throw bad('signatureAlgorithm must be ecdsa-with-SHA256');
  const signature = octetsOf(si[5], 'signature');
  const attrSet = Uint8Array.from(si[3]!.valueBeforeDecodeView);
  attrSet[0] = 0x31;
  let ok = false;
  try {
    ok = p256.verify(signature, attrSet, signer.publicKey, { prehash: true, lowS: false, format: 'der' });
  } catch {
    ok = false;
  }
  if (!ok)
    throw new KeyfileError('BAD_SIGNATURE', `CMS: the signature of "${signer.subject}" does not verify`);
  // Attributes keyed by the DER of their type (asn1js prints arcs above 2^53, as in the 2.25 arc, inexactly).
  const attrs = new Map<string, asn1js.BaseBlock>();
  const typeKey = (o: string): string => toHex(der(oid(o)));
  for (const a of children(si[3], 'signedAttrs', 0xa0)) {
    const [t, vs] = children(a, 'Attribute', 0x30);
    oidOf(t, 'attrType');
    const type = toHex(t!.valueBeforeDecodeView);
    const values = children(vs, 'attrValues', 0x31);
    if (values.length !== 1 || attrs.has(type))
      throw bad('attributes: expected one value each, each type once');
    attrs.set(type, values[0]!);
  }
  if (oidOf(attrs.get(typeKey(CMS_OID.contentType)), 'contentType attribute') !== CMS_OID.authEnvelopedData)
    throw bad('contentType attribute');
  if (!ctEqual(octetsOf(attrs.get(typeKey(CMS_OID.messageDigest)), 'messageDigest'), sha256(authEnveloped)))
    throw new KeyfileError('BAD_SIGNATURE', 'CMS: messageDigest does not match the content');
  const sc = attrs.get(typeKey(CMS_OID.signingCertificateV2));
  if (!sc || !ctEqual(sc.valueBeforeDecodeView, der(seq(seq(seq(octets(sha256(certDer))))))))
    throw new KeyfileError(
      'BAD_CERTIFICATE',
      'CMS: signingCertificateV2 does not name the carried certificate',
    );
  const h = attrs.get(typeKey(CMS_OID.akfHeader));
  if (!(h instanceof asn1js.Utf8String)) throw bad('no akfHeader attribute');
  const header = parseCmsHeader(h.valueBlock.value);
  const created = new Date(header.created);
  if (created < signer.notBefore || created > signer.notAfter)
    throw new KeyfileError(
      'BAD_CERTIFICATE',
      `the signer certificate was not valid at creation time ${header.created}`,
    );
  if (options.trustedSigners && !matchesTrusted(signer, options.trustedSigners))
    throw new KeyfileError('BAD_CERTIFICATE', `signer "${signer.subject}" is not among the trusted signers`);
  if (!options.ignoreValidity) {
    const now = options.now ?? new Date();
    if (now < new Date(header.notBefore))
      throw new KeyfileError('NOT_YET_VALID', `file is valid from ${header.notBefore} (now ${rfc3339(now)})`);
    if (now > new Date(header.notAfter))
      throw new KeyfileError('EXPIRED', `file expired at ${header.notAfter} (now ${rfc3339(now)})`);
  }
  return { header, signer, authEnveloped };
}

function unwrapCek(ri: asn1js.BaseBlock, key: OpeningKey): Uint8Array {
  const f = children(ri, 'RecipientInfo');
  let kek: Uint8Array;
  let wrapped: Uint8Array;
  if (isCtx(ri, 1)) {
    if (key.kind !== 'ecdh')
      throw new KeyfileError(
        'WRONG_RECIPIENT',
        'file is sealed to an EC key (kari); give the HES private key',
      );
    if (smallInt(f[0], 'kari.version') !== 3) throw bad('kari.version must be 3');
    const opk = children(children(f[1], 'originator')[0], 'originatorKey');
    if (!isCtx(children(f[1], 'originator')[0], 1)) throw bad('originator must be originatorKey');
    if (
      oidOf(children(opk[0], 'originatorKey.algorithm')[0], 'originatorKey.algorithm') !== CMS_OID.ecPublicKey
    )
      throw bad('originator key is not EC');
    if (!(opk[1] instanceof asn1js.BitString)) throw bad('originator publicKey');
    let epk: Uint8Array;
    try {
      epk = normalizePublicKey(opk[1].valueBlock.valueHexView);
    } catch (cause) {
      throw new KeyfileError('MALFORMED', 'CMS: originator key is not a P-256 point', { cause });
    }
    const kea = children(f[2], 'keyEncryptionAlgorithm');
    if (oidOf(kea[0], 'keyEncryptionAlgorithm') !== CMS_OID.ecdhSha256Kdf)
      throw bad('key agreement must be dhSinglePass-stdDH-sha256kdf-scheme');
    if (oidOf(children(kea[1], 'KeyWrapAlgorithm')[0], 'KeyWrapAlgorithm') !== CMS_OID.aes256Wrap)
      throw bad('key wrap must be id-aes256-wrap');
    const reks = children(f[3], 'recipientEncryptedKeys');
    const mine = subjectKeyId(key.privateKey.publicKey);
    const rek = reks
      .map((r) => children(r, 'RecipientEncryptedKey'))
      .find(
        (r) => isCtx(r[0], 0) && ctEqual(octetsOf(children(r[0], 'rKeyId')[0], 'subjectKeyIdentifier'), mine),
      );
    if (!rek)
      throw new KeyfileError(
        'WRONG_RECIPIENT',
        'file was sealed for another recipient key (no matching rKeyId)',
      );
    wrapped = octetsOf(rek[1], 'encryptedKey');
    const z = sharedX(key.privateKey.d.reveal(), epk);
    kek = x963Kek(z);
    wipe(z);
  } else if (isCtx(ri, 2)) {
    if (key.kind !== 'kek')
      throw new KeyfileError(
        'WRONG_RECIPIENT',
        'file is sealed with a pre-shared KEK (kekri); give that KEK',
      );
    if (smallInt(f[0], 'kekri.version') !== 4) throw bad('kekri.version must be 4');
    const o = oidOf(children(f[2], 'keyEncryptionAlgorithm')[0], 'keyEncryptionAlgorithm');
    if (WRAP_OID[key.kek.length] !== o)
      throw new KeyfileError('WRONG_RECIPIENT', `the KEK given (${key.kek.length} bytes) does not fit ${o}`);
    wrapped = octetsOf(f[3], 'encryptedKey');
    kek = Uint8Array.from(key.kek);
  } else if (isCtx(ri, 3)) {
    if (key.kind !== 'password')
      throw new KeyfileError('WRONG_RECIPIENT', 'file is sealed with a password (pwri); give the password');
    if (smallInt(f[0], 'pwri.version') !== 0) throw bad('pwri.version must be 0');
    if (
      !isCtx(f[1], 0) ||
      oidOf(children(f[1], 'keyDerivationAlgorithm')[0], 'keyDerivationAlgorithm') !== CMS_OID.scrypt
    )
      throw bad('keyDerivationAlgorithm must be scrypt');
    const sp = children(children(f[1], 'keyDerivationAlgorithm')[1], 'scrypt-params');
    const salt = octetsOf(sp[0], 'salt');
    const N = smallInt(sp[1], 'N');
    const r = smallInt(sp[2], 'r');
    const p = smallInt(sp[3], 'p');
    if (sp[4] !== undefined && smallInt(sp[4], 'keyLength') !== 32) throw bad('scrypt keyLength must be 32');
    if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) throw bad('scrypt parameters');
    if (N > MAX_SCRYPT.N || r > MAX_SCRYPT.r || p > MAX_SCRYPT.p)
      throw new KeyfileError('LIMIT_EXCEEDED', 'CMS: scrypt cost too high');
    if (oidOf(children(f[2], 'keyEncryptionAlgorithm')[0], 'keyEncryptionAlgorithm') !== CMS_OID.aes256Wrap)
      throw bad('pwri key wrap must be id-aes256-wrap');
    wrapped = octetsOf(f[3], 'encryptedKey');
    kek = scrypt(utf8(key.password), salt, { N, r, p, dkLen: 32 });
  } else throw bad('unsupported RecipientInfo');
  try {
    return aeskw(kek).decrypt(wrapped);
  } catch (cause) {
    throw new KeyfileError('WRONG_RECIPIENT', 'the key given cannot unwrap the content key', { cause });
  } finally {
    wipe(kek);
  }
}

function recipientKind(ri: asn1js.BaseBlock): CmsKeyFileSummary['recipientInfo'] {
  return isCtx(ri, 1)
    ? 'kari'
    : isCtx(ri, 2)
      ? 'kekri'
      : isCtx(ri, 3)
        ? 'pwri'
        : (() => {
            throw bad('unsupported RecipientInfo');
          })();
}

function parseAuthEnveloped(b: Uint8Array): {
  ri: asn1js.BaseBlock;
  nonce: Uint8Array;
  ct: Uint8Array;
  tag: Uint8Array;
} {
  checkDerShape(b, 'AuthEnvelopedData');
  const aed = children(parseDer(b, 'AuthEnvelopedData') as asn1js.BaseBlock, 'AuthEnvelopedData', 0x30);
  if (smallInt(aed[0], 'AuthEnvelopedData.version') !== 0) throw bad('AuthEnvelopedData.version must be 0');
  const ris = children(aed[1], 'recipientInfos', 0x31);
  if (ris.length !== 1) throw bad('expected exactly one RecipientInfo');
  const eci = children(aed[2], 'authEncryptedContentInfo');
  if (oidOf(eci[0], 'contentType') !== CMS_OID.data) throw bad('encrypted contentType must be id-data');
  const ceAlg = children(eci[1], 'contentEncryptionAlgorithm');
  if (oidOf(ceAlg[0], 'contentEncryptionAlgorithm') !== CMS_OID.aes256Gcm)
    throw bad('content encryption must be id-aes256-GCM');
  const gp = children(ceAlg[1], 'GCMParameters');
  const nonce = octetsOf(gp[0], 'aes-nonce');
  if (nonce.length !== 12 || smallInt(gp[1], 'aes-ICVlen') !== 16)
    throw bad('GCM: expected a 12-byte nonce and a 16-byte tag');
  const enc = eci[2];
  if (!isCtx(enc, 0) || enc!.idBlock.isConstructed)
    throw bad('encryptedContent must be [0] IMPLICIT primitive');
  const ct = (enc as asn1js.Primitive).valueBlock.valueHexView;
  if (aed.length !== 4) throw bad('authAttrs and unauthAttrs are not used by AKF');
  const tag = octetsOf(aed[3], 'mac');
  if (tag.length !== 16) throw bad('mac must be 16 bytes');
  return { ri: ris[0]!, nonce, ct, tag };
}

/** Verifies a CMS key file without decrypting (or, with `options.key`, also that it opens). */
export function verifyKeyFileCms(file: Uint8Array, options: OpenOptions = {}): CmsKeyFileSummary {
  if (options.key) {
    const { meters, ...summary } = openKeyFileCms(file, { ...options, key: options.key });
    for (const m of meters)
      for (const k of [...Object.values(m.keys), ...Object.values(m.secrets)]) k?.wipe();
    return summary;
  }
  const { header, signer, authEnveloped } = verifySigned(file, options);
  const { ri } = parseAuthEnveloped(authEnveloped);
  return { header, signer, count: header.count, recipientInfo: recipientKind(ri) };
}

/** Opens a CMS key file: signature, validity, recipient, GCM tag, records, duplicates and count. */
export function openKeyFileCms(
  file: Uint8Array,
  options: OpenOptions & { key: OpeningKey },
): OpenedCmsKeyFile {
  const { header, signer, authEnveloped } = verifySigned(file, options);
  const { ri, nonce, ct, tag } = parseAuthEnveloped(authEnveloped);
  const kind = recipientKind(ri);
  const cek = unwrapCek(ri, options.key);
  let pt: Uint8Array;
  try {
    pt = gcm(cek, nonce).decrypt(concat(ct, tag));
  } catch (cause) {
    throw new KeyfileError('DECRYPTION_FAILED', 'CMS: the content does not authenticate', { cause });
  } finally {
    wipe(cek);
  }
  const r = new TlvReader(pt);
  const seen = new FingerprintSet();
  const meters: MeterRecord[] = [];
  try {
    while (r.remaining > 0) {
      const index = meters.length;
      let m: MeterRecord;
      try {
        m = readMeterRecord(r, options.maxRecordLength);
      } catch (e) {
        if (e instanceof KeyfileError) {
          e.path.unshift('meters', index);
          if (e.code === 'INCOMPLETE')
            throw new KeyfileError('MALFORMED', 'CMS: the content ends inside a record', { cause: e });
        }
        throw e;
      }
      if (!seen.add(1, utf8(m.serial)) || !seen.add(2, m.systemTitle))
        throw new KeyfileError('DUPLICATE_METER', `meter "${m.serial}" (or its system title) appears twice`, {
          path: ['meters', index],
        });
      meters.push(m);
    }
  } finally {
    wipe(pt);
  }
  if (meters.length !== header.count)
    throw bad(`the content holds ${meters.length} meters, akfHeader.count says ${header.count}`);
  return { header, signer, count: header.count, recipientInfo: kind, meters };
}

/** PEM armour (`-----BEGIN CMS-----`, RFC 7468 §9) for transports that want text. */
export function cmsToPem(der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN CMS-----\n${lines.join('\n')}\n-----END CMS-----\n`;
}

/** The DER inside a `-----BEGIN CMS-----` (or `PKCS7`) PEM. */
export function cmsFromPem(text: string): Uint8Array {
  return fromPem(text, text.includes('-----BEGIN PKCS7-----') ? 'PKCS7' : 'CMS');
}
