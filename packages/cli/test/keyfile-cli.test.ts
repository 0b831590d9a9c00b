import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ami } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ami-keyfile-'));
const p = (n: string): string => join(dir, n);
const GUEK = '000102030405060708090A0B0C0D0E0F';
const CSV = [
  'serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret',
  `SN001,4D4D4D0000BC614E,${GUEK},D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF,00112233445566778899AABBCCDDEEFF,lls12345,hlsus123,hlsfw123`,
  'SN002,4D4D4D0000BC614F,101112131415161718191A1B1C1D1E1F,E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF,FFEEDDCCBBAA99887766554433221100,lls23456,hlsus234,hlsfw234',
].join('\n');

beforeAll(async () => {
  writeFileSync(p('meters.csv'), `${CSV}\n`);
  expect((await ami(['keyfile', 'keygen', '--out', p('hes')])).code).toBe(0);
  expect((await ami(['keyfile', 'keygen', '--out', p('other')])).code).toBe(0);
  expect((await ami(['keyfile', 'keygen', '--out', p('maker'), '--cert', 'CN=Maker Ltd, C=IN'])).code).toBe(
    0,
  );
  const sealed = await ami([
    'keyfile',
    'seal',
    '--meters',
    p('meters.csv'),
    '--recipient',
    p('hes.pub'),
    '--signer',
    p('maker.key'),
    '--cert',
    p('maker.crt'),
    '-o',
    p('batch.akf'),
  ]);
  expect(sealed.code, sealed.err).toBe(0);
});

describe('ami keyfile', () => {
  it('keygen writes PKCS#8, SPKI and a self-signed certificate in PEM', () => {
    expect(readFileSync(p('maker.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(p('maker.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(readFileSync(p('maker.crt'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('open lists serial and system title, and never a key without --reveal', async () => {
    const r = await ami(['keyfile', 'open', p('batch.akf'), '--key', p('hes.key'), '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.meters).toEqual([
      { serial: 'SN001', systemTitle: '4D4D4D0000BC614E' },
      { serial: 'SN002', systemTitle: '4D4D4D0000BC614F' },
    ]);
    expect(j.issuer).toBe('Maker Ltd');
    expect(r.out.toUpperCase()).not.toContain(GUEK);
    const people = await ami(['keyfile', 'open', p('batch.akf'), '--key', p('hes.key')]);
    expect(people.out.toUpperCase()).not.toContain(GUEK);
    expect(people.out).not.toContain('lls12345');
  });

  it('open --reveal shows the keys', async () => {
    const r = await ami(['keyfile', 'open', p('batch.akf'), '--key', p('hes.key'), '--reveal', '--json']);
    expect(r.out.toUpperCase()).toContain(GUEK);
  });

  it('verify checks signature and validity without a key, and the recipient with one', async () => {
    const r = await ami(['keyfile', 'verify', p('batch.akf'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, meters: 2, recipientChecked: false });
    const k = await ami(['keyfile', 'verify', p('batch.akf'), '--key', p('hes.key'), '--json']);
    expect(JSON.parse(k.out)).toMatchObject({ ok: true, recipientChecked: true });
  });

  it('refuses another HES key with one line', async () => {
    const r = await ami(['keyfile', 'open', p('batch.akf'), '--key', p('other.key')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ami: \[WRONG_RECIPIENT\] /);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a file with one byte changed, and a file signed by an untrusted maker', async () => {
    const bytes = readFileSync(p('batch.akf'));
    const tampered = Buffer.from(bytes);
    tampered[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(p('tampered.akf'), tampered);
    const r = await ami(['keyfile', 'verify', p('tampered.akf')]);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    const untrusted = await ami(['keyfile', 'verify', p('batch.akf'), '--trust', p('hes.pub')]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toMatch(/^ami: \[/);
  });

  it('seals to a password and opens with it', async () => {
    const s = await ami([
      'keyfile',
      'seal',
      '--meters',
      p('meters.csv'),
      '--password',
      'correct horse',
      '--signer',
      p('maker.key'),
      '--cert',
      p('maker.crt'),
      '-o',
      p('pw.akf'),
    ]);
    expect(s.code, s.err).toBe(0);
    expect((await ami(['keyfile', 'open', p('pw.akf'), '--password', 'correct horse'])).code).toBe(0);
    expect((await ami(['keyfile', 'open', p('pw.akf'), '--password', 'wrong'])).code).toBe(1);
  });
});
