import { parseArgs } from 'node:util';
import { usage } from './cli-error.ts';
import type { Io } from './io.ts';
import { renderTree } from './tree.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in help, e.g. `HEX`. */
  valueName?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface Context {
  values: OptionValues;
  positionals: string[];
  io: Io;
  /** `--json` was given: machine output on stdout. */
  json: boolean;
  /** Prints `value` as JSON (with `--json`) or as a tree for people. */
  emit(value: unknown, title?: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** Positional arguments as shown in help, e.g. `<FILE>`. */
  args?: string;
  options: Record<string, OptionSpec>;
  /** Extra help text: examples, notes. */
  details?: string;
  run(ctx: Context): Promise<number | undefined> | number | undefined;
}

export interface Group {
  name: string;
  summary: string;
  commands: Command[];
  /** Shown in help when the group has no commands yet, or to add context. */
  note?: string;
}

const COMMON: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print machine-readable JSON on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export function groupHelp(g: Group): string {
  const w = Math.max(8, ...g.commands.map((c) => c.name.length));
  const lines = [`ami ${g.name}: ${g.summary}`];
  if (g.commands.length > 0) {
    lines.push('', 'Commands:');
    for (const c of g.commands) lines.push(`  ${c.name.padEnd(w)}  ${c.summary}`);
    lines.push('', `Run 'ami ${g.name} <command> --help' for a command's options.`);
  }
  if (g.note) lines.push('', g.note);
  return `${lines.join('\n')}\n`;
}

export function commandHelp(g: Group, c: Command): string {
  const opts = { ...c.options, ...COMMON };
  const rows = Object.entries(opts).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    return [flag, o.description + (o.multiple ? ' (repeatable)' : '')] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  const lines = [
    `Usage: ami ${g.name} ${c.name}${c.args ? ` ${c.args}` : ''} [options]`,
    '',
    c.summary,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`),
  ];
  if (c.details) lines.push('', c.details);
  return `${lines.join('\n')}\n`;
}

export async function runCommand(g: Group, c: Command, argv: string[], io: Io): Promise<number> {
  const options = { ...c.options, ...COMMON };
  const parsed = parseArgs({
    args: argv,
    options: options as NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>,
    allowPositionals: true,
    strict: true,
  });
  const values = parsed.values as OptionValues;
  if (values.help) {
    io.out(commandHelp(g, c));
    return 0;
  }
  if (!c.args && parsed.positionals.length > 0) {
    throw usage(`ami ${g.name} ${c.name}: unexpected argument '${parsed.positionals[0]}'`);
  }
  const json = values.json === true;
  const ctx: Context = {
    values,
    positionals: parsed.positionals,
    io,
    json,
    emit(value, title) {
      if (json) io.out(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
      else io.out(renderTree(value, title));
    },
  };
  return (await c.run(ctx)) ?? 0;
}

/** JSON for values the SDK returns: bytes as upper-case hex, bigints as decimal strings. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex').toUpperCase();
  return v;
}
