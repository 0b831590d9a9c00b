/**
 * One meter's entry in a key file, and its binary encoding (the plaintext of the encrypted body).
 *
 * ```text
 * Record      = Length RecordBody                   ; Length: BER definite, minimal, at most 4 bytes
 * RecordBody  = Field*                              ; tags in ascending order; only 0x30, 0x40, 0x7F repeat
 * Field       = Tag(1 byte) Length Value
 *
 * tag   field              value                                  presence
 * 0x01  serial             UTF-8, 1..64 bytes                     required
 * 0x02  deviceId           UTF-8, 1..256 bytes                    optional
 * 0x03  manufacturer       UTF-8, 1..256 bytes                    optional
 * 0x04  meterType          UTF-8, 1..256 bytes                    optional
 * 0x05  category           UTF-8, 1..256 bytes                    optional
 * 0x06  systemTitle        8 bytes                                required
 * 0x10  guek               16 or 32 bytes (global unicast enc.)   required
 * 0x11  gbek               16 or 32 bytes (global broadcast enc.) optional
 * 0x12  gak                16 or 32 bytes (authentication)        required
 * 0x13  mk                 16 or 32 bytes (master key, KEK)       required
 * 0x20  llsSecret          1..255 bytes (Meter Reader)            optional
 * 0x21  hlsUsSecret        1..255 bytes (Utility Settings)        optional
 * 0x22  hlsFwSecret        1..255 bytes (Firmware Upgrade)        optional
 * 0x30  invocationCounter  u16 clientSap, u32 counter; SAPs strictly ascending          0..16 times
 * 0x40  firmware           nested fields (below); identifiers strictly ascending       0..16 times
 * 0x7F  extra              nested: 0x01 name (UTF-8 1..64), 0x02 value (UTF-8 0..1024);
 *                          names strictly ascending (UTF-8 byte order)                 0..64 times
 * 0x80..0xFE               extensions: skipped by readers of this version
 *
 * firmware: 0x01 identifier (UTF-8 1..256, required), 0x02 size (u64, required),
 *           0x03 sha256 (32 bytes, required), 0x04 image (bytes; length = size, SHA-256 = sha256)
 *           or 0x05 reference (UTF-8 1..2048), at most one of the two.
 * ```
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { KeyfileError, withPath } from './errors.ts';
import { ctEqual, fromHex, fromUtf8, setOwn, toHex, utf8 } from './internal/bytes.ts';
import { TlvReader, TlvWriter } from './internal/tlv.ts';
import { SecretBytes } from './secret.ts';

/** A firmware image for a meter: identified and digested, carried inline or referenced. */
export interface FirmwareImage {
  identifier: string;
  size: number;
  sha256: Uint8Array;
  /** The image itself (its length is `size` and its SHA-256 is `sha256`). */
  image?: Uint8Array;
  /** Where to fetch the image (URI or file name), when not inline. */
  reference?: string;
}

/** The invocation counter of one association (by client SAP: 32 MR, 48 US, 64 push, 80 FW in IS 15959). */
export interface InvocationCounter {
  clientSap: number;
  counter: number;
}

/** Everything the key file carries for one meter. Key material is {@link SecretBytes}: it never prints. */
export interface MeterRecord {
  serial: string;
  deviceId?: string;
  manufacturer?: string;
  meterType?: string;
  category?: string;
  /** DLMS system title, 8 bytes (not secret). */
  systemTitle: Uint8Array;
  keys: { guek: SecretBytes; gbek?: SecretBytes; gak: SecretBytes; mk: SecretBytes };
  secrets: { lls?: SecretBytes; hlsUs?: SecretBytes; hlsFw?: SecretBytes };
  invocationCounters: InvocationCounter[];
  firmware: FirmwareImage[];
  /** Further columns (name → text), e.g. from a CSV's extra columns. */
  extra: Record<string, string>;
}

/** The JSON form of a record: keys as uppercase hex, or `"[redacted]"` unless revealed. */
export interface MeterRecordJson {
  serial: string;
  deviceId?: string;
  manufacturer?: string;
  meterType?: string;
  category?: string;
  systemTitle: string;
  keys: { guek: string; gbek?: string; gak: string; mk: string };
  secrets: { lls?: string; hlsUs?: string; hlsFw?: string };
  invocationCounters: InvocationCounter[];
  firmware: { identifier: string; size: number; sha256: string; image?: string; reference?: string }[];
  extra: Record<string, string>;
}

export const TAG = {
  serial: 0x01,
  deviceId: 0x02,
  manufacturer: 0x03,
  meterType: 0x04,
  category: 0x05,
  systemTitle: 0x06,
  guek: 0x10,
  gbek: 0x11,
  gak: 0x12,
  mk: 0x13,
  lls: 0x20,
  hlsUs: 0x21,
  hlsFw: 0x22,
  invocationCounter: 0x30,
  firmware: 0x40,
  extra: 0x7f,
} as const;

const TAG_NAME: Record<number, string> = /* @__PURE__ */ (() => {
  const t: Record<number, string> = {};
  for (const [k, v] of Object.entries(TAG)) t[v] = k;
  return t;
})();

const TEXT_FIELDS = ['deviceId', 'manufacturer', 'meterType', 'category'] as const;
const KEY_FIELDS = ['guek', 'gbek', 'gak', 'mk'] as const;
const SECRET_FIELDS = ['lls', 'hlsUs', 'hlsFw'] as const;
const REQUIRED_KEYS = new Set(['guek', 'gak', 'mk']);

/** Limits checked on encode and decode. */
export const RECORD_LIMITS = {
  serial: 64,
  text: 256,
  secret: 255,
  counters: 16,
  firmware: 16,
  extras: 64,
  extraName: 64,
  extraValue: 1024,
  reference: 2048,
} as const;

function bad(message: string, offset?: number): KeyfileError {
  return new KeyfileError('MALFORMED', message, offset === undefined ? {} : { offset });
}

function arg(message: string): KeyfileError {
  return new KeyfileError('INVALID_ARGUMENT', message);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkText(name: string, s: string, min: number, max: number): Uint8Array {
  const b = utf8(s);
  if (b.length < min || b.length > max) throw arg(`${name}: ${b.length} bytes, expected ${min}..${max}`);
  return b;
}

function checkKey(name: string, k: SecretBytes): Uint8Array {
  if (!(k instanceof SecretBytes)) throw arg(`${name}: expected SecretBytes`);
  if (k.length !== 16 && k.length !== 32) throw arg(`${name}: ${k.length} bytes, expected 16 or 32`);
  return k.reveal();
}

/** Encodes one record (length prefix included). Throws INVALID_ARGUMENT for values outside the limits. */
export function encodeMeterRecord(m: MeterRecord): Uint8Array<ArrayBuffer> {
  const w = new TlvWriter(256);
  w.tlv(TAG.serial, checkText('serial', m.serial, 1, RECORD_LIMITS.serial));
  for (const f of TEXT_FIELDS) {
    const v = m[f];
    if (v !== undefined) w.tlv(TAG[f], checkText(f, v, 1, RECORD_LIMITS.text));
  }
  if (!(m.systemTitle instanceof Uint8Array) || m.systemTitle.length !== 8)
    throw arg('systemTitle: expected 8 bytes');
  w.tlv(TAG.systemTitle, m.systemTitle);
  for (const f of KEY_FIELDS) {
    const k = m.keys[f];
    if (k === undefined) {
      if (REQUIRED_KEYS.has(f)) throw arg(`keys.${f} is required`);
      continue;
    }
    w.tlv(TAG[f], checkKey(`keys.${f}`, k));
  }
  for (const f of SECRET_FIELDS) {
    const k = m.secrets[f];
    if (k === undefined) continue;
    if (!(k instanceof SecretBytes) || k.length < 1 || k.length > RECORD_LIMITS.secret)
      throw arg(`secrets.${f}: expected 1..255 secret bytes`);
    w.tlv(TAG[f], k.reveal());
  }
  const ics = m.invocationCounters ?? [];
  if (ics.length > RECORD_LIMITS.counters) throw arg('too many invocation counters');
  let prevSap = -1;
  for (const ic of ics) {
    if (
      !Number.isInteger(ic.clientSap) ||
      ic.clientSap < 0 ||
      ic.clientSap > 0xffff ||
      ic.clientSap <= prevSap
    )
      throw arg('invocationCounters: clientSap must be u16, strictly ascending');
    if (!Number.isInteger(ic.counter) || ic.counter < 0 || ic.counter > 0xffffffff)
      throw arg('invocationCounters: counter must be u32');
    prevSap = ic.clientSap;
    w.u8(TAG.invocationCounter).length(6).u16(ic.clientSap).u32(ic.counter);
  }
  const fws = m.firmware ?? [];
  if (fws.length > RECORD_LIMITS.firmware) throw arg('too many firmware images');
  let prevId: Uint8Array | undefined;
  for (const fw of fws) {
    const id = checkText('firmware.identifier', fw.identifier, 1, RECORD_LIMITS.text);
    if (prevId && compareBytes(prevId, id) >= 0)
      throw arg('firmware: identifiers must be strictly ascending');
    prevId = id;
    if (!Number.isSafeInteger(fw.size) || fw.size < 0) throw arg('firmware.size: expected a safe integer');
    if (!(fw.sha256 instanceof Uint8Array) || fw.sha256.length !== 32) throw arg('firmware.sha256: 32 bytes');
    if (fw.image !== undefined && fw.reference !== undefined)
      throw arg('firmware: give the image or a reference, not both');
    const inner = new TlvWriter(64 + (fw.image?.length ?? 0));
    inner.tlv(1, id);
    const size = new Uint8Array(8);
    new DataView(size.buffer).setBigUint64(0, BigInt(fw.size));
    inner.tlv(2, size).tlv(3, fw.sha256);
    if (fw.image !== undefined) {
      if (fw.image.length !== fw.size) throw arg('firmware.image: length differs from size');
      if (!ctEqual(sha256(fw.image), fw.sha256)) throw arg('firmware.image: SHA-256 differs from sha256');
      inner.tlv(4, fw.image);
    }
    if (fw.reference !== undefined)
      inner.tlv(5, checkText('firmware.reference', fw.reference, 1, RECORD_LIMITS.reference));
    w.tlv(TAG.firmware, inner.finish());
  }
  const names = Object.keys(m.extra ?? {}).map((n) => [utf8(n), n] as const);
  if (names.length > RECORD_LIMITS.extras) throw arg('too many extra fields');
  names.sort((a, b) => compareBytes(a[0], b[0]));
  for (const [nb, n] of names) {
    if (nb.length < 1 || nb.length > RECORD_LIMITS.extraName) throw arg(`extra name "${n}": 1..64 bytes`);
    const vb = checkText(`extra.${n}`, m.extra[n]!, 0, RECORD_LIMITS.extraValue);
    w.tlv(TAG.extra, new TlvWriter(8 + nb.length + vb.length).tlv(1, nb).tlv(2, vb).finish());
  }
  const body = w.finish();
  const out = new TlvWriter(body.length + 5).length(body.length).bytes(body).finish();
  body.fill(0);
  return out;
}

function text(r: TlvReader, len: number, min: number, max: number, what: string): string {
  const at = r.base + r.pos;
  if (len < min || len > max) throw bad(`${what}: ${len} bytes, expected ${min}..${max}`, at);
  return fromUtf8(r.bytes(len), what);
}

/**
 * Reads one record (length prefix included) from `r`. Key bytes are copied into {@link SecretBytes};
 * the caller may wipe its buffer afterwards.
 */
export function readMeterRecord(r: TlvReader, maxLength = 64 * 1024 * 1024): MeterRecord {
  const lenAt = r.base + r.pos;
  const len = r.length();
  if (len > maxLength) throw new KeyfileError('LIMIT_EXCEEDED', `record of ${len} bytes`, { offset: lenAt });
  const body = r.sub(len);
  const m: Omit<Partial<MeterRecord>, 'keys'> & {
    keys: Partial<MeterRecord['keys']>;
    secrets: MeterRecord['secrets'];
    invocationCounters: InvocationCounter[];
    firmware: FirmwareImage[];
    extra: Record<string, string>;
  } = { keys: {}, secrets: {}, invocationCounters: [], firmware: [], extra: {} };
  let prevTag = 0;
  let prevExtra: Uint8Array | undefined;
  let prevFw: Uint8Array | undefined;
  while (body.remaining > 0) {
    const at = body.base + body.pos;
    const tag = body.u8();
    const vlen = body.length();
    if (tag < prevTag || (tag === prevTag && tag !== 0x30 && tag !== 0x40 && tag !== 0x7f))
      throw bad(`field 0x${tag.toString(16)} out of order or repeated`, at);
    prevTag = tag;
    const name = TAG_NAME[tag] ?? `0x${tag.toString(16)}`;
    withPath(name, () => {
      const vAt = at; // errors about a field point at its tag
      switch (tag) {
        case TAG.serial:
          m.serial = text(body, vlen, 1, RECORD_LIMITS.serial, 'serial');
          return;
        case TAG.deviceId:
        case TAG.manufacturer:
        case TAG.meterType:
        case TAG.category:
          m[name as (typeof TEXT_FIELDS)[number]] = text(body, vlen, 1, RECORD_LIMITS.text, name);
          return;
        case TAG.systemTitle:
          if (vlen !== 8) throw bad('systemTitle: expected 8 bytes', vAt);
          m.systemTitle = Uint8Array.from(body.bytes(8));
          return;
        case TAG.guek:
        case TAG.gbek:
        case TAG.gak:
        case TAG.mk:
          if (vlen !== 16 && vlen !== 32) throw bad(`${name}: ${vlen} bytes, expected 16 or 32`, vAt);
          m.keys[name as (typeof KEY_FIELDS)[number]] = new SecretBytes(body.bytes(vlen));
          return;
        case TAG.lls:
        case TAG.hlsUs:
        case TAG.hlsFw:
          if (vlen < 1 || vlen > RECORD_LIMITS.secret) throw bad(`${name}: expected 1..255 bytes`, vAt);
          m.secrets[name as (typeof SECRET_FIELDS)[number]] = new SecretBytes(body.bytes(vlen));
          return;
        case TAG.invocationCounter: {
          if (vlen !== 6) throw bad('invocationCounter: expected 6 bytes', vAt);
          if (m.invocationCounters.length >= RECORD_LIMITS.counters) throw bad('too many counters', at);
          const clientSap = body.u16();
          const counter = body.u32();
          const prev = m.invocationCounters.at(-1);
          if (prev && prev.clientSap >= clientSap) throw bad('clientSap not strictly ascending', vAt);
          m.invocationCounters.push({ clientSap, counter });
          return;
        }
        case TAG.firmware: {
          if (m.firmware.length >= RECORD_LIMITS.firmware) throw bad('too many firmware images', at);
          const fw = readFirmware(body.sub(vlen));
          const id = utf8(fw.identifier);
          if (prevFw && compareBytes(prevFw, id) >= 0) throw bad('firmware identifiers not ascending', vAt);
          prevFw = id;
          m.firmware.push(fw);
          return;
        }
        case TAG.extra: {
          if (Object.keys(m.extra).length >= RECORD_LIMITS.extras) throw bad('too many extra fields', at);
          const x = body.sub(vlen);
          const nAt = x.base + x.pos;
          if (x.u8() !== 1) throw bad('extra: expected name (0x01)', nAt);
          const nlen = x.length();
          const nb = x.bytes(nlen);
          if (nlen < 1 || nlen > RECORD_LIMITS.extraName) throw bad('extra name: 1..64 bytes', nAt);
          if (prevExtra && compareBytes(prevExtra, nb) >= 0) throw bad('extra names not ascending', nAt);
          prevExtra = nb;
          const vtAt = x.base + x.pos;
          if (x.u8() !== 2) throw bad('extra: expected value (0x02)', vtAt);
          const value = text(x, x.length(), 0, RECORD_LIMITS.extraValue, 'extra value');
          if (x.remaining !== 0) throw bad('extra: trailing bytes', x.base + x.pos);
          setOwn(m.extra, fromUtf8(nb, 'extra name'), value);
          return;
        }
        default:
          if (tag >= 0x80 && tag <= 0xfe) {
            body.bytes(vlen); // an extension field of a later minor revision: skipped
            return;
          }
          throw bad(`unknown field tag 0x${tag.toString(16)}`, at);
      }
    });
  }
  const end = body.base + body.end;
  if (m.serial === undefined) throw bad('record without serial', end);
  if (m.systemTitle === undefined) throw bad(`meter ${m.serial}: no systemTitle`, end);
  for (const k of REQUIRED_KEYS)
    if (m.keys[k as 'guek'] === undefined) throw bad(`meter ${m.serial}: no ${k}`, end);
  return m as MeterRecord;
}

function readFirmware(r: TlvReader): FirmwareImage {
  const fw: Partial<FirmwareImage> = {};
  let prev = 0;
  while (r.remaining > 0) {
    const at = r.base + r.pos;
    const tag = r.u8();
    const len = r.length();
    if (tag <= prev) throw bad('firmware field out of order or repeated', at);
    prev = tag;
    const vAt = r.base + r.pos;
    switch (tag) {
      case 1:
        fw.identifier = text(r, len, 1, RECORD_LIMITS.text, 'firmware identifier');
        break;
      case 2: {
        if (len !== 8) throw bad('firmware size: expected 8 bytes', vAt);
        const b = r.bytes(8);
        const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('firmware size too large', vAt);
        fw.size = Number(v);
        break;
      }
      case 3:
        if (len !== 32) throw bad('firmware sha256: expected 32 bytes', vAt);
        fw.sha256 = Uint8Array.from(r.bytes(32));
        break;
      case 4:
        fw.image = Uint8Array.from(r.bytes(len));
        break;
      case 5:
        if (fw.image !== undefined) throw bad('firmware: both image and reference', at);
        fw.reference = text(r, len, 1, RECORD_LIMITS.reference, 'firmware reference');
        break;
      default:
        throw bad(`unknown firmware field 0x${tag.toString(16)}`, at);
    }
  }
  const end = r.base + r.end;
  if (fw.identifier === undefined || fw.size === undefined || fw.sha256 === undefined)
    throw bad('firmware: identifier, size and sha256 are required', end);
  if (fw.image !== undefined) {
    if (fw.image.length !== fw.size) throw bad('firmware image length differs from size', end);
    if (!ctEqual(sha256(fw.image), fw.sha256)) throw bad('firmware image SHA-256 mismatch', end);
  }
  return fw as FirmwareImage;
}

/** Decodes exactly one record from `bytes` (length prefix included; no trailing bytes). */
export function decodeMeterRecord(bytes: Uint8Array): MeterRecord {
  const r = new TlvReader(bytes);
  const m = readMeterRecord(r);
  if (r.remaining !== 0) throw bad('trailing bytes after the record', r.pos);
  return m;
}

/** The JSON form. Key material is `"[redacted]"` unless `reveal` is true. */
export function meterToJson(m: MeterRecord, options: { reveal?: boolean } = {}): MeterRecordJson {
  const show = (s: SecretBytes): string => (options.reveal ? s.revealHex() : '[redacted]');
  const j: MeterRecordJson = {
    serial: m.serial,
    systemTitle: toHex(m.systemTitle),
    keys: { guek: '', gak: '', mk: '' },
    secrets: {},
    invocationCounters: m.invocationCounters.map((c) => ({ clientSap: c.clientSap, counter: c.counter })),
    firmware: [],
    extra: { ...m.extra },
  };
  for (const f of TEXT_FIELDS) if (m[f] !== undefined) j[f] = m[f];
  const keys: Record<string, string> = {};
  for (const f of KEY_FIELDS) if (m.keys[f]) keys[f] = show(m.keys[f]);
  j.keys = keys as MeterRecordJson['keys'];
  for (const f of SECRET_FIELDS) if (m.secrets[f]) j.secrets[f] = show(m.secrets[f]);
  for (const fw of m.firmware) {
    const o: MeterRecordJson['firmware'][number] = {
      identifier: fw.identifier,
      size: fw.size,
      sha256: toHex(fw.sha256),
    };
    if (fw.image) o.image = toHex(fw.image);
    if (fw.reference !== undefined) o.reference = fw.reference;
    j.firmware.push(o);
  }
  return j;
}

type JsonObject = Record<string, unknown>;

/** The JSON form is untrusted input: every shape is checked, and a wrong one is a MALFORMED with its path. */
function jsonObject(v: unknown, path: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new KeyfileError('MALFORMED', `${path}: expected an object`, { path: [path] });
  }
  return v as JsonObject;
}

function jsonExtra(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined) return out;
  for (const [name, value] of Object.entries(jsonObject(v, 'extra')))
    setOwn(out, name, jsonString(value, `extra.${name}`));
  return out;
}

function jsonString(v: unknown, path: string): string {
  if (typeof v !== 'string')
    throw new KeyfileError('MALFORMED', `${path}: expected a string`, { path: [path] });
  return v;
}

function jsonCount(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new KeyfileError('MALFORMED', `${path}: expected a non-negative integer`, { path: [path] });
  }
  return v;
}

function jsonArray(v: unknown, path: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new KeyfileError('MALFORMED', `${path}: expected an array`, { path: [path] });
  return v;
}

/** Builds a record from its (revealed) JSON form; a malformed form is refused with `MALFORMED` and a path. */
export function meterFromJson(json: MeterRecordJson): MeterRecord {
  const j = jsonObject(json, 'meter');
  const keys = jsonObject(j.keys, 'keys');
  const s = (h: unknown, what: string): SecretBytes => new SecretBytes(fromHex(jsonString(h, what), what));
  const m: MeterRecord = {
    serial: jsonString(j.serial, 'serial'),
    systemTitle: fromHex(jsonString(j.systemTitle, 'systemTitle'), 'systemTitle'),
    keys: { guek: s(keys.guek, 'guek'), gak: s(keys.gak, 'gak'), mk: s(keys.mk, 'mk') },
    secrets: {},
    invocationCounters: jsonArray(j.invocationCounters, 'invocationCounters').map((x, i) => {
      const c = jsonObject(x, `invocationCounters[${i}]`);
      return {
        clientSap: jsonCount(c.clientSap, `invocationCounters[${i}].clientSap`),
        counter: jsonCount(c.counter, `invocationCounters[${i}].counter`),
      };
    }),
    firmware: jsonArray(j.firmware, 'firmware').map((x, i) => {
      const f = jsonObject(x, `firmware[${i}]`);
      const fw: FirmwareImage = {
        identifier: jsonString(f.identifier, `firmware[${i}].identifier`),
        size: jsonCount(f.size, `firmware[${i}].size`),
        sha256: fromHex(jsonString(f.sha256, `firmware[${i}].sha256`), 'sha256'),
      };
      if (f.image !== undefined) fw.image = fromHex(jsonString(f.image, `firmware[${i}].image`), 'image');
      if (f.reference !== undefined) fw.reference = jsonString(f.reference, `firmware[${i}].reference`);
      return fw;
    }),
    extra: jsonExtra(j.extra),
  };
  for (const f of TEXT_FIELDS) if (j[f] !== undefined) m[f] = jsonString(j[f], f);
  if (keys.gbek !== undefined) m.keys.gbek = s(keys.gbek, 'gbek');
  if (j.secrets !== undefined) {
    const secrets = jsonObject(j.secrets, 'secrets');
    for (const f of SECRET_FIELDS) if (secrets[f] !== undefined) m.secrets[f] = s(secrets[f], f);
  }
  return m;
}

/** Zeroes every key and secret of the record. */
export function wipeMeter(m: MeterRecord): void {
  for (const f of KEY_FIELDS) m.keys[f]?.wipe();
  for (const f of SECRET_FIELDS) m.secrets[f]?.wipe();
}
