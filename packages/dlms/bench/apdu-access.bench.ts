import type { BenchCase } from '@ami-interop/bench';
import { loadVectors, vectorBytes } from '@ami-interop/conformance-vectors';
import {
  type AccessRequest,
  type AccessResponse,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  longInvokeIdAndPriorityFromNumber,
} from '../src/apdu/index.ts';
import type { Data } from '../src/axdr/index.ts';
import { obis } from '../src/obis/index.ts';

/**
 * ACCESS service APDUs: the Green Book Table 41 access-request (from conformance-vectors/dlms/apdu-access,
 * 4 specifications, 218 octets), and a head-end style read of 32 registers in one access-request and its
 * access-response (values double-long-unsigned, with the request echoed as a self-descriptive answer is).
 */
export function cases(): BenchCase[] {
  const table41 = loadVectors('dlms/apdu-access').vectors.find((v) => v.name.includes('Table 41 plaintext'));
  if (!table41) throw new Error('apdu-access: Table 41 vector missing');
  const t41 = vectorBytes(table41);
  const t41Model = decodeXdlmsApdu(t41);

  const n = 32;
  const lip = longInvokeIdAndPriorityFromNumber(0x50000001);
  const specs = Array.from({ length: n }, (_, i) => ({
    type: 'access-request-get' as const,
    attribute: { classId: 3, instanceId: obis(1, 0, 1 + (i % 90), 8, i % 8, 255), attributeId: 2 },
  }));
  const nulls: Data[] = specs.map(() => ({ type: 'null-data' }));
  const request: AccessRequest = {
    type: 'access-request',
    longInvokeIdAndPriority: lip,
    accessRequestSpecification: specs,
    accessRequestListOfData: nulls,
  };
  const response: AccessResponse = {
    type: 'access-response',
    longInvokeIdAndPriority: lip,
    accessRequestSpecification: specs,
    accessResponseListOfData: specs.map((_, i) => ({ type: 'double-long-unsigned', value: 1000 * i + 7 })),
    accessResponseSpecification: specs.map(() => ({ type: 'access-response-get', result: 'success' })),
  };
  const reqBytes = encodeXdlmsApdu(request);
  const respBytes = encodeXdlmsApdu(response);
  const group = 'dlms/apdu ACCESS';
  return [
    {
      group,
      name: `decode Green Book Table 41 access-request (4 specifications, ${t41.length} octets)`,
      fn: () => decodeXdlmsApdu(t41),
      bytes: t41.length,
      items: 4,
      itemName: 'specifications',
    },
    {
      group,
      name: 'encode Green Book Table 41 access-request',
      fn: () => encodeXdlmsApdu(t41Model),
      bytes: t41.length,
      items: 4,
      itemName: 'specifications',
    },
    {
      group,
      name: `decode access-request of ${n} GETs (${reqBytes.length} octets)`,
      fn: () => decodeXdlmsApdu(reqBytes),
      bytes: reqBytes.length,
      items: n,
      itemName: 'specifications',
    },
    {
      group,
      name: `decode access-response of ${n} values, request echoed (${respBytes.length} octets)`,
      fn: () => decodeXdlmsApdu(respBytes),
      bytes: respBytes.length,
      items: n,
      itemName: 'results',
    },
    {
      group,
      name: `encode access-response of ${n} values, request echoed`,
      fn: () => encodeXdlmsApdu(response),
      bytes: respBytes.length,
      items: n,
      itemName: 'results',
    },
  ];
}
