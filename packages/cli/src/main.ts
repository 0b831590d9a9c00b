import { describeFailure, usage } from './cli-error.ts';
import { commandHelp, type Group, groupHelp, runCommand } from './command.ts';
import { cimGroup } from './commands/cim.ts';
import { dlmsGroup } from './commands/dlms.ts';
import { keyfileGroup } from './commands/keyfile.ts';
import { meterGroup } from './commands/meter.ts';
import { transportGroup } from './commands/transport.ts';
import { type Io, processIo } from './io.ts';

export const VERSION = '0.1.0';

/** The command groups, in the order help lists them. */
export function groups(): Group[] {
  return [dlmsGroup(), meterGroup(), cimGroup(), keyfileGroup(), transportGroup()];
}

export function topHelp(gs: Group[]): string {
  const w = Math.max(...gs.map((g) => g.name.length));
  return `${[
    'ami: the command line of ami-interop (DLMS/COSEM for IS 15959 meters, IEC 61968-9/-100, meter key files)',
    '',
    'Usage: ami <group> <command> [options]',
    '',
    'Groups:',
    ...gs.map((g) => `  ${g.name.padEnd(w)}  ${g.summary}`),
    '',
    'Options everywhere: --json (machine-readable output on stdout), -h/--help.',
    "Run 'ami <group> --help' for a group's commands.",
  ].join('\n')}\n`;
}

/**
 * Runs the command line and returns the exit code: 0 success, 1 failure, 2 usage error, 70 internal
 * error. Every failure is printed as one line on stderr, never a stack trace (unless AMI_DEBUG=1).
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    const gs = groups();
    const [first, second, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.out(topHelp(gs));
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      io.out(`${VERSION}\n`);
      return 0;
    }
    const g = gs.find((x) => x.name === first);
    if (!g) throw usage(`unknown command group '${first}' (groups: ${gs.map((x) => x.name).join(', ')})`);
    if (second === undefined || second === '--help' || second === '-h' || second === 'help') {
      io.out(groupHelp(g));
      return second === undefined ? 2 : 0;
    }
    const c = g.commands.find((x) => x.name === second);
    if (!c) {
      const known = g.commands.map((x) => x.name);
      throw usage(
        `unknown command 'ami ${g.name} ${second}'${known.length ? ` (commands: ${known.join(', ')})` : ' (this group has no commands yet)'}`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(commandHelp(g, c));
      return 0;
    }
    return await runCommand(g, c, rest, io);
  } catch (e) {
    const { line, exitCode } = describeFailure(e);
    io.err(`ami: ${line}\n`);
    if (process.env.AMI_DEBUG === '1' && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return exitCode;
  }
}
