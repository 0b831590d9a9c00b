import { listFamilies, loadVectors, vectorBytes } from '@ami-interop/conformance-vectors';
import { toHex } from '@ami-interop/dlms';
import { decodeCapture } from '@ami-interop/dlms/capture';
import { describe, expect, it } from 'vitest';
import { encodeJsonForm } from '../src/commands/dlms-encode.ts';
import { ami } from './helpers.ts';

// Every APDU vector (ACSE and xDLMS families) goes decode → JSON text → encode and must give its bytes back:
// the CLI's two commands are inverse on the standard's encodings, not only on our own output.
const families = listFamilies().filter(
  (f) => f === 'dlms/acse' || f === 'dlms/initiate' || f.startsWith('dlms/apdu'),
);

describe('ami dlms decode --json | ami dlms encode', () => {
  it('has APDU vector families to check', () => {
    expect(families.length).toBeGreaterThanOrEqual(3);
  });
  for (const family of families) {
    const file = loadVectors(family);
    const canonical = file.vectors.filter((v) => !v.error && v.encode !== false && v.hex);
    it(`${family}: ${canonical.length} vectors round-trip through the JSON form`, () => {
      let checked = 0;
      for (const v of canonical) {
        const bytes = vectorBytes(v);
        const [entry] = decodeCapture([bytes], { framing: 'apdu' });
        if (entry!.apdu?.error?.code === 'UNSUPPORTED') continue;
        expect(entry!.apdu!.error, `${v.name}: ${JSON.stringify(entry!.apdu!.error)}`).toBeUndefined();
        const json = JSON.parse(JSON.stringify(entry!.apdu!.decoded));
        expect(toHex(encodeJsonForm(json)), v.name).toBe(toHex(bytes));
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('encodes a Data value and wraps an APDU', async () => {
    expect((await ami(['dlms', 'encode', '{"type":"long-unsigned","value":230}'])).out).toBe('1200E6\n');
    const r = await ami([
      'dlms',
      'encode',
      '--wrapper',
      '16:1',
      '{"type":"get-request-normal","invokeIdAndPriority":{"invokeId":1,"serviceClass":"confirmed","priority":"high"},"attribute":{"classId":8,"instanceId":"0.0.1.0.0.255","attributeId":2}}',
    ]);
    // Wrapper header: version 1, source wPort 16, destination wPort 1, length 13; then the Green Book clock GET.
    expect(r.out).toBe('000100100001000DC001C100080000010000FF0200\n');
  });

  it('refuses bad JSON and unknown types in one line', async () => {
    const bad = await ami(['dlms', 'encode', '{not json']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^ami: not JSON/);
    const unknown = await ami(['dlms', 'encode', '{"type":"frobnicate"}']);
    expect(unknown.code).toBe(1);
    expect(unknown.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
