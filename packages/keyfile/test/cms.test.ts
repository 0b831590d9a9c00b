import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  certificateToPem,
  cmsFromPem,
  cmsToPem,
  detectKeyFileFormat,
  isKeyfileError,
  meterToJson,
  openKeyFileCms,
  privateKeyToPem,
  sealKeyFile,
  sealKeyFileCms,
  selfSignedCertificate,
  verifyKeyFileCms,
} from '../src/index.ts';
import { HES, MAKER_CERT_PEM, meter, NOW, OTHER_HES, sealOptions } from './fixtures.ts';

const ecdh = { kind: 'ecdh', privateKey: HES } as const;
const meters = [meter(1), meter(2, { deviceId: 'D-2' }), meter(3)];
const FILE = sealKeyFileCms(meters, sealOptions());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isKeyfileError(e)) return e.code;
    throw e;
  }
  return undefined;
}

const json = (ms: typeof meters) => ms.map((m) => meterToJson(m, { reveal: true }));

describe('CMS form (AuthEnvelopedData inside SignedData)', () => {
  it('open(seal(x)) = x for ECDH (kari), KEK (kekri) and password (pwri)', () => {
    const a = openKeyFileCms(FILE, { key: ecdh, now: NOW });
    expect(a.recipientInfo).toBe('kari');
    expect(a.header).toMatchObject({ format: 'AKF', version: 1, batchId: 'batch-0001', count: 3 });
    expect(json(a.meters)).toEqual(json(meters));
    const kek = new Uint8Array(32).fill(7);
    const b = sealKeyFileCms(meters, sealOptions({ recipient: { kind: 'kek', kek, kekId: 'discom-a' } }));
    expect(json(openKeyFileCms(b, { key: { kind: 'kek', kek }, now: NOW }).meters)).toEqual(json(meters));
    const c = sealKeyFileCms(
      meters,
      sealOptions({ recipient: { kind: 'password', password: 'pw', scrypt: { N: 1024, r: 8, p: 1 } } }),
    );
    const oc = openKeyFileCms(c, { key: { kind: 'password', password: 'pw' }, now: NOW });
    expect(oc.recipientInfo).toBe('pwri');
    expect(json(oc.meters)).toEqual(json(meters));
    expect(codeOf(() => openKeyFileCms(c, { key: { kind: 'password', password: 'nope' }, now: NOW }))).toBe(
      'WRONG_RECIPIENT',
    );
  });

  it('is told apart from the JSON form, and survives PEM armour', () => {
    expect(detectKeyFileFormat(FILE)).toBe('cms');
    expect(detectKeyFileFormat(sealKeyFile([meter(1)], sealOptions()))).toBe('akf');
    const pem = cmsToPem(FILE);
    expect(detectKeyFileFormat(new TextEncoder().encode(pem))).toBe('cms-pem');
    expect(openKeyFileCms(cmsFromPem(pem), { key: ecdh, now: NOW }).count).toBe(3);
    expect(detectKeyFileFormat(new Uint8Array([1, 2]))).toBeUndefined();
  });

  it('is reproducible with fixed randomness', () => {
    expect(Buffer.from(sealKeyFileCms(meters, sealOptions())).equals(Buffer.from(FILE))).toBe(true);
  });

  it('refuses the wrong recipient, expiry, not-yet-valid and an untrusted signer', () => {
    expect(
      codeOf(() => openKeyFileCms(FILE, { key: { kind: 'ecdh', privateKey: OTHER_HES }, now: NOW })),
    ).toBe('WRONG_RECIPIENT');
    expect(
      codeOf(() => openKeyFileCms(FILE, { key: { kind: 'kek', kek: new Uint8Array(16) }, now: NOW })),
    ).toBe('WRONG_RECIPIENT');
    expect(codeOf(() => openKeyFileCms(FILE, { key: ecdh, now: new Date('2027-01-01T00:00:00Z') }))).toBe(
      'EXPIRED',
    );
    expect(codeOf(() => openKeyFileCms(FILE, { key: ecdh, now: new Date('2025-01-01T00:00:00Z') }))).toBe(
      'NOT_YET_VALID',
    );
    expect(codeOf(() => verifyKeyFileCms(FILE, { now: NOW, trustedSigners: [OTHER_HES.publicKey] }))).toBe(
      'BAD_CERTIFICATE',
    );
    expect(verifyKeyFileCms(FILE, { now: NOW, trustedSigners: [MAKER_CERT_PEM] }).count).toBe(3);
  });

  it('refuses duplicates at seal time', () => {
    expect(codeOf(() => sealKeyFileCms([meter(1), meter(1)], sealOptions()))).toBe('DUPLICATE_METER');
  });

  it('every strict prefix is INCOMPLETE', () => {
    for (let n = 0; n < FILE.length; n += n < 64 ? 1 : 17) {
      expect(
        codeOf(() => openKeyFileCms(FILE.subarray(0, n), { key: ecdh, now: NOW })),
        `prefix ${n}`,
      ).toBe('INCOMPLETE');
    }
  });

  it('refuses any single-byte change (every 7th byte, and a property over all positions)', () => {
    // (each try costs an ECDSA verification and an ECDH: the sweep is sampled, the property is random)
    for (let i = 0; i < FILE.length; i += 7) {
      const t = Uint8Array.from(FILE);
      t[i]! ^= 0x01;
      expect(
        codeOf(() => openKeyFileCms(t, { key: ecdh, now: NOW })),
        `byte ${i}`,
      ).toBeDefined();
    }
    fc.assert(
      fc.property(fc.nat(FILE.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const t = Uint8Array.from(FILE);
        t[i]! ^= x;
        return codeOf(() => openKeyFileCms(t, { key: ecdh, now: NOW })) !== undefined;
      }),
      { numRuns: 100 },
    );
  });

  it('random bytes never throw anything but typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        return codeOf(() => openKeyFileCms(b, { key: ecdh, now: NOW })) !== undefined;
      }),
      { numRuns: 500 },
    );
    // DER-shaped noise: a valid outer header over random content
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 120 }), (b) => {
        const t = new Uint8Array([0x30, b.length, ...b]);
        return codeOf(() => openKeyFileCms(t, { key: ecdh, now: NOW })) !== undefined;
      }),
      { numRuns: 500 },
    );
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const OPENSSL = hasOpenssl();
if (!OPENSSL) console.warn('SKIPPING the OpenSSL CMS oracle tests: no `openssl` binary on PATH');

describe.skipIf(!OPENSSL)('CMS form against the OpenSSL 3 command line (independent oracle)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akf-cms-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const p = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

  /** eContent is the bare AuthEnvelopedData (RFC 5652 §5.2); `openssl cms -decrypt` wants a ContentInfo around it. */
  function asContentInfo(authEnveloped: Uint8Array): Uint8Array {
    const len = (n: number) =>
      n < 128
        ? [n]
        : n < 256
          ? [0x81, n]
          : n < 65536
            ? [0x82, n >> 8, n & 255]
            : [0x83, n >> 16, (n >> 8) & 255, n & 255];
    const oid = [0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17];
    const inner = [...oid, 0xa0, ...len(authEnveloped.length), ...authEnveloped];
    return new Uint8Array([0x30, ...len(inner.length), ...inner]);
  }

  it('openssl verifies our signature, and decrypts kari (RFC 5753 X9.63 KDF) and kekri to our record bytes', () => {
    writeFileSync(p('maker.crt'), MAKER_CERT_PEM);
    writeFileSync(p('hes.key'), privateKeyToPem(HES));
    writeFileSync(p('hes.crt'), certificateToPem(selfSignedCertificate(HES, { subject: 'CN=HES' })));
    writeFileSync(p('a.p7m'), FILE);
    run([
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-in',
      p('a.p7m'),
      '-CAfile',
      p('maker.crt'),
      '-purpose',
      'any',
      '-out',
      p('a.env'),
    ]);
    writeFileSync(p('a.ci'), asContentInfo(readFileSync(p('a.env'))));
    run([
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      p('a.ci'),
      '-inkey',
      p('hes.key'),
      '-recip',
      p('hes.crt'),
      '-out',
      p('a.pt'),
    ]);
    const pt = readFileSync(p('a.pt'));
    expect(pt.subarray(0, 3).toString('hex')).toMatch(/^81..01$/); // record length (long form), then tag 0x01
    expect(pt.includes(Buffer.from('MK00000003'))).toBe(true);

    const kek = new Uint8Array(16).fill(0x42);
    writeFileSync(
      p('b.p7m'),
      sealKeyFileCms(meters, sealOptions({ recipient: { kind: 'kek', kek, kekId: 'discom-a' } })),
    );
    run([
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-in',
      p('b.p7m'),
      '-CAfile',
      p('maker.crt'),
      '-purpose',
      'any',
      '-out',
      p('b.env'),
    ]);
    writeFileSync(p('b.ci'), asContentInfo(readFileSync(p('b.env'))));
    run([
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      p('b.ci'),
      '-secretkey',
      Buffer.from(kek).toString('hex'),
      '-secretkeyid',
      Buffer.from('discom-a').toString('hex'),
      '-out',
      p('b.pt'),
    ]);
    expect(readFileSync(p('b.pt')).equals(pt)).toBe(true);
  });

  it('openssl refuses our file once a signed byte is changed', () => {
    const t = Uint8Array.from(FILE);
    t[t.length - 10]! ^= 1; // inside the signature value
    writeFileSync(p('c.p7m'), t);
    expect(() =>
      run([
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        p('c.p7m'),
        '-CAfile',
        p('maker.crt'),
        '-purpose',
        'any',
        '-out',
        p('c.env'),
      ]),
    ).toThrow();
  });
});
