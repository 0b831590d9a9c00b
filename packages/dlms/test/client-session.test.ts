import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conformanceFromNumber } from '../src/apdu/index.ts';
import type { Data } from '../src/axdr/types.ts';
import {
  byDateRange,
  byEntryRange,
  type ClientEvent,
  DlmsClient,
  parseObjectList,
  serviceErrorDetail,
} from '../src/client/index.ts';
import { DlmsError, isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { type ApduLink, createMemoryLinkPair } from '../src/link/index.ts';
import { MemoryInvocationCounterStore } from '../src/security/index.ts';
import { type FakeServerOptions, fakeServer } from './client-fake-server.ts';

// Green Book suite-0 example material (see /work/shared/reference/dlms.md).
const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const CLIENT_ST = fromHex('4D4D4D0000BC614E');
const SERVER_ST = fromHex('4D4D4D0000000001');

const CLOCK = { classId: 8, obis: '0.0.1.0.0.255', attribute: 2 };
const clockValue: Data = { type: 'octet-string', value: fromHex('07E9010103000000FF800000') };

function pair(client = 32): [ApduLink, ApduLink] {
  return createMemoryLinkPair({ client, server: 1 });
}

function values(entries: [string, Data][]): Map<string, Data> {
  return new Map(entries);
}

async function rejects(p: Promise<unknown>): Promise<DlmsError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof DlmsError)) throw e;
    return e;
  }
  throw new Error('expected a rejection');
}

const ALL: FakeServerOptions['conformance'] = [
  'general-block-transfer',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'block-transfer-with-action',
  'multiple-references',
  'get',
  'set',
  'selective-access',
  'action',
];

describe('DlmsClient: LLS association and GET (byte-exact requests)', () => {
  it('sends the AARQ of the Green Book LLS example and the get-request-normal for the clock', async () => {
    const [c, s] = pair();
    const server = fakeServer(s, {
      conformance: ALL,
      password: '12345678',
      values: values([['8/0.0.1.0.0.255/2', clockValue]]),
    });
    const events: ClientEvent[] = [];
    const client = await DlmsClient.associate(c, {
      authentication: 'lls',
      password: '12345678',
      conformance: conformanceFromNumber(0x007e1f),
      maxReceivePduSize: 1200,
      onEvent: (e) => events.push(e),
    });
    // Hand-built from the ACSE rules (the example in src/acse/aarq.ts): LN context, ACSE requirements
    // authentication, mechanism low (1), password "12345678", InitiateRequest conformance 007E1F, PDU 04B0.
    expect(toHex(server.received[0]!)).toBe(
      '6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400007E1F04B0',
    );
    const v = await client.get(CLOCK);
    expect(v).toEqual(clockValue);
    // get-request (C0), normal (01), invoke-id 1 confirmed high (C1), class 8, 0.0.1.0.0.255, attr 2, no selection.
    expect(toHex(server.received[1]!)).toBe('C001C1000800000100' + '00FF0200');
    expect(events[0]).toMatchObject({ type: 'associated', authentication: 'lls', ciphered: false });
    await client.release();
    // RLRQ reason normal: 62 03 80 01 00.
    expect(toHex(server.received[2]!)).toBe('6203800100');
    expect(c.isOpen).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['associated', 'released', 'closed']);
    await server.done;
  });

  it('wrong password: ASSOCIATION_REFUSED naming the diagnostic', async () => {
    const [c, s] = pair();
    fakeServer(s, { conformance: ALL, password: 'right' });
    const e = await rejects(DlmsClient.associate(c, { authentication: 'lls', password: 'wrong' }));
    expect(e.code).toBe('ASSOCIATION_REFUSED');
    expect(e.message).toContain('authentication-failure');
    await c.close();
  });

  it('data-access-result: SERVICE_ERROR carrying its name; invoke-ids advance per request', async () => {
    const [c, s] = pair(16);
    const server = fakeServer(s, { conformance: ALL, values: values([['8/0.0.1.0.0.255/2', clockValue]]) });
    const client = await DlmsClient.associate(c);
    const e = await rejects(client.get({ classId: 1, obis: '0.0.96.1.0.255', attribute: 2 }));
    expect(e.code).toBe('SERVICE_ERROR');
    expect(serviceErrorDetail(e)).toEqual({ kind: 'data-access-result', result: 'object-undefined' });
    await client.get(CLOCK);
    expect(server.received[1]![2]).toBe(0xc1);
    expect(server.received[2]![2]).toBe(0xc2);
    await client.close();
  });

  it('follows get-response-with-datablock to the last block', async () => {
    const [c, s] = pair();
    const big: Data = {
      type: 'array',
      value: Array.from({ length: 200 }, (_, i) => ({ type: 'long-unsigned', value: i }) as Data),
    };
    const server = fakeServer(s, {
      conformance: ALL,
      getBlockSize: 50,
      values: values([['7/1.0.99.1.0.255/2', big]]),
    });
    const events: ClientEvent[] = [];
    const client = await DlmsClient.associate(c, { onEvent: (e) => events.push(e) });
    const v = await client.get(
      { classId: 7, obis: '1.0.99.1.0.255', attribute: 2 },
      { selectiveAccess: byEntryRange(1, 0) },
    );
    expect(v).toEqual(big);
    const blocks = events.filter((e) => e.type === 'block');
    const nexts = server.received.filter((r) => r[0] === 0xc0 && r[1] === 0x02).length;
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks.length).toBe(nexts + 1);
    // get-request-next for block 1: C0 02 C1 00000001.
    expect(toHex(server.received[2]!)).toBe('C002C100000001');
    // The first request carried the entry descriptor (selector 2).
    expect(server.received[1]![12]).toBe(0x01);
    expect(server.received[1]![13]).toBe(0x02);
    await client.close();
  });
});

describe('DlmsClient: ciphered contexts (suite 0)', () => {
  const security = (counters = new MemoryInvocationCounterStore()) => ({
    systemTitle: CLIENT_ST,
    ek: EK,
    ak: AK,
    counters,
  });

  it('reproduces the Green Book glo-get-request for the clock', async () => {
    const [c, s] = pair(48);
    const server = fakeServer(s, {
      conformance: ALL,
      security: { systemTitle: SERVER_ST, ek: EK, ak: AK },
      values: values([['8/0.0.1.0.0.255/2', clockValue]]),
    });
    const counters = new MemoryInvocationCounterStore();
    // The AARQ's glo-initiateRequest takes 0x01234566, the GET 0x01234567 (the example's counter).
    counters.seedSent(CLIENT_ST, 'global-unicast', 0x01234565);
    const client = await DlmsClient.associate(c, {
      security: security(counters),
      invokeId: { first: 0, priority: 'normal', serviceClass: 'unconfirmed' },
    });
    expect(server.received[0]![0]).toBe(0x60);
    expect(await client.get(CLOCK)).toEqual(clockValue);
    // Green Book: C8 1E 30 01234567 <ciphertext 411312FF935A47566827C467BC> <tag 7D825C3BE4A77C3FCC056B6B>
    expect(toHex(server.received[1]!)).toBe(
      'C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B',
    );
    expect(toHex(server.plain[1]!)).toBe('C00100000800000100' + '00FF0200');
    await client.release();
    // In a ciphered context the RLRQ carries a glo-initiateRequest (tag 21) in user-information.
    const rlrq = server.received[2]!;
    expect(rlrq[0]).toBe(0x62);
    // user-information BE 23 04 21, then glo-initiateRequest 21 1F, SC 30, the next counter 01234568.
    expect(toHex(rlrq).slice(0, 30)).toBe('6228800100BE230421211F30012345'.slice(0, 30));
    expect(toHex(rlrq.subarray(9, 16))).toBe('211F3001234568');
  });

  it('HLS-GMAC with authenticated encryption: associate, GET, SET, ACTION', async () => {
    const [c, s] = pair(48);
    const server = fakeServer(s, {
      conformance: ALL,
      security: { systemTitle: SERVER_ST, ek: EK, ak: AK },
      values: values([['8/0.0.1.0.0.255/2', clockValue]]),
      methods: new Map([['70/0.0.96.3.10.255/1', () => undefined]]),
    });
    const client = await DlmsClient.associate(c, {
      authentication: 'hls-gmac',
      security: security(),
      challenge: fromHex('0102030405060708090A0B0C0D0E0F10'),
    });
    expect(server.received[0]![0]).toBe(0x60);
    // Pass 3 went ciphered: glo-action-request (CB) carrying reply_to_HLS_authentication.
    expect(server.received[1]![0]).toBe(0xcb);
    expect(toHex(server.plain[1]!).slice(0, 28)).toBe('C301C1000F0000280000FF010109');
    expect(client.serverSystemTitle).toEqual(SERVER_ST);
    expect(await client.get(CLOCK)).toEqual(clockValue);
    await client.set(
      { classId: 1, obis: '0.0.96.1.0.255', attribute: 2 },
      { type: 'long-unsigned', value: 5 },
    );
    expect(server.written.get('1/0.0.96.1.0.255/2')).toEqual({ type: 'long-unsigned', value: 5 });
    expect(
      await client.action({ classId: 70, obis: '0.0.96.3.10.255', method: 1 }, { type: 'integer', value: 0 }),
    ).toBe(undefined);
    for (const r of server.received.slice(1)) expect([0xc8, 0xc9, 0xcb]).toContain(r[0]);
    await client.release();
  });

  it('HLS-GMAC with authenticated encryption on the node:crypto backend gives the same bytes as noble', async () => {
    const { nodeCryptoBackend } = await import('../src/security/node.ts');
    const run = async (backend: typeof nodeCryptoBackend | undefined) => {
      const [c, s] = pair(48);
      const server = fakeServer(s, {
        conformance: ALL,
        security: { systemTitle: SERVER_ST, ek: EK, ak: AK },
        values: values([['8/0.0.1.0.0.255/2', clockValue]]),
      });
      const client = await DlmsClient.associate(c, {
        authentication: 'hls-gmac',
        security: { ...security(), backend },
        challenge: fromHex('0102030405060708090A0B0C0D0E0F10'),
      });
      expect(await client.get(CLOCK)).toEqual(clockValue);
      await client.release();
      return server.received.map((b) => toHex(b));
    };
    expect(await run(nodeCryptoBackend)).toEqual(await run(undefined));
  });

  it('wrong key: AUTHENTICATION_FAILED', async () => {
    const [c, s] = pair(48);
    fakeServer(s, { conformance: ALL, security: { systemTitle: SERVER_ST, ek: EK, ak: AK } });
    const wrong = fromHex('00112233445566778899AABBCCDDEEFF');
    const e = await rejects(
      DlmsClient.associate(c, {
        authentication: 'hls-gmac',
        security: { systemTitle: CLIENT_ST, ek: wrong, ak: AK },
      }),
    );
    // The server cannot decipher our glo-initiateRequest and refuses; a server that answered anyway
    // would fail our deciphering of its glo-initiateResponse. Either way no association.
    expect(['AUTHENTICATION_FAILED', 'ASSOCIATION_REFUSED']).toContain(e.code);
    await c.close();
  });

  it("server's f(CtoS) under a different key: AUTHENTICATION_FAILED", async () => {
    const [c, s] = pair(48);
    // The server knows EK/AK for ciphering, but the client checks f(CtoS) — make the server answer with a
    // response computed for a different challenge by lying about StoC: reject at pass 3 instead.
    fakeServer(s, {
      conformance: ALL,
      security: { systemTitle: SERVER_ST, ek: EK, ak: AK },
      rejectHls: true,
    });
    const e = await rejects(DlmsClient.associate(c, { authentication: 'hls-gmac', security: security() }));
    expect(e.code).toBe('AUTHENTICATION_FAILED');
    await c.close();
  });

  it('a replayed response counter: REPLAYED_COUNTER', async () => {
    const [c, s] = pair(48);
    const sent: Uint8Array[] = [];
    fakeServer(s, {
      conformance: ALL,
      security: { systemTitle: SERVER_ST, ek: EK, ak: AK },
      values: values([['8/0.0.1.0.0.255/2', clockValue]]),
      // Responses: 0 AARE, 1 first GET, 2 second GET → replay the first GET's response.
      tamper: (b, i) => {
        sent.push(b);
        return i === 2 ? sent[1]! : b;
      },
    });
    const client = await DlmsClient.associate(c, { security: security() });
    await client.get(CLOCK);
    const e = await rejects(client.get(CLOCK));
    expect(e.code).toBe('REPLAYED_COUNTER');
    await client.close();
  });
});

describe('DlmsClient: lists, blocks, GBT', () => {
  it('with-list in one request when multiple-references is negotiated, else one per item', async () => {
    for (const multi of [true, false]) {
      const [c, s] = pair();
      const conf = multi ? ALL : ALL.filter((b) => b !== 'multiple-references');
      const server = fakeServer(s, {
        conformance: conf,
        values: values([['8/0.0.1.0.0.255/2', clockValue]]),
      });
      const client = await DlmsClient.associate(c);
      const r = await client.getWithList([CLOCK, { classId: 1, obis: '0.0.96.1.0.255', attribute: 2 }]);
      expect(r[0]).toEqual({ ok: true, value: clockValue });
      expect(r[1]!.ok).toBe(false);
      if (!r[1]!.ok) expect(serviceErrorDetail(r[1]!.error)?.result).toBe('object-undefined');
      expect(server.received.length).toBe(multi ? 2 : 3);
      if (multi) expect(toHex(server.received[1]!.subarray(0, 2))).toBe('C003');
      const w = await client.setWithList([
        { ref: { classId: 1, obis: '0.0.96.1.1.255', attribute: 2 }, value: { type: 'unsigned', value: 1 } },
        { ref: { classId: 1, obis: '0.0.96.1.2.255', attribute: 2 }, value: { type: 'unsigned', value: 2 } },
      ]);
      expect(w.every((x) => x.ok)).toBe(true);
      expect(server.written.get('1/0.0.96.1.2.255/2')).toEqual({ type: 'unsigned', value: 2 });
      await client.close();
    }
  });

  it('SET and ACTION with data blocks when the request exceeds the server PDU size', async () => {
    const [c, s] = pair();
    let got: Data | undefined;
    const server = fakeServer(s, {
      conformance: ALL,
      maxPdu: 64,
      methods: new Map([
        [
          '18/0.0.44.0.0.255/2',
          (p) => {
            got = p;
            return undefined;
          },
        ],
      ]),
    });
    const events: ClientEvent[] = [];
    const client = await DlmsClient.associate(c, { onEvent: (e) => events.push(e) });
    const big: Data = { type: 'octet-string', value: new Uint8Array(300).map((_, i) => i) };
    await client.set({ classId: 1, obis: '0.0.96.1.0.255', attribute: 2 }, big);
    expect(server.written.get('1/0.0.96.1.0.255/2')).toEqual(big);
    expect(toHex(server.received[1]!.subarray(0, 2))).toBe('C102'); // set-request-with-first-datablock
    for (const r of server.received.slice(1)) expect(r.length).toBeLessThanOrEqual(64);
    await client.action({ classId: 18, obis: '0.0.44.0.0.255', method: 2 }, big);
    expect(got).toEqual(big);
    expect(events.some((e) => e.type === 'block' && e.service === 'action' && e.of !== undefined)).toBe(true);
    await client.close();
  });

  it('GBT: responses reassembled with windows; large requests sent in GBT when service blocks are not negotiated', async () => {
    const [c, s] = pair();
    const big: Data = { type: 'octet-string', value: new Uint8Array(500).fill(7) };
    const conf = ALL.filter((b) => !b.startsWith('block-transfer'));
    const server = fakeServer(s, {
      conformance: conf,
      maxPdu: 80,
      gbtWindow: 3,
      values: values([['1/0.0.96.1.0.255/2', big]]),
    });
    const events: ClientEvent[] = [];
    const client = await DlmsClient.associate(c, {
      maxReceivePduSize: 64,
      gbtWindow: 3,
      onEvent: (e) => events.push(e),
    });
    expect(await client.get({ classId: 1, obis: '0.0.96.1.0.255', attribute: 2 })).toEqual(big);
    expect(events.filter((e) => e.type === 'block' && e.direction === 'received').length).toBeGreaterThan(8);
    await client.set({ classId: 1, obis: '0.0.96.1.1.255', attribute: 2 }, big);
    expect(server.written.get('1/0.0.96.1.1.255/2')).toEqual(big);
    expect(server.received.filter((r) => r[0] === 0xe0).length).toBeGreaterThan(5);
    await client.close();
  });
});

describe('DlmsClient: reconnect, selective access, object list, hostile input', () => {
  it('re-opens and re-associates after CONNECTION_CLOSED, then repeats the GET', async () => {
    const servers: ReturnType<typeof fakeServer>[] = [];
    const links: ApduLink[] = [];
    const open = async (): Promise<ApduLink> => {
      const [c, s] = pair();
      servers.push(fakeServer(s, { conformance: ALL, values: values([['8/0.0.1.0.0.255/2', clockValue]]) }));
      links.push(s);
      return c;
    };
    const events: ClientEvent[] = [];
    const client = await DlmsClient.connect(open, {
      reconnect: { retries: 2, backoffMs: 5 },
      onEvent: (e) => events.push(e),
    });
    await links[0]!.close(); // the server side drops the link
    expect(await client.get(CLOCK)).toEqual(clockValue);
    expect(events.filter((e) => e.type === 'retry').length).toBe(1);
    expect(events.filter((e) => e.type === 'associated').length).toBe(2);
    // SET is not repeated by default.
    await links[1]!.close();
    const e = await rejects(client.set(CLOCK, clockValue));
    expect(e.code).toBe('CONNECTION_CLOSED');
    await client.close();
  });

  it('byDateRange builds the range descriptor on the clock column', () => {
    const d = byDateRange(new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2025, 0, 2)));
    expect(d.accessSelector).toBe(1);
    const p = d.accessParameters;
    expect(p.type).toBe('structure');
    if (p.type === 'structure') {
      expect(p.value[0]).toMatchObject({ type: 'structure' });
      expect(p.value[1]).toMatchObject({ type: 'octet-string' });
      if (p.value[1]!.type === 'octet-string') expect(toHex(p.value[1]!.value).slice(0, 8)).toBe('07E90101');
    }
  });

  it('parses an object_list', () => {
    const list: Data = {
      type: 'array',
      value: [
        {
          type: 'structure',
          value: [
            { type: 'long-unsigned', value: 8 },
            { type: 'unsigned', value: 0 },
            { type: 'octet-string', value: fromHex('0000010000FF') },
            {
              type: 'structure',
              value: [
                {
                  type: 'array',
                  value: [
                    {
                      type: 'structure',
                      value: [
                        { type: 'integer', value: 1 },
                        { type: 'enum', value: 1 },
                        { type: 'null-data' },
                      ],
                    },
                    {
                      type: 'structure',
                      value: [
                        { type: 'integer', value: 2 },
                        { type: 'enum', value: 3 },
                        { type: 'null-data' },
                      ],
                    },
                  ],
                },
                {
                  type: 'array',
                  value: [
                    {
                      type: 'structure',
                      value: [
                        { type: 'integer', value: 1 },
                        { type: 'boolean', value: true },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(parseObjectList(list)).toEqual([
      {
        classId: 8,
        version: 0,
        logicalName: '0.0.1.0.0.255',
        attributes: [
          { id: 1, access: 'read-only' },
          { id: 2, access: 'read-and-write' },
        ],
        methods: [{ id: 1, access: 'access' }],
      },
    ]);
    expect(() => parseObjectList({ type: 'unsigned', value: 1 })).toThrow(DlmsError);
  });

  it('random bytes as the AARE or a response never throw anything but typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.boolean(), async (junk, afterAssociation) => {
        const [c, s] = pair();
        const task = (async () => {
          const aarq = await s.receive();
          if (afterAssociation && aarq[0] === 0x60) {
            // A valid AARE first, then junk as the GET response.
            await s.send(
              fromHex(
                '6129A109060760857405080101A203020100A305A103020100BE10040E0800065F1F040000101D03EF0007',
              ),
            );
            await s.receive();
          }
          await s.send(junk);
        })();
        try {
          const client = await DlmsClient.associate(c, { responseTimeoutMs: 200 });
          await client.get(CLOCK);
        } catch (e) {
          if (!isDlmsError(e)) throw e;
        } finally {
          await c.close();
          await task.catch(() => undefined);
        }
      }),
      { numRuns: 150 },
    );
  });
});
