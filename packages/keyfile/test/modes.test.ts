import * as crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLIENT_SAP,
  certificateFromPem,
  isKeyfileError,
  meterToJson,
  openKeyFile,
  parseMetersCsv,
  privateKeyFromPem,
  publicKeyFromPem,
  sealKeyFile,
  toDlmsMeterKeys,
  verifyKeyFile,
  wipeDlmsMeterKeys,
} from '../src/index.ts';
import {
  nodeGcm,
  openKeyFilePath,
  sealKeyFileToPath,
  verifyKeyFilePath,
  writeKeyPair,
} from '../src/node/index.ts';
import { HES, meter, NOW, sealOptions } from './fixtures.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isKeyfileError(e)) return e.code;
    throw e;
  }
  return undefined;
}

const CSV = `serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret,device_id,ic_48,ic_32,gbek,site
MK0001,4D4B540000000001,000102030405060708090A0B0C0D0E0F,D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF,00112233445566778899AABBCCDDEEFF,lls1,"us,""quoted""",fw1,DEV-1,41,7,101112131415161718191A1B1C1D1E1F,Ward 4
MK0002,4d4b540000000002,000102030405060708090a0b0c0d0e1f,d0d1d2d3d4d5d6d7d8d9dadbdcdddeef,00112233445566778899aabbccddeeef,,,,,,,,
`;

describe('meters CSV', () => {
  it('reads the required columns, known optional ones, counters and extras', () => {
    const ms = parseMetersCsv(CSV);
    expect(ms).toHaveLength(2);
    const j = meterToJson(ms[0]!, { reveal: true });
    expect(j).toEqual({
      serial: 'MK0001',
      deviceId: 'DEV-1',
      systemTitle: '4D4B540000000001',
      keys: {
        guek: '000102030405060708090A0B0C0D0E0F',
        gbek: '101112131415161718191A1B1C1D1E1F',
        gak: 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF',
        mk: '00112233445566778899AABBCCDDEEFF',
      },
      secrets: {
        lls: '6C6C7331',
        hlsUs: Buffer.from('us,"quoted"').toString('hex').toUpperCase(),
        hlsFw: '667731',
      },
      invocationCounters: [
        { clientSap: 32, counter: 7 },
        { clientSap: 48, counter: 41 },
      ],
      firmware: [],
      extra: { site: 'Ward 4' },
    });
    expect(meterToJson(ms[1]!, { reveal: true }).secrets).toEqual({});
  });

  it('refuses a missing column, a ragged row and bad hex', () => {
    expect(codeOf(() => parseMetersCsv('serial,system_title\nA,01\n'))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => parseMetersCsv(`${CSV}MK3,00\n`))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => parseMetersCsv(CSV.replace('4D4B540000000001', '4D4B5400000000ZZ')))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('a CSV of the same meter twice cannot be sealed', () => {
    const lines = CSV.trim().split('\n');
    const ms = parseMetersCsv(`${lines[0]}\n${lines[1]}\n${lines[1]}\n`);
    expect(codeOf(() => sealKeyFile(ms, sealOptions()))).toBe('DUPLICATE_METER');
  });
});

describe('recipient modes', () => {
  const meters = [meter(1), meter(2)];

  it('password (scrypt): opens with the password, refuses another', () => {
    const file = sealKeyFile(
      meters,
      sealOptions({
        recipient: { kind: 'password', password: 'correct horse', scrypt: { N: 1024, r: 8, p: 1 } },
      }),
    );
    const header = JSON.parse(new TextDecoder().decode(file.subarray(0, file.indexOf(10))));
    expect(header.keyManagement).toMatchObject({ alg: 'SCRYPT+A256KW', N: 1024, r: 8, p: 1 });
    expect(openKeyFile(file, { key: { kind: 'password', password: 'correct horse' }, now: NOW }).count).toBe(
      2,
    );
    expect(codeOf(() => openKeyFile(file, { key: { kind: 'password', password: 'wrong' }, now: NOW }))).toBe(
      'WRONG_RECIPIENT',
    );
    // scrypt KEK checked against node:crypto
    const salt = Buffer.from(header.keyManagement.salt, 'base64');
    const kek = crypto.scryptSync('correct horse', salt, 32, { N: 1024, r: 8, p: 1 });
    const d = crypto.createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    const cek = Buffer.concat([d.update(Buffer.from(header.keyManagement.wrappedKey, 'base64')), d.final()]);
    expect(cek.length).toBe(32);
  });

  it('refuses a file asking for an excessive scrypt cost', () => {
    const file = sealKeyFile(
      meters,
      sealOptions({ recipient: { kind: 'password', password: 'p', scrypt: { N: 1024, r: 8, p: 1 } } }),
    );
    const text = new TextDecoder().decode(file).replace('"N":1024', '"N":4194304');
    expect(codeOf(() => verifyKeyFile(new TextEncoder().encode(text), { now: NOW }))).toBe('LIMIT_EXCEEDED');
  });

  it('pre-shared KEK (RFC 3394): 16, 24 and 32 bytes; wrong KEK refused', () => {
    for (const len of [16, 24, 32]) {
      const kek = new Uint8Array(len).fill(0x42);
      const file = sealKeyFile(
        meters,
        sealOptions({ recipient: { kind: 'kek', kek, kekId: 'discom-a/2026' } }),
      );
      expect(openKeyFile(file, { key: { kind: 'kek', kek }, now: NOW }).count).toBe(2);
      const other = new Uint8Array(len).fill(0x43);
      expect(codeOf(() => openKeyFile(file, { key: { kind: 'kek', kek: other }, now: NOW }))).toBe(
        'WRONG_RECIPIENT',
      );
      // node:crypto unwraps the CEK with the same KEK (independent RFC 3394 implementation)
      const header = JSON.parse(new TextDecoder().decode(file.subarray(0, file.indexOf(10))));
      const d = crypto.createDecipheriv(`id-aes${len * 8}-wrap`, kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
      expect(
        Buffer.concat([d.update(Buffer.from(header.keyManagement.wrappedKey, 'base64')), d.final()]).length,
      ).toBe(32);
    }
    expect(
      codeOf(() =>
        sealKeyFile(meters, sealOptions({ recipient: { kind: 'kek', kek: new Uint8Array(20), kekId: 'x' } })),
      ),
    ).toBe('INVALID_ARGUMENT');
  });

  it('a signer certificate that does not match the signer key is refused at seal time', () => {
    expect(
      codeOf(() =>
        sealKeyFile(
          meters,
          sealOptions({ signer: { privateKey: HES, certificate: sealOptions().signer.certificate } }),
        ),
      ),
    ).toBe('BAD_CERTIFICATE');
  });
});

describe('GCM backends', () => {
  it('node:crypto and noble write the same bytes and read each other', () => {
    const ms = [meter(1), meter(2), meter(3)];
    const a = sealKeyFile(ms, sealOptions({ chunkSize: 256 }));
    const b = sealKeyFile(ms, sealOptions({ chunkSize: 256, gcm: nodeGcm }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const key = { kind: 'ecdh', privateKey: HES } as const;
    expect(openKeyFile(a, { key, now: NOW, gcm: nodeGcm }).count).toBe(3);
    const t = Uint8Array.from(a);
    t[t.indexOf(10) + 5]! ^= 1; // inside chunk 0
    expect(codeOf(() => openKeyFile(t, { key, now: NOW, gcm: nodeGcm }))).toBe('DECRYPTION_FAILED');
  });
});

describe('DLMS adapter', () => {
  it('gives plain bytes for the key and invocation-counter stores, and wipes them', () => {
    const m = meter(7);
    const k = toDlmsMeterKeys(m);
    expect(Buffer.from(k.guek).equals(Buffer.from(m.keys.guek.reveal()))).toBe(true);
    expect(Buffer.from(k.kek).equals(Buffer.from(m.keys.mk.reveal()))).toBe(true);
    expect(k.systemTitle).toEqual(m.systemTitle);
    expect(k.invocationCounters.find((c) => c.clientSap === CLIENT_SAP.utilitySettings)?.counter).toBe(7);
    wipeDlmsMeterKeys(k);
    expect(k.guek.every((b) => b === 0)).toBe(true);
    expect(m.keys.guek.reveal().some((b) => b !== 0)).toBe(true); // the record's own copy is untouched
  });
});

describe('node helpers (the CLI building blocks)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keygen, seal from CSV, verify and open from paths', async () => {
    const maker = await writeKeyPair(join(dir, 'maker'), { cert: { subject: 'CN=Maker Ltd' } });
    const hes = await writeKeyPair(join(dir, 'hes'));
    expect(hes.crt).toBeUndefined();
    expect(statSync(maker.key).mode & 0o777).toBe(0o600);
    expect(new crypto.X509Certificate(readFileSync(maker.crt!)).subject).toBe('CN=Maker Ltd');
    crypto.createPrivateKey(readFileSync(hes.key)); // node reads what keygen wrote
    writeFileSync(join(dir, 'meters.csv'), CSV);
    const out = join(dir, 'batch.akf');
    await sealKeyFileToPath(join(dir, 'meters.csv'), out, {
      issuer: 'Maker Ltd',
      recipientName: 'HES',
      recipient: { kind: 'ecdh', publicKey: publicKeyFromPem(readFileSync(hes.pub, 'utf8')) },
      signer: { privateKey: readFileSync(maker.key, 'utf8'), certificate: readFileSync(maker.crt!, 'utf8') },
    });
    const s = await verifyKeyFilePath(out);
    expect(s.count).toBe(2);
    expect(s.signer.subject).toBe(certificateFromPem(readFileSync(maker.crt!, 'utf8')).subject);
    const serials: string[] = [];
    await openKeyFilePath(
      out,
      { key: { kind: 'ecdh', privateKey: privateKeyFromPem(readFileSync(hes.key, 'utf8')) } },
      (m) => {
        serials.push(m.serial);
      },
    );
    expect(serials).toEqual(['MK0001', 'MK0002']);
    // a tampered file on disk is refused before any meter is handed out
    const bytes = readFileSync(out);
    bytes[bytes.length - 10]! ^= 1;
    writeFileSync(out, bytes);
    let handed = 0;
    await expect(
      openKeyFilePath(
        out,
        { key: { kind: 'ecdh', privateKey: privateKeyFromPem(readFileSync(hes.key, 'utf8')) } },
        () => {
          handed++;
        },
      ),
    ).rejects.toMatchObject({ code: expect.stringMatching(/BAD_SIGNATURE|MALFORMED/) });
    expect(handed).toBe(0);
  });
});

describe('no key bytes in errors or output', () => {
  it('error messages and JSON never carry key material', () => {
    const m = meter(5);
    const hexes = [m.keys.guek, m.keys.gak, m.keys.mk].map((k) => k.revealHex());
    const messages: string[] = [];
    const grab = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        messages.push(String(e), JSON.stringify(e), isKeyfileError(e) ? e.describe() : '');
      }
    };
    const file = sealKeyFile([m], sealOptions());
    grab(() => sealKeyFile([m, m], sealOptions()));
    grab(() => openKeyFile(file, { key: { kind: 'kek', kek: m.keys.guek.reveal() }, now: NOW }));
    const t = Uint8Array.from(file);
    t[t.length - 20]! ^= 1;
    grab(() => openKeyFile(t, { key: { kind: 'ecdh', privateKey: HES }, now: NOW }));
    grab(() =>
      parseMetersCsv(CSV.replace('000102030405060708090A0B0C0D0E0F', '000102030405060708090A0B0C0D0E0')),
    );
    expect(messages.length).toBeGreaterThanOrEqual(8);
    for (const msg of messages) for (const h of hexes) expect(msg.toUpperCase()).not.toContain(h);
    expect(messages.join(' ')).not.toContain('0001020304050607');
    expect(JSON.stringify(m)).not.toMatch(/[0-9A-F]{32}/);
  });
});
