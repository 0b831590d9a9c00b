/**
 * DlmsServer properties (fast-check):
 * - SET then GET of any Data on a Data object gives the same bytes back (decode(encode(x)) = x through the
 *   server's request decoding, the object's storage and the response encoding);
 * - random bytes (raw, or behind a request / AARQ / GBT tag) never make the server fail with anything but a
 *   typed DlmsError, never hang, and never stop it from serving the next client.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAarq } from '../src/acse/index.ts';
import { decodeXdlmsApdu, encodeXdlmsApdu } from '../src/apdu/index.ts';
import { encodeData } from '../src/axdr/codec.ts';
import type { Data } from '../src/axdr/types.ts';
import { DlmsError } from '../src/errors.ts';
import { createMemoryLinkPair } from '../src/link/index.ts';
import { obis } from '../src/obis/index.ts';
import { DlmsServer, type ServerEvent } from '../src/server/index.ts';
import { arbData } from './arbitraries.ts';
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
const AARQ_PUBLIC = '601DA109060760857405080101BE10040E01000000065F1F0400007E1F04B0';
const iid = { invokeId: 3, serviceClass: 'confirmed' as const, priority: 'high' as const };

describe('DlmsServer properties', () => {
  it('SET then GET returns the same Data, byte for byte', async () => {
    const server = new DlmsServer({
      objects: meterObjects(1),
      associations: associations({
        32: {
          rights: (o) =>
            o.classId === 1 ? { attributes: { 1: 'read-only', 2: 'read-and-write' } } : undefined,
          maxReceivePduSize: 0xffff,
        },
      }),
      systemTitle: SERVER_ST,
      now: () => FIXED_NOW,
    });
    const [c, s] = createMemoryLinkPair({ client: 32, server: 1 });
    void server.handle(s);
    const client = new ScriptedClient(c);
    expect((await client.aarq(decodeAarq(fromHex(AARQ_LLS)))).result).toBe('accepted');
    const attribute = { classId: 1, instanceId: obis(0, 0, 96, 1, 1, 255), attributeId: 2 };
    await fc.assert(
      fc.asyncProperty(arbData, async (value: Data) => {
        // Only values that fit one APDU each way (the block paths have their own tests).
        fc.pre(encodeData(value).length < 1000);
        const set = await client.request({
          type: 'set-request-normal',
          invokeIdAndPriority: iid,
          attribute,
          value,
        });
        expect(set).toMatchObject({ type: 'set-response-normal', result: 'success' });
        const got = await client.exchange(
          encodeXdlmsApdu({ type: 'get-request-normal', invokeIdAndPriority: iid, attribute }),
        );
        expect(toHex(got)).toBe(`C401C300${toHex(encodeData(value))}`);
        expect(decodeXdlmsApdu(got)).toMatchObject({ result: { data: value } });
      }),
      { numRuns: 150 },
    );
    await server.close();
  });

  it('random bytes only ever give typed errors, and the server keeps serving', async () => {
    const events: ServerEvent[] = [];
    const server = new DlmsServer({
      objects: meterObjects(20),
      associations: associations(),
      systemTitle: SERVER_ST,
      now: () => FIXED_NOW,
      inactivityTimeoutMs: 2000,
      onEvent: (e) => events.push(e),
    });
    const arbInput = fc.oneof(
      fc.uint8Array({ maxLength: 48 }),
      fc
        .tuple(
          fc.constantFrom(0xc0, 0xc1, 0xc3, 0x60, 0x62, 0xe0, 0xc8, 0xdb),
          fc.uint8Array({ maxLength: 48 }),
        )
        .map(([t, rest]) => Uint8Array.of(t, ...rest)),
      // Prefixes of valid requests (truncation).
      fc
        .tuple(
          fc.constantFrom(
            'C001C10003 0100010800FF 0200',
            'C003C103 0003 0100010800FF 02 00 0003 0100630800FF 02 00 0003 0100010800FF 03 00',
            'C001C1 0007 0100630100FF 02 01 02 0204 06 00000002 06 00000004 12 0001 12 0002',
            AARQ_PUBLIC,
          ),
          fc.nat(),
        )
        .map(([hex, n]) => {
          const b = fromHex(hex.replace(/ /g, ''));
          return b.subarray(0, n % b.length);
        }),
    );
    await fc.assert(
      fc.asyncProperty(arbInput, fc.boolean(), async (input, associate) => {
        const [c, s] = createMemoryLinkPair({ client: 16, server: 1 });
        const done = server.handle(s);
        const client = new ScriptedClient(c);
        if (associate) await client.exchange(fromHex(AARQ_PUBLIC));
        await c.send(input);
        // Either an answer or the session closes; both within the time limit.
        const outcome = await Promise.race([
          c.receive({ timeoutMs: 1500 }).then(
            () => 'answered',
            (e) => (e instanceof DlmsError && e.code === 'CONNECTION_CLOSED' ? 'closed' : `bad:${e}`),
          ),
        ]);
        expect(['answered', 'closed']).toContain(outcome);
        await c.close();
        await done;
      }),
      { numRuns: 300 },
    );
    for (const e of events) {
      if ('error' in e && e.error !== undefined) expect(e.error).toBeInstanceOf(DlmsError);
    }
    expect(server.sessions).toEqual([]);
    // Still serving.
    const [c, s] = createMemoryLinkPair({ client: 16, server: 1 });
    void server.handle(s);
    const client = new ScriptedClient(c);
    await client.exchange(fromHex(AARQ_PUBLIC));
    expect(toHex(await client.exchange(fromHex('C001C100030100010800FF0200')))).toBe('C401C100060001E240');
    await server.close();
  });
});
