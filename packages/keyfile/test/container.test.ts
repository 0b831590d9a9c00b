import * as crypto from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isKeyfileError,
  KeyFileReader,
  KeyFileWriter,
  meterToJson,
  type OpenOptions,
  openKeyFile,
  readKeyFile,
  sealKeyFile,
  sealKeyFileStream,
  verifyKeyFile,
} from '../src/index.ts';
import { fromBase64 } from '../src/internal/bytes.ts';
import { encodePkcs8, encodeSpki } from '../src/pki.ts';
import { HES, MAKER_CERT_PEM, meter, NOW, OTHER_HES, sealOptions } from './fixtures.ts';

const ecdh = { kind: 'ecdh', privateKey: HES } as const;
const open = (file: Uint8Array, o: Partial<OpenOptions> = {}) =>
  openKeyFile(file, { key: ecdh, now: NOW, ...o });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isKeyfileError(e)) return e.code;
    throw e;
  }
  return undefined;
}

const meters = [
  meter(1),
  meter(2, { deviceId: 'D-2', manufacturer: 'Maker Ltd', meterType: '1P', category: 'D1' }),
  meter(3),
];
const FILE = sealKeyFile(meters, sealOptions({ chunkSize: 256 }));

describe('AKF/1 JSON container', () => {
  it('open(seal(x)) = x, with the header and signer reported', () => {
    const r = open(FILE);
    expect(r.count).toBe(3);
    expect(r.chunks).toBeGreaterThan(1);
    expect(r.header.issuer).toBe('Maker Ltd');
    expect(r.signer.commonName).toBe('Maker Ltd key file signer');
    expect(r.meters.map((m) => meterToJson(m, { reveal: true }))).toEqual(
      meters.map((m) => meterToJson(m, { reveal: true })),
    );
  });

  it('is byte-reproducible with fixed randomness, different with fresh randomness', () => {
    expect(Buffer.from(sealKeyFile(meters, sealOptions({ chunkSize: 256 }))).equals(FILE)).toBe(true);
    const fresh = sealKeyFile(meters, sealOptions({ chunkSize: 256, random: undefined }));
    expect(Buffer.from(fresh).equals(FILE)).toBe(false);
    expect(open(fresh).count).toBe(3);
  });

  it('the header is human-readable JSON and keys never appear in it or in the JSON output', () => {
    const text = new TextDecoder().decode(FILE);
    const header = JSON.parse(text.slice(0, text.indexOf('\n')));
    expect(header.format).toBe('AKF');
    expect(header.version).toBe(1);
    const guekHex = meters[0]!.keys.guek.revealHex();
    expect(text.toUpperCase()).not.toContain(guekHex);
    const opened = open(FILE).meters[0]!;
    expect(JSON.stringify(opened)).not.toContain(guekHex);
    expect(JSON.stringify(meterToJson(opened))).not.toContain(guekHex);
    expect(String(opened.keys.guek)).toBe('[secret 16 bytes]');
    // node's inspector (console.log) shows the placeholder, not the bytes
    expect(inspect(opened, { depth: 5 })).not.toMatch(/guek: (Uint8Array|<Buffer)/);
    expect(inspect(opened.keys.guek)).toBe('[secret 16 bytes]');
  });

  it('the signature verifies with node:crypto (independent oracle)', () => {
    const lines = new TextDecoder().decode(FILE).trimEnd().split('\n');
    const trailer = JSON.parse(lines.at(-1)!);
    const h = crypto.createHash('sha256').update(lines[0]!).digest();
    const body = crypto.createHash('sha256');
    for (const l of lines.slice(1, -1)) {
      const ct = Buffer.from(JSON.parse(l), 'base64');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(ct.length);
      body.update(len).update(ct);
    }
    const digest = body.digest();
    expect(digest.toString('base64')).toBe(trailer.bodyDigest);
    const n = (v: number) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(BigInt(v));
      return b;
    };
    const tbs = Buffer.concat([
      Buffer.from('AKF/1 signature\0'),
      h,
      digest,
      n(trailer.count),
      n(trailer.chunks),
    ]);
    const sig = Buffer.from(trailer.signature, 'base64');
    expect(crypto.verify('sha256', tbs, { key: MAKER_CERT_PEM, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
  });

  it('chunk 0 decrypts with node:crypto AES-256-GCM given the CEK path (ECDH + HKDF + AES-KW)', () => {
    const lines = new TextDecoder().decode(FILE).trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    const km = header.keyManagement;
    const hesKey = crypto.createPrivateKey({
      key: Buffer.from(encodePkcs8(HES)),
      format: 'der',
      type: 'pkcs8',
    });
    const epk = Buffer.from(km.epk, 'base64');
    const epkKey = crypto.createPublicKey({ key: Buffer.from(encodeSpki(epk)), format: 'der', type: 'spki' });
    const z = crypto.diffieHellman({ privateKey: hesKey, publicKey: epkKey });
    const kek = Buffer.from(
      crypto.hkdfSync(
        'sha256',
        z,
        Buffer.concat([epk, Buffer.from(HES.publicKey)]),
        'AKF/1 ECDH-ES A256KW',
        32,
      ),
    );
    const unwrap = crypto.createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    const cek = Buffer.concat([unwrap.update(Buffer.from(km.wrappedKey, 'base64')), unwrap.final()]);
    const ct = Buffer.from(JSON.parse(lines[1]!), 'base64');
    const nonce = Buffer.from(header.contentEncryption.nonce, 'base64'); // chunk 0: XOR with 0
    const aad = Buffer.concat([
      Buffer.from('AKF/1 chunk\0'),
      crypto.createHash('sha256').update(lines[0]!).digest(),
      Buffer.alloc(8),
      Buffer.from([lines.length === 3 ? 1 : 0]),
    ]);
    const d = crypto.createDecipheriv('aes-256-gcm', cek, nonce);
    d.setAAD(aad);
    d.setAuthTag(ct.subarray(ct.length - 16));
    const pt = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
    expect(pt.length).toBe(256);
    // the first record starts with its length, then tag 0x01 serial
    expect(pt[pt[0]! < 0x80 ? 1 : 1 + (pt[0]! & 0x7f)]).toBe(0x01);
  });

  it('refuses the wrong recipient key, an expired or not-yet-valid file, and a wrong version', () => {
    expect(codeOf(() => openKeyFile(FILE, { key: { kind: 'ecdh', privateKey: OTHER_HES }, now: NOW }))).toBe(
      'WRONG_RECIPIENT',
    );
    expect(codeOf(() => openKeyFile(FILE, { key: { kind: 'password', password: 'x' }, now: NOW }))).toBe(
      'WRONG_RECIPIENT',
    );
    expect(codeOf(() => open(FILE, { now: new Date('2026-09-01T00:00:00Z') }))).toBe('EXPIRED');
    expect(codeOf(() => open(FILE, { now: new Date('2026-01-15T00:00:00Z') }))).toBe('NOT_YET_VALID');
    expect(open(FILE, { now: new Date('2026-09-01T00:00:00Z'), ignoreValidity: true }).count).toBe(3);
    const v2 = new TextDecoder().decode(FILE).replace('"version":1', '"version":2');
    expect(codeOf(() => open(new TextEncoder().encode(v2)))).toBe('UNSUPPORTED_VERSION');
    let msg = '';
    try {
      open(FILE, { now: new Date('2026-09-01T00:00:00Z') });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toBe('file expired at 2026-08-01T00:00:00Z (now 2026-09-01T00:00:00Z)');
  });

  it('refuses duplicate meters when sealing and when opening', () => {
    expect(codeOf(() => sealKeyFile([meter(1), meter(2), meter(1)], sealOptions()))).toBe('DUPLICATE_METER');
    const sameTitle = meter(5, { systemTitle: meter(4).systemTitle });
    expect(codeOf(() => sealKeyFile([meter(4), sameTitle], sealOptions()))).toBe('DUPLICATE_METER');
  });

  it('refuses every truncation with INCOMPLETE or a typed error, never a result', () => {
    // every prefix of the header line, then every 13th byte and both sides of every line break
    // (each prefix past the header costs a certificate parse and an ECDH, so not all of them)
    const headerEnd = FILE.indexOf(0x0a);
    const cuts = new Set<number>();
    for (let n = 0; n <= headerEnd + 1; n++) cuts.add(n);
    for (let n = headerEnd; n < FILE.length; n += 13) cuts.add(n);
    FILE.forEach((b, i) => {
      if (b === 0x0a) for (const d of [-1, 0, 1, 2]) if (i + d < FILE.length) cuts.add(i + d);
    });
    for (const n of cuts) {
      const code = codeOf(() => open(FILE.subarray(0, n)));
      expect(code, `prefix ${n}`).toBeDefined();
    }
    // cut at a line boundary: the reader reports INCOMPLETE (it cannot know the file had more)
    const lastLine = FILE.lastIndexOf(0x0a, FILE.length - 2) + 1;
    expect(codeOf(() => open(FILE.subarray(0, lastLine)))).toBe('INCOMPLETE');
    expect(codeOf(() => open(FILE.subarray(0, FILE.length - 1)))).toBe('INCOMPLETE');
  });

  it('refuses any single-byte change: every 3rd byte of body and trailer, every 16th of the header', () => {
    // (each try costs a certificate parse, an ECDH and an ECDSA verification; the property below
    // covers random positions anywhere, the header included)
    const small = sealKeyFile([meter(9)], sealOptions());
    const headerEnd = small.indexOf(0x0a);
    for (let i = 0; i < small.length; i++) {
      if (i < headerEnd ? i % 16 !== 0 : i % 3 !== 0) continue;
      const t = Uint8Array.from(small);
      t[i]! ^= 0x01;
      expect(
        codeOf(() => open(t)),
        `byte ${i}`,
      ).toBeDefined();
      // verify (no key) must refuse too: every byte is covered by the signature or the strict syntax
      if (i % 4 === 0)
        expect(
          codeOf(() => verifyKeyFile(t, { now: NOW })),
          `verify, byte ${i}`,
        ).toBeDefined();
    }
  });

  it('refuses random single-byte substitutions (property)', () => {
    fc.assert(
      fc.property(fc.nat(FILE.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const t = Uint8Array.from(FILE);
        t[i]! ^= x;
        return codeOf(() => open(t)) !== undefined;
      }),
      { numRuns: 150 },
    );
  });

  it('refuses reordered, dropped and duplicated chunks', () => {
    const lines = new TextDecoder().decode(FILE).split('\n');
    expect(lines.length).toBeGreaterThan(4);
    const enc = (ls: string[]) => new TextEncoder().encode(ls.join('\n'));
    const swapped = [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)];
    expect(codeOf(() => open(enc(swapped)))).toBeDefined();
    const dropped = [lines[0]!, ...lines.slice(2)];
    expect(codeOf(() => open(enc(dropped)))).toBeDefined();
    const dup = [lines[0]!, lines[1]!, ...lines.slice(1)];
    expect(codeOf(() => open(enc(dup)))).toBeDefined();
  });

  it('random bytes never throw anything but typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        const r = new KeyFileReader({ key: ecdh, now: NOW });
        try {
          r.push(b);
          r.end();
        } catch (e) {
          return isKeyfileError(e);
        }
        return false;
      }),
      { numRuns: 500 },
    );
    // and a valid header followed by garbage
    const headerEnd = FILE.indexOf(0x0a) + 1;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        const t = new Uint8Array(headerEnd + b.length);
        t.set(FILE.subarray(0, headerEnd));
        t.set(b, headerEnd);
        return codeOf(() => open(t)) !== undefined;
      }),
      { numRuns: 100 },
    );
  });

  it('verify without a key checks signature and validity; with a trusted list refuses another signer', () => {
    const s = verifyKeyFile(FILE, { now: NOW });
    expect(s.count).toBe(3);
    expect(verifyKeyFile(FILE, { now: NOW, trustedSigners: [MAKER_CERT_PEM] }).count).toBe(3);
    expect(codeOf(() => verifyKeyFile(FILE, { now: NOW, trustedSigners: [OTHER_HES.publicKey] }))).toBe(
      'BAD_CERTIFICATE',
    );
    expect(
      codeOf(() => verifyKeyFile(FILE, { now: NOW, key: { kind: 'ecdh', privateKey: OTHER_HES } })),
    ).toBe('WRONG_RECIPIENT');
  });

  it('streams: pieces of any size give the same meters; writer and reader agree', async () => {
    const parts: Uint8Array[] = [];
    for await (const p of sealKeyFileStream(meters, sealOptions({ chunkSize: 256 }))) parts.push(p);
    expect(Buffer.concat(parts).equals(FILE)).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        async (sizes) => {
          const pieces: Uint8Array[] = [];
          let o = 0;
          for (let i = 0; o < FILE.length; i++) {
            const n = sizes[i % sizes.length]!;
            pieces.push(FILE.slice(o, o + n));
            o += n;
          }
          const got: string[] = [];
          const s = await readKeyFile(pieces, { key: ecdh, now: NOW }, (m) => {
            got.push(m.serial);
          });
          return s.count === 3 && got.join() === 'MK00000001,MK00000002,MK00000003';
        },
      ),
      { numRuns: 50 },
    );
  });

  it('handles zero meters and records spanning chunks (firmware image inline)', () => {
    const empty = sealKeyFile([], sealOptions());
    expect(open(empty).meters).toEqual([]);
    const image = new Uint8Array(5000).map((_, i) => i * 13);
    const fw = {
      identifier: 'MK-FW-2.1.0',
      size: image.length,
      sha256: crypto.createHash('sha256').update(image).digest(),
      image,
    };
    const file = sealKeyFile([meter(1, { firmware: [fw] }), meter(2)], sealOptions({ chunkSize: 256 }));
    const got = open(file).meters;
    expect(Buffer.from(got[0]!.firmware[0]!.image!).equals(Buffer.from(image))).toBe(true);
    expect(got[1]!.serial).toBe('MK00000002');
  });

  it('writer refuses misuse and reader holds only bounded bytes', () => {
    const w = new KeyFileWriter(sealOptions());
    expect(codeOf(() => w.add(meter(1)))).toBe('INVALID_ARGUMENT');
    w.start();
    expect(codeOf(() => w.start())).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new KeyFileWriter(sealOptions({ chunkSize: 10 })))).toBe('INVALID_ARGUMENT');
    // a header line without LF longer than the limit is refused before it is buffered
    const r = new KeyFileReader({ key: ecdh, now: NOW });
    const big = new Uint8Array(300 * 1024).fill(0x20);
    expect(codeOf(() => r.push(big))).toBe('LIMIT_EXCEEDED');
    // fromBase64 is strict: non-canonical padding bits are refused
    expect(codeOf(() => fromBase64('QR=='))).toBe('MALFORMED');
    expect(fromBase64('QQ==')).toEqual(new Uint8Array([0x41]));
  });
});

describe('bounded memory while streaming', () => {
  it('10,000 meters: the reader never holds more than a line, a chunk and a record', async () => {
    // The 1,000,000-meter run with peak RSS is bench/million.ts (about a minute; see docs/keyfile-spec.md §10).
    const n = 10_000;
    function* gen() {
      for (let i = 0; i < n; i++) yield meter(i);
    }
    const reader = new KeyFileReader({ key: ecdh, now: NOW });
    let maxBuffered = 0;
    let seen = 0;
    let fileBytes = 0;
    for await (const piece of sealKeyFileStream(gen(), sealOptions({ chunkSize: 4096 }))) {
      fileBytes += piece.length;
      for (const m of reader.push(piece)) {
        seen++;
        m.keys.guek.wipe();
      }
      maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
    }
    const s = reader.end();
    expect(s.count).toBe(n);
    expect(seen).toBe(n);
    expect(fileBytes).toBeGreaterThan(1_000_000);
    // one base64 chunk line (4096 + 16 bytes → 5484 chars) + one held-back chunk + one partial record
    expect(maxBuffered).toBeLessThan((4 * 4112) / 3 + 4112 + 200 + 64);
    // the duplicate index is the only part that grows: ≤ 32 bytes a meter
    expect(reader.fingerprintBytes).toBeLessThanOrEqual(32 * 2 * n);
  });
});
