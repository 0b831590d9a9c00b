/**
 * Conformance vectors of the COSEM interface classes 6, 9, 11, 12, 15, 17, 18, 20, 21, 22, 23, 40, 41,
 * 64, 70, 71: bytes → Data → typed value (the vector's JSON form), typed value → Data → the same bytes,
 * every strict prefix INCOMPLETE, and wrong shapes MALFORMED. `params.classId` picks the class,
 * `params.attribute` or `params.method` the value.
 */
import { loadVectors } from '@ami-interop/conformance-vectors';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataToJson, decodeData, encodeData } from '../src/axdr/index.ts';
import { type Codec, classSpec, cosemValueToJson } from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex } from '../src/internal/hex.ts';

const FAMILIES = [
  'association-ln',
  'image-transfer',
  'security-setup',
  'disconnect-control',
  'limiter',
  'push-setup',
  'script-table',
  'special-days-table',
  'activity-calendar',
  'single-action-schedule',
  'register-activation',
  'register-monitor',
  'iec-hdlc-setup',
  'tcp-udp-setup',
  'sap-assignment',
  'association-sn',
].map((f) => `dlms/cosem-${f}`);

function codecOf(p: Record<string, unknown> | undefined): Codec<unknown> {
  const s = classSpec(Number(p?.['classId']));
  if (!s) throw new Error(`no class ${String(p?.['classId'])}`);
  if (p?.['method'] !== undefined) return s.methodById[Number(p['method'])]!.params as Codec<unknown>;
  return s.attributeById[Number(p?.['attribute'])]!.codec;
}

/** decode: bytes → Data → typed (JSON form); encode: bytes of the vector → typed → Data → bytes. */
const attributeCodec = {
  decode(bytes: Uint8Array, v: { params?: Record<string, unknown> }) {
    const d = decodeData(bytes);
    return { data: dataToJson(d), value: cosemValueToJson(codecOf(v.params).decode(d)) };
  },
  encode(_decoded: unknown, v: { hex?: string; params?: Record<string, unknown> }) {
    // The typed value is re-encoded from what the vector's bytes decode to; the check is that the typed
    // encoder reproduces the bytes exactly (the typed JSON itself was checked by `decode`).
    const c = codecOf(v.params);
    return encodeData(c.encode(c.decode(decodeData(fromHex(v.hex!)))));
  },
  errorCode: (e: unknown) => (isDlmsError(e) ? e.code : undefined),
};

for (const f of FAMILIES) runConformance(f, attributeCodec);

describe('COSEM vectors: mutated bytes', () => {
  it('never throw anything but DlmsError', () => {
    const all = FAMILIES.flatMap((f) => loadVectors(f).vectors.map((v) => ({ v, c: codecOf(v.params) })));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        (i, edits) => {
          const { v, c } = all[i]!;
          const b = fromHex(v.hex!).slice();
          for (const e of edits) if (b.length > 0) b[e.at % b.length] = e.byte;
          try {
            c.decode(decodeData(b));
          } catch (e) {
            expect(isDlmsError(e), String(e)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
