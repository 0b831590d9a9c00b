import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTree } from '../src/tree.ts';
import { ami } from './helpers.ts';

describe('ami skeleton', () => {
  it('lists the five groups in --help', async () => {
    const r = await ami(['--help']);
    expect(r.code).toBe(0);
    for (const g of ['dlms', 'meter', 'cim', 'keyfile', 'transport'])
      expect(r.out).toMatch(new RegExp(`^  ${g} `, 'm'));
  });

  it.each(['dlms', 'meter', 'cim', 'keyfile', 'transport'])('has --help for the %s group', async (g) => {
    const r = await ami([g, '--help']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith(`ami ${g}: `)).toBe(true);
  });

  it.each([
    [['nope'], 2, /unknown command group 'nope'/],
    [['dlms', 'nope'], 2, /unknown command 'ami dlms nope'/],
    [['dlms', 'decode', '--bogus'], 2, /Unknown option '--bogus'/],
    [['dlms', 'decode', '--hex', 'zz'], 1, /\[INVALID_ARGUMENT\] not a hex digit: "z" at offset 0/],
    [['dlms', 'decode', '--hex', 'abc'], 1, /odd number of hex digits/],
    [['dlms', 'decode'], 2, /no input/],
  ] as const)('refuses %j with one line and exit %i', async (args, code, message) => {
    const r = await ami([...args]);
    expect(r.code).toBe(code);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err.startsWith('ami: ')).toBe(true);
  });

  it('prints a missing file as one line', async () => {
    const r = await ami(['dlms', 'decode', '--file', '/nonexistent/x.hex']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ami: ENOENT/);
  });
});

describe('the real binary', () => {
  it('exits non-zero with one line and no stack trace on bad hex', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=ami-source',
        '--import',
        'tsx',
        join(root, 'packages/cli/src/bin.ts'),
        'dlms',
        'decode',
        '--hex',
        'zz',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'ami: [INVALID_ARGUMENT] not a hex digit: "z" at offset 0',
    ]);
  });
});

describe('renderTree', () => {
  it('draws nested values with {type, value} nodes on one line', () => {
    const s = renderTree(
      {
        invokeId: 1,
        value: { type: 'structure', value: [{ type: 'long-unsigned', value: 2300 }, { type: 'null-data' }] },
      },
      'get-response-normal',
    );
    expect(s).toBe(
      [
        'get-response-normal',
        '├─ invokeId: 1',
        '└─ value: structure',
        '   ├─ [0]: long-unsigned 2300',
        '   └─ [1]: null-data',
        '',
      ].join('\n'),
    );
  });
});

describe('ami dlms decode', () => {
  const GB = [
    '--hex',
    'C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B',
    '--ak',
    'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF',
    '--system-title',
    '4D4D4D0000BC614E',
  ];

  it('deciphers the Green Book glo-get-request to its plaintext (JSON)', async () => {
    const r = await ami(['dlms', 'decode', ...GB, '--ek', '000102030405060708090A0B0C0D0E0F', '--json']);
    const [entry] = JSON.parse(r.out);
    expect(entry.apdu.name).toBe('glo-get-request');
    expect(entry.apdu.security.plain.hex).toBe('C0010000080000010000FF0200');
  });

  it('says in one line that authentication failed with a wrong key', async () => {
    const r = await ami(['dlms', 'decode', ...GB, '--ek', '000102030405060708090A0B0C0D0E0E']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('ami: frame #0: [AUTHENTICATION_FAILED] authentication failed\n');
  });

  it('reads a capture with one frame per line from stdin', async () => {
    const r = await ami(['dlms', 'decode', '--json'], '7EA0070321930F017E\n7EA0070321930F017E\n');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.out);
    expect(entries).toHaveLength(2);
    expect(entries.map((e: { note: string }) => e.note)).toEqual(['SNRM', 'SNRM']);
  });

  it('takes the bytes as arguments, one frame each (hex with spaces in one quoted argument too)', async () => {
    const one = await ami(['dlms', 'decode', '7E A0 07 03 21 93 0F 01 7E', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out).map((e: { note: string }) => e.note)).toEqual(['SNRM']);
    const two = await ami(['dlms', 'decode', '7EA0070321930F017E', '7EA0070321930F017E', '--json']);
    expect(JSON.parse(two.out)).toHaveLength(2);
    const both = await ami(['dlms', 'decode', '7EA0070321930F017E', '--hex', '00']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/not several/);
  });

  it('refuses a key of the wrong length as a usage error', async () => {
    const r = await ami(['dlms', 'decode', ...GB, '--ek', '0001']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ek must be 16 bytes/);
  });
});

describe('ami cim reading-type', () => {
  // shared/reference/iec61968.md §0: OBIS 1.0.1.8.0.255 in kWh is this mRID (confirmed by a public MDM's test).
  const KWH = '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0';

  it('maps OBIS 1.0.1.8.0.255, unit Wh, scaler 3 to the reference mRID', async () => {
    const r = await ami([
      'cim',
      'reading-type',
      '--obis',
      '1-0:1.8.0*255',
      '--unit',
      'Wh',
      '--scaler',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).mRID).toBe(KWH);
  });

  it('describes a mRID for people', async () => {
    const r = await ami(['cim', 'reading-type', KWH]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`${KWH}: Forward bulk energy, electricity secondary metered, kWh`);
  });

  it('refuses a malformed mRID in one line', async () => {
    const r = await ami(['cim', 'reading-type', '1.2.3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ami: \[INVALID_VALUE\] .*expected 18/);
  });

  it('refuses an unknown unit as a usage error', async () => {
    const r = await ami(['cim', 'reading-type', '--obis', '1.0.1.8.0.255', '--unit', 'furlong']);
    expect(r.code).toBe(2);
  });
});
