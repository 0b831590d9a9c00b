/**
 * Options, references, results and events of {@link DlmsClient}.
 *
 * @module
 */
import type { MechanismName } from '../acse/names.ts';
import type { ConformanceBit } from '../apdu/conformance.ts';
import type { SelectiveAccessDescriptor } from '../apdu/selective-access.ts';
import type { Data } from '../axdr/types.ts';
import type { DlmsError } from '../errors.ts';
import type { ApduLink, LinkCloseInfo } from '../link/index.ts';
import type { Obis } from '../obis/index.ts';
import type { CryptoBackend } from '../security/backend.ts';
import type { SecurityPolicy } from '../security/control.ts';
import type { InvocationCounterStore } from '../security/counter.ts';
import type { Hls2Processor, RandomSource } from '../security/hls.ts';

/** A COSEM attribute: class id, logical name (an {@link Obis} or its dotted text) and attribute index. */
export interface AttributeRef {
  classId: number;
  obis: Obis | string;
  attribute: number;
}

/** A COSEM method: class id, logical name and method index. */
export interface MethodRef {
  classId: number;
  obis: Obis | string;
  method: number;
}

/**
 * The authentication mechanism of the association (Green Book mechanism ids 0–6):
 * `none` lowest (0), `lls` low (1, password), `hls` (2, manufacturer specific; see `hls2Processor`),
 * `hls-md5` (3), `hls-sha1` (4), `hls-gmac` (5), `hls-sha256` (6).
 */
export type ClientAuthentication =
  | 'none'
  | 'lls'
  | 'hls'
  | 'hls-md5'
  | 'hls-sha1'
  | 'hls-gmac'
  | 'hls-sha256';

/** The ACSE mechanism name of each {@link ClientAuthentication}. */
export const MECHANISM_OF: Readonly<Record<ClientAuthentication, MechanismName>> = Object.freeze({
  none: 'lowest',
  lls: 'low',
  hls: 'high',
  'hls-md5': 'high-md5',
  'hls-sha1': 'high-sha1',
  'hls-gmac': 'high-gmac',
  'hls-sha256': 'high-sha256',
});

/** Security suite 0 material for a ciphered application context (ln-ciphered). */
export interface ClientSecurity {
  /** The client system title (8 bytes): calling-AP-title and the first half of every IV we use. */
  systemTitle: Uint8Array;
  /** Global unicast encryption key (16 bytes). */
  ek: Uint8Array;
  /** Authentication key (16 bytes). */
  ak: Uint8Array;
  /** Protection of every xDLMS APDU (default `auth+enc`). */
  policy?: SecurityPolicy;
  /**
   * A dedicated key (16 bytes) to send in the ciphered InitiateRequest; when given, service APDUs after the
   * AARE use ded- ciphering with it.
   */
  dedicatedKey?: Uint8Array;
  /**
   * Invocation counters: ours (sent, strictly increasing) and the server's (received, replay refused).
   * Default: a fresh `MemoryInvocationCounterStore` per client, which is right only when nothing else
   * talks to this meter with these keys (see the field recipe, {@link AssociateOptions.invocationCounter}).
   */
  counters?: InvocationCounterStore;
  /**
   * The AES-GCM implementation (default: `defaultBackend` of `@ami-interop/dlms/security`, which is
   * `node:crypto` where the runtime offers it — 2.4× faster on short APDUs, ~60× on 64 KiB, see
   * docs/benchmarks.md — and the portable noble backend elsewhere).
   */
  backend?: CryptoBackend | undefined;
  /** The server system title to expect; otherwise the AARE's responding-AP-title is used. */
  serverSystemTitle?: Uint8Array;
}

/**
 * The field recipe for our invocation counter (IS 15959): before the secured association, open a Public
 * Client association (client SAP 16), read the target association's invocation counter object (class 1
 * Data, `0.0.43.1.x.255` attribute 2, x = 2 meter reader, 3 utility settings, 4 push, 5 firmware) and
 * release; then send with counter + 1. The counter store must be able to seed its sent counter
 * (`MemoryInvocationCounterStore.seedSent`, or any store with a `seedSent` method).
 */
export interface InvocationCounterRecipe {
  /** Opens a link for the Public Client (client SAP 16) to the same server. */
  openPublicLink: () => Promise<ApduLink>;
  /** The counter object; default `0.0.43.1.x.255` from the client SAP of the secured link (32→2 … 80→5). */
  obis?: Obis | string;
}

/** Automatic recovery from `CONNECTION_CLOSED`: re-open the link, re-associate, repeat the request. */
export interface ReconnectPolicy {
  /** Attempts after the first failure (default 3). */
  retries?: number;
  /** First delay, doubled after each attempt (default 500 ms). */
  backoffMs?: number;
  /** Cap on the delay (default 10 000 ms). */
  maxBackoffMs?: number;
  /**
   * Also repeat SET and ACTION (default false: they may have been executed before the link broke, so a
   * repetition could apply them twice; GET is always repeated).
   */
  repeatNonIdempotent?: boolean;
}

export interface AssociateOptions {
  /** Default `none`. */
  authentication?: ClientAuthentication;
  /** LLS password (bytes, or text sent as its ASCII/UTF-8 bytes). */
  password?: Uint8Array | string;
  /** HLS secret for mechanisms 2, 3, 4 and 6. */
  secret?: Uint8Array | string;
  /** Mechanism 2 processor (default AES-128-ECB, see `hls2AesEcb` in `/security`). */
  hls2Processor?: Hls2Processor;
  /** Ciphered context (ln-ciphered) with security suite 0. Required for `hls-gmac`. */
  security?: ClientSecurity;
  /** Read our invocation counter over the Public Client first (IS 15959 field recipe). */
  invocationCounter?: InvocationCounterRecipe;
  /** Proposed conformance (default: get, set, action, selective access, block transfer, multiple references, GBT). */
  conformance?: readonly ConformanceBit[];
  /** client-max-receive-pdu-size (default 0xFFFF). */
  maxReceivePduSize?: number;
  /** The HLS client-to-server challenge (default 16 random bytes); for tests and vectors. */
  challenge?: Uint8Array;
  random?: RandomSource;
  /** Per-response timeout (default 30 000 ms). */
  responseTimeoutMs?: number;
  /** GBT window this client advertises when receiving (1..63, default 1). */
  gbtWindow?: number;
  /**
   * Requests larger than the server's max PDU: `auto` (default) uses service-specific blocks when the
   * negotiated conformance allows them and GBT otherwise; `gbt` prefers GBT when negotiated.
   */
  blockTransfer?: 'auto' | 'gbt';
  /**
   * Invoke-Id-And-Priority of requests: the first invoke-id (default 1; then +1 modulo 16), priority
   * (default high) and service class of GET requests (default confirmed). SET and ACTION are always sent
   * confirmed: their result is what the API returns, and a server does not answer an unconfirmed one.
   */
  invokeId?: { first?: number; priority?: 'normal' | 'high'; serviceClass?: 'confirmed' | 'unconfirmed' };
  /** Session events, as they happen. Exceptions thrown by the callback are ignored. */
  onEvent?: (event: ClientEvent) => void;
}

/** Options of {@link DlmsClient.connect}: association options plus a reconnect policy. */
export interface ConnectOptions extends AssociateOptions {
  reconnect?: ReconnectPolicy;
}

export interface GetOptions {
  selectiveAccess?: SelectiveAccessDescriptor;
}

/** One item of a with-list result. */
export type ListResult<T> = { ok: true; value: T } | { ok: false; error: DlmsError };

/** One item of `DlmsClient.access`: a GET, SET or ACTION (run by the server in the order given). */
export type AccessItem =
  | { get: AttributeRef; selectiveAccess?: SelectiveAccessDescriptor }
  | { set: AttributeRef; value: Data; selectiveAccess?: SelectiveAccessDescriptor }
  | { action: MethodRef; parameters?: Data };

/** What the session reports as it runs. */
export type ClientEvent =
  | {
      type: 'associated';
      conformance: readonly ConformanceBit[];
      serverMaxReceivePduSize: number;
      ciphered: boolean;
      authentication: ClientAuthentication;
    }
  | {
      type: 'block';
      service: 'get' | 'set' | 'action' | 'gbt';
      direction: 'sent' | 'received';
      /** Block number (1-based). */
      n: number;
      /** Total blocks, when known (sending). */
      of?: number;
    }
  | { type: 'retry'; attempt: number; delayMs: number; error: DlmsError }
  | { type: 'released' }
  | { type: 'closed'; info: LinkCloseInfo }
  | { type: 'notification'; apdu: Uint8Array }
  | { type: 'ignored'; reason: string };

/** The values a SET or ACTION carries. */
export type { Data };
