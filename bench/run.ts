/**
 * `pnpm bench [regex] [--no-write]`: runs every benchmark case of every package and writes
 * docs/benchmarks.md (unless --no-write, or a filter is given: a partial run never overwrites the record).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { BenchCase, BenchModule } from './harness.ts';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const filter = args.find((a) => !a.startsWith('--'));
const write = !args.includes('--no-write') && filter === undefined;
const re = filter ? new RegExp(filter, 'i') : undefined;

interface Row {
  c: BenchCase;
  hz: number;
  rme: number;
  samples: number;
}

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 1) return n.toFixed(1);
  return n.toPrecision(3);
}

async function runCases(list: BenchCase[], rows: Row[]): Promise<void> {
  for (const c of list) {
    if (re && !re.test(`${c.group}/${c.name}`)) continue;
    const bench = new Bench({ time: c.time ?? 500, warmupTime: 100 });
    bench.add(c.name, c.fn);
    await bench.run();
    const t = bench.tasks[0]!;
    const r = t.result as {
      throughput?: { mean: number; rme: number };
      latency?: { samplesCount?: number };
    } & {
      hz?: number;
      rme?: number;
      samples?: unknown[];
      error?: unknown;
    };
    if (r.error) throw r.error;
    const hz = r.throughput?.mean ?? r.hz ?? 0;
    const rme = r.throughput?.rme ?? r.rme ?? 0;
    const samples = r.latency?.samplesCount ?? r.samples?.length ?? 0;
    rows.push({ c, hz, rme, samples });
    const extra = [
      c.items ? `${fmt(hz * c.items)} ${c.itemName ?? 'items'}/s` : '',
      c.bytes ? `${fmt((hz * c.bytes) / 1e6)} MB/s` : '',
    ]
      .filter(Boolean)
      .join(', ');
    console.log(`${c.group} | ${c.name}: ${fmt(hz)} ops/s ±${rme.toFixed(1)}% ${extra}`);
  }
}

async function main(): Promise<void> {
  const files: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dir = join(root, 'packages', pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
  }
  const rows: Row[] = [];
  for (const file of files.sort()) {
    const mod = (await import(pathToFileURL(file).href)) as BenchModule;
    const list = await mod.cases();
    try {
      await runCases(list, rows);
    } finally {
      await list.teardown?.();
    }
  }
  if (!write) return;
  const cpu = cpus()[0];
  const lines = [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (bench/run.ts, tinybench). Figures are means over the sampling time with',
    'their relative margin of error. Re-run on your machine to compare; the ratio between rows on the same',
    'machine matters more than the absolute numbers.',
    '',
    '## Machine',
    '',
    `- CPU: ${cpu?.model ?? 'unknown'} × ${cpus().length} (as the OS reports)`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${platform()} ${release()} ${arch()}`,
    `- Node: ${process.version}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
  ];
  const groups = [...new Set(rows.map((r) => r.c.group))];
  for (const g of groups) {
    lines.push(`## ${g}`, '', '| case | ops/s | ± | throughput | samples |', '|---|---:|---:|---|---:|');
    for (const { c, hz, rme, samples } of rows.filter((r) => r.c.group === g)) {
      const tp = [
        c.items ? `${fmt(hz * c.items)} ${c.itemName ?? 'items'}/s` : '',
        c.bytes ? `${fmt((hz * c.bytes) / 1e6)} MB/s` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `| ${c.name}${c.note ? ` (${c.note})` : ''} | ${fmt(hz)} | ${rme.toFixed(1)}% | ${tp} | ${samples} |`,
      );
    }
    lines.push('');
  }
  // Figures measured outside tinybench (long one-off runs) are kept by hand in bench/notes.md.
  const notesFile = join(root, 'bench', 'notes.md');
  if (existsSync(notesFile)) lines.push(readFileSync(notesFile, 'utf8').trimEnd());
  writeFileSync(join(root, 'docs', 'benchmarks.md'), `${lines.join('\n')}\n`);
  console.log('wrote docs/benchmarks.md');
}

await main();
