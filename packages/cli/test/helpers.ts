import { readFileSync } from 'node:fs';
import type { Io } from '../src/io.ts';
import { main } from '../src/main.ts';

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured output, the given stdin, and the real file system. */
export async function ami(args: string[], stdin?: string | Uint8Array): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    readStdin: async () => (typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin),
    readFile: (p) => new Uint8Array(readFileSync(p)),
  };
  const code = await main(args, io);
  return { code, out, err };
}
