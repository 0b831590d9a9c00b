import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { BenchCase } from '@ami-interop/bench';
import { type CryptoBackend, nobleBackend, protectApdu, unprotectApdu } from '@ami-interop/dlms/security';
import { nodeCryptoBackend } from '@ami-interop/dlms/security/node';

const EK = new Uint8Array(16).fill(0x11);
const AK = new Uint8Array(16).fill(0x22);
const ST = Uint8Array.of(0x4d, 0x4d, 0x4d, 0, 0, 0xbc, 0x61, 0x4e);
const SIZES = [64, 256, 1024, 65536];
const label = (n: number): string => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);

/**
 * Suite-0 protect (auth+enc, glo-get-response) and unprotect per backend, beside raw node:crypto
 * aes-128-gcm (12-byte tag) on the same plaintext size: the ratio is the cost of our envelope and backend.
 */
export function cases(): BenchCase[] {
  const out: BenchCase[] = [];
  const group = 'dlms/security suite 0';
  for (const n of SIZES) {
    const apdu = new Uint8Array(n).fill(0x5a);
    apdu[0] = 0xc4;
    const iv = new Uint8Array(12);
    iv.set(ST);
    const aad = Uint8Array.of(0x30, ...AK);
    for (const backend of [nobleBackend, nodeCryptoBackend] as CryptoBackend[]) {
      const opts = {
        policy: 'auth+enc' as const,
        systemTitle: ST,
        invocationCounter: 1,
        ek: EK,
        ak: AK,
        backend,
      };
      const protectedApdu = protectApdu(apdu, opts);
      out.push(
        {
          group,
          name: `protect auth+enc ${label(n)} (${backend.name})`,
          fn: () => protectApdu(apdu, opts),
          bytes: n,
          items: 1,
          itemName: 'APDUs',
          note: `backend ${backend.name}`,
        },
        {
          group,
          name: `unprotect auth+enc ${label(n)} (${backend.name})`,
          fn: () => unprotectApdu(protectedApdu, { ek: EK, ak: AK }, { systemTitle: ST, backend }),
          bytes: n,
          items: 1,
          itemName: 'APDUs',
          note: `backend ${backend.name}`,
        },
      );
    }
    const sealed = (() => {
      const c = createCipheriv('aes-128-gcm', EK, iv, { authTagLength: 12 });
      c.setAAD(aad);
      const ct = Buffer.concat([c.update(apdu), c.final()]);
      return { ct, tag: c.getAuthTag() };
    })();
    out.push(
      {
        group,
        name: `raw node:crypto aes-128-gcm encrypt ${label(n)} (baseline)`,
        fn: () => {
          const c = createCipheriv('aes-128-gcm', EK, iv, { authTagLength: 12 });
          c.setAAD(aad);
          c.update(apdu);
          c.final();
          return c.getAuthTag();
        },
        bytes: n,
        items: 1,
        itemName: 'APDUs',
        note: 'baseline: no envelope',
      },
      {
        group,
        name: `raw node:crypto aes-128-gcm decrypt ${label(n)} (baseline)`,
        fn: () => {
          const d = createDecipheriv('aes-128-gcm', EK, iv, { authTagLength: 12 });
          d.setAAD(aad);
          d.setAuthTag(sealed.tag);
          d.update(sealed.ct);
          return d.final();
        },
        bytes: n,
        items: 1,
        itemName: 'APDUs',
        note: 'baseline: no envelope',
      },
    );
  }
  return out;
}
