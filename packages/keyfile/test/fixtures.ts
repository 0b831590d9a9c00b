import { sha256 } from '@noble/hashes/sha2.js';
import {
  certificateToPem,
  type MeterRecord,
  type P256PrivateKey,
  privateKeyFromScalar,
  type SealOptions,
  SecretBytes,
  selfSignedCertificate,
} from '../src/index.ts';

/** A deterministic byte source for reproducible files: SHA-256(label ‖ counter) blocks. */
export function fixedRandom(label: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const block = sha256(new TextEncoder().encode(`${label}/${counter++}`));
      out.set(block.subarray(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}

export function scalar(label: string): Uint8Array {
  return sha256(new TextEncoder().encode(`scalar/${label}`));
}

export const MAKER: P256PrivateKey = privateKeyFromScalar(scalar('maker'));
export const HES: P256PrivateKey = privateKeyFromScalar(scalar('hes'));
export const OTHER_HES: P256PrivateKey = privateKeyFromScalar(scalar('other-hes'));
export const MAKER_CERT: Uint8Array = selfSignedCertificate(MAKER, {
  subject: 'CN=Maker Ltd key file signer, O=Maker Ltd, C=IN',
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2031-01-01T00:00:00Z'),
  serialNumber: new Uint8Array([1]),
});
export const MAKER_CERT_PEM: string = certificateToPem(MAKER_CERT);
export const NOW: Date = new Date('2026-03-01T12:00:00Z');

export function meter(i: number, extra: Partial<MeterRecord> = {}): MeterRecord {
  const k = (tag: number): SecretBytes =>
    new SecretBytes(new Uint8Array(16).map((_, j) => (i * 7 + tag * 31 + j) & 255));
  const st = new Uint8Array([
    0x4d,
    0x4b,
    0x54,
    0,
    (i >>> 24) & 255,
    (i >>> 16) & 255,
    (i >>> 8) & 255,
    i & 255,
  ]);
  return {
    serial: `MK${String(i).padStart(8, '0')}`,
    systemTitle: st,
    keys: { guek: k(1), gak: k(2), mk: k(3) },
    secrets: { lls: new SecretBytes(new TextEncoder().encode('lls-secret-1')), hlsUs: k(5), hlsFw: k(6) },
    invocationCounters: [
      { clientSap: 48, counter: i },
      { clientSap: 80, counter: 1 },
    ],
    firmware: [],
    extra: {},
    ...extra,
  };
}

export function sealOptions(overrides: Partial<SealOptions> = {}): SealOptions {
  return {
    issuer: 'Maker Ltd',
    recipientName: 'Unified HES, Discom A',
    recipient: { kind: 'ecdh', publicKey: HES.publicKey },
    signer: { privateKey: MAKER, certificate: MAKER_CERT },
    batchId: 'batch-0001',
    created: new Date('2026-02-01T00:00:00Z'),
    notAfter: new Date('2026-08-01T00:00:00Z'),
    random: fixedRandom('seal'),
    ...overrides,
  };
}
