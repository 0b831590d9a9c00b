/**
 * DlmsServer answering the ACCESS service (access-request D9): each specification is executed as the GET,
 * SET or ACTION it names, with the same access rights, checked against what the GET/SET/ACTION services
 * answer for the same references; break-on-error, self-descriptive echo, unconfirmed requests, the
 * conformance bit, and general-glo-ciphering in an HLS association.
 */
import { describe, expect, it } from 'vitest';
import { decodeAarq } from '../src/acse/index.ts';
import {
  type AccessRequest,
  type AccessRequestSpecification,
  type AccessResponse,
  conformanceFromNumber,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  type LongInvokeIdAndPriority,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import type { Data } from '../src/axdr/types.ts';
import { DlmsClient, serviceErrorDetail } from '../src/client/index.ts';
import type { DataObject } from '../src/cosem/index.ts';
import { createMemoryLinkPair } from '../src/link/index.ts';
import { type Obis, obis, parseObis } from '../src/obis/index.ts';
import { protectApdu, unprotectApdu } from '../src/security/ciphered-apdu.ts';
import { DlmsServer, type ServerAccessRights, type ServerAssociation } from '../src/server/index.ts';
import {
  associations,
  CLIENT_ST,
  FIXED_NOW,
  fromHex,
  GB_AK,
  GB_EK,
  initiateRequest,
  meterObjects,
  ScriptedClient,
  SERVER_ST,
  toHex,
} from './server-fixtures.ts';

const h = (s: string) => fromHex(s.replace(/\s+/g, ''));
const AARQ_LLS =
  '6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400001E1D04B0';
/** get, set, action, selective-access, block transfer, multiple-references (0x001E1D) plus access (bit 17). */
const WITH_ACCESS = 0x001e1d | 0x40;

const rights: ServerAssociation['rights'] = (o): ServerAccessRights | undefined => {
  const ln = o.logicalName;
  if (o.classId === 3 && ln.c === 1 && ln.d === 8) return { attributes: { 1: 'read-only', 2: 'read-only' } };
  if (o.classId === 1 && ln.e === 1) return { attributes: { 1: 'read-only', 2: 'write-only' } };
  if (o.classId === 8) return { attributes: { 1: 'read-only', 2: 'read-only', 3: 'read-and-write' } };
  return undefined;
};

function setup(conformance = WITH_ACCESS) {
  const objects = meterObjects(5);
  const server = new DlmsServer({
    objects,
    associations: associations({
      32: {
        rights,
        visible: (o) => !(o.logicalName.c === 96 && o.logicalName.d === 1 && o.logicalName.e === 0),
        conformance: conformanceFromNumber(0x001e1d | 0x40),
      },
      48: { conformance: [...conformanceFromNumber(0x60fe1f), 'access'] },
    }),
    systemTitle: SERVER_ST,
    now: () => FIXED_NOW,
  });
  const connect = async (): Promise<ScriptedClient> => {
    const [c, s] = createMemoryLinkPair({ client: 32, server: 1 });
    void server.handle(s);
    const client = new ScriptedClient(c);
    const aarq = decodeAarq(h(AARQ_LLS));
    const aare = await client.aarq({
      ...aarq,
      userInformation: { type: 'opaque', hex: toHex(initiateRequest(conformance, 1024)) },
    });
    expect(aare.result).toBe('accepted');
    return client;
  };
  return { server, objects, connect };
}

const lip = (over: Partial<LongInvokeIdAndPriority> = {}): LongInvokeIdAndPriority => ({
  longInvokeId: 0x000101,
  selfDescriptive: 'not-self-descriptive',
  processingOption: 'continue-on-error',
  serviceClass: 'confirmed',
  priority: 'normal',
  ...over,
});
const attr = (classId: number, ln: string, attributeId: number) => ({
  classId,
  instanceId: parseObis(ln) as Obis,
  attributeId,
});
const NULL: Data = { type: 'null-data' };

function access(items: [AccessRequestSpecification, Data][], over: Partial<LongInvokeIdAndPriority> = {}) {
  return encodeXdlmsApdu({
    type: 'access-request',
    longInvokeIdAndPriority: lip(over),
    accessRequestSpecification: items.map(([s]) => s),
    accessRequestListOfData: items.map(([, d]) => d),
  } satisfies AccessRequest);
}

async function ask(c: ScriptedClient, bytes: Uint8Array): Promise<XdlmsApdu> {
  return decodeXdlmsApdu(await c.exchange(bytes));
}

const energy = attr(3, '1.0.1.8.0.255', 2); // read-only
const writeOnly = attr(1, '0.0.96.1.1.255', 2); // write-only
const hidden = attr(1, '0.0.96.1.0.255', 2); // not in this association's object list
const clockAdjust = { classId: 8, instanceId: obis(0, 0, 1, 0, 0, 255), methodId: 1 }; // no method access

describe('DlmsServer: ACCESS', () => {
  it('executes each specification with the access rights of GET, SET and ACTION', async () => {
    const { server, objects, connect } = setup();
    const c = await connect();
    const items: [AccessRequestSpecification, Data][] = [
      [{ type: 'access-request-get', attribute: energy }, NULL],
      [
        { type: 'access-request-set', attribute: energy },
        { type: 'double-long-unsigned', value: 1 },
      ],
      [{ type: 'access-request-get', attribute: writeOnly }, NULL],
      [
        { type: 'access-request-set', attribute: writeOnly },
        { type: 'long-unsigned', value: 9 },
      ],
      [
        { type: 'access-request-action', method: clockAdjust },
        { type: 'integer', value: 0 },
      ],
      [{ type: 'access-request-get', attribute: hidden }, NULL],
    ];
    const r = (await ask(c, access(items))) as AccessResponse;
    expect(r).toEqual({
      type: 'access-response',
      longInvokeIdAndPriority: lip(),
      accessResponseListOfData: [
        { type: 'double-long-unsigned', value: 123456 },
        NULL,
        NULL,
        NULL,
        NULL,
        NULL,
      ],
      accessResponseSpecification: [
        { type: 'access-response-get', result: 'success' },
        { type: 'access-response-set', result: 'read-write-denied' },
        { type: 'access-response-get', result: 'read-write-denied' },
        { type: 'access-response-set', result: 'success' },
        { type: 'access-response-action', result: 'read-write-denied' },
        { type: 'access-response-get', result: 'object-undefined' },
      ],
    } satisfies AccessResponse);
    expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
      type: 'long-unsigned',
      value: 9,
    });
    // The same references through GET, SET and ACTION (bytes as in server-services.test.ts) give the same
    // results: 0 with the value, 3, 3, 0, 3 (no return parameters), 4.
    expect(toHex(await c.exchange(h('C001C1 0003 0100010800FF 02 00')))).toBe(
      'C401C1000600 01E240'.replace(/ /g, ''),
    );
    expect(toHex(await c.exchange(h('C101C1 0003 0100010800FF 02 00 06 00000001')))).toBe('C501C103');
    expect(toHex(await c.exchange(h('C001C1 0001 0000600101FF 02 00')))).toBe('C401C10103');
    expect(toHex(await c.exchange(h('C101C1 0001 0000600101FF 02 00 12 0009')))).toBe('C501C100');
    expect(toHex(await c.exchange(h('C301C1 0008 0000010000FF 01 01 0F 00')))).toBe('C701C10300');
    expect(toHex(await c.exchange(h('C001C1 0001 0000600100FF 02 00')))).toBe('C401C10104');
    await server.close();
  });

  it('stops at the first failure with break-on-error, and goes on without it', async () => {
    const items: [AccessRequestSpecification, Data][] = [
      [
        { type: 'access-request-set', attribute: energy },
        { type: 'double-long-unsigned', value: 1 },
      ],
      [
        { type: 'access-request-set', attribute: writeOnly },
        { type: 'long-unsigned', value: 11 },
      ],
      [{ type: 'access-request-get', attribute: energy }, NULL],
    ];
    {
      const { server, objects, connect } = setup();
      const c = await connect();
      const r = (await ask(c, access(items, { processingOption: 'break-on-error' }))) as AccessResponse;
      expect(r.accessResponseSpecification.map((x) => x.result)).toEqual([
        'read-write-denied',
        'other-reason',
        'other-reason',
      ]);
      expect(r.accessResponseListOfData).toEqual([NULL, NULL, NULL]);
      // The SET after the failure did not run.
      expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
        type: 'long-unsigned',
        value: 7,
      });
      await server.close();
    }
    {
      const { server, objects, connect } = setup();
      const c = await connect();
      const r = (await ask(c, access(items))) as AccessResponse;
      expect(r.accessResponseSpecification.map((x) => x.result)).toEqual([
        'read-write-denied',
        'success',
        'success',
      ]);
      expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
        type: 'long-unsigned',
        value: 11,
      });
      await server.close();
    }
  });

  it('echoes the specifications of a self-descriptive request, selections included', async () => {
    const { server, connect } = setup();
    const c = await connect();
    const items: [AccessRequestSpecification, Data][] = [
      [
        {
          type: 'access-request-get-with-selection',
          attribute: attr(7, '1.0.99.1.0.255', 2),
          accessSelection: {
            accessSelector: 2,
            accessParameters: {
              type: 'structure',
              value: [
                { type: 'double-long-unsigned', value: 1 },
                { type: 'double-long-unsigned', value: 2 },
                { type: 'long-unsigned', value: 1 },
                { type: 'long-unsigned', value: 1 },
              ],
            },
          },
        },
        NULL,
      ],
      [{ type: 'access-request-get', attribute: energy }, NULL],
    ];
    const r = (await ask(c, access(items, { selfDescriptive: 'self-descriptive' }))) as AccessResponse;
    expect(r.accessRequestSpecification).toEqual(items.map(([s]) => s));
    expect(r.accessResponseSpecification).toEqual([
      { type: 'access-response-get', result: 'success' },
      { type: 'access-response-get', result: 'success' },
    ]);
    // Entries 1..2, first column (the clock) only.
    const rows = r.accessResponseListOfData[0] as { type: 'array'; value: { value: Data[] }[] };
    expect(rows.type).toBe('array');
    expect(rows.value.map((row) => row.value.length)).toEqual([1, 1]);
    await server.close();
  });

  it('executes an unconfirmed request without answering it', async () => {
    const { server, objects, connect } = setup();
    const c = await connect();
    const req = access(
      [
        [
          { type: 'access-request-set', attribute: writeOnly },
          { type: 'long-unsigned', value: 5 },
        ],
      ],
      {
        serviceClass: 'unconfirmed',
      },
    );
    await expect(c.exchange(req, 150)).rejects.toThrow();
    expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
      type: 'long-unsigned',
      value: 5,
    });
    await server.close();
  });

  it('is refused when the access conformance bit was not negotiated', async () => {
    const { server, connect } = setup(0x001e1d);
    const c = await connect();
    const r = await ask(c, access([[{ type: 'access-request-get', attribute: energy }, NULL]]));
    expect(r).toEqual({
      type: 'exception-response',
      stateError: 'service-not-allowed',
      serviceError: 'service-not-supported',
    });
    await server.close();
  });

  it('answers ACCESS in general-glo-ciphering after HLS-GMAC', async () => {
    const { server } = setup();
    const [cl, s] = createMemoryLinkPair({ client: 48, server: 1 });
    void server.handle(s);
    const c = new ScriptedClient(cl);
    await c.associateHlsGmac({ conformance: 0x60fe1f | 0x40 });
    c.ic++;
    const req = protectApdu(access([[{ type: 'access-request-get', attribute: energy }, NULL]]), {
      kind: 'general-glo',
      policy: 'auth+enc',
      ek: c.ek,
      ak: c.ak,
      systemTitle: c.systemTitle,
      invocationCounter: c.ic,
    });
    const resp = await c.exchange(req);
    expect(resp[0]).toBe(0xdb);
    const plain = unprotectApdu(resp, { ek: c.ek, ak: c.ak }, { systemTitle: c.serverTitle }).plain;
    expect(decodeXdlmsApdu(plain)).toEqual({
      type: 'access-response',
      longInvokeIdAndPriority: lip(),
      accessResponseListOfData: [{ type: 'double-long-unsigned', value: 123456 }],
      accessResponseSpecification: [{ type: 'access-response-get', result: 'success' }],
    });
    await server.close();
  });
});

describe('DlmsClient.access against DlmsServer', () => {
  const ENERGY = { classId: 3, obis: '1.0.1.8.0.255', attribute: 2 };
  const WRITE_ONLY = { classId: 1, obis: '0.0.96.1.1.255', attribute: 2 };

  it('GET, SET and ACTION in one request over LLS, one result per item', async () => {
    const { server, objects } = setup();
    const [c, s] = createMemoryLinkPair({ client: 32, server: 1 });
    void server.handle(s);
    const client = await DlmsClient.associate(c, {
      authentication: 'lls',
      password: '12345678',
      conformance: conformanceFromNumber(WITH_ACCESS),
    });
    const r = await client.access([
      { get: ENERGY },
      { set: WRITE_ONLY, value: { type: 'long-unsigned', value: 42 } },
      { get: WRITE_ONLY },
      { action: { classId: 8, obis: '0.0.1.0.0.255', method: 1 }, parameters: { type: 'integer', value: 0 } },
    ]);
    expect(r[0]).toEqual({ ok: true, value: { type: 'double-long-unsigned', value: 123456 } });
    expect(r[1]).toEqual({ ok: true, value: undefined });
    expect(r[2]!.ok).toBe(false);
    expect(serviceErrorDetail((r[2] as { error: unknown }).error)).toEqual({
      kind: 'data-access-result',
      result: 'read-write-denied',
    });
    expect(serviceErrorDetail((r[3] as { error: unknown }).error)).toEqual({
      kind: 'action-result',
      result: 'read-write-denied',
    });
    expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
      type: 'long-unsigned',
      value: 42,
    });
    await client.release();
    await server.close();
  });

  it('is refused UNSUPPORTED when the access bit was not negotiated', async () => {
    const { server } = setup();
    const [c, s] = createMemoryLinkPair({ client: 32, server: 1 });
    void server.handle(s);
    const client = await DlmsClient.associate(c, {
      authentication: 'lls',
      password: '12345678',
      conformance: conformanceFromNumber(0x001e1d),
    });
    await expect(client.access([{ get: ENERGY }])).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await client.release();
    await server.close();
  });

  it('goes in general-glo-ciphering after HLS-GMAC, with break-on-error', async () => {
    const { server, objects } = setup();
    const [c, s] = createMemoryLinkPair({ client: 48, server: 1 });
    void server.handle(s);
    const sent: number[] = [];
    const send = c.send.bind(c);
    c.send = (b: Uint8Array) => {
      sent.push(b[0]!);
      return send(b);
    };
    const client = await DlmsClient.associate(c, {
      authentication: 'hls-gmac',
      security: { systemTitle: CLIENT_ST, ek: GB_EK, ak: GB_AK },
      conformance: [...conformanceFromNumber(0x60fe1f), 'access'],
    });
    const r = await client.access(
      [
        { set: { classId: 1, obis: '0.0.96.1.0.255', attribute: 99 }, value: { type: 'null-data' } },
        { set: WRITE_ONLY, value: { type: 'long-unsigned', value: 1 } },
      ],
      { breakOnError: true },
    );
    expect(r.map((x) => (x.ok ? 'ok' : serviceErrorDetail(x.error)?.result))).toEqual([
      'object-undefined',
      'other-reason',
    ]);
    expect((objects.findByName('0.0.96.1.1.255') as DataObject).values.value).toEqual({
      type: 'long-unsigned',
      value: 7,
    });
    // AARQ, glo-action-request (HLS pass 3), then general-glo-ciphering for the ACCESS.
    expect(sent).toEqual([0x60, 0xcb, 0xdb]);
    await client.release();
    await server.close();
  });
});
