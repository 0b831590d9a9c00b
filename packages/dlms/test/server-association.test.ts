/**
 * DlmsServer: association establishment and release for the IS 15959 associations (16 public, 32 meter
 * reader LLS, 48 utility settings HLS-GMAC with authenticated encryption), AARE diagnostics, ciphering and
 * replay. Request and expected response bytes are built by hand from the Green Book encoding rules
 * (ACSE BER, xDLMS A-XDR) where the standard fixes them.
 */
import { describe, expect, it } from 'vitest';
import { decodeAare, encodeAarq } from '../src/acse/index.ts';
import { conformanceToNumber, decodeXdlmsApdu, encodeXdlmsApdu } from '../src/apdu/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { createMemoryLinkPair } from '../src/link/index.ts';
import { obis } from '../src/obis/index.ts';
import { protectApdu, unprotectApdu } from '../src/security/ciphered-apdu.ts';
import { DlmsServer, type ServerEvent } from '../src/server/index.ts';
import {
  associations,
  CLIENT_ST,
  FIXED_NOW,
  GB_AK,
  GB_EK,
  initiateRequest,
  meterObjects,
  ScriptedClient,
  SERVER_ST,
} from './server-fixtures.ts';

function setup(extra?: Parameters<typeof associations>[0]) {
  const events: ServerEvent[] = [];
  const server = new DlmsServer({
    objects: meterObjects(10),
    associations: associations(extra),
    systemTitle: SERVER_ST,
    now: () => FIXED_NOW,
    onEvent: (e) => events.push(e),
  });
  const connect = (client: number) => {
    const [c, s] = createMemoryLinkPair({ client, server: 1 });
    const done = server.handle(s);
    return { client: new ScriptedClient(c), link: c, done };
  };
  return { server, events, connect };
}

const hex = (b: Uint8Array) => toHex(b);
const h = (s: string) => fromHex(s.replace(/\s+/g, ''));

// AARQ, LN referencing, no authentication: A1 application-context-name LN, BE user-information with the
// InitiateRequest `01 00 00 00 06 5F1F04 00 007E1F 04B0` (no dedicated key, response-allowed default,
// no QoS, version 6, conformance 007E1F, client max receive PDU 1200).
const AARQ_PUBLIC = '601DA109060760857405080101BE10040E01000000065F1F0400007E1F04B0';
// AARQ with LLS, password "12345678" (ACSE requirements 8A 02 07 80, mechanism-name 8B …02 01, AC the
// charstring [0] password).
const AARQ_LLS =
  '6036A1090607608574050801018A0207808B0760857405080201AC0A80083132333435363738BE10040E01000000065F1F0400007E1F04B0';

describe('public client (SAP 16, no security)', () => {
  it('accepts the AARQ and answers the AARE the Green Book rules give', async () => {
    const { connect, server } = setup();
    const { client } = connect(16);
    const aare = await client.exchange(h(AARQ_PUBLIC));
    // result accepted (A2 03 02 01 00), diagnostic acse-service-user null (A3 05 A1 03 02 01 00),
    // InitiateResponse 08 00 06 5F1F04 00 <001214 = 007E1F ∩ the public block> 0400 (1024) 0007 (LN).
    expect(hex(aare)).toBe(
      '6129A109060760857405080101A203020100A305A103020100BE10040E0800065F1F040000121404000007',
    );
    expect(conformanceToNumber(associations()[0]!.conformance)).toBe(0x001214);
    await server.close();
  });

  it('serves GET and refuses what the association may not do', async () => {
    const { connect, server } = setup();
    const { client } = connect(16);
    await client.exchange(h(AARQ_PUBLIC));
    // get-request-normal, invoke-id 1 high priority confirmed (C1), register 1.0.1.8.0.255 attribute 2.
    expect(hex(await client.exchange(h('C001C1 0003 0100010800FF 02 00')))).toBe(
      'C401C1000600 01E240'.replace(/ /g, ''),
    );
    // scaler_unit {0, Wh (30)}.
    expect(hex(await client.exchange(h('C001C1 0003 0100010800FF 03 00')))).toBe('C401C10002020F00161E');
    // Unknown object: data-access-result object-undefined (4).
    expect(hex(await client.exchange(h('C001C1 0003 0100630800FF 02 00')))).toBe('C401C10104');
    // Known name, other class: object-class-inconsistent (9).
    expect(hex(await client.exchange(h('C001C1 0001 0100010800FF 02 00')))).toBe('C401C10109');
    // Attribute that the class does not have: object-undefined.
    expect(hex(await client.exchange(h('C001C1 0003 0100010800FF 09 00')))).toBe('C401C10104');
    // SET is not in the public conformance block: exception-response service-not-allowed / service-not-supported.
    expect(hex(await client.exchange(h('C101C1 0003 0100010800FF 02 00 06 00000001')))).toBe('D80102');
    // A response tag from a client: service-unknown.
    expect(hex(await client.exchange(h('C401C1000600000001')))).toBe('D80202');
    // Short-name readRequest / writeRequest: ConfirmedServiceError read (5) / write (6), service (3)
    // service-unsupported (2).
    expect(hex(await client.exchange(h('0501 02 FA00')))).toBe('0E050302');
    expect(hex(await client.exchange(h('0601 02 FA00 01 00')))).toBe('0E060302');
    // association_status of the current association (0.0.40.0.0.255 attribute 8): associated (2).
    expect(hex(await client.exchange(h('C001C1 000F 0000280000FF 08 00')))).toBe('C401C1001602');
    // RLRQ reason normal → RLRE reason normal.
    expect(hex(await client.exchange(h('6203800100')))).toBe('6303800100');
    // No association any more: xDLMS requests are not allowed.
    expect(hex(await client.exchange(h('C001C1 0003 0100010800FF 02 00')))).toBe('D80101');
    await server.close();
  });

  it('refuses a request without an association and a ciphered APDU in a plain association', async () => {
    const { connect, server } = setup();
    const { client } = connect(16);
    expect(hex(await client.exchange(h('C001C1 0003 0100010800FF 02 00')))).toBe('D80101');
    await client.exchange(h(AARQ_PUBLIC));
    const glo = protectApdu(h('C001C1 0003 0100010800FF 02 00'), {
      policy: 'auth+enc',
      ek: GB_EK,
      ak: GB_AK,
      systemTitle: CLIENT_ST,
      invocationCounter: 1,
    });
    expect(hex(await client.exchange(glo))).toBe('D80101');
    await server.close();
  });

  it('answers InitiateRequest problems with confirmedServiceError initiateError', async () => {
    const { connect, server } = setup();
    const cases: [Uint8Array, string][] = [
      // dlms version 5 → initiate dlms-version-too-low (0E 01 06 01).
      [initiateRequest(0x007e1f, 1200, 5), '0E010601'],
      // client PDU size 11 → pdu-size-too-short (3).
      [initiateRequest(0x007e1f, 11), '0E010603'],
      // no common conformance (only 'write' 0x100000) → incompatible-conformance (2).
      [initiateRequest(0x100000, 1200), '0E010602'],
    ];
    for (const [initiate, cse] of cases) {
      const { client } = connect(16);
      const aare = await client.exchange(
        encodeAarq({
          type: 'aarq',
          applicationContextName: 'ln',
          userInformation: decodeXdlmsApdu(initiate) as never,
        }),
      );
      // rejected-permanent (1), acse-service-user no-reason-given (1), user-information BE 06 04 04 <CSE>.
      expect(hex(aare)).toBe(`611FA109060760857405080101A203020101A305A103020101BE060404${cse}`);
    }
    await server.close();
  });
});

describe('meter reader (SAP 32, LLS)', () => {
  it('accepts the right password', async () => {
    const { connect, server, events } = setup();
    const { client } = connect(32);
    expect(hex(await client.exchange(h(AARQ_LLS)))).toBe(
      '6129A109060760857405080101A203020100A305A103020100BE10040E0800065F1F040000 1E1D 04000007'.replace(
        / /g,
        '',
      ),
    );
    expect(events.some((e) => e.type === 'associated' && e.mechanism === 'lls')).toBe(true);
    await server.close();
  });

  it('gives the AARE diagnostics of the standard for wrong password, mechanism, context', async () => {
    const { connect, server, events } = setup();
    const base = decodeXdlmsApdu(initiateRequest(0x007e1f, 1200)) as never;
    const diag = async (aarq: Parameters<typeof encodeAarq>[0]) => {
      const { client } = connect(32);
      const a = decodeAare(await client.exchange(encodeAarq(aarq)));
      return [a.result, a.resultSourceDiagnostic.value];
    };
    const lls = {
      type: 'aarq' as const,
      applicationContextName: 'ln' as const,
      senderAcseRequirements: { authentication: true },
      mechanismName: 'low' as const,
      callingAuthenticationValue: { charstring: toHex(new TextEncoder().encode('12345678')) },
      userInformation: base,
    };
    // Wrong password: hand-built AARE 61 17 … A2 03 02 01 01 A3 05 A1 03 02 01 0D (authentication-failure).
    {
      const { client } = connect(32);
      const wrong = AARQ_LLS.replace('3132333435363738', '3132333435363739');
      expect(hex(await client.exchange(h(wrong)))).toBe('6117A109060760857405080101A203020101A305A10302010D');
    }
    expect(await diag({ ...lls, mechanismName: 'high-gmac' })).toEqual([
      'rejected-permanent',
      'authentication-mechanism-name-not-recognised',
    ]);
    const { mechanismName: _m, ...noMech } = lls;
    expect(await diag(noMech)).toEqual(['rejected-permanent', 'authentication-mechanism-name-required']);
    const { callingAuthenticationValue: _v, ...noValue } = lls;
    expect(await diag(noValue)).toEqual(['rejected-permanent', 'authentication-required']);
    expect(await diag({ ...lls, applicationContextName: 'ln-ciphered' })).toEqual([
      'rejected-permanent',
      'application-context-name-not-supported',
    ]);
    expect(await diag({ ...lls, applicationContextName: 'sn' })).toEqual([
      'rejected-permanent',
      'application-context-name-not-supported',
    ]);
    // Unknown client SAP.
    {
      const { client } = connect(99);
      const a = decodeAare(await client.exchange(h(AARQ_PUBLIC)));
      expect([a.result, a.resultSourceDiagnostic.value]).toEqual(['rejected-permanent', 'no-reason-given']);
    }
    expect(events.filter((e) => e.type === 'refused' && e.what === 'aarq').length).toBe(7);
    await server.close();
  });
});

describe('secret change', () => {
  it('a SET of Association LN attribute 7 changes the LLS password for the next association', async () => {
    const { connect, server } = setup({
      32: {
        rights: (o) =>
          o.classId === 15 ? { attributes: { 1: 'read-only', 7: 'write-only', 8: 'read-only' } } : undefined,
      },
    });
    const { client } = connect(32);
    expect(hex(await client.exchange(h(AARQ_LLS))).slice(26, 36)).toBe('A203020100');
    // set-request-normal, class 15, 0.0.40.0.0.255 (current association), attribute 7, octet-string "87654321".
    expect(hex(await client.exchange(h('C101C1 000F 0000280000FF 07 00 0908 3837363534333231')))).toBe(
      'C501C100',
    );
    const again = connect(32);
    // The old password: authentication-failure (13).
    expect(hex(await again.client.exchange(h(AARQ_LLS)))).toBe(
      '6117A109060760857405080101A203020101A305A10302010D',
    );
    const third = connect(32);
    const aare = await third.client.exchange(h(AARQ_LLS.replace('3132333435363738', '3837363534333231')));
    expect(hex(aare).slice(26, 36)).toBe('A203020100');
    await server.close();
  });
});

describe('utility settings (SAP 48, HLS-GMAC, authenticated encryption, Green Book keys)', () => {
  it('runs the four passes, then serves ciphered GET', async () => {
    const { connect, server, events } = setup();
    const { client } = connect(48);
    const aare = await client.associateHlsGmac();
    expect(aare.result).toBe('accepted');
    expect(aare.resultSourceDiagnostic).toEqual({
      source: 'acse-service-user',
      value: 'authentication-required',
    });
    expect(aare.mechanismName).toBe('high-gmac');
    expect(aare.respondingApTitle).toBe(toHex(SERVER_ST));
    // The InitiateResponse is glo-initiateResponse (28) and deciphers with the server system title.
    const ui = aare.userInformation as { type: 'opaque'; hex: string };
    expect(ui.hex.slice(0, 2)).toBe('28');
    const ir = decodeXdlmsApdu(client.unprotect(fromHex(ui.hex)));
    expect(ir.type).toBe('initiate-response');
    const r = await client.request(h('C001C1 0003 0100010800FF 02 00'));
    expect(hex(encodeXdlmsApdu(r))).toBe('C401C100060001E240');
    expect(
      events.filter((e) => e.type === 'associated').map((e) => (e as { mechanism: string }).mechanism),
    ).toEqual(['hls-gmac']);
    await server.close();
  });

  it('responses carry strictly increasing server counters', async () => {
    const { connect, server } = setup();
    const { client } = connect(48);
    await client.associateHlsGmac();
    const ics: number[] = [];
    for (let i = 0; i < 5; i++) {
      const resp = await client.exchange(client.protect(h('C001C1 0003 0100010800FF 02 00')));
      expect(resp[0]).toBe(0xcc); // glo-get-response
      const ic = new DataView(resp.buffer, resp.byteOffset).getUint32(3);
      ics.push(ic);
      unprotectApdu(resp, { ek: GB_EK, ak: GB_AK }, { systemTitle: SERVER_ST });
    }
    for (let i = 1; i < ics.length; i++) expect(ics[i]!).toBeGreaterThan(ics[i - 1]!);
    await server.close();
  });

  it('refuses a replayed counter with invocation-counter-error and does not execute it', async () => {
    const { connect, server, events } = setup();
    const { client } = connect(48);
    await client.associateHlsGmac();
    // A SET that would be visible if executed twice is not needed: count 'request' events instead.
    const apdu = client.protect(h('C001C1 0003 0100010800FF 02 00'));
    const used = client.ic;
    expect((await client.exchange(apdu))[0]).toBe(0xcc);
    const before = events.filter((e) => e.type === 'request').length;
    const replay = await client.exchange(apdu);
    // D8 01 06 <Unsigned32: the smallest counter accepted next = the replayed one + 1>.
    expect(hex(replay)).toBe(`D80106${(used + 1).toString(16).padStart(8, '0').toUpperCase()}`);
    expect(events.filter((e) => e.type === 'request').length).toBe(before);
    // The session goes on.
    expect((await client.exchange(client.protect(h('C001C1 0003 0100010800FF 02 00'))))[0]).toBe(0xcc);
    await server.close();
  });

  it('refuses plain APDUs, other policies, wrong keys', async () => {
    const { connect, server } = setup();
    const { client } = connect(48);
    await client.associateHlsGmac();
    expect(hex(await client.exchange(h('C001C1 0003 0100010800FF 02 00')))).toBe('D80101');
    // Authentication only, while the policy is auth+enc: deciphering-error (5).
    expect(hex(await client.exchange(client.protect(h('C001C1 0003 0100010800FF 02 00'), 'auth')))).toBe(
      'D80105',
    );
    client.ek = fromHex('00112233445566778899AABBCCDDEEFF');
    expect(hex(await client.exchange(client.protect(h('C001C1 0003 0100010800FF 02 00'))))).toBe('D80105');
    await server.close();
  });

  it('refuses an AARQ ciphered with the wrong key, and a wrong HLS response', async () => {
    const { connect, server } = setup();
    {
      const { client } = connect(48);
      client.ek = fromHex('00112233445566778899AABBCCDDEEFF');
      const aare = await client.associateHlsGmac();
      // rejected-permanent, no-reason-given, ConfirmedServiceError initiateError application-reference (0)
      // deciphering-error (6): 0E 01 00 06.
      expect([aare.result, aare.resultSourceDiagnostic.value]).toEqual([
        'rejected-permanent',
        'no-reason-given',
      ]);
      expect(aare.userInformation).toEqual({
        type: 'confirmed-service-error',
        service: 'initiateError',
        error: { kind: 'application-reference', value: 'deciphering-error' },
      });
    }
    {
      const { client } = connect(48);
      const initiate = client.protect(initiateRequest(0x60fe1f, 1200));
      const aare = await client.aarq({
        type: 'aarq',
        applicationContextName: 'ln-ciphered',
        callingApTitle: toHex(CLIENT_ST),
        senderAcseRequirements: { authentication: true },
        mechanismName: 'high-gmac',
        callingAuthenticationValue: { charstring: '4B35366956616759' },
        userInformation: { type: 'opaque', hex: toHex(initiate) },
      });
      expect(aare.result).toBe('accepted');
      client.serverTitle = SERVER_ST;
      client.ciphered = true;
      // Pending HLS: GET is refused read-write-denied (3).
      const g = await client.request(h('C001C1 0003 0100010800FF 02 00'));
      expect(g).toMatchObject({
        type: 'get-response-normal',
        result: { dataAccessResult: 'read-write-denied' },
      });
      // A wrong f(StoC): action-result other-reason (250).
      const bad = await client.request({
        type: 'action-request-normal',
        invokeIdAndPriority: { invokeId: 2, serviceClass: 'confirmed', priority: 'high' },
        method: { classId: 15, instanceId: obis(0, 0, 40, 0, 0, 255), methodId: 1 },
        parameters: { type: 'octet-string', value: new Uint8Array(17).fill(0x10) },
      });
      expect(bad).toMatchObject({ type: 'action-response-normal', response: { result: 'other-reason' } });
      const g2 = await client.request(h('C001C1 0003 0100010800FF 02 00'));
      expect(g2).toMatchObject({ result: { dataAccessResult: 'read-write-denied' } });
    }
    await server.close();
  });

  it('refuses a plain InitiateRequest in the ciphered context, and a missing client system title', async () => {
    const { connect, server } = setup();
    const { client } = connect(48);
    const plainInit = await client.aarq({
      type: 'aarq',
      applicationContextName: 'ln-ciphered',
      callingApTitle: toHex(CLIENT_ST),
      mechanismName: 'high-gmac',
      callingAuthenticationValue: { charstring: '4B35366956616759' },
      userInformation: decodeXdlmsApdu(initiateRequest(0x60fe1f, 1200)) as never,
    });
    expect(plainInit.result).toBe('rejected-permanent');
    expect(plainInit.userInformation).toMatchObject({
      service: 'initiateError',
      error: { kind: 'initiate', value: 'other' },
    });
    const { client: c2 } = connect(48);
    const noTitle = await c2.aarq({
      type: 'aarq',
      applicationContextName: 'ln-ciphered',
      mechanismName: 'high-gmac',
      callingAuthenticationValue: { charstring: '4B35366956616759' },
      userInformation: { type: 'opaque', hex: toHex(c2.protect(initiateRequest(0x60fe1f, 1200))) },
    });
    expect(noTitle.resultSourceDiagnostic.value).toBe('calling-AP-title-not-recognized');
    await server.close();
  });
});

describe('session lifetime', () => {
  it('frees the association when the client disappears mid-association', async () => {
    const { connect, server, events } = setup();
    const { client, link, done } = connect(32);
    await client.exchange(h(AARQ_LLS));
    expect(server.sessions.map((s) => s.state)).toEqual(['associated']);
    await link.close();
    await done;
    expect(server.sessions).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'released', reason: 'link-closed' });
    await server.close();
  });

  it('frees a silent client after the inactivity timeout', async () => {
    const events: ServerEvent[] = [];
    const server = new DlmsServer({
      objects: meterObjects(1),
      associations: associations(),
      systemTitle: SERVER_ST,
      inactivityTimeoutMs: 50,
      onEvent: (e) => events.push(e),
    });
    const [c, s] = createMemoryLinkPair({ client: 16, server: 1 });
    const done = server.handle(s);
    await new ScriptedClient(c).exchange(h(AARQ_PUBLIC));
    await done;
    expect(c.isOpen).toBe(false);
    expect(server.sessions).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'released', reason: 'timeout' });
  });

  it('closes a session that sends garbage, with a typed error, and keeps serving others', async () => {
    const { connect, server, events } = setup();
    const a = connect(16);
    const b = connect(16);
    await a.client.exchange(h(AARQ_PUBLIC));
    await b.client.exchange(h(AARQ_PUBLIC));
    // A get-request-normal cut short.
    await a.link.send(h('C001C10003010001'));
    await a.done;
    expect(a.link.isOpen).toBe(false);
    const refused = events.find((e) => e.type === 'refused' && e.what === 'apdu') as { error?: unknown };
    expect(isDlmsError(refused.error, 'INCOMPLETE')).toBe(true);
    expect(hex(await b.client.exchange(h('C001C1 0003 0100010800FF 02 00')))).toBe('C401C100060001E240');
    await server.close();
  });

  it('close() ends every session and the listener', async () => {
    const { connect, server, events } = setup();
    const a = connect(32);
    await a.client.exchange(h(AARQ_LLS));
    await server.close();
    await a.done;
    expect(a.link.isOpen).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'released', reason: 'server-closed' });
  });
});
