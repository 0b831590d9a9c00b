import type { BenchCase } from '@ami-interop/bench';
import { loadVectors } from '@ami-interop/conformance-vectors';
import { type AcseApdu, decodeAcse, encodeAcse } from '../src/acse/index.ts';
import { decodeXdlmsApdu, encodeXdlmsApdu, type XdlmsApdu } from '../src/apdu/index.ts';
import { fromHex } from '../src/internal/hex.ts';

/** Association set-up cost: the ACSE (BER via asn1js) and xDLMS initiate (A-XDR) codecs, on the vectors. */
export function cases(): BenchCase[] {
  const acse = loadVectors('dlms/acse').vectors;
  const pick = (name: string): Uint8Array => fromHex(acse.find((v) => v.name === name)!.hex!);
  const aarqLls = pick('AARQ LN no ciphering, LLS password 12345678');
  const aarqHls = pick('AARQ HLS SHA-256 ciphered, with calling-AP-title (captured)');
  const aare = pick('AARE accepted, LN no ciphering');
  const aarqModel: AcseApdu = decodeAcse(aarqLls);
  const aareModel: AcseApdu = decodeAcse(aare);
  const initiate = fromHex('01000000065F1F0400007E1F04B0');
  const initiateModel: XdlmsApdu = decodeXdlmsApdu(initiate);
  const group = 'dlms/acse+initiate';
  return [
    {
      group,
      name: `decode AARQ LN + LLS (${aarqLls.length} B)`,
      fn: () => decodeAcse(aarqLls),
      bytes: aarqLls.length,
    },
    {
      group,
      name: `decode AARQ HLS ciphered (${aarqHls.length} B)`,
      fn: () => decodeAcse(aarqHls),
      bytes: aarqHls.length,
    },
    {
      group,
      name: `decode AARE accepted (${aare.length} B)`,
      fn: () => decodeAcse(aare),
      bytes: aare.length,
    },
    { group, name: 'encode AARQ LN + LLS', fn: () => encodeAcse(aarqModel), bytes: aarqLls.length },
    { group, name: 'encode AARE accepted', fn: () => encodeAcse(aareModel), bytes: aare.length },
    {
      group,
      name: 'decode InitiateRequest (14 B)',
      fn: () => decodeXdlmsApdu(initiate),
      bytes: initiate.length,
    },
    {
      group,
      name: 'encode InitiateRequest',
      fn: () => encodeXdlmsApdu(initiateModel),
      bytes: initiate.length,
    },
  ];
}
