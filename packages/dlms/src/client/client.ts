/**
 * `DlmsClient`: a DLMS/COSEM client application process (LN referencing) on any {@link ApduLink}.
 *
 * Association (IEC 62056-5-3 / Green Book, "Application association establishment"):
 *
 * ```text
 * client                                                   server
 *   AARQ  application-context ln | ln-ciphered,
 *         calling-AP-title (ciphered, HLS-GMAC/SHA-256),
 *         mechanism 0..6, calling-authentication-value
 *         (LLS password | HLS CtoS),
 *         user-information InitiateRequest
 *         (glo-initiateRequest [33] when ciphered)     ──▶
 *                                                       ◀── AARE result, diagnostic, responding-AP-title,
 *                                                           StoC (HLS), InitiateResponse (glo- [40])
 *   HLS pass 3: ACTION Association LN (15, 0.0.40.0.0.255)
 *         method 1 reply_to_HLS_authentication(f(StoC)) ──▶
 *                                                       ◀── action-response, return f(CtoS): verified here
 *   GET / SET / ACTION … (glo- or ded- ciphered per the context)
 *   RLRQ  (user-information: a ciphered InitiateRequest in ciphered contexts)  ──▶   ◀── RLRE
 * ```
 *
 * Block transfer is automatic: get-response-with-datablock is followed with get-request-next to the last
 * block; SET/ACTION requests larger than the server's max PDU go out as first-datablock / pblock sequences
 * (or GBT, when negotiated and the service blocks are not); general-block-transfer responses are
 * reassembled with acknowledgements per window. With-list services are used only when the negotiated
 * conformance has `multiple-references`, otherwise they fall back to one request per item.
 *
 * Every instance holds its own state (invoke-id, keys, counter store reference, link): many clients to many
 * meters may run in one process. Requests on one client are serialised.
 *
 * @module
 */
import { type Aare, decodeAare } from '../acse/aare.ts';
import { type Aarq, encodeAarq } from '../acse/aarq.ts';
import type { UserInformation } from '../acse/fields.ts';
import { decodeRlre } from '../acse/rlre.ts';
import { encodeRlrq, type Rlrq } from '../acse/rlrq.ts';
import type { AccessRequest, AccessRequestSpecification, AccessResponse } from '../apdu/access.ts';
import type { ActionRequest, ActionResponse } from '../apdu/action.ts';
import { actionRequestBlocks, GbtAssembler, gbtBlocks, setRequestBlocks } from '../apdu/block-transfer.ts';
import type { ConformanceBit } from '../apdu/conformance.ts';
import type { CosemAttributeDescriptor, CosemMethodDescriptor } from '../apdu/descriptors.ts';
import type { GetDataResult, GetRequest, GetResponse } from '../apdu/get.ts';
import { readGetDataResult } from '../apdu/get.ts';
import { decodeXdlmsApdu, encodeXdlmsApdu, type XdlmsApdu, xdlmsTagName } from '../apdu/index.ts';
import {
  decodeInitiateResponse,
  encodeInitiateRequest,
  type InitiateRequest,
  type InitiateResponse,
} from '../apdu/initiate.ts';
import {
  type InvokeIdAndPriority,
  invokeIdAndPriority,
  type LongInvokeIdAndPriority,
} from '../apdu/invoke-id.ts';
import type { SelectiveAccessDescriptor } from '../apdu/selective-access.ts';
import type { SetRequest, SetResponse } from '../apdu/set.ts';
import { readData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import { DlmsError, isDlmsError } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';
import type { ApduLink } from '../link/index.ts';
import { formatObis, type Obis, obis, parseObis } from '../obis/index.ts';
import { protectApdu, unprotectApdu } from '../security/ciphered-apdu.ts';
import type { SecurityPolicy } from '../security/control.ts';
import { type InvocationCounterStore, MemoryInvocationCounterStore } from '../security/counter.ts';
import {
  generateChallenge,
  hls2Response,
  hlsGmacResponse,
  hlsMd5Response,
  hlsSha1Response,
  hlsSha256Response,
  verifyHlsGmac,
  verifyHlsResponse,
} from '../security/hls.ts';
import {
  cipheredServiceOf,
  GENERAL_DED_CIPHERING,
  GENERAL_GLO_CIPHERING,
  serviceCipherTags,
} from '../security/tags.ts';
import {
  type AccessItem,
  type AssociateOptions,
  type AttributeRef,
  type ClientAuthentication,
  type ClientEvent,
  type ConnectOptions,
  type GetOptions,
  type ListResult,
  MECHANISM_OF,
  type MethodRef,
  type ReconnectPolicy,
} from './types.ts';

/** Conformance proposed by default. */
export const DEFAULT_CLIENT_CONFORMANCE: readonly ConformanceBit[] = Object.freeze([
  'general-protection',
  'general-block-transfer',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'block-transfer-with-action',
  'multiple-references',
  'get',
  'set',
  'selective-access',
  'action',
] as const);

/** The Association LN object of the current association (`0.0.40.0.0.255`), class 15. */
export const CURRENT_ASSOCIATION: Obis = /* @__PURE__ */ obis(0, 0, 40, 0, 0, 255);

const GBT_TAG = 0xe0;
const MAX_STALE_RESPONSES = 16;

/** The result name a `SERVICE_ERROR` carries (a Data-Access-Result, Action-Result or service error). */
export interface ServiceErrorDetail {
  kind: 'data-access-result' | 'action-result' | 'confirmed-service-error' | 'exception-response';
  result: string | number;
}

/** A `SERVICE_ERROR` whose `cause` is the {@link ServiceErrorDetail}. */
export function serviceError(what: string, detail: ServiceErrorDetail): DlmsError {
  return new DlmsError('SERVICE_ERROR', `${what}: ${String(detail.result)}`, { cause: detail });
}

/** The result name carried by a `SERVICE_ERROR` from this client (e.g. `object-undefined`), if any. */
export function serviceErrorDetail(e: unknown): ServiceErrorDetail | undefined {
  if (!isDlmsError(e, 'SERVICE_ERROR')) return undefined;
  const c = e.cause as ServiceErrorDetail | undefined;
  return c && typeof c === 'object' && 'kind' in c && 'result' in c ? c : undefined;
}

function toObis(o: Obis | string): Obis {
  return parseObis(o);
}

function attributeOf(ref: AttributeRef): CosemAttributeDescriptor {
  if (ref === null || typeof ref !== 'object')
    throw new DlmsError('INVALID_ARGUMENT', 'expected {classId, obis, attribute}');
  return { classId: ref.classId, instanceId: toObis(ref.obis), attributeId: ref.attribute };
}

function methodOf(ref: MethodRef): CosemMethodDescriptor {
  if (ref === null || typeof ref !== 'object')
    throw new DlmsError('INVALID_ARGUMENT', 'expected {classId, obis, method}');
  return { classId: ref.classId, instanceId: toObis(ref.obis), methodId: ref.method };
}

function describeRef(classId: number, o: Obis, index: number): string {
  return `${classId}/${formatObis(o)}/${index}`;
}

function bytesOf(x: Uint8Array | string | undefined, what: string): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return new TextEncoder().encode(x);
  throw new DlmsError('INVALID_ARGUMENT', `${what} is required for this authentication`);
}

function keyIdFor(kind: 'glo' | 'ded', dk: Uint8Array | undefined): string {
  // Dedicated keys are fresh per association: counters under one must not clash with the next one's.
  return kind === 'glo' ? 'global-unicast' : `dedicated:${toHex(dk ?? new Uint8Array(0))}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Session {
  link: ApduLink;
  conformance: readonly ConformanceBit[];
  serverMaxPdu: number;
  ciphered: boolean;
  serverSystemTitle: Uint8Array | undefined;
  useDed: boolean;
  /** The window the server advertised in its last GBT block (1 until it has sent one). */
  peerGbtWindow: number;
}

/**
 * A DLMS/COSEM client on one link (LN referencing). Create it with {@link DlmsClient.associate} (an open
 * link) or {@link DlmsClient.connect} (a link factory, with an optional reconnect policy).
 */
export class DlmsClient {
  readonly #options: AssociateOptions;
  readonly #open: (() => Promise<ApduLink>) | undefined;
  readonly #reconnect: Required<ReconnectPolicy> | undefined;
  readonly #counters: InvocationCounterStore | undefined;
  #session: Session | undefined;
  #invokeId: number;
  /** Long-Invoke-Id of the next ACCESS request (24 bits). */
  #longInvokeId = 1;
  #queue: Promise<unknown> = Promise.resolve();
  #released = false;

  private constructor(
    options: AssociateOptions,
    open?: () => Promise<ApduLink>,
    reconnect?: ReconnectPolicy,
  ) {
    if (options === null || typeof options !== 'object')
      throw new DlmsError('INVALID_ARGUMENT', 'options must be an object');
    this.#options = options;
    this.#invokeId = options.invokeId?.first ?? 1;
    this.#open = open;
    this.#reconnect = reconnect
      ? {
          retries: reconnect.retries ?? 3,
          backoffMs: reconnect.backoffMs ?? 500,
          maxBackoffMs: reconnect.maxBackoffMs ?? 10_000,
          repeatNonIdempotent: reconnect.repeatNonIdempotent ?? false,
        }
      : undefined;
    const s = options.security;
    if (s) this.#counters = s.counters ?? new MemoryInvocationCounterStore();
    const auth = options.authentication ?? 'none';
    if (!(auth in MECHANISM_OF))
      throw new DlmsError('INVALID_ARGUMENT', `unknown authentication ${JSON.stringify(auth)}`);
    if (auth === 'hls-gmac' && !s)
      throw new DlmsError('INVALID_ARGUMENT', 'hls-gmac needs security keys and a system title');
    if (auth === 'hls-sha256' && !s)
      throw new DlmsError('INVALID_ARGUMENT', 'hls-sha256 needs the client system title (security)');
  }

  /** Associates over an open link. On failure the link is left open (the caller owns it). */
  static async associate(link: ApduLink, options: AssociateOptions = {}): Promise<DlmsClient> {
    const c = new DlmsClient(options);
    await c.#associate(link);
    return c;
  }

  /**
   * Opens a link with `open` and associates; with `options.reconnect`, a request that fails with
   * `CONNECTION_CLOSED` re-opens the link, re-associates (bounded retries, exponential backoff, a `retry`
   * event each time) and is repeated (GET always, SET/ACTION only with `repeatNonIdempotent`).
   */
  static async connect(open: () => Promise<ApduLink>, options: ConnectOptions = {}): Promise<DlmsClient> {
    const c = new DlmsClient(options, open, options.reconnect);
    const link = await open();
    try {
      await c.#associate(link);
    } catch (e) {
      await link.close();
      throw e;
    }
    return c;
  }

  /**
   * Reads an invocation counter object (class 1 Data, attribute 2) over an already open link with a Public
   * Client association, then releases it. Returns the counter (a double-long-unsigned).
   */
  static async readInvocationCounter(link: ApduLink, counterObis: Obis | string): Promise<number> {
    const c = await DlmsClient.associate(link, {
      authentication: 'none',
      conformance: ['get', 'block-transfer-with-get-or-read'],
    });
    try {
      const v = await c.get({ classId: 1, obis: counterObis, attribute: 2 });
      if (v.type !== 'double-long-unsigned' && v.type !== 'long-unsigned' && v.type !== 'unsigned')
        throw new DlmsError('PROTOCOL_ERROR', `invocation counter is ${v.type}, not double-long-unsigned`);
      return v.value;
    } finally {
      await c.release().catch(() => undefined);
    }
  }

  /** The negotiated conformance. */
  get conformance(): readonly ConformanceBit[] {
    return this.#session?.conformance ?? [];
  }

  /** The server's max receive PDU size from the InitiateResponse. */
  get serverMaxReceivePduSize(): number {
    return this.#session?.serverMaxPdu ?? 0;
  }

  /** The server system title (ciphered contexts), as learnt from the AARE or given. */
  get serverSystemTitle(): Uint8Array | undefined {
    return this.#session?.serverSystemTitle;
  }

  /** The link in use (it changes after a reconnect). */
  get link(): ApduLink | undefined {
    return this.#session?.link;
  }

  get isAssociated(): boolean {
    return (this.#session?.link.isOpen ?? false) && !this.#released;
  }

  // ---- association ------------------------------------------------------------------------------------

  #emit(e: ClientEvent): void {
    try {
      this.#options.onEvent?.(e);
    } catch {
      // A listener's failure is not the session's.
    }
  }

  async #seedCounterFromMeter(link: ApduLink): Promise<void> {
    const recipe = this.#options.invocationCounter;
    const s = this.#options.security;
    if (!recipe || !s) return;
    const x = { 32: 2, 48: 3, 64: 4, 80: 5 }[link.address.client];
    const o = recipe.obis ?? (x === undefined ? undefined : obis(0, 0, 43, 1, x, 255));
    if (o === undefined)
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `no IS 15959 invocation counter object for client SAP ${link.address.client}: pass invocationCounter.obis`,
      );
    const store = this.#counters as InvocationCounterStore & {
      seedSent?: (st: Uint8Array, keyId: string, last: number) => void;
    };
    if (typeof store.seedSent !== 'function')
      throw new DlmsError('INVALID_ARGUMENT', 'the counter store cannot be seeded (no seedSent method)');
    const pub = await recipe.openPublicLink();
    let value: number;
    try {
      value = await DlmsClient.readInvocationCounter(pub, o);
    } finally {
      await pub.close();
    }
    // The meter expects a counter greater than the last it accepted: seed so that next() gives value + 1.
    store.seedSent(s.systemTitle, keyIdFor('glo', undefined), value);
  }

  async #associate(link: ApduLink): Promise<void> {
    await this.#seedCounterFromMeter(link);
    const o = this.#options;
    const auth: ClientAuthentication = o.authentication ?? 'none';
    const sec = o.security;
    const ciphered = sec !== undefined;
    const policy: SecurityPolicy = sec?.policy ?? 'auth+enc';
    const hls = auth !== 'none' && auth !== 'lls';
    const ctos = hls ? (o.challenge ?? generateChallenge(16, o.random)) : undefined;

    const initiate: InitiateRequest = {
      type: 'initiate-request',
      responseAllowed: true,
      proposedDlmsVersionNumber: 6,
      proposedConformance: [...(o.conformance ?? DEFAULT_CLIENT_CONFORMANCE)],
      clientMaxReceivePduSize: o.maxReceivePduSize ?? 0xffff,
    };
    if (ciphered && sec.dedicatedKey) initiate.dedicatedKey = toHex(sec.dedicatedKey);
    const aarq: Aarq = {
      type: 'aarq',
      applicationContextName: ciphered ? 'ln-ciphered' : 'ln',
    };
    if (sec) aarq.callingApTitle = toHex(sec.systemTitle);
    if (auth !== 'none') {
      aarq.senderAcseRequirements = { authentication: true };
      aarq.mechanismName = MECHANISM_OF[auth];
      const value = auth === 'lls' ? bytesOf(o.password, 'password') : ctos!;
      aarq.callingAuthenticationValue = { charstring: toHex(value) };
    }
    aarq.userInformation = ciphered
      ? {
          type: 'opaque',
          hex: toHex(await this.#protectWith(encodeInitiateRequest(initiate), 'glo', policy)),
        }
      : initiate;

    await link.send(encodeAarq(aarq));
    const aareBytes = await link.receive({ timeoutMs: o.responseTimeoutMs ?? 30_000 });
    if (aareBytes[0] !== 0x61)
      throw new DlmsError('PROTOCOL_ERROR', `expected an AARE, got ${xdlmsTagName(aareBytes[0] ?? 0)}`);
    const aare = decodeAare(aareBytes);
    const serverSystemTitle =
      sec?.serverSystemTitle ?? (aare.respondingApTitle ? fromHex(aare.respondingApTitle) : undefined);
    const accepted = aare.result === 'accepted';
    if (!accepted) throw refused(aare);
    const response = await this.#initiateResponse(aare.userInformation, serverSystemTitle, policy);
    const session: Session = {
      link,
      conformance: response.negotiatedConformance,
      serverMaxPdu: response.serverMaxReceivePduSize === 0 ? 0xffff : response.serverMaxReceivePduSize,
      ciphered,
      serverSystemTitle,
      useDed: ciphered && sec.dedicatedKey !== undefined,
      peerGbtWindow: 1,
    };
    this.#session = session;
    this.#released = false;

    if (hls) {
      const stoc = aare.respondingAuthenticationValue;
      if (!stoc || !('charstring' in stoc))
        throw new DlmsError('PROTOCOL_ERROR', 'the AARE carries no HLS server-to-client challenge');
      await this.#hlsPass3(auth, ctos!, fromHex(stoc.charstring), session);
    }
    this.#emit({
      type: 'associated',
      conformance: session.conformance,
      serverMaxReceivePduSize: session.serverMaxPdu,
      ciphered,
      authentication: auth,
    });
  }

  async #initiateResponse(
    ui: UserInformation | undefined,
    serverSystemTitle: Uint8Array | undefined,
    policy: SecurityPolicy,
  ): Promise<InitiateResponse> {
    if (!ui) throw new DlmsError('PROTOCOL_ERROR', 'the AARE carries no InitiateResponse');
    if (ui.type === 'initiate-response') {
      if (this.#options.security)
        throw new DlmsError(
          'AUTHENTICATION_FAILED',
          'the server answered a ciphered context with an unprotected InitiateResponse',
        );
      return ui;
    }
    if (ui.type === 'confirmed-service-error')
      throw new DlmsError(
        'ASSOCIATION_REFUSED',
        `InitiateRequest refused: ${ui.error.kind} ${String(ui.error.value)}`,
        { cause: ui },
      );
    if (ui.type !== 'opaque') throw new DlmsError('PROTOCOL_ERROR', `unexpected ${ui.type} in the AARE`);
    const sec = this.#options.security;
    if (!sec) throw new DlmsError('PROTOCOL_ERROR', 'ciphered InitiateResponse in a non-ciphered context');
    const bytes = fromHex(ui.hex);
    const plain = await this.#unprotectWith(bytes, serverSystemTitle, policy, undefined);
    if (plain[0] === 0x0e) {
      const x = decodeXdlmsApdu(plain);
      throw new DlmsError('ASSOCIATION_REFUSED', `InitiateRequest refused: ${JSON.stringify(x)}`);
    }
    return decodeInitiateResponse(plain);
  }

  async #hlsPass3(
    auth: ClientAuthentication,
    ctos: Uint8Array,
    stoc: Uint8Array,
    session: Session,
  ): Promise<void> {
    const o = this.#options;
    const sec = o.security;
    let reply: Uint8Array;
    let expected: ((r: Uint8Array) => void) | undefined;
    switch (auth) {
      case 'hls': {
        const secret = bytesOf(o.secret, 'secret');
        reply = hls2Response(stoc, secret, o.hls2Processor);
        expected = (r) => verifyHlsResponse(hls2Response(ctos, secret, o.hls2Processor), r);
        break;
      }
      case 'hls-md5': {
        const secret = bytesOf(o.secret, 'secret');
        reply = hlsMd5Response(stoc, secret);
        expected = (r) => verifyHlsResponse(hlsMd5Response(ctos, secret), r);
        break;
      }
      case 'hls-sha1': {
        const secret = bytesOf(o.secret, 'secret');
        reply = hlsSha1Response(stoc, secret);
        expected = (r) => verifyHlsResponse(hlsSha1Response(ctos, secret), r);
        break;
      }
      case 'hls-sha256': {
        const secret = bytesOf(o.secret, 'secret');
        const st = sec!.systemTitle;
        const sst = session.serverSystemTitle;
        if (!sst) throw new DlmsError('PROTOCOL_ERROR', 'HLS-SHA256 needs the server system title');
        reply = hlsSha256Response({
          secret,
          ownSystemTitle: st,
          peerSystemTitle: sst,
          challenge: stoc,
          ownChallenge: ctos,
        });
        expected = (r) =>
          verifyHlsResponse(
            hlsSha256Response({
              secret,
              ownSystemTitle: sst,
              peerSystemTitle: st,
              challenge: ctos,
              ownChallenge: stoc,
            }),
            r,
          );
        break;
      }
      case 'hls-gmac': {
        const s = sec!;
        const sst = session.serverSystemTitle;
        if (!sst) throw new DlmsError('PROTOCOL_ERROR', 'HLS-GMAC needs the server system title');
        const ic = await this.#counters!.next(s.systemTitle, keyIdFor('glo', undefined));
        reply = hlsGmacResponse({
          challenge: stoc,
          systemTitle: s.systemTitle,
          invocationCounter: ic,
          ek: s.ek,
          ak: s.ak,
          backend: s.backend,
        });
        // The IC inside f(CtoS) is authenticated by the GMAC itself; the response APDU carrying it has
        // already passed the counter store (ciphered contexts).
        expected = (r) => {
          verifyHlsGmac({
            challenge: ctos,
            systemTitle: sst,
            ek: s.ek,
            ak: s.ak,
            response: r,
            backend: s.backend,
          });
        };
        break;
      }
      default:
        throw new DlmsError('UNSUPPORTED', `HLS mechanism ${auth}`);
    }
    let result: Data | undefined;
    try {
      result = await this.#actionInSession(
        session,
        { classId: 15, instanceId: CURRENT_ASSOCIATION, methodId: 1 },
        { type: 'octet-string', value: reply },
      );
    } catch (e) {
      const d = serviceErrorDetail(e);
      if (d)
        throw new DlmsError(
          'AUTHENTICATION_FAILED',
          `the server did not accept our HLS response (${String(d.result)})`,
          {
            cause: e,
          },
        );
      throw e;
    }
    if (result?.type !== 'octet-string')
      throw new DlmsError(
        'AUTHENTICATION_FAILED',
        'the server returned no f(CtoS) in reply_to_HLS_authentication',
      );
    expected(result.value);
  }

  // ---- ciphering ---------------------------------------------------------------------------------------

  async #protectWith(
    plain: Uint8Array,
    kind: 'glo' | 'ded' | 'general-glo' | 'general-ded',
    policy: SecurityPolicy,
  ): Promise<Uint8Array> {
    const s = this.#options.security!;
    const ded = kind === 'ded' || kind === 'general-ded';
    const dk = ded ? s.dedicatedKey : undefined;
    const ic = await this.#counters!.next(s.systemTitle, keyIdFor(ded ? 'ded' : 'glo', dk));
    return protectApdu(plain, {
      policy,
      systemTitle: s.systemTitle,
      invocationCounter: ic,
      ek: s.ek,
      ak: s.ak,
      dk,
      kind,
      backend: s.backend,
    });
  }

  async #unprotectWith(
    bytes: Uint8Array,
    serverSystemTitle: Uint8Array | undefined,
    policy: SecurityPolicy,
    session: Session | undefined,
  ): Promise<Uint8Array> {
    const s = this.#options.security!;
    const tag = bytes[0] ?? 0;
    const svc = cipheredServiceOf(tag);
    const ded = svc?.scope === 'ded' || tag === GENERAL_DED_CIPHERING;
    if (!svc && tag !== GENERAL_GLO_CIPHERING && tag !== GENERAL_DED_CIPHERING)
      throw new DlmsError('PROTOCOL_ERROR', `expected a ciphered APDU, got ${xdlmsTagName(tag)}`);
    if (svc && !serverSystemTitle)
      throw new DlmsError(
        'PROTOCOL_ERROR',
        'the server system title is unknown: pass security.serverSystemTitle',
      );
    if (ded && !(session?.useDed ?? false))
      throw new DlmsError(
        'AUTHENTICATION_FAILED',
        'ded- ciphered APDU but no dedicated key in this association',
      );
    const r = unprotectApdu(
      bytes,
      { ek: s.ek, ak: s.ak, dk: s.dedicatedKey },
      { systemTitle: serverSystemTitle, acceptPolicies: [policy], backend: s.backend },
    );
    await this.#counters!.accept(
      r.systemTitle,
      keyIdFor(ded ? 'ded' : 'glo', s.dedicatedKey),
      r.invocationCounter,
    );
    return r.plain;
  }

  // ---- request / response ------------------------------------------------------------------------------

  /**
   * The next Invoke-Id-And-Priority. SET and ACTION are always sent confirmed (`confirmed`): their result is
   * what the API returns, and a server does not answer an unconfirmed one; the `serviceClass` option applies
   * to GET only (the Green Book's glo-get-request example uses 00).
   */
  #nextInvoke(confirmed = false): InvokeIdAndPriority {
    const id = this.#invokeId;
    this.#invokeId = (this.#invokeId + 1) & 0x0f;
    const o = this.#options.invokeId;
    return invokeIdAndPriority(id, {
      priority: o?.priority ?? 'high',
      serviceClass: confirmed ? 'confirmed' : (o?.serviceClass ?? 'confirmed'),
    });
  }

  #requireSession(): Session {
    const s = this.#session;
    if (!s || this.#released) throw new DlmsError('CONNECTION_CLOSED', 'not associated');
    if (!s.link.isOpen) throw new DlmsError('CONNECTION_CLOSED', 'the link is closed');
    return s;
  }

  #has(session: Session, bit: ConformanceBit): boolean {
    return session.conformance.includes(bit);
  }

  /** Extra octets a ciphered envelope adds: tag, length (up to 3), SC, IC, GCM tag. */
  #overhead(session: Session): number {
    return session.ciphered ? 1 + 3 + 5 + 12 : 0;
  }

  async #sendPlain(session: Session, plain: Uint8Array): Promise<void> {
    let bytes = plain;
    if (session.ciphered) {
      // APDUs with no glo-/ded- form (ACCESS) go in general-glo-/general-ded-ciphering.
      const scope = session.useDed ? 'ded' : 'glo';
      bytes = await this.#protectWith(
        plain,
        serviceCipherTags(plain[0] ?? 0) === undefined ? `general-${scope}` : scope,
        this.#options.security?.policy ?? 'auth+enc',
      );
    }
    if (bytes.length > session.serverMaxPdu && this.#has(session, 'general-block-transfer')) {
      await this.#sendGbt(session, bytes);
      return;
    }
    await session.link.send(bytes);
  }

  /** Sends `apdu` in general-block-transfer blocks, one window at a time, resending from each ack. */
  async #sendGbt(session: Session, apdu: Uint8Array): Promise<void> {
    const window = this.#options.gbtWindow ?? 1;
    const blocks = gbtBlocks(apdu, { maxPduSize: session.serverMaxPdu, window, streaming: window > 1 });
    let next = 0;
    while (next < blocks.length) {
      const end = Math.min(blocks.length, next + Math.min(window, session.peerGbtWindow));
      for (let i = next; i < end; i++) {
        const b = { ...blocks[i]!, streaming: i < end - 1 };
        await session.link.send(encodeXdlmsApdu(b));
        this.#emit({ type: 'block', service: 'gbt', direction: 'sent', n: b.blockNumber, of: blocks.length });
      }
      if (end === blocks.length) return;
      // Wait for the acknowledgement of this window.
      const raw = await this.#receiveRaw(session);
      if (raw[0] !== GBT_TAG)
        throw new DlmsError(
          'PROTOCOL_ERROR',
          `expected a GBT acknowledgement, got ${xdlmsTagName(raw[0] ?? 0)}`,
        );
      const ack = decodeXdlmsApdu(raw);
      if (ack.type !== 'general-block-transfer')
        throw new DlmsError('PROTOCOL_ERROR', 'bad GBT acknowledgement');
      const acked = ack.blockNumberAck;
      const firstNumber = blocks[0]!.blockNumber;
      if (acked < firstNumber - 1 || acked > blocks[end - 1]!.blockNumber)
        throw new DlmsError('PROTOCOL_ERROR', `GBT acknowledgement of block ${acked} never sent`);
      next = acked - firstNumber + 1;
      session.peerGbtWindow = Math.max(1, ack.window);
    }
  }

  async #receiveRaw(session: Session): Promise<Uint8Array> {
    return session.link.receive({ timeoutMs: this.#options.responseTimeoutMs ?? 30_000 });
  }

  /**
   * The next response APDU, whole and deciphered: GBT reassembled (acknowledging per window), ciphered
   * APDUs authenticated and their counters checked, notifications reported and skipped, exception and
   * confirmed-service-error turned into `SERVICE_ERROR`.
   */
  async #receive(session: Session, sentGbtBlocks = 0): Promise<XdlmsApdu> {
    for (;;) {
      let raw = await this.#receiveRaw(session);
      if (raw[0] === GBT_TAG && this.#has(session, 'general-block-transfer')) {
        raw = await this.#receiveGbt(session, raw, sentGbtBlocks);
      }
      const tag = raw[0] ?? 0;
      if (cipheredServiceOf(tag) || tag === GENERAL_GLO_CIPHERING || tag === GENERAL_DED_CIPHERING) {
        if (!session.ciphered)
          throw new DlmsError(
            'PROTOCOL_ERROR',
            `ciphered ${xdlmsTagName(tag)} in a non-ciphered association`,
          );
        raw = await this.#unprotectWith(
          raw,
          session.serverSystemTitle,
          this.#options.security?.policy ?? 'auth+enc',
          session,
        );
      } else if (session.ciphered && tag !== 0xd8 && tag !== 0x0e && tag !== 0x0f && tag !== 0xc2) {
        throw new DlmsError(
          'AUTHENTICATION_FAILED',
          `unprotected ${xdlmsTagName(tag)} in a ciphered association`,
        );
      }
      const apdu = decodeXdlmsApdu(raw);
      switch (apdu.type) {
        case 'data-notification':
        case 'event-notification-request':
          this.#emit({ type: 'notification', apdu: raw });
          continue;
        case 'exception-response':
          throw serviceError('exception-response', {
            kind: 'exception-response',
            result: `${String(apdu.stateError)}/${apdu.serviceError}`,
          });
        case 'confirmed-service-error':
          throw serviceError('confirmed-service-error', {
            kind: 'confirmed-service-error',
            result: `${apdu.error.kind}/${String(apdu.error.value)}`,
          });
        default:
          return apdu;
      }
    }
  }

  async #receiveGbt(session: Session, first: Uint8Array, sentGbtBlocks: number): Promise<Uint8Array> {
    const asm = new GbtAssembler({
      window: this.#options.gbtWindow ?? 1,
      firstBlockNumber: sentGbtBlocks + 1,
    });
    let raw = first;
    for (;;) {
      const block = decodeXdlmsApdu(raw);
      if (block.type !== 'general-block-transfer')
        throw new DlmsError('PROTOCOL_ERROR', `expected GBT, got ${block.type}`);
      session.peerGbtWindow = Math.max(1, block.window);
      const step = asm.push(block);
      this.#emit({ type: 'block', service: 'gbt', direction: 'received', n: block.blockNumber });
      if (step.complete) return step.complete;
      if (step.ack) await session.link.send(encodeXdlmsApdu(step.ack));
      raw = await this.#receiveRaw(session);
      if (raw[0] !== GBT_TAG)
        throw new DlmsError('PROTOCOL_ERROR', `GBT transfer interrupted by ${xdlmsTagName(raw[0] ?? 0)}`);
    }
  }

  /** Receives until a response of `kind` with our invoke-id (stale responses to earlier requests are skipped). */
  async #response<T extends XdlmsApdu>(
    session: Session,
    prefix: 'get-response' | 'set-response' | 'action-response',
    iid: number,
  ): Promise<T> {
    for (let stale = 0; ; stale++) {
      const apdu = await this.#receive(session);
      if (!apdu.type.startsWith(prefix))
        throw new DlmsError('PROTOCOL_ERROR', `expected a ${prefix}, got ${apdu.type}`);
      const got = (apdu as { invokeIdAndPriority: InvokeIdAndPriority }).invokeIdAndPriority.invokeId;
      if (got === iid) return apdu as T;
      if (stale >= MAX_STALE_RESPONSES)
        throw new DlmsError('PROTOCOL_ERROR', `too many responses with a foreign invoke-id (${got})`);
      this.#emit({ type: 'ignored', reason: `${apdu.type} with invoke-id ${got}, expected ${iid}` });
    }
  }

  /** Serialises operations on this client and applies the reconnect policy. */
  #run<T>(op: (session: Session) => Promise<T>, idempotent: boolean): Promise<T> {
    const task = async (): Promise<T> => {
      try {
        return await op(this.#requireSession());
      } catch (e) {
        const rc = this.#reconnect;
        if (!rc || !this.#open || !isDlmsError(e, 'CONNECTION_CLOSED') || this.#released) throw e;
        if (!idempotent && !rc.repeatNonIdempotent) throw e;
        let last: DlmsError = e;
        let delay = rc.backoffMs;
        for (let attempt = 1; attempt <= rc.retries; attempt++) {
          this.#emit({ type: 'retry', attempt, delayMs: delay, error: last });
          await sleep(delay);
          delay = Math.min(delay * 2, rc.maxBackoffMs);
          let link: ApduLink | undefined;
          try {
            await this.#session?.link.close();
            link = await this.#open();
            await this.#associate(link);
          } catch (err) {
            if (link) await link.close();
            if (!isDlmsError(err)) throw err;
            last = err;
            continue;
          }
          try {
            return await op(this.#requireSession());
          } catch (err) {
            if (!isDlmsError(err, 'CONNECTION_CLOSED')) throw err;
            last = err;
          }
        }
        throw last;
      }
    };
    const p = this.#queue.then(task, task);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  // ---- GET -----------------------------------------------------------------------------------------------

  /** Reads one attribute (with selective access when given). Block transfer is followed to the end. */
  get(ref: AttributeRef, options: GetOptions = {}): Promise<Data> {
    const attribute = attributeOf(ref);
    return this.#run((s) => this.#get(s, attribute, options.selectiveAccess), true);
  }

  async #get(
    session: Session,
    attribute: CosemAttributeDescriptor,
    selectiveAccess: SelectiveAccessDescriptor | undefined,
  ): Promise<Data> {
    const iid = this.#nextInvoke();
    const req: GetRequest = { type: 'get-request-normal', invokeIdAndPriority: iid, attribute };
    if (selectiveAccess) req.accessSelection = selectiveAccess;
    await this.#sendPlain(session, encodeXdlmsApdu(req));
    const what = `GET ${describeRef(attribute.classId, attribute.instanceId, attribute.attributeId)}`;
    const first = await this.#response<GetResponse>(session, 'get-response', iid.invokeId);
    if (first.type === 'get-response-normal') return dataOf(first.result, what);
    if (first.type !== 'get-response-with-datablock')
      throw new DlmsError('PROTOCOL_ERROR', `${what}: unexpected ${first.type}`);
    const raw = await this.#collectGetBlocks(session, first, iid, what);
    const r = new Reader(raw);
    try {
      const d = readData(r);
      r.expectEnd('block-transfer data');
      return d;
    } catch (e) {
      if (isDlmsError(e, 'INCOMPLETE'))
        throw new DlmsError('MALFORMED', `${what}: the last block ended inside the Data`, { cause: e });
      throw e;
    }
  }

  /** Follows get-response-with-datablock to the last block; returns the concatenated raw data. */
  async #collectGetBlocks(
    session: Session,
    first: GetResponse & { type: 'get-response-with-datablock' },
    iid: InvokeIdAndPriority,
    what: string,
  ): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let block = first;
    for (let expected = 1; ; expected++) {
      if (block.blockNumber !== expected)
        throw new DlmsError('PROTOCOL_ERROR', `${what}: block ${block.blockNumber}, expected ${expected}`);
      if ('dataAccessResult' in block.result)
        throw serviceError(`${what} (block ${expected})`, {
          kind: 'data-access-result',
          result: block.result.dataAccessResult,
        });
      chunks.push(block.result.rawData);
      total += block.result.rawData.length;
      if (total > 64 * 1024 * 1024) throw new DlmsError('LIMIT_EXCEEDED', `${what}: more than 64 MiB`);
      this.#emit({ type: 'block', service: 'get', direction: 'received', n: expected });
      if (block.lastBlock) break;
      await this.#sendPlain(
        session,
        encodeXdlmsApdu({ type: 'get-request-next', invokeIdAndPriority: iid, blockNumber: expected }),
      );
      const next = await this.#response<GetResponse>(session, 'get-response', iid.invokeId);
      if (next.type !== 'get-response-with-datablock')
        throw new DlmsError('PROTOCOL_ERROR', `${what}: expected the next block, got ${next.type}`);
      block = next;
    }
    const raw = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      raw.set(c, at);
      at += c.length;
    }
    return raw;
  }

  /**
   * Reads several attributes: one get-request-with-list when `multiple-references` was negotiated,
   * otherwise one GET each. Each item is the value or the typed error for that item.
   */
  getWithList(refs: readonly (AttributeRef & GetOptions)[]): Promise<ListResult<Data>[]> {
    const items = refs.map((r) => ({ attribute: attributeOf(r), accessSelection: r.selectiveAccess }));
    return this.#run(async (s) => {
      if (!this.#has(s, 'multiple-references') || items.length === 1) {
        const out: ListResult<Data>[] = [];
        for (const it of items) out.push(await settle(this.#get(s, it.attribute, it.accessSelection)));
        return out;
      }
      const iid = this.#nextInvoke();
      const req: GetRequest = {
        type: 'get-request-with-list',
        invokeIdAndPriority: iid,
        attributes: items.map((it) =>
          it.accessSelection
            ? { attribute: it.attribute, accessSelection: it.accessSelection }
            : { attribute: it.attribute },
        ),
      };
      await this.#sendPlain(s, encodeXdlmsApdu(req));
      const what = `GET with list of ${items.length}`;
      const first = await this.#response<GetResponse>(s, 'get-response', iid.invokeId);
      let results: GetDataResult[];
      if (first.type === 'get-response-with-list') results = first.results;
      else if (first.type === 'get-response-with-datablock') {
        const raw = await this.#collectGetBlocks(s, first, iid, what);
        results = readResultList(raw);
      } else throw new DlmsError('PROTOCOL_ERROR', `${what}: unexpected ${first.type}`);
      if (results.length !== items.length)
        throw new DlmsError(
          'PROTOCOL_ERROR',
          `${what}: ${results.length} results for ${items.length} attributes`,
        );
      return results.map((r, i) => {
        const a = items[i]!.attribute;
        return settleSync(() => dataOf(r, `GET ${describeRef(a.classId, a.instanceId, a.attributeId)}`));
      });
    }, true);
  }

  // ---- SET -----------------------------------------------------------------------------------------------

  /** Writes one attribute; with blocks when the request exceeds the server's max PDU size. */
  set(ref: AttributeRef, value: Data, options: GetOptions = {}): Promise<void> {
    const attribute = attributeOf(ref);
    return this.#run((s) => this.#set(s, attribute, value, options.selectiveAccess), false);
  }

  async #set(
    session: Session,
    attribute: CosemAttributeDescriptor,
    value: Data,
    accessSelection: SelectiveAccessDescriptor | undefined,
  ): Promise<void> {
    const iid = this.#nextInvoke(true);
    const what = `SET ${describeRef(attribute.classId, attribute.instanceId, attribute.attributeId)}`;
    const serviceBlocks =
      this.#has(session, 'block-transfer-with-set-or-write') &&
      !(this.#options.blockTransfer === 'gbt' && this.#has(session, 'general-block-transfer'));
    const reqs: SetRequest[] = serviceBlocks
      ? setRequestBlocks({
          invokeIdAndPriority: iid,
          attribute,
          ...(accessSelection ? { accessSelection } : {}),
          value,
          maxPduSize: session.serverMaxPdu,
          extraOverhead: this.#overhead(session),
        })
      : [
          {
            type: 'set-request-normal',
            invokeIdAndPriority: iid,
            attribute,
            ...(accessSelection ? { accessSelection } : {}),
            value,
          },
        ];
    for (let i = 0; i < reqs.length; i++) {
      await this.#sendPlain(session, encodeXdlmsApdu(reqs[i]!));
      if (reqs.length > 1)
        this.#emit({ type: 'block', service: 'set', direction: 'sent', n: i + 1, of: reqs.length });
      const res = await this.#response<SetResponse>(session, 'set-response', iid.invokeId);
      const last = i === reqs.length - 1;
      if (res.type === 'set-response-normal' || res.type === 'set-response-last-datablock') {
        if (res.result !== 'success')
          throw serviceError(what, { kind: 'data-access-result', result: res.result });
        if (!last)
          throw new DlmsError('PROTOCOL_ERROR', `${what}: the server ended the transfer at block ${i + 1}`);
        return;
      }
      if (res.type === 'set-response-datablock' && !last) {
        if (res.blockNumber !== i + 1)
          throw new DlmsError(
            'PROTOCOL_ERROR',
            `${what}: block ${res.blockNumber} acknowledged, sent ${i + 1}`,
          );
        continue;
      }
      throw new DlmsError('PROTOCOL_ERROR', `${what}: unexpected ${res.type}`);
    }
  }

  /**
   * Writes several attributes: one set-request-with-list when `multiple-references` was negotiated (and it
   * fits in the server's PDU), otherwise one SET each.
   */
  setWithList(items: readonly { ref: AttributeRef; value: Data }[]): Promise<ListResult<void>[]> {
    const list = items.map((it) => ({ attribute: attributeOf(it.ref), value: it.value }));
    return this.#run(async (s) => {
      const iid = this.#nextInvoke(true);
      const bytes =
        this.#has(s, 'multiple-references') && list.length > 1
          ? encodeXdlmsApdu({
              type: 'set-request-with-list',
              invokeIdAndPriority: iid,
              attributes: list.map((x) => ({ attribute: x.attribute })),
              values: list.map((x) => x.value),
            })
          : undefined;
      const fits =
        bytes !== undefined &&
        (bytes.length + this.#overhead(s) <= s.serverMaxPdu || this.#has(s, 'general-block-transfer'));
      if (!fits) {
        const out: ListResult<void>[] = [];
        for (const x of list) out.push(await settle(this.#set(s, x.attribute, x.value, undefined)));
        return out;
      }
      await this.#sendPlain(s, bytes!);
      const res = await this.#response<SetResponse>(s, 'set-response', iid.invokeId);
      if (res.type !== 'set-response-with-list' || res.results.length !== list.length)
        throw new DlmsError('PROTOCOL_ERROR', `SET with list: unexpected ${res.type}`);
      return res.results.map((r, i) => {
        if (r === 'success') return { ok: true, value: undefined };
        const a = list[i]!.attribute;
        return {
          ok: false,
          error: serviceError(`SET ${describeRef(a.classId, a.instanceId, a.attributeId)}`, {
            kind: 'data-access-result',
            result: r,
          }),
        };
      });
    }, false);
  }

  // ---- ACTION --------------------------------------------------------------------------------------------

  /** Invokes one method; returns its return parameters (undefined when none). */
  action(ref: MethodRef, parameters?: Data): Promise<Data | undefined> {
    const method = methodOf(ref);
    return this.#run((s) => this.#actionInSession(s, method, parameters), false);
  }

  async #actionInSession(
    session: Session,
    method: CosemMethodDescriptor,
    parameters: Data | undefined,
  ): Promise<Data | undefined> {
    const iid = this.#nextInvoke(true);
    const what = `ACTION ${describeRef(method.classId, method.instanceId, method.methodId)}`;
    const reqs: ActionRequest[] = this.#has(session, 'block-transfer-with-action')
      ? actionRequestBlocks({
          invokeIdAndPriority: iid,
          method,
          ...(parameters ? { parameters } : {}),
          maxPduSize: session.serverMaxPdu,
          extraOverhead: this.#overhead(session),
        })
      : [
          {
            type: 'action-request-normal',
            invokeIdAndPriority: iid,
            method,
            ...(parameters ? { parameters } : {}),
          },
        ];
    let res: ActionResponse | undefined;
    for (let i = 0; i < reqs.length; i++) {
      await this.#sendPlain(session, encodeXdlmsApdu(reqs[i]!));
      if (reqs.length > 1)
        this.#emit({ type: 'block', service: 'action', direction: 'sent', n: i + 1, of: reqs.length });
      res = await this.#response<ActionResponse>(session, 'action-response', iid.invokeId);
      if (i < reqs.length - 1) {
        if (res.type !== 'action-response-next-pblock' || res.blockNumber !== i + 1)
          throw new DlmsError(
            'PROTOCOL_ERROR',
            `${what}: expected action-response-next-pblock ${i + 1}, got ${res.type}`,
          );
      }
    }
    res = res!;
    if (res.type === 'action-response-with-pblock') {
      // Long return parameters: collect the pblocks (each acknowledged with action-request-next-pblock).
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (let expected = 1; ; expected++) {
        if (res.type !== 'action-response-with-pblock' || res.pblock.blockNumber !== expected)
          throw new DlmsError('PROTOCOL_ERROR', `${what}: expected return block ${expected}`);
        chunks.push(res.pblock.rawData);
        total += res.pblock.rawData.length;
        this.#emit({ type: 'block', service: 'action', direction: 'received', n: expected });
        if (res.pblock.lastBlock) break;
        await this.#sendPlain(
          session,
          encodeXdlmsApdu({
            type: 'action-request-next-pblock',
            invokeIdAndPriority: iid,
            blockNumber: expected,
          }),
        );
        res = await this.#response<ActionResponse>(session, 'action-response', iid.invokeId);
      }
      const raw = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        raw.set(c, at);
        at += c.length;
      }
      // The pblocks carry Action-Response-With-Optional-Data's encoding: result, then optional Get-Data-Result.
      const r = new Reader(raw);
      const result = r.u8('action-result');
      const present = r.u8('return-parameters usage');
      const rp = present ? readGetDataResult(r, (x) => readData(x)) : undefined;
      r.expectEnd('action return parameters');
      if (result !== 0) throw serviceError(what, { kind: 'action-result', result });
      return rp ? dataOf(rp, what) : undefined;
    }
    if (res.type !== 'action-response-normal')
      throw new DlmsError('PROTOCOL_ERROR', `${what}: unexpected ${res.type}`);
    if (res.response.result !== 'success')
      throw serviceError(what, { kind: 'action-result', result: res.response.result });
    const rp = res.response.returnParameters;
    return rp ? dataOf(rp, what) : undefined;
  }

  // ---- ACCESS --------------------------------------------------------------------------------------------

  /**
   * ACCESS (access-request `D9`, IEC 62056-5-3): several GETs, SETs and ACTIONs in one APDU, run by the
   * server in order, under one Long-Invoke-Id. Needs the `access` conformance bit (propose it with the
   * `conformance` option): without it the call is refused `UNSUPPORTED`, with no fallback, since the
   * items were asked for as one request. One result per item: the value read (GET), `undefined` (SET),
   * the return parameters or `undefined` (ACTION); a refused item is `{ ok: false }` with its
   * `SERVICE_ERROR` (Data-Access-Result or Action-Result). `breakOnError` asks the server to stop at the
   * first failure. In a ciphered association the request goes in general-glo- (or general-ded-)
   * ciphering. ACCESS has no block transfer of its own: a request larger than the server's PDU goes in
   * GBT when negotiated.
   */
  access(
    items: readonly AccessItem[],
    options: { breakOnError?: boolean } = {},
  ): Promise<ListResult<Data | undefined>[]> {
    if (!Array.isArray(items)) throw new DlmsError('INVALID_ARGUMENT', 'access items must be an array');
    const specs: AccessRequestSpecification[] = [];
    const data: Data[] = [];
    const NULL_DATA: Data = { type: 'null-data' };
    for (const it of items) {
      if (it !== null && typeof it === 'object' && 'get' in it) {
        const attribute = attributeOf(it.get);
        specs.push(
          it.selectiveAccess
            ? { type: 'access-request-get-with-selection', attribute, accessSelection: it.selectiveAccess }
            : { type: 'access-request-get', attribute },
        );
        data.push(NULL_DATA);
      } else if (it !== null && typeof it === 'object' && 'set' in it) {
        const attribute = attributeOf(it.set);
        specs.push(
          it.selectiveAccess
            ? { type: 'access-request-set-with-selection', attribute, accessSelection: it.selectiveAccess }
            : { type: 'access-request-set', attribute },
        );
        data.push(it.value);
      } else if (it !== null && typeof it === 'object' && 'action' in it) {
        specs.push({ type: 'access-request-action', method: methodOf(it.action) });
        data.push(it.parameters ?? NULL_DATA);
      } else
        throw new DlmsError('INVALID_ARGUMENT', 'an access item is { get }, { set, value } or { action }');
    }
    const idempotent = specs.every((x) => x.type.startsWith('access-request-get'));
    return this.#run(async (s) => {
      if (!this.#has(s, 'access'))
        throw new DlmsError('UNSUPPORTED', 'ACCESS: the access conformance bit was not negotiated');
      const lip: LongInvokeIdAndPriority = {
        longInvokeId: this.#longInvokeId,
        selfDescriptive: 'not-self-descriptive',
        processingOption: options.breakOnError === true ? 'break-on-error' : 'continue-on-error',
        serviceClass: 'confirmed',
        priority: this.#options.invokeId?.priority ?? 'high',
      };
      this.#longInvokeId = (this.#longInvokeId + 1) & 0xffffff;
      const req: AccessRequest = {
        type: 'access-request',
        longInvokeIdAndPriority: lip,
        accessRequestSpecification: specs,
        accessRequestListOfData: data,
      };
      await this.#sendPlain(s, encodeXdlmsApdu(req));
      const what = `ACCESS of ${specs.length}`;
      let resp: AccessResponse | undefined;
      for (let stale = 0; resp === undefined; stale++) {
        const apdu = await this.#receive(s);
        if (apdu.type !== 'access-response')
          throw new DlmsError('PROTOCOL_ERROR', `expected an access-response, got ${apdu.type}`);
        if (apdu.longInvokeIdAndPriority.longInvokeId === lip.longInvokeId) resp = apdu;
        else if (stale >= MAX_STALE_RESPONSES)
          throw new DlmsError('PROTOCOL_ERROR', `${what}: too many responses with a foreign invoke-id`);
        else
          this.#emit({
            type: 'ignored',
            reason: `access-response with long-invoke-id ${apdu.longInvokeIdAndPriority.longInvokeId}, expected ${lip.longInvokeId}`,
          });
      }
      const results = resp.accessResponseSpecification;
      if (results.length !== specs.length)
        throw new DlmsError('PROTOCOL_ERROR', `${what}: ${results.length} results for ${specs.length} items`);
      return results.map((r, i): ListResult<Data | undefined> => {
        const spec = specs[i]!;
        const d = spec.type === 'access-request-action' ? spec.method : spec.attribute;
        const index = 'methodId' in d ? d.methodId : d.attributeId;
        const ref = `${spec.type.slice('access-request-'.length).toUpperCase()} ${describeRef(d.classId, d.instanceId, index)}`;
        const expected = spec.type.startsWith('access-request-get')
          ? 'access-response-get'
          : spec.type.startsWith('access-request-set')
            ? 'access-response-set'
            : 'access-response-action';
        if (r.type !== expected)
          throw new DlmsError('PROTOCOL_ERROR', `${what}: item ${i} (${ref}) answered with ${r.type}`);
        if (r.result !== 'success') {
          const kind = r.type === 'access-response-action' ? 'action-result' : 'data-access-result';
          return { ok: false, error: serviceError(ref, { kind, result: r.result }) };
        }
        const value = resp!.accessResponseListOfData[i]!;
        if (r.type === 'access-response-get') return { ok: true, value };
        if (r.type === 'access-response-action' && value.type !== 'null-data') return { ok: true, value };
        return { ok: true, value: undefined };
      });
    }, idempotent);
  }

  // ---- release and close ---------------------------------------------------------------------------------

  /**
   * Releases the association (RLRQ reason normal → RLRE) and closes the link. In a ciphered context the
   * RLRQ carries the InitiateRequest ciphered as in the AARQ (glo-initiateRequest), so the server can
   * authenticate the release. A server that does not answer within the response timeout, or closes, still
   * ends with the link closed; the error is then thrown.
   */
  release(): Promise<void> {
    const task = async (): Promise<void> => {
      const s = this.#session;
      if (!s || this.#released) return;
      this.#released = true;
      try {
        if (!s.link.isOpen) return;
        const rlrq: Rlrq = { type: 'rlrq', reason: 'normal' };
        if (s.ciphered) {
          const o = this.#options;
          const initiate: InitiateRequest = {
            type: 'initiate-request',
            responseAllowed: true,
            proposedDlmsVersionNumber: 6,
            proposedConformance: [...(o.conformance ?? DEFAULT_CLIENT_CONFORMANCE)],
            clientMaxReceivePduSize: o.maxReceivePduSize ?? 0xffff,
          };
          const policy = o.security?.policy ?? 'auth+enc';
          rlrq.userInformation = {
            type: 'opaque',
            hex: toHex(await this.#protectWith(encodeInitiateRequest(initiate), 'glo', policy)),
          };
        }
        await s.link.send(encodeRlrq(rlrq));
        for (;;) {
          const raw = await this.#receiveRaw(s);
          if (raw[0] === 0x63) {
            const rlre = decodeRlre(raw);
            if (rlre.userInformation?.type === 'opaque' && s.ciphered)
              await this.#unprotectWith(
                fromHex(rlre.userInformation.hex),
                s.serverSystemTitle,
                this.#options.security?.policy ?? 'auth+enc',
                s,
              );
            break;
          }
          this.#emit({ type: 'ignored', reason: `${xdlmsTagName(raw[0] ?? 0)} while releasing` });
        }
        this.#emit({ type: 'released' });
      } finally {
        await this.#closeLink(s);
      }
    };
    const p = this.#queue.then(task, task);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  /** Closes the link without releasing (HDLC: DISC; TCP: end). Idempotent. */
  async close(): Promise<void> {
    const s = this.#session;
    this.#released = true;
    if (s) await this.#closeLink(s);
  }

  async #closeLink(s: Session): Promise<void> {
    const wasOpen = s.link.isOpen;
    await s.link.close();
    if (wasOpen) this.#emit({ type: 'closed', info: await s.link.closed });
  }
}

function dataOf(r: GetDataResult, what: string): Data {
  if ('data' in r) return r.data;
  throw serviceError(what, { kind: 'data-access-result', result: r.dataAccessResult });
}

async function settle<T>(p: Promise<T>): Promise<ListResult<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (isDlmsError(e, 'SERVICE_ERROR')) return { ok: false, error: e };
    throw e;
  }
}

function settleSync<T>(f: () => T): ListResult<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (isDlmsError(e, 'SERVICE_ERROR')) return { ok: false, error: e };
    throw e;
  }
}

/** A with-list GET answered in blocks: the raw data is `SEQUENCE OF Get-Data-Result`. */
function readResultList(raw: Uint8Array): GetDataResult[] {
  const r = new Reader(raw);
  try {
    const n = r.length('result count');
    if (n > r.remaining) r.fail(`${n} results cannot fit in ${r.remaining} octets`);
    const out: GetDataResult[] = [];
    for (let i = 0; i < n; i++) out.push(readGetDataResult(r, (x) => readData(x)));
    r.expectEnd('get-response-with-list blocks');
    return out;
  } catch (e) {
    if (isDlmsError(e, 'INCOMPLETE'))
      throw new DlmsError('MALFORMED', 'the last block ended inside the result list', { cause: e });
    throw e;
  }
}

function refused(aare: Aare): DlmsError {
  const d = aare.resultSourceDiagnostic;
  const ui = aare.userInformation;
  const extra = ui?.type === 'confirmed-service-error' ? `; ${ui.error.kind} ${String(ui.error.value)}` : '';
  return new DlmsError(
    'ASSOCIATION_REFUSED',
    `association ${String(aare.result)} (${d.source}: ${String(d.value)})${extra}`,
    { cause: { result: aare.result, diagnostic: d } },
  );
}
