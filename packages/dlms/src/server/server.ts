/**
 * `DlmsServer`: the meter's side of DLMS/COSEM sessions over any `ApduLink` (memory, TCP/UDP wrapper, HDLC).
 *
 * ```ts
 * const server = new DlmsServer({ objects, associations, systemTitle });
 * void server.serve(listener);        // one session per accepted link
 * …
 * await server.close();               // stops listening, ends every session, frees every association
 * ```
 *
 * A session's behaviour (AARQ checks and AARE diagnostics, refusals, block transfer, ciphering and replay
 * handling) is documented in `session.ts`. State is per server instance and per session; nothing at
 * module level.
 *
 * @module
 */
import { encodeXdlmsApdu } from '../apdu/index.ts';
import type { CosemObject } from '../cosem/object.ts';
import { CosemObjectSet } from '../cosem/object-set.ts';
import { type ActionResult, CosemServiceError, type DataAccessResult } from '../cosem/results.ts';
import { DlmsError } from '../errors.ts';
import type { ApduLink, LinkListener } from '../link/index.ts';
import { protectApdu } from '../security/ciphered-apdu.ts';
import { type InvocationCounterStore, MemoryInvocationCounterStore } from '../security/counter.ts';
import type { RandomSource } from '../security/hls.ts';
import { type ResolvedAssociation, resolveAssociation } from './association.ts';
import type { ServerCore } from './core.ts';
import { type PushOptions, type PushSetupLike, pushBody } from './push.ts';
import { Session } from './session.ts';
import type { DlmsServerOptions, ServerEvent, SessionInfo } from './types.ts';

/** A link to push to, or how to open one (the link opened is closed after the push). */
export type PushTarget = ApduLink | { connect: () => Promise<ApduLink> };

export class DlmsServer implements ServerCore {
  readonly objects: CosemObjectSet;
  readonly associations: ReadonlyMap<number, ResolvedAssociation>;
  readonly systemTitle: Uint8Array | undefined;
  readonly counters: InvocationCounterStore;
  readonly now: () => Date;
  readonly random: RandomSource | undefined;
  readonly challengeLength: number;
  readonly inactivityTimeoutMs: number;
  readonly gbtWindow: number;
  readonly maxReassembledSize: number;
  readonly #onEvent: ((e: ServerEvent) => void) | undefined;
  readonly #sessions = new Set<Session>();
  readonly #runs = new Set<Promise<void>>();
  readonly #listeners = new Set<LinkListener>();
  #nextId = 1;
  #nextPushId = 0;
  #closed = false;

  constructor(options: DlmsServerOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new DlmsError('INVALID_ARGUMENT', 'DlmsServer options must be an object');
    }
    this.objects =
      options.objects instanceof CosemObjectSet ? options.objects : new CosemObjectSet(options.objects ?? []);
    if (options.systemTitle !== undefined) {
      if (!(options.systemTitle instanceof Uint8Array) || options.systemTitle.length !== 8) {
        throw new DlmsError('INVALID_ARGUMENT', 'systemTitle must be 8 bytes');
      }
    }
    this.systemTitle = options.systemTitle?.slice();
    const map = new Map<number, ResolvedAssociation>();
    if (!Array.isArray(options.associations) || options.associations.length === 0) {
      throw new DlmsError('INVALID_ARGUMENT', 'associations must be a non-empty array');
    }
    options.associations.forEach((a, i) => {
      const r = resolveAssociation(a, i, this.objects, this.systemTitle);
      if (map.has(r.clientSap)) {
        throw new DlmsError('INVALID_ARGUMENT', `two associations for client SAP ${r.clientSap}`);
      }
      map.set(r.clientSap, r);
    });
    this.associations = map;
    this.counters = options.counterStore ?? new MemoryInvocationCounterStore();
    this.now = options.now ?? (() => new Date());
    this.random = options.random;
    this.challengeLength = options.challengeLength ?? 16;
    if (!Number.isInteger(this.challengeLength) || this.challengeLength < 8 || this.challengeLength > 64) {
      throw new DlmsError('INVALID_ARGUMENT', 'challengeLength must be 8..64');
    }
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 120_000;
    this.gbtWindow = options.gbtWindow ?? 1;
    this.maxReassembledSize = options.maxReassembledSize ?? 1024 * 1024;
    this.#onEvent = options.onEvent;
  }

  /** The sessions running now. */
  get sessions(): SessionInfo[] {
    return [...this.#sessions].map((s) => s.info());
  }

  /**
   * Accepts links from `listener` and runs one session per link, until the listener ends or the server
   * closes. Resolves when accepting stops (sessions already running go on until they end).
   */
  async serve(listener: LinkListener): Promise<void> {
    if (this.#closed) throw new DlmsError('CONNECTION_CLOSED', 'server is closed');
    this.#listeners.add(listener);
    try {
      for await (const link of listener.accept()) {
        if (this.#closed) {
          await link.close();
          break;
        }
        void this.handle(link);
      }
    } finally {
      this.#listeners.delete(listener);
    }
  }

  /** Runs a session on one link; resolves when it ends (never rejects). */
  handle(link: ApduLink): Promise<void> {
    if (this.#closed) {
      void link.close();
      return Promise.resolve();
    }
    const s = new Session(this, link, this.#nextId++);
    this.#sessions.add(s);
    const run = s.run().catch(() => undefined);
    this.#runs.add(run);
    void run.finally(() => this.#runs.delete(run));
    return run;
  }

  /**
   * Sends one data-notification built from `setup`'s push_object_list (see `push.ts`), optionally
   * protected. Returns the APDU sent.
   */
  async push(target: PushTarget, setup: PushSetupLike, options: PushOptions = {}): Promise<Uint8Array> {
    const body = pushBody(setup, this.objects, { now: this.now, objects: this.objects });
    const id = this.#nextPushId;
    this.#nextPushId = (this.#nextPushId + 1) & 0xffffff;
    let apdu: Uint8Array = encodeXdlmsApdu({
      type: 'data-notification',
      longInvokeIdAndPriority: {
        longInvokeId: id,
        selfDescriptive: 'not-self-descriptive',
        processingOption: 'continue-on-error',
        serviceClass: 'unconfirmed',
        priority: 'normal',
      },
      ...(options.dateTime ? { dateTime: options.dateTime } : {}),
      notificationBody: body,
    });
    const sec = options.security;
    if (sec !== undefined) {
      if (this.systemTitle === undefined) {
        throw new DlmsError('INVALID_ARGUMENT', 'a protected push needs the server systemTitle');
      }
      apdu = protectApdu(apdu, {
        policy: sec.policy,
        ek: sec.ek,
        ak: sec.ak,
        dk: sec.dk,
        systemTitle: this.systemTitle,
        invocationCounter: await this.counters.next(this.systemTitle, sec.keyId ?? 'push'),
        kind: sec.kind ?? 'general-glo',
      });
    }
    if ('connect' in target && !('send' in target)) {
      const link = await target.connect();
      try {
        await link.send(apdu);
      } finally {
        await link.close();
      }
    } else {
      await (target as ApduLink).send(apdu);
    }
    return apdu;
  }

  /** Stops every listener, ends every session (closing its link) and waits for them. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#listeners].map((l) => l.close()));
    for (const s of this.#sessions) s.stop();
    await Promise.all([...this.#runs]);
  }

  emit(event: ServerEvent): void {
    if (this.#onEvent === undefined) return;
    try {
      this.#onEvent(event);
    } catch {
      // A failing log callback must not break a session.
    }
  }

  refusal(
    service: 'get' | 'set' | 'action',
    result: DataAccessResult | ActionResult,
    message: string,
    cause?: unknown,
  ): CosemServiceError {
    return new CosemServiceError(service, result, message, { cause });
  }

  sessionEnded(session: object): void {
    this.#sessions.delete(session as Session);
  }
}

export type { CosemObject };
