import { MeterKeyStore } from '@ami-interop/dlms/security';
import {
  generateKeyPair,
  openKeyFile,
  parseMetersCsv,
  privateKeyFromPem,
  publicKeyFromPem,
  sealKeyFile,
  toDlmsMeterKeys,
} from '@ami-interop/keyfile';
import { describe, expect, it } from 'vitest';

describe('key file → DLMS key and counter stores', () => {
  it('a sealed, opened key file loads into MeterKeyStore with its counters', async () => {
    const hes = generateKeyPair();
    const maker = generateKeyPair({ cert: { subject: 'CN=Maker, C=IN' } });
    const csv = [
      'serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret,ic_48',
      'SN001,4D4D4D0000BC614E,000102030405060708090A0B0C0D0E0F,D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF,00112233445566778899AABBCCDDEEFF,lls12345,hlsus123,hlsfw123,19088742',
    ].join('\n');
    const file = sealKeyFile(parseMetersCsv(csv), {
      issuer: 'Maker',
      recipientName: 'hes',
      recipient: { kind: 'ecdh', publicKey: publicKeyFromPem(hes.publicKeyPem) },
      signer: { privateKey: privateKeyFromPem(maker.privateKeyPem), certificate: maker.certificatePem! },
    });
    const opened = openKeyFile(file, {
      key: { kind: 'ecdh', privateKey: privateKeyFromPem(hes.privateKeyPem) },
    });
    const store = new MeterKeyStore(opened.meters.map(toDlmsMeterKeys));
    const title = Uint8Array.of(0x41, 0x4d, 0x49, 0, 0, 0, 0, 1);
    const a = store.association('SN001', 48, title);
    expect(Buffer.from(a.security.ak).toString('hex').toUpperCase()).toBe('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
    expect(await a.security.counters.next(title, 'global-unicast')).toBe(19088743);
  });
});
