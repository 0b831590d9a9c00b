/**
 * A scripted DLMS server for client tests: it answers AARQ, GET/SET/ACTION (normal, with-list, blocks),
 * GBT and RLRQ from a table of values, built only from our encoders. It is deliberately small and
 * literal, so that tests can also assert the exact request bytes it received.
 */

import type { Aare } from '../src/acse/aare.ts';
import { decodeAarq, encodeAare, encodeRlre } from '../src/acse/index.ts';
import {
  type Conformance,
  decodeXdlmsApdu,
  encodeInitiateResponse,
  encodeXdlmsApdu,
  GbtAssembler,
  gbtBlocks,
  getResponseBlocks,
  type InitiateRequest,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { decodeInitiateRequest } from '../src/apdu/initiate.ts';
import { decodeData, encodeData } from '../src/axdr/codec.ts';
import type { Data } from '../src/axdr/types.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import type { ApduLink } from '../src/link/index.ts';
import { formatObis } from '../src/obis/index.ts';
import {
  hlsGmacResponse,
  MemoryInvocationCounterStore,
  protectApdu,
  unprotectApdu,
  verifyHlsGmac,
} from '../src/security/index.ts';

export interface FakeServerOptions {
  conformance: Conformance;
  /** server-max-receive-pdu-size. */
  maxPdu?: number;
  password?: string;
  /** HLS-GMAC: keys and the server system title. */
  security?: { systemTitle: Uint8Array; ek: Uint8Array; ak: Uint8Array; startIc?: number };
  /** Values by `classId/obis/attribute`. */
  values?: Map<string, Data>;
  /** Always answer GET in blocks of this many raw octets. */
  getBlockSize?: number;
  /** Answer responses longer than the client's PDU size with GBT (when negotiated). */
  gbtWindow?: number;
  /** Methods by `classId/obis/method`; return the return parameters. */
  methods?: Map<string, (params: Data | undefined) => Data | undefined>;
  /** Rewrites an outgoing (already protected) APDU; e.g. to replay or corrupt. */
  tamper?: (bytes: Uint8Array, index: number) => Uint8Array;
  /** Reject HLS pass 3 with other-reason instead of verifying. */
  rejectHls?: boolean;
}

export interface FakeServer {
  /** Every APDU received, as received (ciphered ones ciphered). */
  received: Uint8Array[];
  /** Every APDU received, plain. */
  plain: Uint8Array[];
  /** Values written by SET. */
  written: Map<string, Data>;
  done: Promise<void>;
}

const key = (classId: number, o: Parameters<typeof formatObis>[0], id: number): string =>
  `${classId}/${formatObis(o)}/${id}`;

export function fakeServer(link: ApduLink, o: FakeServerOptions): FakeServer {
  const received: Uint8Array[] = [];
  const plain: Uint8Array[] = [];
  const written = new Map<string, Data>();
  const counters = new MemoryInvocationCounterStore();
  let serverIc = o.security?.startIc ?? 100;
  let clientSt: Uint8Array | undefined;
  let clientMax = 0xffff;
  let ciphered = false;
  let ctos: Uint8Array | undefined;
  const stoc = fromHex('1122334455667788');
  let sentCount = 0;
  const negotiated: Conformance = o.conformance;
  const has = (b: string): boolean => (negotiated as string[]).includes(b);

  const out = async (bytes: Uint8Array): Promise<void> => {
    const b = o.tamper ? o.tamper(bytes, sentCount) : bytes;
    sentCount++;
    await link.send(b);
  };
  const protect = (p: Uint8Array, kind: 'glo' | 'ded' = 'glo'): Uint8Array => {
    if (!ciphered || !o.security) return p;
    return protectApdu(p, {
      policy: 'auth+enc',
      systemTitle: o.security.systemTitle,
      invocationCounter: serverIc++,
      ek: o.security.ek,
      ak: o.security.ak,
      kind,
    });
  };
  const sendApdu = async (x: XdlmsApdu): Promise<void> => {
    const bytes = protect(encodeXdlmsApdu(x));
    if (has('general-block-transfer') && o.gbtWindow && bytes.length > clientMax) {
      const blocks = gbtBlocks(bytes, { maxPduSize: clientMax, window: o.gbtWindow, streaming: true });
      for (const b of blocks) {
        await out(encodeXdlmsApdu(b));
        if (!b.streaming && !b.lastBlock) {
          const ack = decodeXdlmsApdu(await link.receive({ timeoutMs: 5000 }));
          if (ack.type !== 'general-block-transfer') throw new Error('expected a GBT ack');
        }
      }
      return;
    }
    await out(bytes);
  };
  const receiveService = async (first?: Uint8Array): Promise<XdlmsApdu> => {
    let raw = first ?? (await link.receive());
    received.push(raw);
    if (raw[0] === 0xe0) {
      const asm = new GbtAssembler({ window: o.gbtWindow ?? 1 });
      for (;;) {
        const b = decodeXdlmsApdu(raw);
        if (b.type !== 'general-block-transfer') throw new Error('GBT expected');
        const step = asm.push(b);
        if (step.complete) {
          raw = step.complete;
          break;
        }
        if (step.ack) await out(encodeXdlmsApdu(step.ack));
        raw = await link.receive();
        received.push(raw);
      }
    }
    if (ciphered && o.security) {
      const r = unprotectApdu(raw, o.security, { systemTitle: clientSt });
      counters.accept(r.systemTitle, 'c', r.invocationCounter);
      raw = r.plain;
    }
    plain.push(raw);
    return decodeXdlmsApdu(raw);
  };

  const value = (classId: number, ob: Parameters<typeof formatObis>[0], attr: number): Data | undefined =>
    o.values?.get(key(classId, ob, attr));

  const serve = async (): Promise<void> => {
    for (;;) {
      let first: Uint8Array;
      try {
        first = await link.receive();
      } catch (e) {
        if (isDlmsError(e, 'CONNECTION_CLOSED')) return;
        throw e;
      }
      if (first[0] === 0x60) {
        received.push(first);
        plain.push(first);
        const aarq = decodeAarq(first);
        ciphered = aarq.applicationContextName === 'ln-ciphered';
        if (aarq.callingApTitle) clientSt = fromHex(aarq.callingApTitle);
        let ireq: InitiateRequest;
        const ui = aarq.userInformation!;
        let refusedDiag: number | undefined;
        if (ui.type === 'opaque') {
          try {
            const r = unprotectApdu(fromHex(ui.hex), o.security!, { systemTitle: clientSt });
            ireq = decodeInitiateRequest(r.plain);
          } catch {
            refusedDiag = 1;
            ireq = undefined as never;
          }
        } else ireq = ui as InitiateRequest;
        if (ireq) clientMax = ireq.clientMaxReceivePduSize || 0xffff;
        if (aarq.mechanismName === 'low') {
          const pw = aarq.callingAuthenticationValue;
          const got = pw && 'charstring' in pw ? pw.charstring : '';
          if (got !== toHex(new TextEncoder().encode(o.password ?? ''))) refusedDiag = 13;
        }
        if (aarq.mechanismName === 'high-gmac') {
          const c = aarq.callingAuthenticationValue;
          ctos = c && 'charstring' in c ? fromHex(c.charstring) : undefined;
        }
        const aare: Aare = {
          type: 'aare',
          applicationContextName: aarq.applicationContextName,
          result: refusedDiag === undefined ? 'accepted' : 'rejected-permanent',
          resultSourceDiagnostic: {
            source: 'acse-service-user',
            value:
              refusedDiag === 13
                ? 'authentication-failure'
                : refusedDiag === 1
                  ? 'no-reason-given'
                  : aarq.mechanismName === 'high-gmac'
                    ? 'authentication-required'
                    : 'null',
          },
        };
        if (o.security) aare.respondingApTitle = toHex(o.security.systemTitle);
        if (aarq.mechanismName === 'high-gmac') {
          aare.responderAcseRequirements = { authentication: true };
          aare.mechanismName = 'high-gmac';
          aare.respondingAuthenticationValue = { charstring: toHex(stoc) };
        }
        if (refusedDiag === undefined) {
          const ires = encodeInitiateResponse({
            type: 'initiate-response',
            negotiatedDlmsVersionNumber: 6,
            negotiatedConformance: negotiated,
            serverMaxReceivePduSize: o.maxPdu ?? 1024,
            vaaName: 7,
          });
          aare.userInformation = ciphered
            ? { type: 'opaque', hex: toHex(protect(ires)) }
            : decodeInitiateResponseSafe(ires);
        }
        await out(encodeAare(aare));
        continue;
      }
      if (first[0] === 0x62) {
        received.push(first);
        plain.push(first);
        await out(encodeRlre({ type: 'rlre', reason: 'normal' }));
        continue;
      }
      await answer(await receiveService(first));
    }
  };

  const answer = async (x: XdlmsApdu): Promise<void> => {
    switch (x.type) {
      case 'get-request-normal': {
        const a = x.attribute;
        const v = value(a.classId, a.instanceId, a.attributeId);
        if (!v) {
          await sendApdu({
            type: 'get-response-normal',
            invokeIdAndPriority: x.invokeIdAndPriority,
            result: { dataAccessResult: 'object-undefined' },
          });
          return;
        }
        const raw = encodeData(v);
        const blocks = o.getBlockSize
          ? getResponseBlocks({
              invokeIdAndPriority: x.invokeIdAndPriority,
              data: raw,
              maxPduSize: o.getBlockSize + 12,
              forceBlocks: true,
            })
          : [
              {
                type: 'get-response-normal',
                invokeIdAndPriority: x.invokeIdAndPriority,
                result: { data: v },
              } as const,
            ];
        for (let i = 0; i < blocks.length; i++) {
          await sendApdu(blocks[i]!);
          if (i < blocks.length - 1) {
            const next = await receiveService();
            if (next.type !== 'get-request-next' || next.blockNumber !== i + 1)
              throw new Error(`expected get-request-next ${i + 1}, got ${JSON.stringify(next.type)}`);
          }
        }
        return;
      }
      case 'get-request-with-list':
        await sendApdu({
          type: 'get-response-with-list',
          invokeIdAndPriority: x.invokeIdAndPriority,
          results: x.attributes.map(({ attribute: a }) => {
            const v = value(a.classId, a.instanceId, a.attributeId);
            return v ? { data: v } : { dataAccessResult: 'object-undefined' as const };
          }),
        });
        return;
      case 'set-request-normal':
        written.set(key(x.attribute.classId, x.attribute.instanceId, x.attribute.attributeId), x.value);
        await sendApdu({
          type: 'set-response-normal',
          invokeIdAndPriority: x.invokeIdAndPriority,
          result: 'success',
        });
        return;
      case 'set-request-with-first-datablock': {
        const chunks = [x.datablock.rawData];
        let last = x.datablock;
        while (!last.lastBlock) {
          await sendApdu({
            type: 'set-response-datablock',
            invokeIdAndPriority: x.invokeIdAndPriority,
            blockNumber: last.blockNumber,
          });
          const n = await receiveService();
          if (n.type !== 'set-request-with-datablock') throw new Error('expected set-request-with-datablock');
          chunks.push(n.datablock.rawData);
          last = n.datablock;
        }
        const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        written.set(
          key(x.attribute.classId, x.attribute.instanceId, x.attribute.attributeId),
          decodeData(all),
        );
        await sendApdu({
          type: 'set-response-last-datablock',
          invokeIdAndPriority: x.invokeIdAndPriority,
          result: 'success',
          blockNumber: last.blockNumber,
        });
        return;
      }
      case 'set-request-with-list':
        x.attributes.forEach(({ attribute: a }, i) => {
          written.set(key(a.classId, a.instanceId, a.attributeId), x.values[i]!);
        });
        await sendApdu({
          type: 'set-response-with-list',
          invokeIdAndPriority: x.invokeIdAndPriority,
          results: x.attributes.map(() => 'success' as const),
        });
        return;
      case 'action-request-normal': {
        const m = x.method;
        if (m.classId === 15 && m.methodId === 1 && o.security) {
          const fStoC = x.parameters?.type === 'octet-string' ? x.parameters.value : new Uint8Array(0);
          let ok = !o.rejectHls;
          try {
            verifyHlsGmac({
              challenge: stoc,
              systemTitle: clientSt!,
              ek: o.security.ek,
              ak: o.security.ak,
              response: fStoC,
            });
          } catch {
            ok = false;
          }
          const fCtoS = hlsGmacResponse({
            challenge: ctos!,
            systemTitle: o.security.systemTitle,
            invocationCounter: serverIc++,
            ek: o.security.ek,
            ak: o.security.ak,
          });
          await sendApdu({
            type: 'action-response-normal',
            invokeIdAndPriority: x.invokeIdAndPriority,
            response: ok
              ? { result: 'success', returnParameters: { data: { type: 'octet-string', value: fCtoS } } }
              : { result: 'other-reason' },
          });
          return;
        }
        const f = o.methods?.get(key(m.classId, m.instanceId, m.methodId));
        if (!f) {
          await sendApdu({
            type: 'action-response-normal',
            invokeIdAndPriority: x.invokeIdAndPriority,
            response: { result: 'object-undefined' },
          });
          return;
        }
        const r = f(x.parameters);
        await sendApdu({
          type: 'action-response-normal',
          invokeIdAndPriority: x.invokeIdAndPriority,
          response: r ? { result: 'success', returnParameters: { data: r } } : { result: 'success' },
        });
        return;
      }
      case 'action-request-with-first-pblock': {
        const chunks = [x.pblock.rawData];
        let last = x.pblock;
        while (!last.lastBlock) {
          await sendApdu({
            type: 'action-response-next-pblock',
            invokeIdAndPriority: x.invokeIdAndPriority,
            blockNumber: last.blockNumber,
          });
          const n = await receiveService();
          if (n.type !== 'action-request-with-pblock') throw new Error('expected action-request-with-pblock');
          chunks.push(n.pblock.rawData);
          last = n.pblock;
        }
        const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        const f = o.methods?.get(key(x.method.classId, x.method.instanceId, x.method.methodId));
        const r = f?.(decodeData(all));
        await sendApdu({
          type: 'action-response-normal',
          invokeIdAndPriority: x.invokeIdAndPriority,
          response: r ? { result: 'success', returnParameters: { data: r } } : { result: 'success' },
        });
        return;
      }
      default:
        throw new Error(`fake server: no script for ${x.type}`);
    }
  };

  const done = serve().catch((e) => {
    if (isDlmsError(e, 'CONNECTION_CLOSED') || isDlmsError(e, 'TIMEOUT')) return;
    throw e;
  });
  return { received, plain, written, done };
}

function decodeInitiateResponseSafe(b: Uint8Array): XdlmsApdu & { type: 'initiate-response' } {
  const x = decodeXdlmsApdu(b);
  if (x.type !== 'initiate-response') throw new Error('not an InitiateResponse');
  return x;
}
