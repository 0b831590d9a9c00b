/**
 * Fixtures for the DlmsServer tests: a generic meter object set and a minimal scripted client that builds
 * its requests from the encoders (ACSE, xDLMS, suite 0) — not from the server's code — so the server is
 * driven the way a meter reading system would drive it.
 */

import type { Aare, Aarq } from '../src/acse/index.ts';
import { decodeAare, encodeAarq } from '../src/acse/index.ts';
import {
  type Conformance,
  conformanceFromNumber,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { encodeData } from '../src/axdr/codec.ts';
import { cosemDateTimeFromDate, writeCosemDateTime } from '../src/axdr/datetime.ts';
import type { Data } from '../src/axdr/types.ts';
import {
  ClockObject,
  CosemObjectSet,
  DataObject,
  ProfileGenericObject,
  RegisterObject,
} from '../src/cosem/index.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { Writer } from '../src/internal/writer.ts';
import type { ApduLink } from '../src/link/index.ts';
import { obis } from '../src/obis/index.ts';
import { protectApdu, unprotectApdu } from '../src/security/ciphered-apdu.ts';
import { hlsGmacResponse, verifyHlsGmac } from '../src/security/hls.ts';
import type { ServerAssociation } from '../src/server/index.ts';

/** Green Book suite-0 example keys (shared/reference/dlms.md). */
export const GB_EK = fromHex('000102030405060708090A0B0C0D0E0F');
export const GB_AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
/** Green Book system title (used here as the client's). */
export const CLIENT_ST = fromHex('4D4D4D0000BC614E');
export const SERVER_ST = fromHex('4D4D4D0000000001');
export const LLS_PASSWORD = new TextEncoder().encode('12345678');

export const FIXED_NOW = new Date('2024-03-01T10:15:00Z');

/** A 12-octet date-time octet string (deviation −330, IST) of a UTC instant. */
export function dateTimeOctets(d: Date): Data {
  const w = new Writer(12);
  writeCosemDateTime(w, cosemDateTimeFromDate(d, -330));
  return { type: 'octet-string', value: w.finish() };
}

/** Block load profile 1.0.99.1.0.255: clock + 3 registers, `rows` rows of 15 minutes ending at FIXED_NOW. */
export function loadProfile(rows: number): ProfileGenericObject {
  const buffer: Data[][] = [];
  const start = FIXED_NOW.getTime() - rows * 900_000;
  for (let i = 0; i < rows; i++) {
    buffer.push([
      dateTimeOctets(new Date(start + i * 900_000)),
      { type: 'long-unsigned', value: 2300 + (i % 50) },
      { type: 'double-long-unsigned', value: 1000 + i },
      { type: 'double-long-unsigned', value: 500 + i },
    ]);
  }
  return new ProfileGenericObject('1.0.99.1.0.255', {
    captureObjects: [
      { classId: 8, logicalName: obis(0, 0, 1, 0, 0, 255), attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: obis(1, 0, 12, 27, 0, 255), attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: obis(1, 0, 1, 29, 0, 255), attributeIndex: 2, dataIndex: 0 },
      { classId: 3, logicalName: obis(1, 0, 9, 29, 0, 255), attributeIndex: 2, dataIndex: 0 },
    ],
    capturePeriod: 900,
    profileEntries: Math.max(rows, 1),
    buffer,
  });
}

export function meterObjects(rows = 100): CosemObjectSet {
  return new CosemObjectSet([
    new ClockObject(),
    new RegisterObject('1.0.1.8.0.255', {
      value: { type: 'double-long-unsigned', value: 123456 },
      scalerUnit: { scaler: 0, unit: 30 },
    }),
    new RegisterObject('1.0.12.7.0.255', {
      value: { type: 'long-unsigned', value: 2301 },
      scalerUnit: { scaler: -1, unit: 35 },
    }),
    new DataObject('0.0.96.1.0.255', { type: 'octet-string', value: new TextEncoder().encode('SN0001') }),
    new DataObject('0.0.96.1.1.255', { type: 'long-unsigned', value: 7 }),
    loadProfile(rows),
  ]);
}

/** Everything except PROTOCOL bits the tests toggle; 0x007E1F is the AARQ example's proposed block. */
export const FULL_CONFORMANCE: Conformance = conformanceFromNumber(0x00fe1f | 0x400000 | 0x200000);

export function associations(
  extra: Partial<Record<number, Partial<ServerAssociation>>> = {},
): ServerAssociation[] {
  return [
    {
      clientSap: 16,
      authentication: { mechanism: 'none' },
      // get, selective-access, block-transfer-with-get, multiple-references
      conformance: conformanceFromNumber(0x001214),
      ...extra[16],
    },
    {
      clientSap: 32,
      authentication: { mechanism: 'lls', password: LLS_PASSWORD },
      conformance: conformanceFromNumber(0x001e1d),
      ...extra[32],
    },
    {
      clientSap: 48,
      authentication: { mechanism: 'hls-gmac' },
      securityPolicy: 'auth+enc',
      keys: { ek: GB_EK, ak: GB_AK },
      conformance: FULL_CONFORMANCE,
      ...extra[48],
    },
  ];
}

/** The InitiateRequest bytes of the Green Book/IS 15959 AARQ examples (conformance, client PDU size). */
export function initiateRequest(conformance: number, pdu: number, version = 6): Uint8Array {
  return encodeXdlmsApdu({
    type: 'initiate-request',
    responseAllowed: true,
    proposedDlmsVersionNumber: version,
    proposedConformance: conformanceFromNumber(conformance),
    clientMaxReceivePduSize: pdu,
  });
}

/** A minimal scripted DLMS client over an ApduLink. */
export class ScriptedClient {
  readonly link: ApduLink;
  systemTitle = CLIENT_ST;
  ek = GB_EK;
  ak = GB_AK;
  ic = 0;
  serverTitle: Uint8Array | undefined;
  ciphered = false;

  constructor(link: ApduLink) {
    this.link = link;
  }

  async exchange(apdu: Uint8Array, timeoutMs = 5000): Promise<Uint8Array> {
    await this.link.send(apdu);
    return this.link.receive({ timeoutMs });
  }

  async aarq(aarq: Aarq): Promise<Aare> {
    return decodeAare(await this.exchange(encodeAarq(aarq)));
  }

  /** Protects a plain request as glo- with the next client counter. */
  protect(plain: Uint8Array, policy: 'auth+enc' | 'auth' | 'enc' = 'auth+enc'): Uint8Array {
    this.ic++;
    return protectApdu(plain, {
      policy,
      ek: this.ek,
      ak: this.ak,
      systemTitle: this.systemTitle,
      invocationCounter: this.ic,
    });
  }

  unprotect(bytes: Uint8Array): Uint8Array {
    return unprotectApdu(bytes, { ek: this.ek, ak: this.ak }, { systemTitle: this.serverTitle }).plain;
  }

  /** Sends a plain xDLMS request (ciphered if the association is) and decodes the plain answer. */
  async request(x: XdlmsApdu | Uint8Array): Promise<XdlmsApdu> {
    const plain = x instanceof Uint8Array ? x : encodeXdlmsApdu(x);
    const out = this.ciphered ? this.protect(plain) : plain;
    const resp = await this.exchange(out);
    if (resp[0] === 0xd8 || !this.ciphered) return decodeXdlmsApdu(resp);
    return decodeXdlmsApdu(this.unprotect(resp));
  }

  /** The whole HLS-GMAC + auth+enc association of client 48 (four passes). Returns the AARE. */
  async associateHlsGmac(
    options: { conformance?: number; pdu?: number; ctos?: Uint8Array } = {},
  ): Promise<Aare> {
    const ctos = options.ctos ?? fromHex('4B35366956616759');
    const initiate = this.protect(initiateRequest(options.conformance ?? 0x60fe1f, options.pdu ?? 1200));
    const aare = await this.aarq({
      type: 'aarq',
      applicationContextName: 'ln-ciphered',
      callingApTitle: toHex(this.systemTitle),
      senderAcseRequirements: { authentication: true },
      mechanismName: 'high-gmac',
      callingAuthenticationValue: { charstring: toHex(ctos) },
      userInformation: { type: 'opaque', hex: toHex(initiate) },
    });
    if (aare.result !== 'accepted') return aare;
    this.serverTitle = fromHex(aare.respondingApTitle!);
    this.ciphered = true;
    const stoc = fromHex((aare.respondingAuthenticationValue as { charstring: string }).charstring);
    this.ic++;
    const f = hlsGmacResponse({
      challenge: stoc,
      systemTitle: this.systemTitle,
      invocationCounter: this.ic,
      ek: this.ek,
      ak: this.ak,
    });
    const reply = await this.request({
      type: 'action-request-normal',
      invokeIdAndPriority: { invokeId: 1, serviceClass: 'confirmed', priority: 'high' },
      method: { classId: 15, instanceId: obis(0, 0, 40, 0, 0, 255), methodId: 1 },
      parameters: { type: 'octet-string', value: f },
    });
    if (reply.type !== 'action-response-normal' || reply.response.result !== 'success') {
      throw new Error(`HLS pass 3 refused: ${JSON.stringify(reply)}`);
    }
    const ret = reply.response.returnParameters as { data: { type: 'octet-string'; value: Uint8Array } };
    verifyHlsGmac({
      challenge: ctos,
      systemTitle: this.serverTitle,
      ek: this.ek,
      ak: this.ak,
      response: ret.data.value,
    });
    return aare;
  }
}

export { encodeData, fromHex, toHex };
