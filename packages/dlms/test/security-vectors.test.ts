/**
 * Conformance vectors of `@ami-interop/dlms/security`, run against both crypto backends (noble, the
 * runtime-neutral default, and node:crypto).
 */
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import { fromHex, isDlmsError, toHex } from '@ami-interop/dlms';
import {
  type CipheredApdu,
  type CryptoBackend,
  decodeCipheredApdu,
  decodeKeyTransferData,
  encodeCipheredApdu,
  encodeKeyTransferData,
  hlsGmacResponse,
  type KeyData,
  nobleBackend,
  policyOf,
  protectApdu,
  protectGeneralCiphering,
  type SecurityControl,
  type SecurityPolicy,
  unprotectApdu,
  unwrapKey,
  verifyHlsGmac,
  wrapKey,
} from '@ami-interop/dlms/security';
import { nodeCryptoBackend } from '@ami-interop/dlms/security/node';
import { describe } from 'vitest';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const offsetOf = (e: unknown): number | undefined => (isDlmsError(e) ? e.offset : undefined);
const p = (params: Record<string, unknown> | undefined, k: string): Uint8Array | undefined =>
  params?.[k] === undefined ? undefined : fromHex(params[k] as string);

/** Uint8Array fields as upper-case hex (the vectors' JSON form), recursively. */
function toJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toJson(x);
    return o;
  }
  return v;
}

function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const bytesField = typeof x === 'string' && k !== 'kind' && k !== 'service' && k !== 'type';
      o[k] = bytesField ? fromHex(x) : fromJson(x);
    }
    return o;
  }
  return v;
}

const backends: CryptoBackend[] = [nobleBackend, nodeCryptoBackend];

for (const backend of backends) {
  describe(`backend ${backend.name}`, () => {
    runConformance('dlms/security-suite0', {
      decode(bytes, v) {
        const r = unprotectApdu(
          bytes,
          {
            ek: p(v.params, 'ek')!,
            ak: p(v.params, 'ak'),
            dk: p(v.params, 'dk'),
            bek: p(v.params, 'bek'),
            kek: p(v.params, 'kek'),
          },
          {
            systemTitle: p(v.params, 'systemTitle'),
            acceptPolicies: v.params?.['acceptPolicies'] as SecurityPolicy[] | undefined,
            backend,
          },
        );
        return {
          kind: r.kind,
          plain: toHex(r.plain),
          securityControl: r.securityControl,
          invocationCounter: r.invocationCounter,
        };
      },
      encode(decoded, v) {
        const d = decoded as {
          kind: 'glo' | 'ded' | 'general-glo' | 'general-ded' | 'general-ciphering';
          plain: string;
          securityControl: SecurityControl;
          invocationCounter: number;
        };
        const gc = v.params?.['generalCiphering'] as
          | Record<string, string | Record<string, unknown>>
          | undefined;
        if (d.kind === 'general-ciphering') {
          const ki = gc?.['keyInfo'] as { type: string; keyId?: 0 | 1; key?: string } | undefined;
          return protectGeneralCiphering(fromHex(d.plain), {
            policy: policyOf(d.securityControl)!,
            invocationCounter: d.invocationCounter,
            transactionId: fromHex(gc!['transactionId'] as string),
            originatorSystemTitle: fromHex(gc!['originatorSystemTitle'] as string),
            recipientSystemTitle: fromHex(gc!['recipientSystemTitle'] as string),
            keyInfo:
              ki === undefined
                ? undefined
                : ki.type === 'wrapped-key'
                  ? { type: 'wrapped-key', key: fromHex(ki.key!) }
                  : { type: 'identified-key', keyId: ki.keyId! },
            ek: p(v.params, 'ek')!,
            ak: p(v.params, 'ak'),
            kek: p(v.params, 'kek'),
            backend,
          });
        }
        return protectApdu(fromHex(d.plain), {
          kind: d.kind,
          policy: policyOf(d.securityControl)!,
          broadcastKey: d.securityControl.broadcastKey,
          systemTitle: p(v.params, 'systemTitle') ?? fromHex('4D4D4D0000BC614E'),
          invocationCounter: d.invocationCounter,
          ek: p(v.params, 'ek')!,
          ak: p(v.params, 'ak'),
          dk: p(v.params, 'dk'),
          backend,
        });
      },
      errorCode: codeOf,
      errorOffset: offsetOf,
    });

    runConformance('dlms/security-gcm', {
      decode(bytes, v) {
        const ct = bytes.subarray(0, bytes.length - 12);
        const tag = bytes.subarray(bytes.length - 12);
        return toHex(
          backend.gcmDecrypt(p(v.params, 'key')!, p(v.params, 'iv')!, p(v.params, 'aad')!, ct, tag),
        ).toLowerCase();
      },
      encode: (decoded, v) =>
        backend.gcmEncrypt(
          p(v.params, 'key')!,
          p(v.params, 'iv')!,
          p(v.params, 'aad')!,
          fromHex(decoded as string),
          12,
        ),
      errorCode: codeOf,
    });

    runConformance('dlms/security-hls-gmac', {
      decode: (bytes, v) =>
        verifyHlsGmac({
          response: bytes,
          challenge: p(v.params, 'challenge')!,
          systemTitle: p(v.params, 'systemTitle')!,
          ek: p(v.params, 'ek')!,
          ak: p(v.params, 'ak')!,
          backend,
        }),
      encode: (decoded, v) =>
        hlsGmacResponse({
          invocationCounter: (decoded as { invocationCounter: number }).invocationCounter,
          challenge: p(v.params, 'challenge')!,
          systemTitle: p(v.params, 'systemTitle')!,
          ek: p(v.params, 'ek')!,
          ak: p(v.params, 'ak')!,
          backend,
        }),
      errorCode: codeOf,
      errorOffset: offsetOf,
    });
  });
}

runConformance('dlms/security-keywrap', {
  decode: (bytes, v) => toHex(unwrapKey(p(v.params, 'kek')!, bytes)),
  encode: (decoded, v) => wrapKey(p(v.params, 'kek')!, fromHex(decoded as string)),
  errorCode: codeOf,
});

runConformance('dlms/security-key-transfer', {
  decode: (bytes) => toJson(decodeKeyTransferData(bytes)),
  encode: (decoded) => encodeKeyTransferData(fromJson(decoded) as KeyData[]),
  errorCode: codeOf,
  errorOffset: offsetOf,
});

runConformance('dlms/security-envelope', {
  decode: (bytes) => toJson(decodeCipheredApdu(bytes)),
  encode: (decoded) => encodeCipheredApdu(fromJson(decoded) as CipheredApdu),
  errorCode: codeOf,
  errorOffset: offsetOf,
});
