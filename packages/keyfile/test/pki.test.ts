import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isKeyfileError } from '../src/errors.ts';
import {
  certificateFromPem,
  decodePkcs8,
  decodeSpki,
  fromPem,
  generateKeyPair,
  keyId,
  privateKeyFromPem,
  publicKeyFromPem,
  signP256,
  verifyP256,
} from '../src/pki.ts';

// node:crypto is the independent oracle here: it reads what we write, and we read what it writes.
describe('PKCS#8, SPKI and X.509 against node:crypto', () => {
  const gen = generateKeyPair({ cert: { subject: 'CN=Maker Ltd key file signer, O=Maker Ltd, C=IN' } });

  it('node reads our PKCS#8 and SPKI PEMs as the same P-256 key', () => {
    const priv = crypto.createPrivateKey(gen.privateKeyPem);
    const pub = crypto.createPublicKey(gen.publicKeyPem);
    expect(priv.asymmetricKeyType).toBe('ec');
    expect(priv.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const fromPriv = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(pub.export({ format: 'der', type: 'spki' })).equals(fromPriv)).toBe(true);
    // and our DER is byte-identical to node's re-export
    expect(
      Buffer.from(fromPem(gen.privateKeyPem, 'PRIVATE KEY')).equals(
        priv.export({ format: 'der', type: 'pkcs8' }) as Buffer,
      ),
    ).toBe(true);
  });

  it('we read node-generated keys', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ours = privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const sec1 = privateKeyFromPem(privateKey.export({ format: 'pem', type: 'sec1' }) as string);
    const pub = publicKeyFromPem(publicKey.export({ format: 'pem', type: 'spki' }) as string);
    expect(Buffer.from(ours.publicKey).equals(Buffer.from(pub))).toBe(true);
    expect(Buffer.from(sec1.publicKey).equals(Buffer.from(pub))).toBe(true);
    const jwk = privateKey.export({ format: 'jwk' });
    expect(Buffer.from(ours.d.reveal()).toString('base64url')).toBe(jwk.d);
  });

  it('node verifies our signatures and we verify node signatures', () => {
    const key = privateKeyFromPem(gen.privateKeyPem);
    const msg = new TextEncoder().encode('AKF signature test');
    const sig = signP256(msg, key);
    expect(crypto.verify('sha256', msg, { key: gen.publicKeyPem, dsaEncoding: 'ieee-p1363' }, sig)).toBe(
      true,
    );
    const nodeSig = crypto.sign('sha256', msg, { key: gen.privateKeyPem, dsaEncoding: 'ieee-p1363' });
    expect(verifyP256(nodeSig, msg, key.publicKey)).toBe(true);
    const nodeDer = crypto.sign('sha256', msg, gen.privateKeyPem);
    expect(verifyP256(nodeDer, msg, key.publicKey)).toBe(true);
    const other = new Uint8Array(msg);
    other[0]! ^= 1;
    expect(verifyP256(nodeSig, other, key.publicKey)).toBe(false);
  });

  it('node parses our self-signed certificate and checks its signature', () => {
    const x = new crypto.X509Certificate(gen.certificatePem!);
    expect(x.subject).toContain('CN=Maker Ltd key file signer');
    expect(x.verify(x.publicKey)).toBe(true);
    // (not checkIssued: OpenSSL wants keyCertSign on an issuer, and this signing certificate has only digitalSignature)
    expect(x.issuer).toBe(x.subject);
    expect(x.keyUsage ?? []).not.toContain('keyCertSign');
    const ours = certificateFromPem(gen.certificatePem!);
    expect(ours.selfSigned).toBe(true);
    expect(ours.commonName).toBe('Maker Ltd key file signer');
    expect(ours.subject).toBe('CN=Maker Ltd key file signer, O=Maker Ltd, C=IN');
    expect(new Date(x.validFrom).getTime()).toBe(ours.notBefore.getTime());
    expect(new Date(x.validTo).getTime()).toBe(ours.notAfter.getTime());
    expect(Buffer.from(ours.publicKey).equals(Buffer.from(publicKeyFromPem(gen.publicKeyPem)))).toBe(true);
    expect(ours.serialNumber.toUpperCase()).toBe(x.serialNumber.toUpperCase());
  });

  it('key id is SHA-256 of the SPKI DER', () => {
    const pub = publicKeyFromPem(gen.publicKeyPem);
    const spki = crypto.createPublicKey(gen.publicKeyPem).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(keyId(pub)).toString('hex')).toBe(
      crypto.createHash('sha256').update(spki).digest('hex'),
    );
  });

  it('refuses other curves and garbage with typed errors', () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const e1 = (() => {
      try {
        decodeSpki(publicKey.export({ format: 'der', type: 'spki' }));
      } catch (e) {
        return e;
      }
    })();
    expect(isKeyfileError(e1, 'MALFORMED')).toBe(true);
    expect(() => decodePkcs8(privateKey.export({ format: 'der', type: 'pkcs8' }))).toThrow(/P-256/);
    for (const junk of [new Uint8Array(0), new Uint8Array([0x30]), new Uint8Array([0x30, 0x03, 1, 2, 3])]) {
      let err: unknown;
      try {
        decodePkcs8(junk);
      } catch (e) {
        err = e;
      }
      expect(isKeyfileError(err)).toBe(true);
    }
  });
});

describe('certificate serial numbers', () => {
  it('a serial with the high bit set gets a DER sign byte that the parsed serial omits', () => {
    const g = generateKeyPair({ cert: { subject: 'CN=x', serialNumber: new Uint8Array([0xfe, 0x01]) } });
    const x = new crypto.X509Certificate(g.certificatePem!);
    expect(certificateFromPem(g.certificatePem!).serialNumber).toBe('FE01');
    expect(x.serialNumber.toUpperCase()).toBe('FE01');
  });
});

describe('asn1js adapter', () => {
  it('a malformed GeneralizedTime (asn1js throws) is a typed error (fuzz finding)', () => {
    // 0x18 0x00: an empty GeneralizedTime, on which asn1js.fromBER throws instead of reporting
    for (const bad of [new Uint8Array([0x18, 0x00]), new Uint8Array([0x17, 0x02, 0x39, 0x39])]) {
      let err: unknown;
      try {
        decodeSpki(bad);
      } catch (e) {
        err = e;
      }
      expect(isKeyfileError(err, 'MALFORMED')).toBe(true);
    }
  });
});
