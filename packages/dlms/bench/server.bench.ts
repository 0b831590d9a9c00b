/**
 * DlmsServer: GET requests served per second, plain (Public Client) and ciphered (Utility Settings,
 * HLS-GMAC, auth+enc with the Green Book keys), measured on the session's request path (decode, decipher
 * and counter check, route, object, encode, encipher) without a link, and once through an in-memory link
 * round trip.
 *
 * The ciphered cases replay one glo-get-request: the server is given a counter store that accepts every
 * counter, so the measurement is the server's work rather than the client's encryption.
 */
import type { BenchCase } from '@ami-interop/bench';
import { decodeAare, encodeAarq } from '../src/acse/index.ts';
import { conformanceFromNumber, encodeXdlmsApdu } from '../src/apdu/index.ts';
import { ClockObject, CosemObjectSet, RegisterObject } from '../src/cosem/index.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { createMemoryLinkPair } from '../src/link/index.ts';
import { obis } from '../src/obis/index.ts';
import { protectApdu } from '../src/security/ciphered-apdu.ts';
import type { InvocationCounterStore } from '../src/security/counter.ts';
import { hlsGmacResponse } from '../src/security/hls.ts';
import { DlmsServer } from '../src/server/index.ts';
import { Session } from '../src/server/session.ts';
import { loadProfile } from '../test/server-fixtures.ts';

const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const CLIENT_ST = fromHex('4D4D4D0000BC614E');
const SERVER_ST = fromHex('4D4D4D0000000001');
const GET_REGISTER = fromHex('C001C100030100010800FF0200');
const GET_PROFILE = fromHex('C001C100070100630100FF0200');

/** Accepts every received counter (benchmark only: the same request is replayed). */
class AcceptAll implements InvocationCounterStore {
  #n = 0;
  next(): number {
    this.#n = (this.#n + 1) >>> 0;
    return this.#n;
  }
  accept(): void {}
}

function server(): DlmsServer {
  return new DlmsServer({
    objects: new CosemObjectSet([
      new ClockObject(),
      new RegisterObject('1.0.1.8.0.255', {
        value: { type: 'double-long-unsigned', value: 123456 },
        scalerUnit: { scaler: 0, unit: 30 },
      }),
      loadProfile(96),
    ]),
    associations: [
      { clientSap: 16, authentication: { mechanism: 'none' }, conformance: conformanceFromNumber(0x001214) },
      {
        clientSap: 48,
        authentication: { mechanism: 'hls-gmac' },
        securityPolicy: 'auth+enc',
        keys: { ek: EK, ak: AK },
        conformance: conformanceFromNumber(0x00fe1f),
      },
    ],
    systemTitle: SERVER_ST,
    counterStore: new AcceptAll(),
    now: () => new Date('2024-03-01T10:15:00Z'),
  });
}

const initiate = (conformance: number) =>
  encodeXdlmsApdu({
    type: 'initiate-request',
    responseAllowed: true,
    proposedDlmsVersionNumber: 6,
    proposedConformance: conformanceFromNumber(conformance),
    clientMaxReceivePduSize: 0xffff,
  });

async function publicSession(s: DlmsServer): Promise<Session> {
  const [, link] = createMemoryLinkPair({ client: 16, server: 1 });
  const session = new Session(s, link, 1);
  const [aare] = await session.process(
    fromHex(`601DA109060760857405080101BE10040E01000000065F1F040000121404B0`),
  );
  if (aare?.[0] !== 0x61) throw new Error('public association failed');
  return session;
}

async function cipheredSession(s: DlmsServer, id = 2): Promise<Session> {
  const [, link] = createMemoryLinkPair({ client: 48, server: 1 });
  const session = new Session(s, link, id);
  const glo = protectApdu(initiate(0x00fe1f), {
    policy: 'auth+enc',
    ek: EK,
    ak: AK,
    systemTitle: CLIENT_ST,
    invocationCounter: 1,
  });
  const [aareBytes] = await session.process(
    encodeAarq({
      type: 'aarq',
      applicationContextName: 'ln-ciphered',
      callingApTitle: toHex(CLIENT_ST),
      senderAcseRequirements: { authentication: true },
      mechanismName: 'high-gmac',
      callingAuthenticationValue: { charstring: '4B35366956616759' },
      userInformation: { type: 'opaque', hex: toHex(glo) },
    }),
  );
  const aare = decodeAare(aareBytes!);
  const stoc = fromHex((aare.respondingAuthenticationValue as { charstring: string }).charstring);
  const f = hlsGmacResponse({
    challenge: stoc,
    systemTitle: CLIENT_ST,
    invocationCounter: 2,
    ek: EK,
    ak: AK,
  });
  const action = encodeXdlmsApdu({
    type: 'action-request-normal',
    invokeIdAndPriority: { invokeId: 1, serviceClass: 'confirmed', priority: 'high' },
    method: { classId: 15, instanceId: obis(0, 0, 40, 0, 0, 255), methodId: 1 },
    parameters: { type: 'octet-string', value: f },
  });
  await session.process(
    protectApdu(action, { policy: 'auth+enc', ek: EK, ak: AK, systemTitle: CLIENT_ST, invocationCounter: 3 }),
  );
  if (session.state !== 'associated') throw new Error('HLS-GMAC association failed');
  return session;
}

export async function cases(): Promise<BenchCase[]> {
  const s = server();
  const plain = await publicSession(s);
  const ciphered = await cipheredSession(s);
  const gloRegister = protectApdu(GET_REGISTER, {
    policy: 'auth+enc',
    ek: EK,
    ak: AK,
    systemTitle: CLIENT_ST,
    invocationCounter: 4,
  });
  const gloProfile = protectApdu(GET_PROFILE, {
    policy: 'auth+enc',
    ek: EK,
    ak: AK,
    systemTitle: CLIENT_ST,
    invocationCounter: 5,
  });

  const linked = server();
  const [client, serverSide] = createMemoryLinkPair({ client: 16, server: 1 });
  void linked.handle(serverSide);
  await client.send(fromHex('601DA109060760857405080101BE10040E01000000065F1F040000121404B0'));
  await client.receive();

  let sessionId = 10;
  const oneAssociation = async (): Promise<void> => {
    const session = await cipheredSession(s, sessionId++);
    await session.process(gloProfile);
    await session.process(fromHex('6203800100'));
  };

  const g = 'dlms/server';
  return [
    {
      group: g,
      name: 'GET register value, plain (Public Client), session path',
      fn: () => plain.process(GET_REGISTER),
      items: 1,
      itemName: 'GETs',
    },
    {
      group: g,
      name: 'GET register value, glo- auth+enc (HLS-GMAC), session path',
      fn: () => ciphered.process(gloRegister),
      items: 1,
      itemName: 'GETs',
    },
    {
      group: g,
      name: 'GET 96-row load profile, plain, session path',
      fn: () => plain.process(GET_PROFILE),
      items: 1,
      itemName: 'GETs',
    },
    {
      group: g,
      name: 'GET 96-row load profile, glo- auth+enc, session path',
      fn: () => ciphered.process(gloProfile),
      items: 1,
      itemName: 'GETs',
    },
    {
      group: g,
      name: 'whole HLS-GMAC auth+enc association: AARQ, reply_to_HLS, GET 96-row profile, RLRQ (session path; includes building the client ciphered AARQ and f(StoC))',
      fn: oneAssociation,
      items: 1,
      itemName: 'associations',
    },
    {
      group: g,
      name: 'GET register value, plain, memory-link round trip',
      fn: async () => {
        await client.send(GET_REGISTER);
        return client.receive();
      },
      items: 1,
      itemName: 'GETs',
    },
  ];
}
