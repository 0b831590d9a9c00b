/**
 * DlmsServer and the service-class bit of Invoke-Id-And-Priority (IEC 62056-5-3): an unconfirmed SET or
 * ACTION is executed and not answered; GET is always confirmed. Request bytes are written by hand: `C1 01 83`
 * is set-request-normal with invoke-id 3, unconfirmed (bit 6 clear), high priority (bit 7 set).
 */
import { describe, expect, it } from 'vitest';
import { decodeAarq } from '../src/acse/index.ts';
import { DlmsClient } from '../src/client/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { createMemoryLinkPair } from '../src/link/index.ts';
import { DlmsServer } from '../src/server/index.ts';
import {
  associations,
  FIXED_NOW,
  fromHex,
  meterObjects,
  ScriptedClient,
  SERVER_ST,
  toHex,
} from './server-fixtures.ts';

const AARQ_LLS =
  '6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400007E1F04B0';
// class 1, 0.0.96.1.1.255, attribute 2, no access selection, long-unsigned 0x1234
const ATTRIBUTE = '0001 0000600101FF 02 00'.replace(/\s/g, '');
const SET_BODY = `${ATTRIBUTE}121234`;
const GET = `C001C3${ATTRIBUTE}`;

describe('unconfirmed SET', () => {
  it('is executed and not answered; a later GET (always confirmed) sees the value', async () => {
    const server = new DlmsServer({
      objects: meterObjects(1),
      associations: associations({
        32: {
          rights: (o) =>
            o.classId === 1 ? { attributes: { 1: 'read-only', 2: 'read-and-write' } } : undefined,
        },
      }),
      systemTitle: SERVER_ST,
      now: () => FIXED_NOW,
    });
    const [c, s] = createMemoryLinkPair({ client: 32, server: 1 });
    void server.handle(s);
    const client = new ScriptedClient(c);
    expect((await client.aarq(decodeAarq(fromHex(AARQ_LLS)))).result).toBe('accepted');

    await c.send(fromHex(`C10183${SET_BODY}`));
    const silence = await c.receive({ timeoutMs: 300 }).then(
      (b) => `answered ${toHex(b)}`,
      (e) => (isDlmsError(e) ? e.code : String(e)),
    );
    expect(silence).toBe('TIMEOUT');
    // GET with invoke-id 3: the response echoes C3 (confirmed, high) and carries the value written.
    expect(toHex(await client.exchange(fromHex(GET)))).toBe('C401C300121234');
    // The same SET confirmed (C3) is answered: set-response-normal, success.
    expect(toHex(await client.exchange(fromHex(`C101C3${SET_BODY}`)))).toBe('C501C300');
    await server.close();
  });
});

describe('DlmsClient with serviceClass unconfirmed', () => {
  it('still sends SET confirmed (its result is the API), so the SET is answered and reads back', async () => {
    const server = new DlmsServer({
      objects: meterObjects(1),
      associations: associations({
        32: {
          rights: (o) =>
            o.classId === 1 ? { attributes: { 1: 'read-only', 2: 'read-and-write' } } : undefined,
        },
      }),
      systemTitle: SERVER_ST,
      now: () => FIXED_NOW,
    });
    const [c, s] = createMemoryLinkPair({ client: 32, server: 1 });
    void server.handle(s);
    const sent: string[] = [];
    const spy = new Proxy(c, {
      get(t, k) {
        if (k === 'send')
          return (b: Uint8Array) => {
            sent.push(toHex(b));
            return t.send(b);
          };
        const v = Reflect.get(t, k, t);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const client = await DlmsClient.associate(spy, {
      authentication: 'lls',
      password: '12345678',
      invokeId: { serviceClass: 'unconfirmed', priority: 'high' },
    });
    const ref = { classId: 1, obis: '0.0.96.1.1.255', attribute: 2 };
    await client.set(ref, { type: 'long-unsigned', value: 0x4321 });
    expect(await client.get(ref)).toEqual({ type: 'long-unsigned', value: 0x4321 });
    // The SET went out with the service-class bit set (C1 01 C?), the GET with it clear (C0 01 8?).
    expect(sent.find((h) => h.startsWith('C101'))?.slice(4, 6)).toMatch(/^C[0-9A-F]$/);
    expect(sent.find((h) => h.startsWith('C001'))?.slice(4, 6)).toMatch(/^8[0-9A-F]$/);
    await client.release();
    await server.close();
  });
});
