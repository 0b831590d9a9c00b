/**
 * The AKF/1 JSON container: a UTF-8 text of LF-terminated lines, each one JSON value.
 *
 * ```text
 * line 1        header  : JSON object, human-readable, signed byte for byte (see KeyFileHeader)
 * lines 2..n-1  chunks  : JSON strings, base64 of AES-256-GCM ciphertext ‖ 16-byte tag, one per body chunk
 * line n        trailer : {"count":N,"chunks":M,"bodyDigest":"<b64 32>","signature":"<b64 64>"}
 *
 * H          = SHA-256(header line bytes, without its LF)
 * nonce(i)   = contentEncryption.nonce XOR (i as 96-bit big-endian)
 * aad(i)     = "AKF/1 chunk" 0x00 ‖ H ‖ u64be(i) ‖ u8(final ? 1 : 0)
 * chunk(i)   = AES-256-GCM(CEK, nonce(i), aad(i), plaintext(i))         ; every chunk but the last
 *              holds exactly chunkSize plaintext bytes; the last holds 0..chunkSize (0 only when alone)
 * bodyDigest = SHA-256( ‖ over chunks: u32be(len(chunk(i))) ‖ chunk(i) )
 * TBS        = "AKF/1 signature" 0x00 ‖ H ‖ bodyDigest ‖ u64be(count) ‖ u64be(chunks)
 * signature  = ECDSA-P256-SHA256(signer key, TBS), raw r ‖ s (64 bytes)
 * plaintext  = Record* concatenated across chunks (record.ts)
 * ```
 *
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KeyfileError } from './errors.ts';
import { concat, ctEqual, fromBase64, toBase64, toHex, u32be, u64be, utf8, wipe } from './internal/bytes.ts';
import { FingerprintSet } from './internal/seen.ts';
import { TlvReader } from './internal/tlv.ts';
import {
  type Certificate,
  certificateFromPem,
  type P256PrivateKey,
  parseCertificate,
  privateKeyFromPem,
  signP256,
  verifyP256,
} from './pki.ts';
import {
  type KeyManagement,
  type OpeningKey,
  parseKeyManagement,
  type Recipient,
  unwrapContentKey,
  wrapContentKey,
} from './recipient.ts';
import { encodeMeterRecord, type MeterRecord, readMeterRecord } from './record.ts';

export const FORMAT = 'AKF';
export const VERSION = 1;
const CHUNK_AAD = utf8('AKF/1 chunk\0');
const SIG_PREFIX = utf8('AKF/1 signature\0');
const LF = 0x0a;

/** Default plaintext bytes per chunk. */
export const DEFAULT_CHUNK_SIZE = 65536;
export const MIN_CHUNK_SIZE = 256;
export const MAX_CHUNK_SIZE = 1 << 20;
/** Longest header line a reader accepts (the signer certificate is inside). */
export const MAX_HEADER_LINE = 256 * 1024;

/** The header line: everything a person or a tool needs to know about the file without opening it. */
export interface KeyFileHeader {
  format: 'AKF';
  version: 1;
  batchId: string;
  /** The manufacturer issuing the file. */
  issuer: string;
  /** The HES the file is for (a name; the cryptographic recipient is in keyManagement). */
  recipient: string;
  created: string;
  notBefore: string;
  notAfter: string;
  contentEncryption: { alg: 'A256GCM'; chunkSize: number; nonce: string };
  keyManagement: KeyManagement;
  signer: { alg: 'ES256'; certificate: string };
}

/** The trailer line. */
export interface KeyFileTrailer {
  count: number;
  chunks: number;
  bodyDigest: string;
  signature: string;
}

/** The signing identity: a P-256 private key and the X.509 certificate of its public key (DER or PEM). */
export interface Signer {
  privateKey: P256PrivateKey | string;
  certificate: Uint8Array | string;
}

/**
 * AES-256-GCM with a 16-byte tag, as the body chunks use it. The default is @noble/ciphers (runs
 * anywhere); `@ami-interop/keyfile/node` exports `nodeGcm`, backed by node:crypto (OpenSSL), about
 * 100 times faster on large files.
 */
export interface GcmBackend {
  /** Returns ciphertext ‖ tag. */
  encrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Takes ciphertext ‖ tag; throws (anything) when the tag does not verify. */
  decrypt(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
}

/** The runtime-neutral GCM backend (@noble/ciphers). */
export const nobleGcm: GcmBackend = {
  encrypt: (key, nonce, aad, pt) => gcm(key, nonce, aad).encrypt(pt),
  decrypt: (key, nonce, aad, ct) => gcm(key, nonce, aad).decrypt(ct),
};

export interface SealOptions {
  issuer: string;
  /** The HES's name, written in the header. */
  recipientName: string;
  /** Who can open it: the HES's public key (default mode), a password, or a pre-shared KEK. */
  recipient: Recipient;
  signer: Signer;
  /** Default: 16 random bytes in hex. */
  batchId?: string;
  /** Default: now (whole seconds). */
  created?: Date;
  /** Default: `created`. */
  notBefore?: Date;
  /** Default: `notBefore` + 30 days. */
  notAfter?: Date;
  chunkSize?: number;
  /**
   * Source of randomness (default: crypto.getRandomValues). Called in this order: batchId (16, only when
   * not given), CEK (32), base nonce (12), then the ephemeral scalar (32, ECDH) or the salt (16, scrypt).
   * Fix it only for reproducible test vectors.
   */
  random?: (n: number) => Uint8Array;
  /** AES-GCM implementation for the body (default {@link nobleGcm}). */
  gcm?: GcmBackend;
}

export interface OpenOptions {
  /** The key that opens the file. Without it the file is only verified (no decryption). */
  key?: OpeningKey;
  /** The time to check validity against (default: now). */
  now?: Date;
  /**
   * Certificates (DER or PEM) or public keys (65-byte points) of manufacturers to trust. When given, a
   * file signed by anyone else is refused with BAD_CERTIFICATE. Without it, the embedded certificate is
   * reported and the caller decides.
   */
  trustedSigners?: (Uint8Array | string)[];
  /** Skip the validity-period check (for forensic inspection of old files). */
  ignoreValidity?: boolean;
  /** Largest record accepted, bytes (default 64 MiB: room for an inline firmware image). */
  maxRecordLength?: number;
  /** AES-GCM implementation for the body (default {@link nobleGcm}). */
  gcm?: GcmBackend;
}

/** What a finished read reports. */
export interface KeyFileSummary {
  header: KeyFileHeader;
  signer: Certificate;
  count: number;
  chunks: number;
}

function defaultRandom(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

function rfc3339(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new KeyfileError('INVALID_ARGUMENT', 'invalid date');
  return `${d.toISOString().slice(0, 19)}Z`;
}

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
function parseTime(v: unknown, name: string): Date {
  if (typeof v !== 'string' || !TIME_RE.test(v))
    throw new KeyfileError('MALFORMED', `${name}: expected YYYY-MM-DDTHH:MM:SSZ`);
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || rfc3339(d) !== v)
    throw new KeyfileError('MALFORMED', `${name}: not a valid time`);
  return d;
}

function chunkNonce(base: Uint8Array, index: number): Uint8Array {
  const n = Uint8Array.from(base);
  const c = u64be(index);
  for (let i = 0; i < 8; i++) n[4 + i]! ^= c[i]!;
  return n;
}

function chunkAad(h: Uint8Array, index: number, final: boolean): Uint8Array {
  return concat(CHUNK_AAD, h, u64be(index), new Uint8Array([final ? 1 : 0]));
}

function tbs(h: Uint8Array, bodyDigest: Uint8Array, count: number, chunks: number): Uint8Array {
  return concat(SIG_PREFIX, h, bodyDigest, u64be(count), u64be(chunks));
}

function resolveSigner(s: Signer): { key: P256PrivateKey; cert: Certificate } {
  const key = typeof s.privateKey === 'string' ? privateKeyFromPem(s.privateKey) : s.privateKey;
  const cert =
    typeof s.certificate === 'string' ? certificateFromPem(s.certificate) : parseCertificate(s.certificate);
  if (!ctEqual(cert.publicKey, key.publicKey))
    throw new KeyfileError('BAD_CERTIFICATE', 'the signer certificate is not for the signer private key');
  return { key, cert };
}

const DUP_SERIAL = 1;
const DUP_TITLE = 2;

function checkUnique(seen: FingerprintSet, m: MeterRecord, index: number): void {
  if (!seen.add(DUP_SERIAL, utf8(m.serial)))
    throw new KeyfileError('DUPLICATE_METER', `meter serial "${m.serial}" appears twice (entry ${index})`, {
      path: ['meters', index],
    });
  if (!seen.add(DUP_TITLE, m.systemTitle))
    throw new KeyfileError(
      'DUPLICATE_METER',
      `system title ${toHex(m.systemTitle)} appears twice (entry ${index}, serial "${m.serial}")`,
      {
        path: ['meters', index],
      },
    );
}

/**
 * Writes a key file meter by meter in bounded memory: `start()` gives the header line, `add()` gives
 * whole chunk lines as they fill, `finish()` the last chunk and the signed trailer. Every returned array
 * is file bytes, to be written in order.
 */
export class KeyFileWriter {
  readonly header: KeyFileHeader;
  private readonly headerLine: Uint8Array;
  private readonly h: Uint8Array;
  private readonly cek: Uint8Array;
  private readonly nonce: Uint8Array;
  private readonly chunkSize: number;
  private readonly signer: P256PrivateKey;
  private buf: Uint8Array;
  private fill = 0;
  private index = 0;
  private count = 0;
  private readonly digest = sha256.create();
  private readonly seen = new FingerprintSet();
  private state: 'ready' | 'started' | 'finished' = 'ready';
  private readonly gcm: GcmBackend;

  constructor(options: SealOptions) {
    this.gcm = options.gcm ?? nobleGcm;
    const random = options.random ?? defaultRandom;
    const { key, cert } = resolveSigner(options.signer);
    this.signer = key;
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
      throw new KeyfileError('INVALID_ARGUMENT', `chunkSize: ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
    this.chunkSize = chunkSize;
    for (const [n, v] of [
      ['issuer', options.issuer],
      ['recipientName', options.recipientName],
    ] as const)
      if (typeof v !== 'string' || v.length < 1 || v.length > 256)
        throw new KeyfileError('INVALID_ARGUMENT', `${n}: 1..256 characters`);
    const batchId = options.batchId ?? toHex(random(16)).toLowerCase();
    if (typeof batchId !== 'string' || batchId.length < 1 || batchId.length > 128)
      throw new KeyfileError('INVALID_ARGUMENT', 'batchId: 1..128 characters');
    const created = options.created ?? new Date(Math.floor(Date.now() / 1000) * 1000);
    const notBefore = options.notBefore ?? created;
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 30 * 86_400_000);
    if (notAfter.getTime() <= notBefore.getTime())
      throw new KeyfileError('INVALID_ARGUMENT', 'notAfter must be later than notBefore');
    this.cek = Uint8Array.from(random(32));
    this.nonce = Uint8Array.from(random(12));
    if (this.cek.length !== 32 || this.nonce.length !== 12)
      throw new KeyfileError('INVALID_ARGUMENT', 'random() returned the wrong length');
    const keyManagement = wrapContentKey(this.cek, options.recipient, random);
    this.header = {
      format: FORMAT,
      version: VERSION,
      batchId,
      issuer: options.issuer,
      recipient: options.recipientName,
      created: rfc3339(created),
      notBefore: rfc3339(notBefore),
      notAfter: rfc3339(notAfter),
      contentEncryption: { alg: 'A256GCM', chunkSize, nonce: toBase64(this.nonce) },
      keyManagement,
      signer: { alg: 'ES256', certificate: toBase64(cert.der) },
    };
    this.headerLine = utf8(JSON.stringify(this.header));
    this.h = sha256(this.headerLine);
    this.buf = new Uint8Array(chunkSize);
  }

  /** The header line (with its LF). Call once, first. */
  start(): Uint8Array {
    if (this.state !== 'ready') throw new KeyfileError('INVALID_ARGUMENT', 'start() called twice');
    this.state = 'started';
    return concat(this.headerLine, new Uint8Array([LF]));
  }

  /** Adds one meter; returns the chunk lines completed by it (often none). */
  add(m: MeterRecord): Uint8Array[] {
    if (this.state !== 'started')
      throw new KeyfileError('INVALID_ARGUMENT', 'add() before start() or after finish()');
    checkUnique(this.seen, m, this.count);
    const rec = encodeMeterRecord(m);
    this.count++;
    const out: Uint8Array[] = [];
    let off = 0;
    while (off < rec.length) {
      if (this.fill === this.chunkSize) out.push(this.emit(false)); // full and more follows: not final
      const n = Math.min(rec.length - off, this.chunkSize - this.fill);
      this.buf.set(rec.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
    }
    wipe(rec);
    return out;
  }

  private emit(final: boolean): Uint8Array {
    const pt = this.buf.subarray(0, this.fill);
    const ct = gcm(this.cek, chunkNonce(this.nonce, this.index), chunkAad(this.h, this.index, final)).encrypt(
      pt,
    );
    this.digest.update(u32be(ct.length)).update(ct);
    this.index++;
    pt.fill(0);
    this.fill = 0;
    return utf8(`"${toBase64(ct)}"\n`);
  }

  /** The last chunk line and the signed trailer line. Wipes the content key. */
  finish(): Uint8Array[] {
    if (this.state !== 'started')
      throw new KeyfileError('INVALID_ARGUMENT', 'finish() before start() or twice');
    this.state = 'finished';
    const last = this.emit(true);
    const bodyDigest = this.digest.digest();
    const signature = signP256(tbs(this.h, bodyDigest, this.count, this.index), this.signer);
    const trailer: KeyFileTrailer = {
      count: this.count,
      chunks: this.index,
      bodyDigest: toBase64(bodyDigest),
      signature: toBase64(signature),
    };
    wipe(this.cek, this.buf);
    return [last, utf8(`${JSON.stringify(trailer)}\n`)];
  }
}

/** Checks the header object (shape, version) and returns it typed. */
export function parseHeader(v: unknown): KeyFileHeader {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new KeyfileError('MALFORMED', 'header: expected a JSON object');
  if (o.format !== FORMAT) throw new KeyfileError('MALFORMED', 'not an AKF key file (header.format)');
  if (o.version !== VERSION)
    throw new KeyfileError(
      'UNSUPPORTED_VERSION',
      `AKF version ${JSON.stringify(o.version)} is not supported (this reader: ${VERSION})`,
    );
  const str = (k: string, max: number): void => {
    const s = o[k];
    if (typeof s !== 'string' || s.length < 1 || s.length > max)
      throw new KeyfileError('MALFORMED', `header.${k}: 1..${max} characters`);
  };
  str('batchId', 128);
  str('issuer', 256);
  str('recipient', 256);
  const nb = parseTime(o.notBefore, 'notBefore');
  const na = parseTime(o.notAfter, 'notAfter');
  parseTime(o.created, 'created');
  if (na.getTime() <= nb.getTime()) throw new KeyfileError('MALFORMED', 'notAfter is not after notBefore');
  const ce = o.contentEncryption as Record<string, unknown> | null;
  if (
    typeof ce !== 'object' ||
    ce === null ||
    ce.alg !== 'A256GCM' ||
    !Number.isInteger(ce.chunkSize) ||
    (ce.chunkSize as number) < MIN_CHUNK_SIZE ||
    (ce.chunkSize as number) > MAX_CHUNK_SIZE ||
    typeof ce.nonce !== 'string' ||
    fromBase64(ce.nonce, 'nonce').length !== 12
  )
    throw new KeyfileError(
      'MALFORMED',
      'header.contentEncryption: expected A256GCM, a chunkSize and a 12-byte nonce',
    );
  parseKeyManagement(o.keyManagement);
  const sg = o.signer as Record<string, unknown> | null;
  if (typeof sg !== 'object' || sg === null || sg.alg !== 'ES256' || typeof sg.certificate !== 'string')
    throw new KeyfileError('MALFORMED', 'header.signer: expected ES256 and a certificate');
  const known = [
    'format',
    'version',
    'batchId',
    'issuer',
    'recipient',
    'created',
    'notBefore',
    'notAfter',
    'contentEncryption',
    'keyManagement',
    'signer',
  ];
  for (const k of Object.keys(o))
    if (!known.includes(k)) throw new KeyfileError('MALFORMED', `header: unknown field "${k}"`);
  return o as unknown as KeyFileHeader;
}

function parseTrailer(line: Uint8Array, text: string, offset: number): KeyFileTrailer {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text);
  } catch (cause) {
    throw new KeyfileError('MALFORMED', 'trailer: not JSON', { offset, cause });
  }
  const ok =
    typeof o === 'object' &&
    o !== null &&
    Number.isSafeInteger(o.count) &&
    (o.count as number) >= 0 &&
    Number.isSafeInteger(o.chunks) &&
    (o.chunks as number) >= 1 &&
    typeof o.bodyDigest === 'string' &&
    typeof o.signature === 'string';
  if (!ok)
    throw new KeyfileError('MALFORMED', 'trailer: expected count, chunks, bodyDigest, signature', { offset });
  const t: KeyFileTrailer = {
    count: o.count as number,
    chunks: o.chunks as number,
    bodyDigest: o.bodyDigest as string,
    signature: o.signature as string,
  };
  // The trailer has exactly one spelling: anything else (spaces, field order, escapes) is refused.
  if (!ctEqual(utf8(JSON.stringify(t)), line))
    throw new KeyfileError('MALFORMED', 'trailer: not in canonical form', { offset });
  if (
    fromBase64(t.bodyDigest, 'bodyDigest').length !== 32 ||
    fromBase64(t.signature, 'signature').length !== 64
  )
    throw new KeyfileError('MALFORMED', 'trailer: bodyDigest is 32 bytes, signature 64', { offset });
  return t;
}

function matchesTrusted(cert: Certificate, trusted: (Uint8Array | string)[]): boolean {
  for (const t of trusted) {
    if (typeof t === 'string') {
      if (ctEqual(certificateFromPem(t).publicKey, cert.publicKey)) return true;
    } else if (t.length === 65 || t.length === 33) {
      if (ctEqual(t, cert.publicKey) || ctEqual(t.subarray(1, 33), cert.publicKey.subarray(1, 33)))
        return true;
    } else if (ctEqual(parseCertificate(t).publicKey, cert.publicKey)) return true;
  }
  return false;
}

const DEC = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a key file pushed in pieces of any size, in bounded memory: at most one line plus one chunk of
 * plaintext plus one record are held. `push()` returns the meters completed so far; `end()` checks the
 * trailer and the signature and returns the summary. Meters returned before `end()` are authenticated by
 * AES-GCM under the file's content key, but the manufacturer's signature is only checked by `end()`:
 * stage them and commit only when `end()` returns.
 */
export class KeyFileReader {
  header: KeyFileHeader | undefined;
  signer: Certificate | undefined;
  private readonly options: OpenOptions;
  private parts: Uint8Array[] = [];
  private partLen = 0;
  private offset = 0; // file offset of the current line start
  private lineNo = 0;
  private h: Uint8Array | undefined;
  private cek: Uint8Array | undefined;
  private nonce: Uint8Array | undefined;
  private chunkSize = 0;
  private maxLine = MAX_HEADER_LINE;
  private pendingChunk: { ct: Uint8Array; offset: number } | undefined;
  private chunkIndex = 0;
  private readonly digest = sha256.create();
  private leftover: Uint8Array = new Uint8Array(0);
  private count = 0;
  private readonly seen = new FingerprintSet();
  private trailer: KeyFileTrailer | undefined;
  private summary: KeyFileSummary | undefined;
  private out: MeterRecord[] = [];

  constructor(options: OpenOptions = {}) {
    this.options = options;
  }

  /**
   * Bytes the reader holds between calls: the partial line, the chunk held back for the final-flag
   * lookahead, and the plaintext of a record not yet complete. Bounded by one line plus one chunk plus
   * one record, whatever the number of meters (the duplicate index is counted apart, in
   * {@link fingerprintBytes}).
   */
  get bufferedBytes(): number {
    return this.partLen + (this.pendingChunk?.ct.length ?? 0) + this.leftover.length;
  }

  /** Bytes of the duplicate index (grows with the number of meters: 16–32 bytes a meter). */
  get fingerprintBytes(): number {
    return this.seen.bytes;
  }

  /** Feeds bytes; returns the meters completed by them. */
  push(bytes: Uint8Array): MeterRecord[] {
    let start = 0;
    while (start < bytes.length) {
      if (this.trailer)
        throw new KeyfileError('MALFORMED', 'bytes after the trailer', { offset: this.offset });
      const lf = bytes.indexOf(LF, start);
      const end = lf < 0 ? bytes.length : lf;
      if (this.partLen + (end - start) > this.maxLine)
        throw new KeyfileError(
          this.h ? 'MALFORMED' : 'LIMIT_EXCEEDED',
          `line ${this.lineNo + 1} is longer than ${this.maxLine} bytes`,
          {
            offset: this.offset,
          },
        );
      if (end > start) {
        this.parts.push(bytes.subarray(start, end));
        this.partLen += end - start;
      }
      if (lf < 0) {
        // keep a copy: the caller may reuse its buffer
        const last = this.parts.pop()!;
        this.parts.push(Uint8Array.from(last));
        break;
      }
      const line = this.parts.length === 1 ? this.parts[0]! : concat(...this.parts);
      this.parts = [];
      this.partLen = 0;
      this.line(line);
      this.offset += line.length + 1;
      this.lineNo++;
      start = lf + 1;
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  private line(line: Uint8Array): void {
    const at = this.offset;
    if (this.lineNo === 0) this.headerLine(line);
    else if (line[0] === 0x22 /* " */) this.chunkLine(line, at);
    else if (line[0] === 0x7b /* { */) this.trailerLine(line, at);
    else
      throw new KeyfileError('MALFORMED', `line ${this.lineNo + 1}: expected a chunk string or the trailer`, {
        offset: at,
      });
  }

  private headerLine(line: Uint8Array): void {
    let obj: unknown;
    try {
      obj = JSON.parse(DEC.decode(line));
    } catch (cause) {
      throw new KeyfileError('MALFORMED', 'header: not a JSON line', { offset: 0, cause });
    }
    const header = parseHeader(obj);
    let cert: Certificate;
    try {
      cert = parseCertificate(fromBase64(header.signer.certificate, 'certificate'));
    } catch (cause) {
      throw new KeyfileError('BAD_CERTIFICATE', 'the signer certificate cannot be read', { cause });
    }
    const created = new Date(header.created);
    if (created < cert.notBefore || created > cert.notAfter)
      throw new KeyfileError(
        'BAD_CERTIFICATE',
        `the signer certificate was not valid at creation time ${header.created}`,
      );
    if (this.options.trustedSigners && !matchesTrusted(cert, this.options.trustedSigners))
      throw new KeyfileError('BAD_CERTIFICATE', `signer "${cert.subject}" is not among the trusted signers`);
    if (!this.options.ignoreValidity) {
      const now = this.options.now ?? new Date();
      if (now < new Date(header.notBefore))
        throw new KeyfileError(
          'NOT_YET_VALID',
          `file is valid from ${header.notBefore} (now ${rfc3339(now)})`,
        );
      if (now > new Date(header.notAfter))
        throw new KeyfileError('EXPIRED', `file expired at ${header.notAfter} (now ${rfc3339(now)})`);
    }
    if (this.options.key) this.cek = unwrapContentKey(header.keyManagement, this.options.key);
    this.header = header;
    this.signer = cert;
    this.h = sha256(line);
    this.nonce = fromBase64(header.contentEncryption.nonce);
    this.chunkSize = header.contentEncryption.chunkSize;
    this.maxLine = Math.max(4 * Math.ceil((this.chunkSize + 16) / 3) + 2, 4096);
  }

  private chunkLine(line: Uint8Array, at: number): void {
    if (line.length < 3 || line[line.length - 1] !== 0x22)
      throw new KeyfileError('MALFORMED', 'chunk line: expected a JSON string of base64', { offset: at });
    let text: string;
    try {
      text = DEC.decode(line.subarray(1, line.length - 1));
    } catch (cause) {
      throw new KeyfileError('MALFORMED', 'chunk line: not UTF-8', { offset: at, cause });
    }
    const ct = fromBase64(text, 'chunk');
    if (ct.length < 16 || ct.length > this.chunkSize + 16)
      throw new KeyfileError('MALFORMED', `chunk of ${ct.length} bytes`, { offset: at });
    this.digest.update(u32be(ct.length)).update(ct);
    if (this.pendingChunk) this.decrypt(this.pendingChunk, false);
    this.pendingChunk = { ct, offset: at };
  }

  private decrypt(chunk: { ct: Uint8Array; offset: number }, final: boolean): void {
    const index = this.chunkIndex++;
    const ptLen = chunk.ct.length - 16;
    if (!final && ptLen !== this.chunkSize)
      throw new KeyfileError('MALFORMED', `chunk ${index} is not the last but holds ${ptLen} bytes`, {
        offset: chunk.offset,
      });
    if (final && ptLen === 0 && index > 0)
      throw new KeyfileError('MALFORMED', 'empty final chunk after other chunks', { offset: chunk.offset });
    if (!this.cek) return; // verify-only
    let pt: Uint8Array;
    try {
      pt = (this.options.gcm ?? nobleGcm).decrypt(
        this.cek,
        chunkNonce(this.nonce!, index),
        chunkAad(this.h!, index, final),
        chunk.ct,
      );
    } catch (cause) {
      throw new KeyfileError(
        'DECRYPTION_FAILED',
        `chunk ${index} does not authenticate (changed, reordered or truncated)`,
        {
          offset: chunk.offset,
          cause,
        },
      );
    }
    this.records(pt);
  }

  private records(pt: Uint8Array): void {
    const buf = this.leftover.length === 0 ? pt : concat(this.leftover, pt);
    if (buf !== pt) wipe(pt);
    wipe(this.leftover);
    const r = new TlvReader(buf);
    const max = this.options.maxRecordLength ?? 64 * 1024 * 1024;
    for (;;) {
      const start = r.pos;
      if (r.remaining === 0) break;
      // Peek at the length to see whether the whole record is here yet.
      let len: number;
      try {
        len = r.length();
      } catch (e) {
        if (e instanceof KeyfileError && e.code === 'INCOMPLETE') {
          r.pos = start;
          break;
        }
        throw e;
      }
      if (len > max)
        throw new KeyfileError('LIMIT_EXCEEDED', `record ${this.count} claims ${len} bytes (limit ${max})`);
      if (r.remaining < len) {
        r.pos = start;
        break;
      }
      r.pos = start;
      const index = this.count;
      let m: MeterRecord;
      try {
        m = readMeterRecord(r, max);
      } catch (e) {
        if (e instanceof KeyfileError) e.path.unshift('meters', index);
        throw e;
      }
      checkUnique(this.seen, m, index);
      this.count++;
      this.out.push(m);
    }
    this.leftover = buf.slice(r.pos);
    wipe(buf);
  }

  private trailerLine(line: Uint8Array, at: number): void {
    if (!this.pendingChunk) throw new KeyfileError('MALFORMED', 'trailer without any chunk', { offset: at });
    let text: string;
    try {
      text = DEC.decode(line);
    } catch (cause) {
      throw new KeyfileError('MALFORMED', 'trailer: not UTF-8', { offset: at, cause });
    }
    const t = parseTrailer(line, text, at);
    const bodyDigest = this.digest.digest();
    const chunks = this.chunkIndex + 1;
    if (t.chunks !== chunks || !ctEqual(fromBase64(t.bodyDigest), bodyDigest))
      throw new KeyfileError(
        'BAD_SIGNATURE',
        `the body does not match the signed trailer (chunks ${chunks}, trailer says ${t.chunks})`,
        {
          offset: at,
        },
      );
    if (
      !verifyP256(
        fromBase64(t.signature),
        tbs(this.h!, bodyDigest, t.count, t.chunks),
        this.signer!.publicKey,
      )
    )
      throw new KeyfileError('BAD_SIGNATURE', `the signature of "${this.signer!.subject}" does not verify`, {
        offset: at,
      });
    this.decrypt(this.pendingChunk, true);
    this.pendingChunk = undefined;
    if (this.cek) {
      if (this.leftover.length !== 0)
        throw new KeyfileError('MALFORMED', 'the body ends inside a record', { offset: at });
      if (this.count !== t.count)
        throw new KeyfileError(
          'MALFORMED',
          `the body holds ${this.count} meters, the trailer says ${t.count}`,
          { offset: at },
        );
      wipe(this.cek);
    }
    this.trailer = t;
    this.summary = { header: this.header!, signer: this.signer!, count: t.count, chunks: t.chunks };
  }

  /** Call when the input has ended: INCOMPLETE unless the signed trailer and its LF have been read. */
  end(): KeyFileSummary {
    if (!this.summary || this.partLen > 0) {
      wipe(this.cek);
      throw new KeyfileError(
        'INCOMPLETE',
        this.header ? 'the file ends before its signed trailer' : 'the file ends before its header',
        {
          offset: this.offset + this.partLen,
        },
      );
    }
    return this.summary;
  }
}
