import type { Vector } from '@ami-interop/conformance-vectors';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import { isKeyfileError } from '../src/errors.ts';
import {
  type CmsKeyFileHeader,
  decodeMeterRecord,
  encodeMeterRecord,
  type KeyFileHeader,
  type MeterRecordJson,
  meterFromJson,
  meterToJson,
  type OpeningKey,
  openKeyFile,
  openKeyFileCms,
  privateKeyFromScalar,
  type Recipient,
  sealKeyFile,
  sealKeyFileCms,
} from '../src/index.ts';
import { fromHex } from '../src/internal/bytes.ts';

const errorCode = (e: unknown): string | undefined => (isKeyfileError(e) ? e.code : undefined);
const errorOffset = (e: unknown): number | undefined => (isKeyfileError(e) ? e.offset : undefined);

runConformance('keyfile/record', {
  decode: (bytes) => meterToJson(decodeMeterRecord(bytes), { reveal: true }),
  encode: (decoded) => encodeMeterRecord(meterFromJson(decoded as MeterRecordJson)),
  errorCode,
  errorOffset,
});

interface AkfParams {
  key:
    | { kind: 'ecdh'; privateScalar: string }
    | { kind: 'password'; password: string }
    | { kind: 'kek'; kek: string };
  signerScalar: string;
  certificate: string;
  now: string;
  cek: string;
  nonce: string;
  ephemeral?: string;
  salt?: string;
  kekId?: string;
  scrypt?: { N: number; r: number; p: number };
}

function drawsFrom(p: AkfParams): (n: number) => Uint8Array {
  const draws = [p.cek, p.nonce, p.ephemeral ?? p.salt]
    .filter((x): x is string => x !== undefined)
    .map((h) => fromHex(h));
  return (n) => {
    const next = draws.shift();
    if (!next || next.length !== n) throw new Error(`unexpected draw of ${n} bytes`);
    return next;
  };
}

const keyCache = new Map<string, OpeningKey>();

/** The vector's opening key (cached: the truncation sweep decodes thousands of prefixes). */
function openingKey(p: AkfParams): OpeningKey {
  const id = JSON.stringify(p.key);
  let key = keyCache.get(id);
  if (!key) {
    key = makeOpeningKey(p);
    keyCache.set(id, key);
  }
  return key;
}

function makeOpeningKey(p: AkfParams): OpeningKey {
  const k = p.key;
  if (k.kind === 'ecdh') return { kind: 'ecdh', privateKey: privateKeyFromScalar(fromHex(k.privateScalar)) };
  if (k.kind === 'password') return k;
  return { kind: 'kek', kek: fromHex(k.kek) };
}

interface AkfDecoded {
  header: KeyFileHeader;
  count: number;
  chunks: number;
  meters: MeterRecordJson[];
}

runConformance('keyfile/akf', {
  decode: (bytes, v: Vector) => {
    const p = v.params as unknown as AkfParams;
    const r = openKeyFile(bytes, { key: openingKey(p), now: new Date(p.now) });
    return {
      header: r.header,
      count: r.count,
      chunks: r.chunks,
      meters: r.meters.map((m) => meterToJson(m, { reveal: true })),
    } satisfies AkfDecoded;
  },
  encode: (decoded, v: Vector) => {
    const d = decoded as AkfDecoded;
    const p = v.params as unknown as AkfParams;
    const draws = [p.cek, p.nonce, p.ephemeral ?? p.salt]
      .filter((x): x is string => x !== undefined)
      .map((h) => fromHex(h));
    const random = (n: number): Uint8Array => {
      const next = draws.shift();
      if (!next || next.length !== n) throw new Error(`unexpected draw of ${n} bytes`);
      return next;
    };
    const km = d.header.keyManagement;
    const key = openingKey(p);
    let recipient: Recipient;
    if (key.kind === 'ecdh') recipient = { kind: 'ecdh', publicKey: key.privateKey.publicKey };
    else if (key.kind === 'password' && km.alg === 'SCRYPT+A256KW')
      recipient = { kind: 'password', password: key.password, scrypt: { N: km.N, r: km.r, p: km.p } };
    else if (key.kind === 'kek' && 'kekId' in km) recipient = { kind: 'kek', kek: key.kek, kekId: km.kekId };
    else throw new Error('vector key and header disagree');
    return sealKeyFile(d.meters.map(meterFromJson), {
      issuer: d.header.issuer,
      recipientName: d.header.recipient,
      recipient,
      signer: {
        privateKey: privateKeyFromScalar(fromHex(p.signerScalar)),
        certificate: fromHex(p.certificate),
      },
      batchId: d.header.batchId,
      created: new Date(d.header.created),
      notBefore: new Date(d.header.notBefore),
      notAfter: new Date(d.header.notAfter),
      chunkSize: d.header.contentEncryption.chunkSize,
      random,
    });
  },
  errorCode,
  errorOffset,
});

interface CmsDecoded {
  header: CmsKeyFileHeader;
  count: number;
  recipientInfo: string;
  meters: MeterRecordJson[];
}

runConformance('keyfile/cms', {
  decode: (bytes, v: Vector) => {
    const p = v.params as unknown as AkfParams;
    const r = openKeyFileCms(bytes, { key: openingKey(p), now: new Date(p.now) });
    return {
      header: r.header,
      count: r.count,
      recipientInfo: r.recipientInfo,
      meters: r.meters.map((m) => meterToJson(m, { reveal: true })),
    } satisfies CmsDecoded;
  },
  encode: (decoded, v: Vector) => {
    const d = decoded as CmsDecoded;
    const p = v.params as unknown as AkfParams;
    const key = openingKey(p);
    const recipient: Recipient =
      key.kind === 'ecdh'
        ? { kind: 'ecdh', publicKey: key.privateKey.publicKey }
        : key.kind === 'kek'
          ? { kind: 'kek', kek: key.kek, kekId: p.kekId! }
          : { kind: 'password', password: key.password, scrypt: p.scrypt! };
    return sealKeyFileCms(d.meters.map(meterFromJson), {
      issuer: d.header.issuer,
      recipientName: d.header.recipient,
      recipient,
      signer: {
        privateKey: privateKeyFromScalar(fromHex(p.signerScalar)),
        certificate: fromHex(p.certificate),
      },
      batchId: d.header.batchId,
      created: new Date(d.header.created),
      notBefore: new Date(d.header.notBefore),
      notAfter: new Date(d.header.notAfter),
      random: drawsFrom(p),
    });
  },
  errorCode,
  errorOffset,
});
