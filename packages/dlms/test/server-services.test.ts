/**
 * DlmsServer services: access rights, GET with-list, selective access (range and entry), block transfer of
 * a 3360-row block load profile in get-response-with-datablock APDUs, GBT, SET with datablocks, ACTION with
 * pblocks, push. Requests are hand-built from the Green Book A-XDR rules where the bytes are short enough to
 * read; the long ones are built with the APDU encoders and checked structurally.
 */
import { describe, expect, it } from 'vitest';
import {
  actionRequestBlocks,
  clockRangeDescriptor,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  GbtAssembler,
  type GeneralBlockTransfer,
  GetBlockAssembler,
  type GetResponse,
  gbtBlocks,
  setRequestBlocks,
} from '../src/apdu/index.ts';
import { cosemDateTimeFromDate } from '../src/axdr/datetime.ts';
import type { Data } from '../src/axdr/types.ts';
import { type DataObject, PushSetupObject, type RegisterObject } from '../src/cosem/index.ts';
import { createMemoryLinkPair } from '../src/link/index.ts';
import { obis } from '../src/obis/index.ts';
import { unprotectApdu } from '../src/security/ciphered-apdu.ts';
import { DlmsServer, type ServerAccessRights, type ServerAssociation } from '../src/server/index.ts';
import {
  associations,
  encodeData,
  FIXED_NOW,
  fromHex,
  GB_AK,
  GB_EK,
  type loadProfile,
  meterObjects,
  ScriptedClient,
  SERVER_ST,
  toHex,
} from './server-fixtures.ts';

const h = (s: string) => fromHex(s.replace(/\s+/g, ''));
const AARQ_PUBLIC_512 = '601DA109060760857405080101BE10040E01000000065F1F0400007E1F0200';
const AARQ_LLS =
  '6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400007E1F04B0';
const iid = { invokeId: 1, serviceClass: 'confirmed' as const, priority: 'high' as const };

function setup(rows: number, extra?: Parameters<typeof associations>[0]) {
  const objects = meterObjects(rows);
  const server = new DlmsServer({
    objects,
    associations: associations(extra),
    systemTitle: SERVER_ST,
    now: () => FIXED_NOW,
  });
  const connect = (client: number) => {
    const [c, s] = createMemoryLinkPair({ client, server: 1 });
    void server.handle(s);
    return new ScriptedClient(c);
  };
  return { server, objects, connect };
}

describe('access rights', () => {
  const rights: ServerAssociation['rights'] = (o): ServerAccessRights | undefined => {
    const ln = o.logicalName;
    if (o.classId === 3 && ln.c === 1 && ln.d === 8)
      return { attributes: { 1: 'read-only', 2: 'read-only' } };
    if (o.classId === 1 && ln.e === 1) return { attributes: { 1: 'read-only', 2: 'write-only' } };
    if (o.classId === 8) return { attributes: { 1: 'read-only', 2: 'read-only', 3: 'read-and-write' } };
    return undefined;
  };
  const extra = {
    32: {
      rights,
      visible: (o: { logicalName: { c: number; e: number; d: number } }) =>
        !(o.logicalName.c === 96 && o.logicalName.d === 1 && o.logicalName.e === 0),
    },
  };

  it('refuses with the Data-Access-Result / Action-Result the standard names', async () => {
    const { server, objects, connect } = setup(5, extra as never);
    const c = connect(32);
    expect((await c.aarq(decodeAarqHex(AARQ_LLS))).result).toBe('accepted');
    // SET of a read-only attribute: set-response-normal read-write-denied (3).
    expect(toHex(await c.exchange(h('C101C1 0003 0100010800FF 02 00 06 00000001')))).toBe('C501C103');
    // GET of a write-only attribute: read-write-denied.
    expect(toHex(await c.exchange(h('C001C1 0001 0000600101FF 02 00')))).toBe('C401C10103');
    // SET of it: success, and the object holds the value.
    expect(toHex(await c.exchange(h('C101C1 0001 0000600101FF 02 00 12 0009')))).toBe('C501C100');
    expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
      type: 'long-unsigned',
      value: 9,
    });
    // Clock time_zone (long) set with an octet-string: type-unmatched (12).
    expect(toHex(await c.exchange(h('C101C1 0008 0000010000FF 03 00 09 01 00')))).toBe('C501C10C');
    // ACTION with no method access: action-response-normal read-write-denied, no return parameters.
    expect(toHex(await c.exchange(h('C301C1 0008 0000010000FF 01 01 0F 00')))).toBe('C701C10300');
    // An object outside this association's object list: object-undefined.
    expect(toHex(await c.exchange(h('C001C1 0001 0000600100FF 02 00')))).toBe('C401C10104');
    // object_list of the current association (0.0.40.0.0.255) lists what the association sees.
    const ol = decodeXdlmsApdu(await c.exchange(h('C001C1 000F 0000280000FF 02 00'))) as GetResponse;
    const list = ((ol as { result: { data: Data } }).result.data as { value: Data[] }).value;
    expect(list.length).toBe(objects.size - 1);
    await server.close();
  });
});

describe('GET', () => {
  it('with-list answers each attribute (hand-built bytes)', async () => {
    const { server, connect } = setup(5);
    const c = connect(16);
    await c.exchange(h(AARQ_PUBLIC_512));
    // get-request-with-list (03), 3 descriptors, each without access selection.
    const req = h('C003C1 03 0003 0100010800FF 02 00  0003 0100630800FF 02 00  0003 0100010800FF 03 00');
    expect(toHex(await c.exchange(req))).toBe(
      'C403C103 00 060001E240 01 04 00 02020F00161E'.replace(/ /g, ''),
    );
    await server.close();
  });

  it('selective access by entry and by range, routed to the profile', async () => {
    const { server, objects, connect } = setup(96);
    const c = connect(16);
    await c.exchange(h(AARQ_PUBLIC_512));
    const buffer = (objects.findByName('1.0.99.1.0.255') as ReturnType<typeof loadProfile>).values.buffer;
    // entry_descriptor {from_entry 2, to_entry 4, from_selected_value 1, to_selected_value 2}.
    const entry = h('C001C1 0007 0100630100FF 02 01 02 0204 06 00000002 06 00000004 12 0001 12 0002');
    const r = decodeXdlmsApdu(await c.exchange(entry)) as { result: { data: Data } };
    expect(r.result.data).toEqual({
      type: 'array',
      value: buffer.slice(1, 4).map((row) => ({ type: 'structure', value: row.slice(0, 2) })),
    });
    // range on the clock column: rows 10..19 (15-minute rows, both bounds inclusive).
    const start = FIXED_NOW.getTime() - 96 * 900_000;
    const sel = clockRangeDescriptor(
      cosemDateTimeFromDate(new Date(start + 10 * 900_000), -330),
      cosemDateTimeFromDate(new Date(start + 19 * 900_000), -330),
    );
    const rr = await c.request({
      type: 'get-request-normal',
      invokeIdAndPriority: iid,
      attribute: { classId: 7, instanceId: obis(1, 0, 99, 1, 0, 255), attributeId: 2 },
      accessSelection: sel,
    });
    expect((rr as { result: { data: Data } }).result.data).toEqual({
      type: 'array',
      value: buffer.slice(10, 20).map((row) => ({ type: 'structure', value: row })),
    });
    // Selective access on an attribute that has none: scope-of-access-violated (13).
    const bad = h('C001C1 0003 0100010800FF 02 01 02 0204 06 00000002 06 00000004 12 0001 12 0002');
    expect(toHex(await c.exchange(bad))).toBe('C401C1010D');
    await server.close();
  });

  it('sends a 3360-row profile in get-response-with-datablock blocks within the client PDU size', async () => {
    const { server, objects, connect } = setup(3360);
    const c = connect(16);
    // client-max-receive-pdu-size 512 (02 00), block-transfer-with-get proposed.
    expect(toHex(await c.exchange(h(AARQ_PUBLIC_512)))).toContain('A203020100');
    // No long GET in progress: DataBlock-G last, block 1, data-access-result no-long-get-in-progress (16).
    expect(toHex(await c.exchange(h('C002C1 00000001')))).toBe('C402C1010000000101 10'.replace(/ /g, ''));
    const asm = new GetBlockAssembler();
    let resp = await c.exchange(h('C001C1 0007 0100630100FF 02 00'));
    // get-response-with-datablock, last-block FALSE, block-number 1, raw-data.
    expect(toHex(resp.subarray(0, 9))).toBe('C402C1000000000100');
    let step = asm.push(decodeXdlmsApdu(resp) as GetResponse);
    let blocks = 1;
    while (!step.done) {
      expect(resp.length).toBeLessThanOrEqual(512);
      resp = await c.exchange(encodeXdlmsApdu(step.next));
      step = asm.push(decodeXdlmsApdu(resp) as GetResponse);
      blocks++;
    }
    expect(resp.length).toBeLessThanOrEqual(512);
    const buffer = (objects.findByName('1.0.99.1.0.255') as ReturnType<typeof loadProfile>).values.buffer;
    expect((step.data as { value: Data[] }).value.length).toBe(3360);
    expect(step.raw).toEqual(
      encodeData({ type: 'array', value: buffer.map((r) => ({ type: 'structure', value: r })) }),
    );
    expect(blocks).toBeGreaterThan(100);
    // A wrong block number aborts: data-block-number-invalid (19).
    await c.exchange(h('C001C1 0007 0100630100FF 02 00'));
    expect(toHex(await c.exchange(h('C002C1 00000005')))).toBe('C402C101000000050113');
    await server.close();
  });

  it('refuses a too-long response when no block transfer is negotiated', async () => {
    const { server, connect } = setup(3360);
    const c = connect(16);
    // Proposes only get (0x000010).
    await c.exchange(h('601DA109060760857405080101BE10040E01000000065F1F040000001002 00'));
    expect(toHex(await c.exchange(h('C001C1 0007 0100630100FF 02 00')))).toBe('C401C101FA');
    await server.close();
  });
});

describe('general block transfer (ciphered, HLS-GMAC)', () => {
  it('answers a long GET in GBT blocks, acknowledged block by block', async () => {
    const { server, objects, connect } = setup(3360);
    const c = connect(48);
    await c.associateHlsGmac({ pdu: 512 });
    await c.link.send(c.protect(h('C001C1 0007 0100630100FF 02 00')));
    const asm = new GbtAssembler();
    let complete: Uint8Array | undefined;
    let n = 0;
    while (complete === undefined) {
      const b = await c.link.receive({ timeoutMs: 5000 });
      expect(b.length).toBeLessThanOrEqual(512);
      expect(b[0]).toBe(0xe0);
      const step = asm.push(decodeXdlmsApdu(b) as GeneralBlockTransfer);
      n++;
      if (step.complete) complete = step.complete;
      else if (step.ack) await c.link.send(encodeXdlmsApdu(step.ack));
    }
    expect(n).toBeGreaterThan(100);
    const plain = unprotectApdu(complete, { ek: GB_EK, ak: GB_AK }, { systemTitle: SERVER_ST }).plain;
    const r = decodeXdlmsApdu(plain) as { type: string; result: { data: { value: Data[] } } };
    expect(r.type).toBe('get-response-normal');
    const buffer = (objects.findByName('1.0.99.1.0.255') as ReturnType<typeof loadProfile>).values.buffer;
    expect(r.result.data.value.length).toBe(3360);
    expect(r.result.data.value[3359]).toEqual({ type: 'structure', value: buffer[3359] });
    await server.close();
  });

  it('takes a request in GBT blocks and answers in GBT', async () => {
    const { server, connect } = setup(5);
    const c = connect(48);
    await c.associateHlsGmac({ pdu: 512 });
    const request = c.protect(h('C001C1 0003 0100010800FF 02 00'));
    // Cut the 31-octet glo-get-request in blocks of at most 20 octets (window 1: each acknowledged).
    const blocks = gbtBlocks(request, { maxPduSize: 20 });
    expect(blocks.length).toBeGreaterThan(1);
    let answer: Uint8Array | undefined;
    for (const b of blocks) {
      await c.link.send(encodeXdlmsApdu(b));
      answer = await c.link.receive({ timeoutMs: 5000 });
      const g = decodeXdlmsApdu(answer) as GeneralBlockTransfer;
      if (!b.lastBlock)
        expect(g).toMatchObject({ blockNumberAck: b.blockNumber, blockData: new Uint8Array(0) });
    }
    const g = decodeXdlmsApdu(answer!) as GeneralBlockTransfer;
    expect(g.lastBlock).toBe(true);
    const plain = unprotectApdu(g.blockData, { ek: GB_EK, ak: GB_AK }, { systemTitle: SERVER_ST }).plain;
    expect(toHex(plain)).toBe('C401C100060001E240');
    await server.close();
  });
});

describe('SET with datablocks, ACTION with pblocks', () => {
  const rights: ServerAssociation['rights'] = (o) => {
    if (o.classId === 1) return { attributes: { 1: 'read-only', 2: 'read-and-write' } };
    if (o.classId === 3) return { attributes: { 1: 'read-only', 2: 'read-only' }, methods: { 1: 'access' } };
    return undefined;
  };

  it('reassembles a long SET and applies it', async () => {
    const { server, objects, connect } = setup(1, { 32: { rights, maxReceivePduSize: 128 } });
    const c = connect(32);
    expect((await c.aarq(decodeAarqHex(AARQ_LLS))).result).toBe('accepted');
    const value: Data = { type: 'octet-string', value: new Uint8Array(700).map((_, i) => i & 0xff) };
    const reqs = setRequestBlocks({
      invokeIdAndPriority: iid,
      attribute: { classId: 1, instanceId: obis(0, 0, 96, 1, 0, 255), attributeId: 2 },
      value,
      maxPduSize: 128,
    });
    expect(reqs.length).toBeGreaterThan(5);
    let last: Uint8Array | undefined;
    for (const [i, r] of reqs.entries()) {
      const bytes = encodeXdlmsApdu(r);
      expect(bytes.length).toBeLessThanOrEqual(128);
      last = await c.exchange(bytes);
      // set-response-datablock (02) with the block number, until set-response-last-datablock (03).
      if (i < reqs.length - 1)
        expect(toHex(last)).toBe(`C502C1${(i + 1).toString(16).padStart(8, '0').toUpperCase()}`);
    }
    expect(toHex(last!)).toBe(`C503C100${reqs.length.toString(16).padStart(8, '0').toUpperCase()}`);
    expect((objects.findByName('0.0.96.1.0.255') as DataObject).values.value).toEqual(value);
    // A datablock with nothing in progress: no-long-set-in-progress (18).
    expect(toHex(await c.exchange(h('C103C1 01 00000002 01 00')))).toBe('C503C11200000002');
    await server.close();
  });

  it('reassembles ACTION parameters in pblocks', async () => {
    const { server, objects, connect } = setup(1, { 32: { rights, maxReceivePduSize: 128 } });
    const c = connect(32);
    await c.aarq(decodeAarqHex(AARQ_LLS));
    const reqs = actionRequestBlocks({
      invokeIdAndPriority: iid,
      method: { classId: 3, instanceId: obis(1, 0, 1, 8, 0, 255), methodId: 1 },
      // reset's parameter is ignored by the class; a long one exercises the pblocks.
      parameters: { type: 'octet-string', value: new Uint8Array(300) },
      maxPduSize: 128,
    });
    expect(reqs.length).toBeGreaterThan(2);
    let last: Uint8Array | undefined;
    for (const [i, r] of reqs.entries()) {
      last = await c.exchange(encodeXdlmsApdu(r));
      if (i < reqs.length - 1)
        expect(toHex(last)).toBe(`C704C1${(i + 1).toString(16).padStart(8, '0').toUpperCase()}`);
    }
    expect(toHex(last!)).toBe('C701C10000');
    expect((objects.findByName('1.0.1.8.0.255') as RegisterObject).values.value).toEqual({
      type: 'double-long-unsigned',
      value: 0,
    });
    await server.close();
  });
});

describe('push', () => {
  it('sends a data-notification, plain or general-glo-ciphered', async () => {
    const { server, objects } = setup(1);
    const push = objects.add(
      new PushSetupObject('0.0.25.9.0.255', {
        pushObjectList: [
          { classId: 40, logicalName: obis(0, 0, 25, 9, 0, 255), attributeIndex: 1, dataIndex: 0 },
          { classId: 3, logicalName: obis(1, 0, 1, 8, 0, 255), attributeIndex: 2, dataIndex: 0 },
        ],
        sendDestinationAndMethod: { transportService: 0, destination: new Uint8Array(0), message: 0 },
      }),
    );
    const [a, b] = createMemoryLinkPair({ client: 64, server: 1 });
    await server.push(a, push);
    // data-notification 0F, long-invoke-id 00000000, empty date-time, structure {ln, 123456}.
    expect(toHex(await b.receive({ timeoutMs: 1000 }))).toBe(
      '0F0000000000 0202 0906 0000190900FF 060001E240'.replace(/ /g, ''),
    );
    const [x, y] = createMemoryLinkPair({ client: 64, server: 1 });
    let opened = false;
    const sent = await server.push(
      {
        connect: async () => {
          opened = true;
          return x;
        },
      },
      {
        objectList: [{ classId: 3, logicalName: obis(1, 0, 1, 8, 0, 255), attributeIndex: 2, dataIndex: 0 }],
      },
      { security: { policy: 'auth+enc', ek: GB_EK, ak: GB_AK } },
    );
    expect(opened).toBe(true);
    expect(x.isOpen).toBe(false);
    expect(sent[0]).toBe(0xdb);
    const got = await y.receive({ timeoutMs: 1000 });
    const plain = unprotectApdu(got, { ek: GB_EK, ak: GB_AK }, { systemTitle: SERVER_ST }).plain;
    expect(toHex(plain)).toBe('0F0000000100 0201 060001E240'.replace(/ /g, ''));
    await server.close();
  });
});

import { decodeAarq } from '../src/acse/index.ts';

function decodeAarqHex(s: string) {
  return decodeAarq(h(s));
}
