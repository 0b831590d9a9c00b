import { readFileSync } from 'node:fs';
import { describeFailure } from '../src/cli-error.ts';
import { type Group, runCommand } from '../src/command.ts';
import { meterIs15959Commands } from '../src/commands/meter-is15959.ts';
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

/**
 * Runs `ami meter <command>` of the IS 15959 group in-process, with commands that wait for `waitForStop`
 * (by default never) instead of a signal; failures become the one-line error and exit code `main` gives.
 */
export function meterIs15959Runner(
  waitForStop: () => Promise<void> = () => new Promise<void>(() => undefined),
): (args: string[]) => Promise<Run> {
  const commands = meterIs15959Commands({ waitForStop });
  const group: Group = { name: 'meter', summary: 'test', commands };
  return async (args) => {
    const [name, ...rest] = args;
    const o = { out: '', err: '' };
    const io: Io = {
      out: (t) => {
        o.out += t;
      },
      err: (t) => {
        o.err += t;
      },
      readStdin: async () => undefined,
      readFile: (p) => new Uint8Array(readFileSync(p)),
    };
    let code: number;
    try {
      code = await runCommand(group, commands.find((c) => c.name === name)!, rest, io);
    } catch (e) {
      const f = describeFailure(e);
      o.err += `${f.line}\n`;
      code = f.exitCode;
    }
    return { code, ...o };
  };
}
