/**
 * Fuzz targets for `@ami-interop/keyfile`: the meter record TLV, whole AKF/1 files (opened with the
 * vectors' pre-shared KEK, and verified without a key), the meters CSV and the DER/PEM parsers.
 *
 * @module
 */
import { loadVectors } from '@ami-interop/conformance-vectors';
import {
  decodeMeterRecord,
  decodePkcs8,
  decodeSpki,
  encodeMeterRecord,
  meterFromJson,
  meterToJson,
  openKeyFile,
  openKeyFileCms,
  parseCertificate,
  parseMetersCsv,
  privateKeyFromScalar,
  sealKeyFileCms,
  verifyKeyFile,
  verifyKeyFileCms,
} from '@ami-interop/keyfile';
import type { FuzzTarget } from '../target.ts';
import { hex, prefixesIncomplete, roundTrip, tryTyped, utf8 } from './util.ts';

/** The A128KW KEK of the vector 'pre-shared 128-bit KEK (A128KW), one meter' (keyfile/akf.json). */
const KEK = hex('000102030405060708090A0B0C0D0E0F');
/** The vectors' opening time (inside every file's validity period). */
const NOW = new Date('2026-03-01T12:00:00Z');

const CSV_SEED = [
  'serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret,device_id,ic_48,ic_32,gbek,site',
  'MK1,4D4B540000000001,000102030405060708090A0B0C0D0E0F,D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF,101112131415161718191A1B1C1D1E1F,3132333435363738,,,"DEV,1",10,20,,"A ""quoted"" site"',
  '',
].join('\n');

/**
 * CMS key files sealed here (there are no CMS vectors yet): the record vectors' meters, the akf vectors'
 * signer (scalar and certificate) and the KEK above, fixed dates and a deterministic random source.
 */
function cmsSeeds(): Uint8Array[] {
  const akf = loadVectors('keyfile/akf').vectors[0]!.params as { signerScalar: string; certificate: string };
  const meters = loadVectors('keyfile/record')
    .vectors.filter((v) => v.error === undefined && v.hex !== undefined)
    .map((v) => decodeMeterRecord(hex(v.hex!)));
  let counter = 0;
  const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => counter++ & 0xff);
  const seal = (ms: typeof meters): Uint8Array =>
    sealKeyFileCms(ms, {
      issuer: 'Maker Ltd',
      recipientName: 'Unified HES',
      recipient: { kind: 'kek', kek: KEK, kekId: 'kek-1' },
      signer: { privateKey: privateKeyFromScalar(hex(akf.signerScalar)), certificate: hex(akf.certificate) },
      batchId: 'batch-cms',
      created: new Date('2026-02-01T00:00:00Z'),
      notAfter: new Date('2026-08-01T00:00:00Z'),
      random,
    });
  return [seal(meters), seal(meters.slice(0, 1)), seal([])];
}

export const keyfileTargets: readonly FuzzTarget[] = [
  {
    name: 'keyfile-record',
    pkg: 'keyfile',
    description: 'decodeMeterRecord (the TLV meter record inside a key file), round trip',
    families: ['keyfile/record'],
    run(input) {
      return (
        roundTrip(decodeMeterRecord(input), encodeMeterRecord, decodeMeterRecord, (m) =>
          meterToJson(m, { reveal: true }),
        ) ?? prefixesIncomplete(input, decodeMeterRecord)
      );
    },
  },
  {
    name: 'keyfile-json',
    pkg: 'keyfile',
    description:
      'meterFromJson on parsed JSON text (input that is not JSON is skipped), then encodeMeterRecord',
    families: [],
    extraSeeds: () =>
      loadVectors('keyfile/record')
        .vectors.filter((v) => v.error === undefined && v.hex !== undefined)
        .map((v) =>
          new TextEncoder().encode(
            JSON.stringify(meterToJson(decodeMeterRecord(hex(v.hex!)), { reveal: true })),
          ),
        ),
    text: true,
    dictionary: ['null', '0', '-1', '[]', '{}', '[null]', '""', '"FF"', ','],
    run(input) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(utf8(input));
      } catch {
        return undefined;
      }
      encodeMeterRecord(meterFromJson(parsed as never));
      return undefined;
    },
  },
  {
    name: 'keyfile-open',
    pkg: 'keyfile',
    description: 'openKeyFile with the vectors’ KEK, and verifyKeyFile without a key (AKF/1 JSON container)',
    families: ['keyfile/akf'],
    text: true,
    dictionary: ['{', '}', '"', ',', '\n', '"chunkSize":', '"alg":', '"A128KW"', '"N":', '1e9', '-1', '""'],
    slowMs: 5000,
    run(input) {
      tryTyped(() => verifyKeyFile(input, { now: NOW }));
      openKeyFile(input, { key: { kind: 'kek', kek: KEK }, now: NOW });
      return undefined;
    },
  },
  {
    name: 'keyfile-cms',
    pkg: 'keyfile',
    description:
      'verifyKeyFileCms (no key) and openKeyFileCms with the KEK (CMS SignedData / AuthEnvelopedData)',
    families: [],
    extraSeeds: cmsSeeds,
    slowMs: 5000,
    run(input) {
      tryTyped(() => verifyKeyFileCms(input, { now: NOW }));
      openKeyFileCms(input, { key: { kind: 'kek', kek: KEK }, now: NOW });
      return undefined;
    },
  },
  {
    name: 'keyfile-csv',
    pkg: 'keyfile',
    description: 'parseMetersCsv (meters CSV with quoted cells)',
    families: [],
    extraSeeds: () => [new TextEncoder().encode(CSV_SEED)],
    text: true,
    dictionary: [',', '"', '""', '\n', '\r\n', 'serial', 'ic_48', 'ic_32', '00', 'FF'],
    run(input) {
      parseMetersCsv(utf8(input));
      return undefined;
    },
  },
  {
    name: 'keyfile-der',
    pkg: 'keyfile',
    description: 'parseCertificate, decodeSpki and decodePkcs8 (DER via asn1js)',
    families: [],
    extraSeeds: () => {
      const certs = new Set<string>();
      for (const v of loadVectors('keyfile/akf').vectors) {
        const c = (v.params as { certificate?: unknown } | undefined)?.certificate;
        if (typeof c === 'string') certs.add(c);
      }
      return [...certs].map(hex);
    },
    run(input) {
      tryTyped(() => decodeSpki(input));
      tryTyped(() => decodePkcs8(input));
      parseCertificate(input);
      return undefined;
    },
  },
];
