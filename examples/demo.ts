/**
 * The demo (`pnpm demo`): decodes a built-in set of sample frames, as a HES engineer would see them on a
 * probe, and prints what each one is. The frames come from `conformance-vectors/` — the standards'
 * examples where they exist, hand-built ones otherwise — so what the demo shows is what the tests check.
 *
 * Then the unified-HES walk-through (examples/src/unified-hes.ts): a maker's key file, simulated IS 15959
 * meters on 127.0.0.1, HLS-GMAC ciphered reads of block load, and the MeterReadings message for the MDMS.
 */

import { renderTree } from '@ami-interop/cli';
import { loadVectors, type Vector, vectorBytes } from '@ami-interop/conformance-vectors';
import { fromHex } from '@ami-interop/dlms';
import { type CaptureOptions, decodeCapture } from '@ami-interop/dlms/capture';
import { encodeWrapperFrame } from '@ami-interop/dlms/wrapper';
import { unifiedHesWalkThrough } from './src/unified-hes.ts';

interface Sample {
  family: string;
  name: string;
  /** Put a bare APDU into a wrapper frame from `source` to `destination` wPort. */
  wrap?: [number, number];
}

const SESSIONS: { title: string; samples: Sample[]; options?: (v: Vector) => CaptureOptions }[] = [
  {
    title: 'HDLC link set-up and a GET of the clock (IEC 62056-46)',
    samples: [
      { family: 'dlms/hdlc', name: 'SNRM client 16 to server 1, no parameters' },
      { family: 'dlms/hdlc', name: 'UA server 1 to client 16 with the default parameters' },
      { family: 'dlms/hdlc', name: 'I-frame N(S)=0 N(R)=0 P, LLC command + get-request for the clock time' },
      { family: 'dlms/hdlc', name: 'I-frame N(S)=0 N(R)=1 F, LLC response + get-response with a date-time' },
      { family: 'dlms/hdlc', name: 'DISC client 16 to server 1' },
      { family: 'dlms/hdlc', name: 'UA without information (answer to DISC)' },
    ],
  },
  {
    title: 'Association over the TCP wrapper (IEC 62056-47): AARQ with an LLS password, AARE, release',
    samples: [
      { family: 'dlms/acse', name: 'AARQ LN no ciphering, LLS password 12345678', wrap: [32, 1] },
      { family: 'dlms/acse', name: 'AARE accepted, LN no ciphering', wrap: [1, 32] },
      { family: 'dlms/wrapper', name: 'client 48 (0x30) to logical device 1' },
      { family: 'dlms/acse', name: 'RLRQ reason normal', wrap: [32, 1] },
      { family: 'dlms/acse', name: 'RLRE reason normal', wrap: [1, 32] },
    ],
  },
  {
    title: 'Security suite 0: the Green Book glo-get-request, deciphered with its keys',
    samples: [{ family: 'dlms/security-suite0', name: 'glo-get-request, authenticated encryption (SC 30)' }],
    options: (v) => ({
      keys: { ek: fromHex(String(v.params!.ek)), ak: fromHex(String(v.params!.ak)) },
      clientSystemTitle: fromHex(String(v.params!.systemTitle)),
    }),
  },
];

function find(family: string, name: string): { vector: Vector; source: string } {
  const file = loadVectors(family);
  const vector = file.vectors.find((v) => v.name === name);
  if (!vector) throw new Error(`demo sample missing: ${family} / ${name}`);
  return { vector, source: file.sources[vector.source]?.title ?? vector.source };
}

const out: string[] = [];
let failures = 0;
for (const session of SESSIONS) {
  out.push(`\n━━ ${session.title}\n`);
  const found = session.samples.map((s) => ({ s, ...find(s.family, s.name) }));
  const frames = found.map(({ s, vector }) => {
    const bytes = vectorBytes(vector);
    return s.wrap ? encodeWrapperFrame({ source: s.wrap[0], destination: s.wrap[1], apdu: bytes }) : bytes;
  });
  const entries = decodeCapture(frames, session.options?.(found[0]!.vector) ?? {});
  entries.forEach((e, i) => {
    const { vector, source } = found[i]!;
    const arrow =
      e.direction === 'client-to-server'
        ? 'client → server'
        : e.direction === 'server-to-client'
          ? 'server → client'
          : '?';
    const what = e.error ? `error ${e.error.code}` : (e.apdu?.name ?? e.note ?? '');
    out.push(`${String(i + 1).padStart(2)}. ${vector.name}`);
    out.push(`    from: ${source}`);
    out.push(`    ${e.summary} · ${arrow} · ${what}`);
    const body: Record<string, unknown> = {};
    if (e.parameters) body.parameters = e.parameters;
    if (e.apdu?.decoded !== undefined) body.apdu = e.apdu.decoded;
    if (e.apdu?.security) {
      const { plain, ...header } = e.apdu.security;
      body.securityHeader = header;
      if (plain) body[`deciphered: ${plain.name}`] = plain.decoded ?? plain.hex;
    }
    if (e.apdu?.error) {
      body.apduError = `${e.apdu.error.code}: ${e.apdu.error.message}`;
      body.hex = e.apdu.hex;
    }
    if (e.error || (e.apdu?.error && e.apdu.error.code !== 'UNSUPPORTED') || e.apdu?.security?.error)
      failures++;
    out.push(
      renderTree(body)
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
    out.push('');
  });
}
process.stdout.write(`ami-interop demo\n\nPart 1: decoding sample DLMS/COSEM frames\n${out.join('\n')}\n`);
if (failures > 0) {
  process.stderr.write(`demo: ${failures} sample(s) failed to decode\n`);
  process.exitCode = 1;
}

process.stdout.write(
  '\nPart 2: the unified HES, end to end on 127.0.0.1 (maker → key file → HES → meters → MDMS)\n\n',
);
try {
  const r = await unifiedHesWalkThrough((line) => process.stdout.write(`${line}\n`));
  const lines = r.xml.split('\n');
  process.stdout.write(
    `\nThe message (first 24 of ${lines.length} lines):\n${lines.slice(0, 24).join('\n')}\n…\n`,
  );
} catch (e) {
  process.stderr.write(
    `demo: the unified-HES walk-through failed: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exitCode = 1;
}
