import { fromHex, toHex } from '@ami-interop/dlms';
import type { ApduLink } from '@ami-interop/dlms/link';
import { listenTcpWrapper } from '@ami-interop/dlms/node';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/command.ts';
import { meterClientCommands } from '../src/commands/meter-client.ts';
import type { Io } from '../src/io.ts';

// AARE accepted, LN, InitiateResponse (conformance 001F1D... server PDU 0x01F4 is irrelevant here).
const AARE = fromHex(
  '6129A109060760857405080101A203020100A305A103020100BE10040E0800065F1F040000101D03EF0007',
);

/** A scripted meter on the TCP wrapper: answers AARQ, then each request from `answers` by its hex, then RLRQ. */
async function meter(answers: Record<string, string>) {
  const listener = await listenTcpWrapper({ port: 0 });
  const seen: string[] = [];
  const serve = async (link: ApduLink): Promise<void> => {
    try {
      for (;;) {
        const req = await link.receive({ timeoutMs: 5000 });
        const hex = toHex(req);
        seen.push(hex);
        if (req[0] === 0x60) await link.send(AARE);
        else if (req[0] === 0x62) await link.send(fromHex('6303800100'));
        else await link.send(fromHex(answers[hex] ?? 'D80101'));
      }
    } catch {
      await link.close();
    }
  };
  const loop = (async () => {
    for await (const link of listener.accept()) void serve(link);
  })();
  return {
    port: listener.port,
    seen,
    close: async () => {
      await listener.close();
      await loop;
    },
  };
}

async function run(name: string, args: string[]) {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    readStdin: async () => undefined,
    readFile: () => {
      throw new Error('no files');
    },
  };
  const cmd = meterClientCommands().find((c) => c.name === name)!;
  const code = await runCommand(
    { name: 'meter', summary: '', commands: meterClientCommands() },
    cmd,
    args,
    io,
  );
  return { code, out, err };
}

describe('ami meter get|set|action|objects', () => {
  it('get prints the value (typed JSON with --json, a tree otherwise)', async () => {
    const m = await meter({ C001C100030000010000FF0200: 'C401C1001200E6' });
    const j = await run('get', [
      '--host',
      '127.0.0.1',
      '--port',
      String(m.port),
      '3/0.0.1.0.0.255/2',
      '--json',
    ]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out)).toEqual({ type: 'long-unsigned', value: 230 });
    const t = await run('get', ['--host', '127.0.0.1', '--port', String(m.port), '3/0.0.1.0.0.255/2']);
    expect(t.out).toContain('230');
    expect(m.seen.filter((h) => h.startsWith('62')).length).toBe(2); // released each time
    await m.close();
  });

  it('set sends the typed JSON value; action returns success; errors are typed', async () => {
    const m = await meter({
      C101C100010000600100FF0200120005: 'C501C100',
      C301C10046000060030AFF0100: 'C701C10000',
    });
    const s = await run('set', [
      '--host',
      '127.0.0.1',
      '--port',
      String(m.port),
      '1/0.0.96.1.0.255/2',
      '--value',
      '{"type":"long-unsigned","value":5}',
      '--json',
    ]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toEqual({ result: 'success' });
    const a = await run('action', ['--host', '127.0.0.1', '--port', String(m.port), '70/0.0.96.3.10.255/1']);
    expect(a.code).toBe(0);
    await expect(run('get', ['--host', '127.0.0.1', '--port', String(m.port), 'x/y'])).rejects.toThrow(
      /class/,
    );
    await expect(
      run('get', ['--host', '127.0.0.1', '--port', String(m.port), '1/0.0.96.1.9.255/2']),
    ).rejects.toMatchObject({ code: 'SERVICE_ERROR' });
    await m.close();
  });

  it('objects lists class, version, logical name and access rights', async () => {
    // object_list with one entry: clock (8), version 0, 0.0.1.0.0.255, attribute 2 read-and-write, method 1 access.
    const list =
      '0101' +
      '0204' +
      '120008' +
      '1100' +
      '0906' +
      '0000010000FF' +
      '0202' +
      '0101' +
      '0203' +
      '0F02' +
      '1603' +
      '00' +
      '0101' +
      '0202' +
      '0F01' +
      '1601';
    const m = await meter({ C001C1000F0000280000FF0200: `C401C100${list}` });
    const r = await run('objects', ['--host', '127.0.0.1', '--port', String(m.port)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 objects');
    expect(r.out).toMatch(/ {2}8 v0 {2}0\.0\.1\.0\.0\.255 +attributes 2:read-and-write {2}methods 1:access/);
    const j = await run('objects', ['--host', '127.0.0.1', '--port', String(m.port), '--json']);
    expect(JSON.parse(j.out)[0]).toMatchObject({ classId: 8, logicalName: '0.0.1.0.0.255' });
    await m.close();
  });
});
