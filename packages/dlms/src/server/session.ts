/**
 * One link's session on a {@link DlmsServer}: an explicit state machine
 * (`idle → [pending-hls →] associated → idle … → closed`) that takes whole APDUs from an `ApduLink` and
 * answers them.
 *
 * **Association (AARQ → AARE).** Checked in this order; the first failure answers an AARE with result
 * `rejected-permanent` and the diagnostic shown (ACSE refusals carry no user-information; xDLMS refusals
 * carry a ConfirmedServiceError `initiateError`):
 *
 * | check | diagnostic (acse-service-user) | user-information |
 * |---|---|---|
 * | an association exists for the link's client SAP | no-reason-given | — |
 * | application-context-name = `ln` (no security) / `ln-ciphered` (any other policy) | application-context-name-not-supported | — |
 * | mechanism-name: absent or `lowest` when none; present when required | authentication-mechanism-name-required | — |
 * | mechanism-name = the association's | authentication-mechanism-name-not-recognised | — |
 * | calling-authentication-value present (LLS password, HLS CtoS) | authentication-required | — |
 * | calling-AP-title of 8 bytes (ciphered contexts, HLS-GMAC, HLS-SHA256) | calling-AP-title-not-recognized | — |
 * | LLS password matches (constant time); CtoS is 8..64 bytes | authentication-failure | — |
 * | user-information present, plain (`01`) in `ln` and glo-/general-glo-ciphered in `ln-ciphered` | no-reason-given | initiateError `other` |
 * | the ciphered InitiateRequest deciphers and its counter is fresh | no-reason-given | initiateError, application-reference `deciphering-error` (plain) |
 * | proposed-dlms-version-number ≥ 6 | no-reason-given | initiateError `dlms-version-too-low` |
 * | client-max-receive-pdu-size ≥ the minimum (0 = no limit) | no-reason-given | initiateError `pdu-size-too-short` |
 * | the conformance blocks intersect | no-reason-given | initiateError `incompatible-conformance` |
 *
 * Accepted: result `accepted`, diagnostic `null` (none, LLS) or `authentication-required` with the server's
 * challenge StoC in responding-authentication-value (HLS), the InitiateResponse (negotiated conformance,
 * server-max-receive-pdu-size, vaa-name 0x0007), glo-ciphered in `ln-ciphered`. An AARQ while associated is
 * answered `rejected-transient` (the running association stays).
 *
 * **Requests.** Refusals that concern the request itself are answered with a Data-Access-Result or
 * Action-Result (see `cosem/results.ts`). APDUs that cannot be served at all get an ExceptionResponse:
 *
 * | situation | state-error | service-error |
 * |---|---|---|
 * | an xDLMS request with no association | service-not-allowed | operation-not-possible |
 * | plain APDU in a ciphered association, ciphered APDU in a plain one | service-not-allowed | operation-not-possible |
 * | a service the negotiated conformance does not include | service-not-allowed | service-not-supported |
 * | a tag that is not a client request | service-unknown | service-not-supported |
 * | larger than server-max-receive-pdu-size | service-not-allowed | pdu-too-long |
 * | does not decipher (wrong key, tampered, wrong policy) | service-not-allowed | deciphering-error |
 * | an invocation counter not greater than the last accepted (replay) | service-not-allowed | invocation-counter-error (the smallest counter accepted next) |
 *
 * ACCESS (access-request `D9`, conformance bit `access`) runs each of its specifications as the GET, SET
 * or ACTION it names, with the same access rights (see `#access`).
 *
 * A short-name readRequest / writeRequest (`05` / `06`) in these logical-name associations is answered
 * with ConfirmedServiceError `read`/`write`, service `service-unsupported` (`0E 05 03 02`).
 *
 * The replayed APDU is not executed; we answer it (rather than drop it) because IEC 62056-5-3 defines
 * invocation-counter-error for exactly this and a silent drop leaves an honest client with a counter
 * out of sync waiting for a timeout. The ExceptionResponse is sent unprotected (it has no ciphered form).
 *
 * An APDU that does not decode (garbage) ends the session: the link is closed and a `refused` event with
 * the typed error is reported; the server goes on serving other links.
 *
 * **Blocks.** A GET response larger than the client's max receive PDU size (minus the ciphering overhead)
 * is sent with general block transfer when negotiated, otherwise as get-response-with-datablock blocks
 * (get-request-next), otherwise refused with `other-reason`. SET with datablocks and ACTION with pblocks
 * are reassembled; an ACTION response that does not fit goes in action-response-with-pblock blocks (each
 * asked for with action-request-next-pblock) carrying its Action-Response-With-Optional-Data. A request
 * that came in GBT blocks is answered in GBT blocks.
 *
 * @module
 */

import type { AssociateSourceDiagnostic } from '../acse/fields.ts';
import { type Aare, type Aarq, decodeAarq, decodeRlrq, encodeAare, encodeRlre } from '../acse/index.ts';
import type { ConformanceBit } from '../apdu/conformance.ts';
import type { CosemAttributeDescriptor, CosemMethodDescriptor } from '../apdu/descriptors.ts';
import type { GeneralBlockTransfer } from '../apdu/general-block-transfer.ts';
import { type GetDataResult, writeGetDataResult } from '../apdu/get.ts';
import {
  ACCESS_REQUEST_TAG,
  type AccessRequest,
  type AccessResponse,
  type AccessResponseSpecification,
  type ActionRequest,
  type ActionResponseWithOptionalData,
  type ConfirmedServiceError,
  decodeXdlmsApdu,
  type ExceptionResponse,
  encodeXdlmsApdu,
  GbtAssembler,
  GENERAL_BLOCK_TRANSFER_TAG,
  type GetRequest,
  type GetResponse,
  gbtBlocks,
  getResponseBlocks,
  type InitiateRequest,
  type InvokeIdAndPriority,
  SA_DATABLOCK_HEADER_SIZE,
  type SelectiveAccessDescriptor,
  type SetRequest,
  type SetResponse,
  splitIntoBlocks,
  type XdlmsApdu,
} from '../apdu/index.ts';
import { decodeData, readData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import { AssociationLnObject } from '../cosem/association-ln.ts';
import {
  attributeAllows,
  type CosemContext,
  type CosemObject,
  methodAllows,
  type SelectiveAccess,
} from '../cosem/object.ts';
import { type ActionResult, type DataAccessResult, isCosemServiceError } from '../cosem/results.ts';
import { DlmsError, isDlmsError } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import type { ApduLink } from '../link/index.ts';
import { obisEquals } from '../obis/index.ts';
import { type CipheringKind, protectApdu, unprotectApdu } from '../security/ciphered-apdu.ts';
import {
  generateChallenge,
  hls2Response,
  hlsGmacResponse,
  hlsMd5Response,
  hlsSha1Response,
  hlsSha256Response,
  verifyHlsGmac,
  verifyHlsResponse,
  verifyLlsPassword,
} from '../security/hls.ts';
import { cipheredServiceOf, GENERAL_DED_CIPHERING, GENERAL_GLO_CIPHERING } from '../security/tags.ts';
import {
  CURRENT_ASSOCIATION_LN,
  intersectConformance,
  MECHANISM_ACSE_NAMES,
  type ResolvedAssociation,
} from './association.ts';
import type { ServerCore } from './core.ts';
import type { ReleaseReason, SessionInfo, SessionState } from './types.ts';

/** Worst-case octets a ciphered APDU adds: tag, 3-octet length, SC, IC (4), GCM tag (12). */
const CIPHER_OVERHEAD = 21;
/** Octets of a get-response-normal around the Data: tag, choice, invoke-id, result choice. */
const GET_NORMAL_HEADER = 4;

const RLRQ = 0x62;
const AARQ = 0x60;

/** How the request being answered was protected (responses are protected the same way). */
interface Protection {
  kind: CipheringKind;
}

interface LongGet {
  invoke: InvokeIdAndPriority;
  blocks: Uint8Array[];
  /** The last block sent (1-based). */
  sent: number;
}

interface LongSet {
  invoke: InvokeIdAndPriority;
  targets: { attribute: CosemAttributeDescriptor; accessSelection?: SelectiveAccessDescriptor }[];
  list: boolean;
  chunks: Uint8Array[];
  size: number;
  expected: number;
}

interface LongAction {
  invoke: InvokeIdAndPriority;
  methods: CosemMethodDescriptor[];
  list: boolean;
  chunks: Uint8Array[];
  size: number;
  expected: number;
}

interface GbtOut {
  blocks: GeneralBlockTransfer[];
}

/** The service requests an unconfirmed service-class applies to: executed, never answered. */
const UNCONFIRMABLE: ReadonlySet<string> = new Set([
  'set-request-normal',
  'set-request-with-list',
  'action-request-normal',
  'action-request-with-list',
]);

const REQUEST_TAGS = new Set([0xc0, 0xc1, 0xc3, ACCESS_REQUEST_TAG]);
/** readRequest / writeRequest: the short-name services. */
const SN_READ_REQUEST = 0x05;
const SN_WRITE_REQUEST = 0x06;

function exception(
  stateError: ExceptionResponse['stateError'],
  serviceError: ExceptionResponse['serviceError'],
  invocationCounter?: number,
): Uint8Array {
  const x: ExceptionResponse = { type: 'exception-response', stateError, serviceError };
  if (invocationCounter !== undefined) x.invocationCounter = invocationCounter;
  return encodeXdlmsApdu(x);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function userDiag(value: AssociateSourceDiagnostic['value']): AssociateSourceDiagnostic {
  return { source: 'acse-service-user', value } as AssociateSourceDiagnostic;
}

/** A refusal of the AARQ: the AARE fields that differ from an acceptance. */
class AarqRefusal {
  constructor(
    readonly diagnostic: AssociateSourceDiagnostic,
    readonly reason: string,
    readonly userInformation?: ConfirmedServiceError,
    readonly result: 'rejected-permanent' | 'rejected-transient' = 'rejected-permanent',
  ) {}
}

function initiateError(
  value: string,
  reason: string,
  kind: 'initiate' | 'application-reference' = 'initiate',
) {
  return new AarqRefusal(userDiag('no-reason-given'), reason, {
    type: 'confirmed-service-error',
    service: 'initiateError',
    error: { kind, value } as ConfirmedServiceError['error'],
  });
}

export class Session implements SessionInfo {
  readonly id: number;
  readonly link: ApduLink;
  readonly #core: ServerCore;
  #state: SessionState = 'idle';
  #assoc: ResolvedAssociation | undefined;
  #clientTitle: Uint8Array | undefined;
  #dk: Uint8Array | undefined;
  #negotiated: ReadonlySet<ConformanceBit> = new Set();
  #clientMax = 0xffff;
  #ctos: Uint8Array | undefined;
  #stoc: Uint8Array | undefined;
  #hlsDone = false;
  #longGet: LongGet | undefined;
  #longSet: LongSet | undefined;
  #longAction: LongAction | undefined;
  /** A long ACTION response being sent in pblocks (action-request-next-pblock asks for each). */
  #longActionOut: LongGet | undefined;
  #gbtIn: GbtAssembler | undefined;
  #gbtOut: GbtOut | undefined;
  #clientWindow = 1;
  /** Counters under the dedicated key, which lives only as long as the association: per session. */
  #dedRx: number | undefined;
  #dedTx = 0;
  #ended = false;
  readonly #abort = new AbortController();

  constructor(core: ServerCore, link: ApduLink, id: number) {
    this.#core = core;
    this.link = link;
    this.id = id;
  }

  get clientSap(): number {
    return this.link.address.client;
  }
  get clientSystemTitle(): Uint8Array | undefined {
    return this.#clientTitle;
  }
  get state(): SessionState {
    return this.#state;
  }

  /** A snapshot for events (so later changes do not show in logged events). */
  info(): SessionInfo {
    return {
      id: this.id,
      clientSap: this.clientSap,
      clientSystemTitle: this.#clientTitle,
      state: this.#state,
    };
  }

  /** Ends the session from outside (server close). */
  stop(): void {
    this.#abort.abort();
  }

  /** Receives and answers APDUs until the link closes, times out, or the server stops. */
  async run(): Promise<void> {
    const timeoutMs = this.#core.inactivityTimeoutMs;
    for (;;) {
      let apdu: Uint8Array;
      try {
        apdu = await this.link.receive({ timeoutMs, signal: this.#abort.signal });
      } catch (e) {
        const err = isDlmsError(e) ? e : undefined;
        if (this.#abort.signal.aborted) return this.#end('server-closed');
        if (err?.code === 'TIMEOUT') return this.#end('timeout', err);
        return this.#end('link-closed', err?.code === 'CONNECTION_CLOSED' ? undefined : err);
      }
      let out: Uint8Array[];
      try {
        out = await this.process(apdu);
      } catch (e) {
        const err = isDlmsError(e)
          ? e
          : new DlmsError('PROTOCOL_ERROR', `request could not be served: ${String(e)}`, { cause: e });
        this.#core.emit({
          type: 'refused',
          session: this.info(),
          what: 'apdu',
          reason: err.message,
          error: err,
        });
        return this.#end('error', err);
      }
      try {
        for (const o of out) await this.link.send(o);
      } catch (e) {
        return this.#end('link-closed', isDlmsError(e) ? e : undefined);
      }
      if (this.#state === 'closed') return this.#end('error');
    }
  }

  async #end(reason: ReleaseReason, error?: DlmsError): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const wasAssociated = this.#state === 'associated' || this.#state === 'pending-hls';
    this.#free();
    this.#state = 'closed';
    await this.link.close();
    if (wasAssociated) {
      const ev = { type: 'released' as const, session: this.info(), reason };
      this.#core.emit(error ? { ...ev, error } : ev);
    }
    this.#core.sessionEnded(this);
  }

  /** Frees everything the association held. */
  #free(): void {
    this.#assoc = undefined;
    this.#dk = undefined;
    this.#ctos = undefined;
    this.#stoc = undefined;
    this.#hlsDone = false;
    this.#longGet = undefined;
    this.#longSet = undefined;
    this.#longAction = undefined;
    this.#longActionOut = undefined;
    this.#gbtIn = undefined;
    this.#gbtOut = undefined;
    this.#negotiated = new Set();
    this.#clientWindow = 1;
    this.#dedRx = undefined;
    this.#dedTx = 0;
  }

  /**
   * Answers one APDU: the APDUs to send back (possibly none). Throws a `DlmsError` when the APDU does not
   * decode; the caller then ends the session.
   */
  async process(apdu: Uint8Array): Promise<Uint8Array[]> {
    if (apdu.length === 0) throw new DlmsError('INCOMPLETE', 'empty APDU', { offset: 0 });
    const tag = apdu[0]!;
    if (tag === AARQ) return [await this.#aarq(apdu)];
    if (tag === RLRQ) return [this.#rlrq(apdu)];
    const assoc = this.#assoc;
    if (assoc === undefined || this.#state === 'idle') {
      this.#refused('request', 'no association');
      return [exception('service-not-allowed', 'operation-not-possible')];
    }
    if (apdu.length > assoc.maxReceivePduSize) {
      this.#refused('request', `APDU of ${apdu.length} octets exceeds server-max-receive-pdu-size`);
      return [exception('service-not-allowed', 'pdu-too-long')];
    }
    if (tag === GENERAL_BLOCK_TRANSFER_TAG) return this.#gbt(apdu);
    return this.#serviceApdu(apdu, false);
  }

  /** A service APDU, possibly ciphered, possibly reassembled from GBT. */
  async #serviceApdu(apdu: Uint8Array, viaGbt: boolean): Promise<Uint8Array[]> {
    const assoc = this.#assoc!;
    const tag = apdu[0]!;
    const cipherTag =
      cipheredServiceOf(tag) !== undefined || tag === GENERAL_GLO_CIPHERING || tag === GENERAL_DED_CIPHERING;
    let plain = apdu;
    let protection: Protection | undefined;
    let authenticated = false;
    if (cipherTag) {
      if (assoc.security === undefined) {
        this.#refused('request', 'ciphered APDU in an association without security');
        return [exception('service-not-allowed', 'operation-not-possible')];
      }
      let result: ReturnType<typeof unprotectApdu>;
      try {
        result = unprotectApdu(
          apdu,
          { ek: assoc.keys!.ek, ak: assoc.keys!.ak, dk: this.#dk, bek: assoc.keys!.bek },
          { systemTitle: this.#clientTitle, acceptPolicies: [assoc.security] },
        );
      } catch (e) {
        if (isDlmsError(e, 'AUTHENTICATION_FAILED') || isDlmsError(e, 'INVALID_ARGUMENT')) {
          this.#refused('request', 'APDU does not decipher', e as DlmsError);
          return [exception('service-not-allowed', 'deciphering-error')];
        }
        throw e;
      }
      const ded = result.kind === 'ded' || result.kind === 'general-ded';
      try {
        if (ded) {
          if (this.#dedRx !== undefined && result.invocationCounter <= this.#dedRx) {
            throw new DlmsError(
              'REPLAYED_COUNTER',
              `invocation counter ${result.invocationCounter} under the dedicated key is not greater than ${this.#dedRx}`,
            );
          }
          this.#dedRx = result.invocationCounter;
        } else {
          await this.#core.counters.accept(result.systemTitle, assoc.keyId, result.invocationCounter);
        }
      } catch (e) {
        if (isDlmsError(e, 'REPLAYED_COUNTER')) {
          this.#refused('request', e.message, e);
          const last = ded
            ? this.#dedRx
            : (
                this.#core.counters as { lastReceived?: (st: Uint8Array, k: string) => number | undefined }
              ).lastReceived?.(result.systemTitle, assoc.keyId);
          const expected = Math.min(0xffffffff, (last ?? result.invocationCounter) + 1);
          return [exception('service-not-allowed', 'invocation-counter-error', expected)];
        }
        throw e;
      }
      plain = result.plain;
      authenticated = result.securityControl.authenticated;
      protection = { kind: result.kind === 'general-ciphering' ? 'general-glo' : result.kind };
    } else if (assoc.security !== undefined) {
      this.#refused('request', 'plain APDU in a ciphered association');
      return [exception('service-not-allowed', 'operation-not-possible')];
    }
    const ptag = plain[0];
    if (ptag === SN_READ_REQUEST || ptag === SN_WRITE_REQUEST) {
      // Short-name services in an LN association: ConfirmedServiceError, service / service-unsupported,
      // protected like the request.
      this.#refused('request', 'short-name service in a logical-name association');
      const cse = encodeXdlmsApdu({
        type: 'confirmed-service-error',
        service: ptag === SN_READ_REQUEST ? 'read' : 'write',
        error: { kind: 'service', value: 'service-unsupported' },
      });
      return [protection ? await this.#protect(cse, protection) : cse];
    }
    if (ptag === undefined || !REQUEST_TAGS.has(ptag)) {
      this.#refused('request', `not a client request: tag ${ptag?.toString(16) ?? 'none'}`);
      return [exception('service-unknown', 'service-not-supported')];
    }
    const x = decodeXdlmsApdu(plain);
    this.#core.emit({
      type: 'request',
      session: this.info(),
      apdu: x.type,
      ciphered: protection !== undefined,
    });
    const response = await this.#dispatch(
      x as GetRequest | SetRequest | ActionRequest | AccessRequest,
      authenticated,
      protection,
    );
    // An unconfirmed SET or ACTION (service-class bit 0 of Invoke-Id-And-Priority) is executed and not
    // answered, e.g. a broadcast clock setting; GET is always confirmed.
    if (
      UNCONFIRMABLE.has(x.type) &&
      (x as SetRequest | ActionRequest).invokeIdAndPriority.serviceClass === 'unconfirmed'
    ) {
      return [];
    }
    if (response.length === 0) return [];
    const [first, ...rest] = response;
    // Service responses (one APDU) get protected and, when needed, carried in GBT.
    if (rest.length > 0) throw new DlmsError('PROTOCOL_ERROR', 'internal: one response expected');
    if (first!.exception) return [first!.bytes];
    const out = protection ? await this.#protect(first!.bytes, protection) : first!.bytes;
    if (viaGbt || (out.length > this.#clientMax && this.#negotiated.has('general-block-transfer'))) {
      return this.#startGbtOut(out);
    }
    return [out];
  }

  async #protect(plain: Uint8Array, p: Protection): Promise<Uint8Array> {
    const assoc = this.#assoc!;
    const st = this.#core.systemTitle!;
    const ded = p.kind === 'ded' || p.kind === 'general-ded';
    if (ded && this.#dedTx >= 0xffffffff) {
      throw new DlmsError('LIMIT_EXCEEDED', 'invocation counter under the dedicated key exhausted');
    }
    const ic = ded ? ++this.#dedTx : await this.#core.counters.next(st, assoc.keyId);
    return protectApdu(plain, {
      policy: assoc.security!,
      ek: assoc.keys!.ek,
      ak: assoc.keys!.ak,
      dk: this.#dk,
      systemTitle: st,
      invocationCounter: ic,
      kind: p.kind,
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // GBT

  #startGbtOut(apdu: Uint8Array): Uint8Array[] {
    const blocks = gbtBlocks(apdu, {
      maxPduSize: this.#clientMax,
      window: this.#core.gbtWindow,
      blockNumberAck: this.#gbtIn?.lastReceived ?? 0,
    });
    this.#gbtIn = undefined;
    this.#gbtOut = { blocks };
    return this.#gbtWindow(0);
  }

  /**
   * The blocks of one window (the client's advertised window) from index `from`: the streaming bit on every
   * block but the window's last, so the client acknowledges once per window.
   */
  #gbtWindow(from: number): Uint8Array[] {
    const out = this.#gbtOut!;
    const end = Math.min(out.blocks.length, from + this.#clientWindow);
    const send: Uint8Array[] = [];
    for (let i = from; i < end; i++) {
      send.push(encodeXdlmsApdu({ ...out.blocks[i]!, streaming: i < end - 1 }));
    }
    if (end >= out.blocks.length) this.#gbtOut = undefined;
    return send;
  }

  async #gbt(apdu: Uint8Array): Promise<Uint8Array[]> {
    if (!this.#negotiated.has('general-block-transfer')) {
      this.#refused('request', 'general-block-transfer not negotiated');
      return [exception('service-not-allowed', 'service-not-supported')];
    }
    const x = decodeXdlmsApdu(apdu) as GeneralBlockTransfer;
    if (x.window > 0) this.#clientWindow = x.window;
    if (this.#gbtOut !== undefined && x.blockData.length === 0 && !x.lastBlock) {
      // An acknowledgement: send on from the block after the one acknowledged.
      const from = Math.max(0, x.blockNumberAck);
      if (from >= this.#gbtOut.blocks.length) {
        this.#gbtOut = undefined;
        return [];
      }
      return this.#gbtWindow(from);
    }
    this.#gbtOut = undefined;
    if (this.#gbtIn === undefined) {
      this.#gbtIn = new GbtAssembler({
        window: this.#core.gbtWindow,
        maxSize: this.#core.maxReassembledSize,
      });
    }
    const step = this.#gbtIn.push(x);
    if (step.complete) {
      const inner = step.complete;
      if (inner.length === 0) throw new DlmsError('MALFORMED', 'general block transfer carried nothing');
      return this.#serviceApdu(inner, true);
    }
    return step.ack ? [encodeXdlmsApdu(step.ack)] : [];
  }

  // -------------------------------------------------------------------------------------------------------
  // ACSE

  async #aarq(bytes: Uint8Array): Promise<Uint8Array> {
    let aarq: Aarq;
    try {
      aarq = decodeAarq(bytes);
    } catch (e) {
      if (isDlmsError(e, 'UNSUPPORTED')) {
        this.#refused('aarq', e.message, e);
        return encodeAare({
          type: 'aare',
          applicationContextName: 'ln',
          result: 'rejected-permanent',
          resultSourceDiagnostic: { source: 'acse-service-provider', value: 'no-reason-given' },
        });
      }
      throw e;
    }
    this.#core.emit({ type: 'request', session: this.info(), apdu: 'aarq', ciphered: false });
    if (this.#state === 'associated' || this.#state === 'pending-hls') {
      const assoc = this.#assoc!;
      this.#refused('aarq', 'already associated');
      return encodeAare({
        type: 'aare',
        applicationContextName: assoc.contextName,
        result: 'rejected-transient',
        resultSourceDiagnostic: userDiag('no-reason-given'),
      });
    }
    const assoc = this.#core.associations.get(this.clientSap);
    const context = assoc?.contextName ?? 'ln';
    const outcome = await this.#evaluate(aarq, assoc);
    if (outcome instanceof AarqRefusal) {
      this.#refused('aarq', outcome.reason);
      this.#free();
      const aare: Aare = {
        type: 'aare',
        applicationContextName: context,
        result: outcome.result,
        resultSourceDiagnostic: outcome.diagnostic,
      };
      if (outcome.userInformation) aare.userInformation = outcome.userInformation;
      return encodeAare(aare);
    }
    return outcome;
  }

  /** Checks an AARQ (see the module doc); the AARE bytes on acceptance, or the refusal. */
  async #evaluate(aarq: Aarq, assoc: ResolvedAssociation | undefined): Promise<Uint8Array | AarqRefusal> {
    if (assoc === undefined) {
      return new AarqRefusal(userDiag('no-reason-given'), `no association for client SAP ${this.clientSap}`);
    }
    if (aarq.applicationContextName !== assoc.contextName) {
      return new AarqRefusal(
        userDiag('application-context-name-not-supported'),
        `application context ${aarq.applicationContextName}, expected ${assoc.contextName}`,
      );
    }
    const auth = assoc.config.authentication;
    const expectedMech = MECHANISM_ACSE_NAMES[auth.mechanism];
    if (auth.mechanism === 'none') {
      if (aarq.mechanismName !== undefined && aarq.mechanismName !== 'lowest') {
        return new AarqRefusal(
          userDiag('authentication-mechanism-name-not-recognised'),
          `mechanism ${aarq.mechanismName} on an association without authentication`,
        );
      }
    } else {
      if (aarq.mechanismName === undefined) {
        return new AarqRefusal(userDiag('authentication-mechanism-name-required'), 'no mechanism-name');
      }
      if (aarq.mechanismName !== expectedMech) {
        return new AarqRefusal(
          userDiag('authentication-mechanism-name-not-recognised'),
          `mechanism ${aarq.mechanismName}, expected ${expectedMech}`,
        );
      }
      if (
        aarq.callingAuthenticationValue === undefined ||
        !('charstring' in aarq.callingAuthenticationValue)
      ) {
        return new AarqRefusal(userDiag('authentication-required'), 'no calling-authentication-value');
      }
    }
    let clientTitle: Uint8Array | undefined;
    if (aarq.callingApTitle !== undefined) clientTitle = fromHex(aarq.callingApTitle);
    if (assoc.needsClientTitle && clientTitle?.length !== 8) {
      return new AarqRefusal(
        userDiag('calling-AP-title-not-recognized'),
        'calling-AP-title must be 8 octets',
      );
    }
    const authValue =
      aarq.callingAuthenticationValue && 'charstring' in aarq.callingAuthenticationValue
        ? fromHex(aarq.callingAuthenticationValue.charstring)
        : undefined;
    if (auth.mechanism === 'lls') {
      try {
        verifyLlsPassword(secretOf(assoc), authValue!);
      } catch {
        return new AarqRefusal(userDiag('authentication-failure'), 'wrong LLS password');
      }
    } else if (assoc.hls && (authValue!.length < 8 || authValue!.length > 64)) {
      return new AarqRefusal(userDiag('authentication-failure'), 'CtoS must be 8..64 octets');
    }
    // xDLMS InitiateRequest.
    const ui = aarq.userInformation;
    if (ui === undefined) {
      return initiateError('other', 'no user-information (xDLMS InitiateRequest)');
    }
    let request: InitiateRequest;
    let dk: Uint8Array | undefined;
    if (assoc.security === undefined) {
      if (ui.type !== 'initiate-request') {
        return initiateError('other', `expected a plain InitiateRequest, got ${ui.type}`);
      }
      request = ui;
    } else {
      if (ui.type !== 'opaque') {
        return initiateError('other', 'a ciphered association needs a ciphered InitiateRequest');
      }
      const raw = fromHex(ui.hex);
      if (raw[0] !== 0x21 && raw[0] !== GENERAL_GLO_CIPHERING) {
        return initiateError('other', 'a ciphered association needs glo-initiateRequest');
      }
      try {
        const r = unprotectApdu(
          raw,
          { ek: assoc.keys!.ek, ak: assoc.keys!.ak, bek: assoc.keys!.bek },
          { systemTitle: clientTitle, acceptPolicies: [assoc.security] },
        );
        await this.#core.counters.accept(r.systemTitle, assoc.keyId, r.invocationCounter);
        const inner = decodeXdlmsApdu(r.plain);
        if (inner.type !== 'initiate-request') throw new DlmsError('MALFORMED', 'not an InitiateRequest');
        request = inner;
        if (inner.dedicatedKey !== undefined) {
          dk = fromHex(inner.dedicatedKey);
          if (dk.length !== 16) throw new DlmsError('MALFORMED', 'dedicated key must be 16 octets');
        }
      } catch (e) {
        if (!isDlmsError(e)) throw e;
        return initiateError(
          'deciphering-error',
          `glo-initiateRequest: ${e.message}`,
          'application-reference',
        );
      }
    }
    if (request.proposedDlmsVersionNumber < 6) {
      return initiateError('dlms-version-too-low', `DLMS version ${request.proposedDlmsVersionNumber}`);
    }
    const clientMax = request.clientMaxReceivePduSize === 0 ? 0xffff : request.clientMaxReceivePduSize;
    if (clientMax < assoc.minClientPduSize) {
      return initiateError('pdu-size-too-short', `client-max-receive-pdu-size ${clientMax}`);
    }
    const negotiated = intersectConformance(assoc.conformance, request.proposedConformance);
    if (negotiated.length === 0) return initiateError('incompatible-conformance', 'no common conformance');

    // Accepted.
    this.#assoc = assoc;
    this.#clientTitle = clientTitle;
    this.#dk = dk;
    this.#negotiated = new Set(negotiated);
    this.#clientMax = clientMax;
    const initiateResponse = encodeXdlmsApdu({
      type: 'initiate-response',
      negotiatedDlmsVersionNumber: 6,
      negotiatedConformance: negotiated,
      serverMaxReceivePduSize: assoc.maxReceivePduSize,
      vaaName: 0x0007,
    });
    const aare: Aare = {
      type: 'aare',
      applicationContextName: assoc.contextName,
      result: 'accepted',
      resultSourceDiagnostic: userDiag(assoc.hls ? 'authentication-required' : 'null'),
    };
    if (assoc.security !== undefined || assoc.needsClientTitle) {
      aare.respondingApTitle = toHex(this.#core.systemTitle!);
    }
    if (assoc.hls) {
      this.#ctos = authValue!.slice();
      this.#stoc = generateChallenge(this.#core.challengeLength, this.#core.random);
      aare.responderAcseRequirements = { authentication: true };
      aare.mechanismName = expectedMech;
      aare.respondingAuthenticationValue = { charstring: toHex(this.#stoc) };
    }
    if (assoc.security !== undefined) {
      const ciphered = await this.#protect(initiateResponse, { kind: 'glo' });
      aare.userInformation = { type: 'opaque', hex: toHex(ciphered) };
    } else {
      aare.userInformation = decodeXdlmsApdu(initiateResponse) as Aare['userInformation'] & object;
    }
    this.#state = assoc.hls ? 'pending-hls' : 'associated';
    if (!assoc.hls) {
      this.#core.emit({ type: 'associated', session: this.info(), mechanism: auth.mechanism });
    }
    return encodeAare(aare);
  }

  #rlrq(bytes: Uint8Array): Uint8Array {
    decodeRlrq(bytes);
    this.#core.emit({ type: 'request', session: this.info(), apdu: 'rlrq', ciphered: false });
    const was = this.#state;
    const info = this.info();
    this.#free();
    this.#state = 'idle';
    if (was === 'associated' || was === 'pending-hls') {
      this.#core.emit({ type: 'released', session: { ...info, state: 'idle' }, reason: 'rlrq' });
    }
    return encodeRlre({ type: 'rlre', reason: 'normal' });
  }

  // -------------------------------------------------------------------------------------------------------
  // Services

  #has(bit: ConformanceBit): boolean {
    return this.#negotiated.has(bit);
  }

  #ctx(authenticated: boolean): CosemContext {
    const assoc = this.#assoc!;
    return {
      now: this.#core.now,
      clientSap: this.clientSap,
      clientSystemTitle: this.#clientTitle,
      authenticated: authenticated || this.#hlsDone,
      access: assoc.policy,
      objects: this.#core.objects,
    };
  }

  /** The object a descriptor names in this association (0.0.40.0.0.255 is the current association). */
  #target(
    service: 'get' | 'set' | 'action',
    classId: number,
    ln: CosemAttributeDescriptor['instanceId'],
  ): CosemObject {
    const assoc = this.#assoc!;
    if (classId === 15 && obisEquals(ln, CURRENT_ASSOCIATION_LN)) return assoc.object;
    const o = this.#core.objects.resolve(service, classId, ln);
    if (!assoc.visible(o)) {
      throw this.#core.refusal(service, 'object-undefined', `${ln} is not in this association's object list`);
    }
    return o;
  }

  #get(
    d: CosemAttributeDescriptor,
    sel: SelectiveAccessDescriptor | undefined,
    auth: boolean,
  ): GetDataResult {
    try {
      if (this.#state === 'pending-hls') {
        throw this.#core.refusal('get', 'read-write-denied', 'HLS authentication is not complete');
      }
      const o = this.#target('get', d.classId, d.instanceId);
      const ctx = this.#ctx(auth);
      if (o.spec.attributeById[d.attributeId] === undefined) {
        throw this.#core.refusal('get', 'object-undefined', `no attribute ${d.attributeId}`);
      }
      if (
        !attributeAllows(ctx.access!.attributeAccess(o, d.attributeId), 'get', ctx.authenticated === true)
      ) {
        throw this.#core.refusal(
          'get',
          'read-write-denied',
          `attribute ${d.attributeId} is not readable here`,
        );
      }
      if (sel !== undefined && !this.#has('selective-access')) {
        throw this.#core.refusal('get', 'scope-of-access-violated', 'selective-access not negotiated');
      }
      const s: SelectiveAccess | undefined = sel && {
        selector: sel.accessSelector,
        parameters: sel.accessParameters,
      };
      // association_status (attribute 8) of this session's own association is this session's state: the
      // Association LN object is shared by every session of the association, its stored status is not.
      if (o === this.#assoc!.object && d.attributeId === 8 && s === undefined) {
        return { data: { type: 'enum', value: this.#state === 'associated' ? 2 : 1 } };
      }
      return { data: o.get(d.attributeId, ctx, s) };
    } catch (e) {
      return { dataAccessResult: this.#result('get', e) as DataAccessResult };
    }
  }

  #set(
    d: CosemAttributeDescriptor,
    sel: SelectiveAccessDescriptor | undefined,
    value: Data,
    auth: boolean,
  ): DataAccessResult {
    try {
      if (this.#state === 'pending-hls') {
        throw this.#core.refusal('set', 'read-write-denied', 'HLS authentication is not complete');
      }
      const o = this.#target('set', d.classId, d.instanceId);
      const ctx = this.#ctx(auth);
      if (o.spec.attributeById[d.attributeId] === undefined) {
        throw this.#core.refusal('set', 'object-undefined', `no attribute ${d.attributeId}`);
      }
      if (
        !attributeAllows(ctx.access!.attributeAccess(o, d.attributeId), 'set', ctx.authenticated === true)
      ) {
        throw this.#core.refusal(
          'set',
          'read-write-denied',
          `attribute ${d.attributeId} is not writable here`,
        );
      }
      const s: SelectiveAccess | undefined = sel && {
        selector: sel.accessSelector,
        parameters: sel.accessParameters,
      };
      o.set(d.attributeId, value, ctx, s);
      return 'success';
    } catch (e) {
      return this.#result('set', e) as DataAccessResult;
    }
  }

  async #action(
    m: CosemMethodDescriptor,
    params: Data | undefined,
    auth: boolean,
  ): Promise<ActionResponseWithOptionalData> {
    try {
      const assoc = this.#assoc!;
      const isOwnAssociation =
        m.classId === 15 &&
        (obisEquals(m.instanceId, CURRENT_ASSOCIATION_LN) || obisEquals(m.instanceId, assoc.logicalName));
      if (isOwnAssociation && m.methodId === 1 && assoc.hls) {
        return await this.#replyToHls(params);
      }
      if (this.#state === 'pending-hls') {
        throw this.#core.refusal('action', 'read-write-denied', 'HLS authentication is not complete');
      }
      const o = this.#target('action', m.classId, m.instanceId);
      const ctx = this.#ctx(auth);
      if (o.spec.methodById[m.methodId] === undefined) {
        throw this.#core.refusal('action', 'object-undefined', `no method ${m.methodId}`);
      }
      if (!methodAllows(ctx.access!.methodAccess(o, m.methodId), ctx.authenticated === true)) {
        throw this.#core.refusal('action', 'read-write-denied', `method ${m.methodId} is not allowed here`);
      }
      const ret = o.action(m.methodId, params, ctx);
      return ret === undefined
        ? { result: 'success' }
        : { result: 'success', returnParameters: { data: ret } };
    } catch (e) {
      return { result: this.#result('action', e) as ActionResult };
    }
  }

  /** Pass 3/4 of HLS: verify f(StoC), answer f(CtoS). */
  async #replyToHls(params: Data | undefined): Promise<ActionResponseWithOptionalData> {
    const assoc = this.#assoc!;
    if (this.#state !== 'pending-hls' || this.#stoc === undefined || this.#ctos === undefined) {
      throw this.#core.refusal('action', 'other-reason', 'no HLS authentication pending');
    }
    if (params?.type !== 'octet-string') {
      throw this.#core.refusal(
        'action',
        'type-unmatched',
        'reply_to_HLS_authentication takes an octet-string',
      );
    }
    const f = params.value;
    const auth = assoc.config.authentication;
    const secret = secretOf(assoc);
    const st = this.#core.systemTitle;
    let reply: Uint8Array;
    try {
      switch (auth.mechanism) {
        case 'hls-gmac': {
          // The counter inside f(StoC) is not run through the replay store: StoC is fresh for this
          // association, so an old f(StoC) cannot verify, and clients commonly cipher the ACTION that
          // carries f(StoC) with a later counter than the one inside it.
          verifyHlsGmac({
            challenge: this.#stoc,
            systemTitle: this.#clientTitle!,
            ek: assoc.keys!.ek,
            ak: assoc.keys!.ak,
            response: f,
          });
          reply = hlsGmacResponse({
            challenge: this.#ctos,
            systemTitle: st!,
            invocationCounter: await this.#core.counters.next(st!, assoc.keyId),
            ek: assoc.keys!.ek,
            ak: assoc.keys!.ak,
          });
          break;
        }
        case 'hls':
          verifyHlsResponse(hls2Response(this.#stoc, secret, auth.processor), f);
          reply = hls2Response(this.#ctos, secret, auth.processor);
          break;
        case 'hls-md5':
          verifyHlsResponse(hlsMd5Response(this.#stoc, secret), f);
          reply = hlsMd5Response(this.#ctos, secret);
          break;
        case 'hls-sha1':
          verifyHlsResponse(hlsSha1Response(this.#stoc, secret), f);
          reply = hlsSha1Response(this.#ctos, secret);
          break;
        case 'hls-sha256':
          verifyHlsResponse(
            hlsSha256Response({
              secret: secret,
              ownSystemTitle: this.#clientTitle!,
              peerSystemTitle: st!,
              challenge: this.#stoc,
              ownChallenge: this.#ctos,
            }),
            f,
          );
          reply = hlsSha256Response({
            secret: secret,
            ownSystemTitle: st!,
            peerSystemTitle: this.#clientTitle!,
            challenge: this.#ctos,
            ownChallenge: this.#stoc,
          });
          break;
        default:
          throw this.#core.refusal('action', 'other-reason', 'not an HLS association');
      }
    } catch (e) {
      if (isCosemServiceError(e)) throw e;
      throw this.#core.refusal(
        'action',
        'other-reason',
        `reply_to_HLS_authentication: ${(e as Error).message}`,
        e,
      );
    }
    this.#state = 'associated';
    this.#hlsDone = true;
    this.#ctos = undefined;
    this.#stoc = undefined;
    this.#core.emit({ type: 'associated', session: this.info(), mechanism: auth.mechanism });
    return { result: 'success', returnParameters: { data: { type: 'octet-string', value: reply } } };
  }

  /** The result an exception stands for; reports refusals and object bugs. */
  #result(service: 'get' | 'set' | 'action', e: unknown): DataAccessResult | ActionResult {
    if (isCosemServiceError(e)) {
      this.#refused('request', e.message, e);
      return e.result;
    }
    const err = isDlmsError(e)
      ? e
      : new DlmsError('PROTOCOL_ERROR', `${service}: object failed: ${String(e)}`, { cause: e });
    this.#refused('request', err.message, err);
    return 'other-reason';
  }

  #refused(what: 'aarq' | 'request' | 'apdu', reason: string, error?: DlmsError): void {
    const ev = { type: 'refused' as const, session: this.info(), what, reason };
    this.#core.emit(error ? { ...ev, error } : ev);
  }

  #notSupported(what: string): { bytes: Uint8Array; exception: true }[] {
    this.#refused('request', `${what} not negotiated`);
    return [{ bytes: exception('service-not-allowed', 'service-not-supported'), exception: true }];
  }

  async #dispatch(
    x: GetRequest | SetRequest | ActionRequest | AccessRequest,
    auth: boolean,
    protection: Protection | undefined,
  ): Promise<{ bytes: Uint8Array; exception?: boolean }[]> {
    const one = (a: XdlmsApdu) => [{ bytes: encodeXdlmsApdu(a) }];
    const overhead = protection ? CIPHER_OVERHEAD : 0;
    switch (x.type) {
      case 'get-request-normal': {
        if (!this.#has('get')) return this.#notSupported('get');
        this.#longGet = undefined;
        const result = this.#get(x.attribute, x.accessSelection, auth);
        return this.#getResponse(x.invokeIdAndPriority, result, overhead);
      }
      case 'get-request-with-list': {
        if (!this.#has('get')) return this.#notSupported('get');
        if (!this.#has('multiple-references')) return this.#notSupported('multiple-references');
        this.#longGet = undefined;
        const results = x.attributes.map((a) => this.#get(a.attribute, a.accessSelection, auth));
        const resp: GetResponse = {
          type: 'get-response-with-list',
          invokeIdAndPriority: x.invokeIdAndPriority,
          results,
        };
        const bytes = encodeXdlmsApdu(resp);
        if (bytes.length + overhead <= this.#clientMax || this.#has('general-block-transfer'))
          return [{ bytes }];
        if (!this.#has('block-transfer-with-get-or-read')) {
          return one({ ...resp, results: results.map(() => ({ dataAccessResult: 'other-reason' })) });
        }
        // raw-data of with-list blocks: the SEQUENCE OF Get-Data-Result (count, then each result).
        const w = new Writer(bytes.length);
        w.length(results.length);
        for (const r of results) writeGetDataResult(w, r);
        return this.#startLongGet(x.invokeIdAndPriority, w.finish(), overhead);
      }
      case 'get-request-next': {
        if (!this.#has('block-transfer-with-get-or-read'))
          return this.#notSupported('block-transfer-with-get');
        const lg = this.#longGet;
        const abort = (r: DataAccessResult) =>
          one({
            type: 'get-response-with-datablock',
            invokeIdAndPriority: x.invokeIdAndPriority,
            lastBlock: true,
            blockNumber: x.blockNumber,
            result: { dataAccessResult: r },
          });
        if (lg === undefined) return abort('no-long-get-in-progress');
        if (x.blockNumber !== lg.sent) {
          this.#longGet = undefined;
          return abort('data-block-number-invalid');
        }
        return this.#sendBlock(lg);
      }
      case 'set-request-normal': {
        if (!this.#has('set')) return this.#notSupported('set');
        const result = this.#set(x.attribute, x.accessSelection, x.value, auth);
        return one({ type: 'set-response-normal', invokeIdAndPriority: x.invokeIdAndPriority, result });
      }
      case 'set-request-with-list': {
        if (!this.#has('set')) return this.#notSupported('set');
        if (!this.#has('multiple-references')) return this.#notSupported('multiple-references');
        if (x.values.length !== x.attributes.length) {
          return one({
            type: 'set-response-with-list',
            invokeIdAndPriority: x.invokeIdAndPriority,
            results: x.attributes.map(() => 'type-unmatched' as const),
          });
        }
        const results = x.attributes.map((a, i) =>
          this.#set(a.attribute, a.accessSelection, x.values[i]!, auth),
        );
        return one({ type: 'set-response-with-list', invokeIdAndPriority: x.invokeIdAndPriority, results });
      }
      case 'set-request-with-first-datablock':
      case 'set-request-with-list-and-first-datablock': {
        if (!this.#has('set')) return this.#notSupported('set');
        if (!this.#has('block-transfer-with-set-or-write'))
          return this.#notSupported('block-transfer-with-set');
        const list = x.type === 'set-request-with-list-and-first-datablock';
        if (list && !this.#has('multiple-references')) return this.#notSupported('multiple-references');
        const targets =
          x.type === 'set-request-with-first-datablock'
            ? [
                x.accessSelection
                  ? { attribute: x.attribute, accessSelection: x.accessSelection }
                  : { attribute: x.attribute },
              ]
            : x.attributes;
        this.#longSet = { invoke: x.invokeIdAndPriority, targets, list, chunks: [], size: 0, expected: 1 };
        return this.#setBlock(x.invokeIdAndPriority, x.datablock, auth);
      }
      case 'set-request-with-datablock': {
        if (!this.#has('block-transfer-with-set-or-write'))
          return this.#notSupported('block-transfer-with-set');
        if (this.#longSet === undefined) {
          return one({
            type: 'set-response-last-datablock',
            invokeIdAndPriority: x.invokeIdAndPriority,
            result: 'no-long-set-in-progress',
            blockNumber: x.datablock.blockNumber,
          });
        }
        return this.#setBlock(x.invokeIdAndPriority, x.datablock, auth);
      }
      case 'action-request-normal': {
        if (!this.#has('action')) return this.#notSupported('action');
        this.#longActionOut = undefined;
        const response = await this.#action(x.method, x.parameters, auth);
        return this.#actionResponse(x.invokeIdAndPriority, response, overhead);
      }
      case 'action-request-with-list': {
        if (!this.#has('action')) return this.#notSupported('action');
        if (!this.#has('multiple-references')) return this.#notSupported('multiple-references');
        const responses: ActionResponseWithOptionalData[] = [];
        for (let i = 0; i < x.methods.length; i++) {
          responses.push(
            i < x.parameters.length
              ? await this.#action(x.methods[i]!, x.parameters[i], auth)
              : { result: 'type-unmatched' },
          );
        }
        return one({
          type: 'action-response-with-list',
          invokeIdAndPriority: x.invokeIdAndPriority,
          responses,
        });
      }
      case 'action-request-with-first-pblock':
      case 'action-request-with-list-and-first-pblock': {
        if (!this.#has('action')) return this.#notSupported('action');
        if (!this.#has('block-transfer-with-action')) return this.#notSupported('block-transfer-with-action');
        const list = x.type === 'action-request-with-list-and-first-pblock';
        if (list && !this.#has('multiple-references')) return this.#notSupported('multiple-references');
        const methods = x.type === 'action-request-with-first-pblock' ? [x.method] : x.methods;
        this.#longAction = { invoke: x.invokeIdAndPriority, methods, list, chunks: [], size: 0, expected: 1 };
        return this.#actionBlock(x.invokeIdAndPriority, x.pblock, auth, overhead);
      }
      case 'action-request-with-pblock': {
        if (!this.#has('block-transfer-with-action')) return this.#notSupported('block-transfer-with-action');
        if (this.#longAction === undefined) {
          return one({
            type: 'action-response-normal',
            invokeIdAndPriority: x.invokeIdAndPriority,
            response: { result: 'no-long-action-in-progress' },
          });
        }
        return this.#actionBlock(x.invokeIdAndPriority, x.pblock, auth, overhead);
      }
      case 'action-request-next-pblock': {
        if (!this.#has('block-transfer-with-action')) return this.#notSupported('block-transfer-with-action');
        const la = this.#longActionOut;
        const abort = (result: ActionResult) =>
          one({
            type: 'action-response-normal',
            invokeIdAndPriority: x.invokeIdAndPriority,
            response: { result },
          });
        if (la === undefined) return abort('no-long-action-in-progress');
        if (x.blockNumber !== la.sent) {
          this.#longActionOut = undefined;
          return abort('long-action-aborted');
        }
        return this.#sendActionBlock(la);
      }
      case 'access-request': {
        if (!this.#has('access')) return this.#notSupported('access');
        return this.#access(x, auth, overhead);
      }
    }
  }

  /**
   * ACCESS (access-request `D9`): each specification runs through the same `#get` / `#set` / `#action`
   * as the GET, SET and ACTION services, so with the same access rights, object visibility and HLS state,
   * in order. The answer has one Data and one result per specification: the value read (null-data when the
   * GET failed), null-data for a SET, the return parameters of an ACTION (null-data when none). A null-data
   * item for an ACTION means "no parameters".
   *
   * With break-on-error, the specifications after the first failure are not executed and answer
   * `other-reason` (our choice: the wording of the standard on their results was not at hand). A
   * self-descriptive request gets its specifications echoed. An unconfirmed request is executed and not
   * answered. When the answer does not fit the client's PDU and general-block-transfer is not negotiated
   * (ACCESS has no block transfer of its own), the values read are dropped (null-data, `other-reason`)
   * and ACTION return parameters too (their result stays: the method ran).
   */
  async #access(x: AccessRequest, auth: boolean, overhead: number): Promise<{ bytes: Uint8Array }[]> {
    const NULL_DATA: Data = { type: 'null-data' };
    const lip = x.longInvokeIdAndPriority;
    const breakOnError = lip.processingOption === 'break-on-error';
    const data: Data[] = [];
    const results: AccessResponseSpecification[] = [];
    let broken = false;
    for (let i = 0; i < x.accessRequestSpecification.length; i++) {
      const s = x.accessRequestSpecification[i]!;
      const value = x.accessRequestListOfData[i]!;
      let item: AccessResponseSpecification;
      let out: Data = NULL_DATA;
      switch (s.type) {
        case 'access-request-get':
        case 'access-request-get-with-selection': {
          if (broken) {
            item = { type: 'access-response-get', result: 'other-reason' };
            break;
          }
          const sel = s.type === 'access-request-get-with-selection' ? s.accessSelection : undefined;
          const r = this.#get(s.attribute, sel, auth);
          if ('data' in r) {
            out = r.data;
            item = { type: 'access-response-get', result: 'success' };
          } else item = { type: 'access-response-get', result: r.dataAccessResult };
          break;
        }
        case 'access-request-set':
        case 'access-request-set-with-selection': {
          if (broken) {
            item = { type: 'access-response-set', result: 'other-reason' };
            break;
          }
          const sel = s.type === 'access-request-set-with-selection' ? s.accessSelection : undefined;
          item = { type: 'access-response-set', result: this.#set(s.attribute, sel, value, auth) };
          break;
        }
        case 'access-request-action': {
          if (broken) {
            item = { type: 'access-response-action', result: 'other-reason' };
            break;
          }
          const r = await this.#action(s.method, value.type === 'null-data' ? undefined : value, auth);
          if (r.returnParameters !== undefined && 'data' in r.returnParameters) out = r.returnParameters.data;
          item = { type: 'access-response-action', result: r.result };
          break;
        }
      }
      data.push(out);
      results.push(item);
      if (breakOnError && item.result !== 'success') broken = true;
    }
    if (lip.serviceClass === 'unconfirmed') return [];
    const resp: AccessResponse = {
      type: 'access-response',
      longInvokeIdAndPriority: lip,
      accessResponseListOfData: data,
      accessResponseSpecification: results,
    };
    if (lip.selfDescriptive === 'self-descriptive') {
      resp.accessRequestSpecification = x.accessRequestSpecification;
    }
    const bytes = encodeXdlmsApdu(resp);
    if (bytes.length + overhead <= this.#clientMax || this.#has('general-block-transfer')) return [{ bytes }];
    return [
      {
        bytes: encodeXdlmsApdu({
          ...resp,
          accessResponseListOfData: data.map(() => NULL_DATA),
          accessResponseSpecification: results.map((r) =>
            r.type === 'access-response-get' && r.result === 'success' ? { ...r, result: 'other-reason' } : r,
          ),
        }),
      },
    ];
  }

  /**
   * An action-response-normal, or when it does not fit the client's PDU (and GBT is not negotiated) its
   * Action-Response-With-Optional-Data in action-response-with-pblock blocks.
   */
  #actionResponse(
    invoke: InvokeIdAndPriority,
    response: ActionResponseWithOptionalData,
    overhead: number,
  ): { bytes: Uint8Array }[] {
    const bytes = encodeXdlmsApdu({ type: 'action-response-normal', invokeIdAndPriority: invoke, response });
    if (
      bytes.length + overhead <= this.#clientMax ||
      this.#has('general-block-transfer') ||
      !this.#has('block-transfer-with-action')
    ) {
      return [{ bytes }];
    }
    // Tag, choice and invoke-id (3 octets) precede Action-Response-With-Optional-Data.
    const blocks = splitIntoBlocks(bytes.subarray(3), this.#clientMax, SA_DATABLOCK_HEADER_SIZE + overhead);
    const la: LongGet = { invoke, blocks, sent: 0 };
    this.#longActionOut = la;
    return this.#sendActionBlock(la);
  }

  #sendActionBlock(la: LongGet): { bytes: Uint8Array }[] {
    const n = la.sent + 1;
    const last = n === la.blocks.length;
    la.sent = n;
    if (last) this.#longActionOut = undefined;
    return [
      {
        bytes: encodeXdlmsApdu({
          type: 'action-response-with-pblock',
          invokeIdAndPriority: la.invoke,
          pblock: { lastBlock: last, blockNumber: n, rawData: la.blocks[n - 1]! },
        }),
      },
    ];
  }

  #getResponse(
    invoke: InvokeIdAndPriority,
    result: GetDataResult,
    overhead: number,
  ): { bytes: Uint8Array }[] {
    if ('dataAccessResult' in result) {
      return [
        { bytes: encodeXdlmsApdu({ type: 'get-response-normal', invokeIdAndPriority: invoke, result }) },
      ];
    }
    const w = new Writer(256);
    w.u8(0xc4).u8(1);
    w.u8(
      (invoke.priority === 'high' ? 0x80 : 0) |
        (invoke.serviceClass === 'confirmed' ? 0x40 : 0) |
        ((invoke.reserved ?? 0) << 4) |
        invoke.invokeId,
    );
    writeGetDataResult(w, result);
    const bytes = w.finish();
    if (bytes.length + overhead <= this.#clientMax || this.#has('general-block-transfer')) return [{ bytes }];
    if (!this.#has('block-transfer-with-get-or-read')) {
      this.#refused(
        'request',
        `response of ${bytes.length} octets does not fit and block transfer is not negotiated`,
      );
      return [
        {
          bytes: encodeXdlmsApdu({
            type: 'get-response-normal',
            invokeIdAndPriority: invoke,
            result: { dataAccessResult: 'other-reason' },
          }),
        },
      ];
    }
    return this.#startLongGet(invoke, bytes.subarray(GET_NORMAL_HEADER), overhead);
  }

  #startLongGet(invoke: InvokeIdAndPriority, raw: Uint8Array, overhead: number): { bytes: Uint8Array }[] {
    const blocks = getResponseBlocks({
      invokeIdAndPriority: invoke,
      data: raw,
      maxPduSize: this.#clientMax,
      extraOverhead: overhead,
      forceBlocks: true,
    }).map((b) => (b as { result: { rawData: Uint8Array } }).result.rawData);
    const lg: LongGet = { invoke, blocks, sent: 0 };
    this.#longGet = lg;
    return this.#sendBlock(lg);
  }

  #sendBlock(lg: LongGet): { bytes: Uint8Array }[] {
    const n = lg.sent + 1;
    const last = n === lg.blocks.length;
    lg.sent = n;
    if (last) this.#longGet = undefined;
    return [
      {
        bytes: encodeXdlmsApdu({
          type: 'get-response-with-datablock',
          invokeIdAndPriority: lg.invoke,
          lastBlock: last,
          blockNumber: n,
          result: { rawData: lg.blocks[n - 1]! },
        }),
      },
    ];
  }

  #setBlock(
    invoke: InvokeIdAndPriority,
    block: { lastBlock: boolean; blockNumber: number; rawData: Uint8Array },
    auth: boolean,
  ): { bytes: Uint8Array }[] {
    const ls = this.#longSet!;
    const fail = (r: DataAccessResult): { bytes: Uint8Array }[] => {
      this.#longSet = undefined;
      const resp: SetResponse = ls.list
        ? {
            type: 'set-response-last-datablock-with-list',
            invokeIdAndPriority: invoke,
            results: ls.targets.map(() => r),
            blockNumber: block.blockNumber,
          }
        : {
            type: 'set-response-last-datablock',
            invokeIdAndPriority: invoke,
            result: r,
            blockNumber: block.blockNumber,
          };
      return [{ bytes: encodeXdlmsApdu(resp) }];
    };
    if (block.blockNumber !== ls.expected) return fail('data-block-number-invalid');
    if (ls.size + block.rawData.length > this.#core.maxReassembledSize) return fail('other-reason');
    ls.chunks.push(block.rawData.slice());
    ls.size += block.rawData.length;
    ls.expected++;
    if (!block.lastBlock) {
      return [
        {
          bytes: encodeXdlmsApdu({
            type: 'set-response-datablock',
            invokeIdAndPriority: invoke,
            blockNumber: block.blockNumber,
          }),
        },
      ];
    }
    this.#longSet = undefined;
    const raw = concat(ls.chunks, ls.size);
    let values: Data[];
    try {
      values = ls.list ? readDataList(raw) : [decodeData(raw)];
    } catch (e) {
      this.#refused('request', 'reassembled SET data does not decode', isDlmsError(e) ? e : undefined);
      return fail('type-unmatched');
    }
    if (values.length !== ls.targets.length) return fail('type-unmatched');
    const results = ls.targets.map((t, i) => this.#set(t.attribute, t.accessSelection, values[i]!, auth));
    const resp: SetResponse = ls.list
      ? {
          type: 'set-response-last-datablock-with-list',
          invokeIdAndPriority: invoke,
          results,
          blockNumber: block.blockNumber,
        }
      : {
          type: 'set-response-last-datablock',
          invokeIdAndPriority: invoke,
          result: results[0]!,
          blockNumber: block.blockNumber,
        };
    return [{ bytes: encodeXdlmsApdu(resp) }];
  }

  async #actionBlock(
    invoke: InvokeIdAndPriority,
    block: { lastBlock: boolean; blockNumber: number; rawData: Uint8Array },
    auth: boolean,
    overhead: number,
  ): Promise<{ bytes: Uint8Array }[]> {
    const la = this.#longAction!;
    const fail = (r: ActionResult): { bytes: Uint8Array }[] => {
      this.#longAction = undefined;
      return [
        {
          bytes: encodeXdlmsApdu(
            la.list
              ? {
                  type: 'action-response-with-list',
                  invokeIdAndPriority: invoke,
                  responses: la.methods.map(() => ({ result: r })),
                }
              : { type: 'action-response-normal', invokeIdAndPriority: invoke, response: { result: r } },
          ),
        },
      ];
    };
    if (block.blockNumber !== la.expected) return fail('data-block-unavailable');
    if (la.size + block.rawData.length > this.#core.maxReassembledSize) return fail('other-reason');
    la.chunks.push(block.rawData.slice());
    la.size += block.rawData.length;
    la.expected++;
    if (!block.lastBlock) {
      return [
        {
          bytes: encodeXdlmsApdu({
            type: 'action-response-next-pblock',
            invokeIdAndPriority: invoke,
            blockNumber: block.blockNumber,
          }),
        },
      ];
    }
    this.#longAction = undefined;
    const raw = concat(la.chunks, la.size);
    let params: Data[];
    try {
      params = la.list ? readDataList(raw) : [decodeData(raw)];
    } catch (e) {
      this.#refused('request', 'reassembled ACTION parameters do not decode', isDlmsError(e) ? e : undefined);
      return fail('type-unmatched');
    }
    if (params.length !== la.methods.length) return fail('type-unmatched');
    const responses: ActionResponseWithOptionalData[] = [];
    for (let i = 0; i < la.methods.length; i++)
      responses.push(await this.#action(la.methods[i]!, params[i], auth));
    if (!la.list) return this.#actionResponse(invoke, responses[0]!, overhead);
    return [
      {
        bytes: encodeXdlmsApdu({ type: 'action-response-with-list', invokeIdAndPriority: invoke, responses }),
      },
    ];
  }
}

/**
 * The LLS password / HLS secret in force: the Association LN object's `secret` (attribute 7, which a client
 * with the right may SET, and change_HLS_secret changes), else the configured one.
 */
function secretOf(assoc: ResolvedAssociation): Uint8Array {
  const o = assoc.object;
  if (o instanceof AssociationLnObject && o.values.secret.length > 0) return o.values.secret;
  const auth = assoc.config.authentication;
  if (auth.mechanism === 'lls') return auth.password;
  return 'secret' in auth ? auth.secret : new Uint8Array(0);
}

/** A SEQUENCE OF Data as carried by with-list datablocks: the count (A-XDR length), then each Data. */
function readDataList(raw: Uint8Array): Data[] {
  const r = new Reader(raw);
  const n = r.length('list count');
  if (n > r.remaining)
    throw new DlmsError('MALFORMED', `list of ${n} values in ${r.remaining} octets`, { offset: 0 });
  const out: Data[] = [];
  for (let i = 0; i < n; i++) out.push(readData(r));
  r.expectEnd('list');
  return out;
}
