import { loadVectors } from '@ami-interop/conformance-vectors';
import { describe, expect, it } from 'vitest';
import { readableApdu } from '../src/commands/dlms-access-view.ts';
import { ami } from './helpers.ts';

const vectors = loadVectors('dlms/apdu-access').vectors;
const hexOf = (prefix: string): string => {
  const v = vectors.find((x) => x.name.startsWith(prefix));
  if (!v?.hex) throw new Error(`no vector ${prefix}`);
  return v.hex;
};

describe('ami dlms decode: ACCESS', () => {
  it('pairs each request specification with its Data (Green Book Table 41 plaintext)', async () => {
    const r = await ami(['dlms', 'decode', hexOf('access-request: Green Book Table 41')]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/APDU {2}access-request$/);
    expect(lines).toContain('   └─ requests: 4');
    expect(lines).toContain('      ├─ [0] get class 1 0.0.96.1.0.255 attribute 2: null-data');
    expect(lines).toContain('      ├─ [1] get class 8 0.0.1.0.0.255 attribute 2: null-data');
    expect(lines).toContain('      ├─ [2] set class 20 0.0.13.0.0.255 attribute 7: array');
    expect(lines).toContain('      └─ [3] set class 20 0.0.13.0.0.255 attribute 8: array');
  });

  it('shows each result with the echoed request and its selection', async () => {
    const r = await ami(['dlms', 'decode', hexOf('access-response: echoed request')]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('   └─ results: 5, with the request echoed');
    expect(lines).toContain(
      '      ├─ [1] set read-write-denied (set class 1 0.0.96.1.0.255 attribute 2): null-data',
    );
    expect(lines).toContain(
      '      ├─ [2] action type-unmatched (action class 70 0.0.96.3.10.255 method 1): null-data',
    );
    expect(lines).toContain('      └─ [4] set 20 (set-with-selection class 7 1.0.99.1.0.255 attribute 2)');
    expect(lines).toContain('         ├─ selection (selector 2): structure');
  });

  it('keeps the JSON form (--json) as apduToJson gives it, which ami dlms encode takes back', async () => {
    const hex = hexOf('access-response: echoed request');
    const r = await ami(['dlms', 'decode', hex, '--json']);
    const [entry] = JSON.parse(r.out);
    expect(entry.apdu.decoded.accessResponseSpecification).toHaveLength(5);
    const back = await ami(['dlms', 'encode', JSON.stringify(entry.apdu.decoded)]);
    expect(back.out).toBe(`${hex}\n`);
  });

  it('leaves other APDUs, and ACCESS models whose lists do not pair, as they are', () => {
    const get = { type: 'get-request-normal', invokeIdAndPriority: {} };
    expect(readableApdu(get)).toBe(get);
    const odd = { type: 'access-request', accessRequestSpecification: [{}], accessRequestListOfData: [] };
    expect(readableApdu(odd)).toBe(odd);
  });

  it('fails with the decoder error for a count mismatch', async () => {
    // Two specifications (get clock time, get device id), one Data.
    const hex = ['D9', '40000000', '00', '02', '0100080000010000FF02', '0100010000600100FF02', '01', '00'];
    const r = await ami(['dlms', 'decode', hex.join('')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /\[MALFORMED\] .*access-request-list-of-data has 1 element\(s\), but access-request-specification has 2/,
    );
  });
});
