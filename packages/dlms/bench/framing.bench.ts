import type { BenchCase } from '@ami-interop/bench';
import {
  clientAddress,
  encodeHdlcFrame,
  fcs16,
  HdlcDeframer,
  type HdlcFrame,
  serverAddress,
} from '../src/hdlc/index.ts';
import { encodeWrapperFrame, WrapperDeframer } from '../src/wrapper/index.ts';

/** Feeds `stream` in 1 KiB chunks; returns the number of frames out (so the work is not dead code). */
function feed(d: { push(c: Uint8Array): unknown[] }, stream: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < stream.length; i += 1024) n += d.push(stream.subarray(i, i + 1024)).length;
  return n;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function cases(): BenchCase[] {
  // 1000 I-frames of 128-byte information fields (the default max_info_field_length), shared flags.
  const frames: Uint8Array[] = [];
  for (let k = 0; k < 1000; k++) {
    const f: HdlcFrame = {
      segmented: k % 4 !== 3,
      destination: clientAddress(16),
      source: serverAddress(1, 17),
      control: { type: 'I', ns: k & 7, nr: 1, pf: true },
      info: Uint8Array.from({ length: 128 }, (_, i) => (i * 31 + k) & 0xff),
    };
    const b = encodeHdlcFrame(f);
    frames.push(k === 0 ? b : b.subarray(1));
  }
  const hdlcStream = concat(frames);
  const block = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 131) & 0xff);
  const wrapperStream = concat(
    Array.from({ length: 200 }, (_, k) =>
      encodeWrapperFrame({ source: 1, destination: 16, apdu: block.subarray(k * 100, k * 100 + 1000) }),
    ),
  );
  return [
    {
      group: 'dlms/framing',
      name: 'HDLC deframe 1000 I-frames (128-byte info, shared flags), 1 KiB chunks',
      fn: () => feed(new HdlcDeframer(), hdlcStream),
      bytes: hdlcStream.length,
      items: 1000,
      itemName: 'frames',
    },
    {
      group: 'dlms/framing',
      name: 'HDLC FCS (CRC-16/X.25, table-driven), 64 KiB',
      fn: () => fcs16(block),
      bytes: block.length,
    },
    {
      group: 'dlms/framing',
      name: 'HDLC encode one I-frame, 128-byte info',
      fn: () =>
        encodeHdlcFrame({
          segmented: false,
          destination: serverAddress(1),
          source: clientAddress(16),
          control: { type: 'I', ns: 0, nr: 0, pf: true },
          info: block.subarray(0, 128),
        }),
      bytes: 128,
    },
    {
      group: 'dlms/framing',
      name: 'wrapper deframe 200 frames (1000-byte APDUs), 1 KiB chunks',
      fn: () => feed(new WrapperDeframer(), wrapperStream),
      bytes: wrapperStream.length,
      items: 200,
      itemName: 'frames',
    },
  ];
}
