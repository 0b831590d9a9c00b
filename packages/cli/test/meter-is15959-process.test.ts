/**
 * `ami meter simulate` as a real process: it serves until SIGINT or SIGTERM, then closes every meter and
 * exits 0 by itself (no open handle keeps it alive).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { connectMeter } from '@ami-interop/dlms/is15959/node';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

function simulate(args: string[]): ChildProcess {
  const src = (p: string) => JSON.stringify(join(root, p));
  const script = `
    import { runCommand } from ${src('packages/cli/src/command.ts')};
    import { meterIs15959Commands } from ${src('packages/cli/src/commands/meter-is15959.ts')};
    import { processIo } from ${src('packages/cli/src/io.ts')};
    const cmds = meterIs15959Commands();
    const sim = cmds.find((c) => c.name === 'simulate');
    process.exitCode = await runCommand({ name: 'meter', summary: '', commands: cmds }, sim, ${JSON.stringify(args)}, processIo());
  `;
  return spawn(
    process.execPath,
    ['--conditions=ami-source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function run(signal: 'SIGINT' | 'SIGTERM') {
  const child = simulate(['--port', '0', '--meters', '2', '--seed', '3', '--json']);
  let out = '';
  let err = '';
  child.stdout!.on('data', (b) => {
    out += b;
  });
  child.stderr!.on('data', (b) => {
    err += b;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const t0 = Date.now();
    while (!out.includes('\n')) {
      if (Date.now() - t0 > 15_000) throw new Error(`simulate did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const { listening } = JSON.parse(out.split('\n')[0]!);
    expect(listening).toHaveLength(2);
    // It serves: the public client associates and reads the clock.
    const c = await connectMeter({ host: '127.0.0.1', port: listening[1].port, client: 16 });
    const clock = await c.get({ classId: 8, obis: '0.0.1.0.0.255', attribute: 2 });
    expect(clock.type).toBe('octet-string');
    await c.release();
    await c.close();
    child.kill(signal);
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 8000))]);
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('ami meter simulate (process)', () => {
  it('exits 0 on SIGTERM', () => run('SIGTERM'), 30_000);
  it('exits 0 on SIGINT', () => run('SIGINT'), 30_000);
});
