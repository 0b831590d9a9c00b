/**
 * Ephemeral Unified Model C(2e, 0s) through the Security setup key_agreement method (suites 1 and 2):
 * primitives, the server object, and the derived key checked with OpenSSL (node:crypto) alone.
 */
import { isDlmsError, toHex } from '@ami-interop/dlms';
import { type CosemContext, keyAgreementData, SecuritySetupObject } from '@ami-interop/dlms/cosem';
import {
  answerKeyAgreement,
  completeKeyAgreement,
  createKeyAgreementData,
  eccKeyPair,
  kdfAlgorithmId,
  keyAgreementSignedData,
  verifyKeyAgreementData,
} from '@ami-interop/dlms/security';
import { describe, expect, it } from 'vitest';
import { nodeAgreedKey, nodeVerifies } from './openssl-oracle.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isDlmsError(e) ? e.code : `not a DlmsError: ${String(e)}`;
  }
  return undefined;
};
const clientSystemTitle = Uint8Array.from([0x4d, 0x4d, 0x4d, 0, 0, 0xbc, 0x61, 0x4e]);
const serverSystemTitle = Uint8Array.from([0x4d, 0x4d, 0x4d, 0, 0, 0, 0, 1]);

describe('key_agreement (Ephemeral Unified Model)', () => {
  for (const suite of [1, 2] as const) {
    it(`suite ${suite}: both sides derive the same keys; OpenSSL verifies the signatures and derives the key too`, () => {
      const l = suite === 1 ? 32 : 48;
      const clientSig = eccKeyPair(suite);
      const serverSig = eccKeyPair(suite);
      const halves = [
        createKeyAgreementData(suite, 0, clientSig.secretKey),
        createKeyAgreementData(suite, 2, clientSig.secretKey),
      ];
      const clientSecrets = halves.map((h) => Uint8Array.from(h.ephemeralSecretKey));
      const server = answerKeyAgreement(
        suite,
        halves.map((h) => h.data),
        {
          clientSystemTitle,
          serverSystemTitle,
          clientSigningPublicKey: clientSig.publicKey,
          serverSigningKey: serverSig.secretKey,
        },
      );
      const client = completeKeyAgreement(suite, halves, server.response, {
        clientSystemTitle,
        serverSystemTitle,
        serverSigningPublicKey: serverSig.publicKey,
      });
      expect([...client.keys()]).toEqual([0, 2]);
      for (const id of [0, 2] as const) {
        expect(client.get(id)!.length).toBe(suite === 1 ? 16 : 32);
        expect(toHex(client.get(id)!)).toBe(toHex(server.keys.get(id)!));
      }
      expect(toHex(client.get(0)!)).not.toBe(toHex(client.get(2)!));
      // The client's ephemeral secrets are wiped once used.
      expect(halves.every((h) => h.ephemeralSecretKey.every((b) => b === 0))).toBe(true);

      // Independent: OpenSSL checks the server's signature and derives key 0 from the client's side.
      const item = server.response[0]!;
      const qv = item.keyCipheredData.subarray(0, 2 * l);
      expect(
        nodeVerifies(
          suite,
          serverSig.publicKey,
          Uint8Array.of(0, ...qv),
          item.keyCipheredData.subarray(2 * l),
        ),
      ).toBe(true);
      const k = nodeAgreedKey(
        suite,
        clientSecrets[0]!,
        qv,
        kdfAlgorithmId(suite),
        clientSystemTitle,
        serverSystemTitle,
      );
      expect(toHex(k)).toBe(toHex(client.get(0)!));
    });
  }

  it('refuses a signature by another key, a key moved to another key_id, a wrong length, a duplicate key_id', () => {
    const sig = eccKeyPair(1);
    const other = eccKeyPair(1);
    const half = createKeyAgreementData(1, 0, sig.secretKey);
    expect(codeOf(() => verifyKeyAgreementData(1, half.data, other.publicKey))).toBe('AUTHENTICATION_FAILED');
    expect(codeOf(() => verifyKeyAgreementData(1, { ...half.data, keyId: 1 }, sig.publicKey))).toBe(
      'AUTHENTICATION_FAILED',
    );
    expect(
      codeOf(() =>
        verifyKeyAgreementData(
          1,
          { keyId: 0, keyCipheredData: half.data.keyCipheredData.subarray(1) },
          sig.publicKey,
        ),
      ),
    ).toBe('MALFORMED');
    const flipped = Uint8Array.from(half.data.keyCipheredData);
    flipped[5]! ^= 1;
    expect(
      codeOf(() => verifyKeyAgreementData(1, { keyId: 0, keyCipheredData: flipped }, sig.publicKey)),
    ).not.toBe(undefined);
    const p = {
      clientSystemTitle,
      serverSystemTitle,
      clientSigningPublicKey: sig.publicKey,
      serverSigningKey: other.secretKey,
    };
    expect(codeOf(() => answerKeyAgreement(1, [half.data, half.data], p))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => keyAgreementSignedData(3 as 0, new Uint8Array(64)))).toBe('INVALID_ARGUMENT');
  });

  it('the Security setup object answers method 3, changes keys only when every item verifies, and reports them', () => {
    const clientSig = eccKeyPair(1);
    const serverSig = eccKeyPair(1);
    const masterKey = new Uint8Array(16).fill(7);
    const ss = new SecuritySetupObject('0.0.43.0.3.255', {
      serverSystemTitle,
      keys: { masterKey, globalUnicastEncryptionKey: new Uint8Array(16).fill(1) },
      securitySuite: 1,
      agreement: { serverSigningKey: serverSig.secretKey, clientSigningPublicKey: clientSig.publicKey },
    });
    const changed: number[][] = [];
    ss.onKeysChanged = (ids) => changed.push(ids);
    const ctx: CosemContext = { now: () => new Date(0), authenticated: true, clientSystemTitle };

    // One good item and one signed by someone else: nothing changes.
    const good = createKeyAgreementData(1, 0, clientSig.secretKey);
    const forged = createKeyAgreementData(1, 2, eccKeyPair(1).secretKey);
    const refused = (() => {
      try {
        ss.action(3, keyAgreementData.encode([good.data, forged.data]), ctx);
      } catch (e) {
        return (e as { result?: string }).result;
      }
      return 'accepted';
    })();
    expect(refused).toBe('other-reason');
    expect(changed).toEqual([]);
    expect(toHex(ss.keys.globalUnicastEncryptionKey!)).toBe('01'.repeat(16));

    const half = createKeyAgreementData(1, 0, clientSig.secretKey);
    const reply = ss.action(3, keyAgreementData.encode([half.data]), ctx);
    const response = keyAgreementData.decode(reply!);
    const keys = completeKeyAgreement(1, [half], response, {
      clientSystemTitle,
      serverSystemTitle,
      serverSigningPublicKey: serverSig.publicKey,
    });
    expect(toHex(ss.keys.globalUnicastEncryptionKey!)).toBe(toHex(keys.get(0)!));
    expect(changed).toEqual([[0]]);
  });
});
