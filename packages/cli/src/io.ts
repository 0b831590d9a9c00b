import { readFileSync } from 'node:fs';

/** Where a command writes and reads; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input, or undefined when it is a terminal (nothing piped). */
  readStdin(): Promise<Uint8Array | undefined>;
  readFile(path: string): Uint8Array;
}

export function processIo(): Io {
  return {
    out: (t) => {
      process.stdout.write(t);
    },
    err: (t) => {
      process.stderr.write(t);
    },
    async readStdin() {
      if (process.stdin.isTTY) return undefined;
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    readFile: (p) => new Uint8Array(readFileSync(p)),
  };
}
