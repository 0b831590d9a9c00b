import type { BenchCase } from '@ami-interop/bench';
import { Reader } from '../src/internal/reader.ts';
import { Writer } from '../src/internal/writer.ts';

export function cases(): BenchCase[] {
  const payload = new Uint8Array(64 * 1024).fill(0x5a);
  const framed = new Writer().fork().bytes(payload).join().finish();
  return [
    {
      group: 'dlms/primitives',
      name: 'Writer fork/bytes/join, 64 KiB payload (long-form length shift)',
      fn: () => new Writer(1024).fork().bytes(payload).join().finish(),
      bytes: payload.length,
    },
    {
      group: 'dlms/primitives',
      name: 'Reader length + bytes view, 64 KiB payload',
      fn: () => {
        const r = new Reader(framed);
        return r.bytes(r.length());
      },
      bytes: payload.length,
    },
  ];
}
