/**
 * Configuration and event types of {@link DlmsServer}: one {@link ServerAssociation} per client SAP (IS 15959:
 * 16 public client, 32 meter reader, 48 utility settings, 64 push, 80 firmware), each with its
 * authentication, security policy, keys, conformance, PDU size and access rights.
 *
 * @module
 */

import type { Conformance } from '../apdu/conformance.ts';
import type { AccessRights } from '../cosem/association-ln.ts';
import type { AttributeAccessMode, CosemObject, MethodAccessMode } from '../cosem/object.ts';
import type { DlmsError } from '../errors.ts';
import type { Obis } from '../obis/index.ts';
import type { InvocationCounterStore } from '../security/counter.ts';
import type { Hls2Processor, RandomSource } from '../security/hls.ts';

/**
 * How a client authenticates to an association (the AARQ `mechanism-name`):
 *
 * | mechanism | id | what the client proves |
 * |---|---|---|
 * | `none` | 0 (lowest) | nothing |
 * | `lls` | 1 (low) | the password, in the AARQ's calling-authentication-value |
 * | `hls` | 2 (high) | f(StoC) = `processor(StoC, secret)` (default AES-128-ECB, see `hls2AesEcb`) |
 * | `hls-md5` | 3 | MD5(StoC ‖ secret) |
 * | `hls-sha1` | 4 | SHA-1(StoC ‖ secret) |
 * | `hls-gmac` | 5 | SC ‖ IC ‖ GMAC(SC ‖ AK ‖ StoC) with the association's keys and the client system title |
 * | `hls-sha256` | 6 | SHA-256(secret ‖ ST-C ‖ ST-S ‖ StoC ‖ CtoS) |
 *
 * HLS mechanisms (2–6) are the four-pass exchange: AARQ carries CtoS, the AARE StoC (result accepted,
 * diagnostic authentication-required), then the client calls `reply_to_HLS_authentication` (Association LN
 * method 1) with f(StoC) and receives f(CtoS). Until then only that method may be invoked.
 */
export type ServerAuthentication =
  | { mechanism: 'none' }
  | { mechanism: 'lls'; password: Uint8Array }
  | { mechanism: 'hls'; secret: Uint8Array; processor?: Hls2Processor }
  | { mechanism: 'hls-md5' | 'hls-sha1' | 'hls-sha256'; secret: Uint8Array }
  | { mechanism: 'hls-gmac' };

/** The keys of a ciphered association (security suite 0: 16-byte AES keys). */
export interface ServerKeys {
  /** Global unicast encryption key (block cipher key). */
  ek: Uint8Array;
  /** Authentication key. */
  ak: Uint8Array;
  /** Global broadcast encryption key, if the association accepts broadcast-key APDUs. */
  bek?: Uint8Array;
}

/**
 * The security policy of an association's Security setup object (version 0): `none` takes only plain
 * xDLMS APDUs and the `ln` application context; the others take only glo-/ded-/general-glo-/general-ded-
 * ciphered APDUs protected with exactly that policy, and the `ln-ciphered` context.
 */
export type ServerSecurityPolicy = 'none' | 'auth' | 'enc' | 'auth+enc';

/** What a client may do on an attribute or a method, by index (anything absent is `no-access`). */
export interface ServerAccessRights {
  attributes?: Readonly<Record<number, AttributeAccessMode | undefined>>;
  methods?: Readonly<Record<number, MethodAccessMode | undefined>>;
}

/** One association the server offers, chosen by the client SAP of the link it arrives on. */
export interface ServerAssociation {
  /** Client SAP (link address `client`). */
  clientSap: number;
  /**
   * Logical name of this association's Association LN object (default `0.0.40.0.<n>.255` after IS 15959:
   * 16 → 1, 32 → 2, 48 → 3, 64 → 4, 80 → 5, any other SAP → its index in `associations` + 1). When the
   * object set already holds an Association LN object with that name, it is used (its rights and
   * visibility); otherwise the server creates one. `0.0.40.0.0.255` always means the current association.
   */
  logicalName?: Obis | string;
  authentication: ServerAuthentication;
  /** Default `none`. */
  securityPolicy?: ServerSecurityPolicy;
  /** Required when `securityPolicy` is not `none`, and for `hls-gmac`. */
  keys?: ServerKeys;
  /** The services the server offers on this association; the negotiated block is its intersection with the client's. */
  conformance: Conformance;
  /** server-max-receive-pdu-size, sent in the InitiateResponse (default 1024). */
  maxReceivePduSize?: number;
  /**
   * Access rights of an object in this association; `undefined` means the class defaults (see
   * `defaultAccessRights`). Either the standard's numeric form or {@link ServerAccessRights} by name.
   */
  rights?: (object: CosemObject) => AccessRights | ServerAccessRights | undefined;
  /** Whether an object is in this association's object_list at all (default: all). Invisible = object-undefined. */
  visible?: (object: CosemObject) => boolean;
  /**
   * The smallest client-max-receive-pdu-size accepted (default 12, below which not even a get-response
   * with a short value fits); smaller gives the InitiateError pdu-size-too-short.
   */
  minClientPduSize?: number;
}

/** Where a session is: no association, HLS pending (AARE sent, reply_to_HLS_authentication not yet), associated. */
export type SessionState = 'idle' | 'pending-hls' | 'associated' | 'closed';

/** What the server knows about one link, for events. */
export interface SessionInfo {
  /** Increasing per server, from 1. */
  readonly id: number;
  /** The link's client SAP. */
  readonly clientSap: number;
  /** The client system title from the AARQ (ciphered contexts and HLS-GMAC), when given. */
  readonly clientSystemTitle: Uint8Array | undefined;
  readonly state: SessionState;
}

/** Why an association ended. */
export type ReleaseReason = 'rlrq' | 'link-closed' | 'timeout' | 'error' | 'server-closed';

/** What the server reports, for logs and tests. */
export type ServerEvent =
  | { type: 'associated'; session: SessionInfo; mechanism: ServerAuthentication['mechanism'] }
  | { type: 'released'; session: SessionInfo; reason: ReleaseReason; error?: DlmsError }
  | {
      type: 'request';
      session: SessionInfo;
      /** The plain APDU's type, e.g. `get-request-normal`, `aarq`, `rlrq`. */
      apdu: string;
      ciphered: boolean;
    }
  | {
      type: 'refused';
      session: SessionInfo;
      /** What was refused: an AARQ, a request (answered with a refusal), or an APDU that was dropped. */
      what: 'aarq' | 'request' | 'apdu';
      reason: string;
      error?: DlmsError;
    };

/** Options of {@link DlmsServer}. */
export interface DlmsServerOptions {
  /** The server's COSEM objects (a `CosemObjectSet` is used as is; Association LN objects are added to it). */
  objects: Iterable<CosemObject>;
  associations: readonly ServerAssociation[];
  /** The server system title (8 bytes); required when an association is ciphered or uses HLS-GMAC. */
  systemTitle?: Uint8Array;
  /**
   * Invocation counters: the server's own (sent) and the clients' (received, replay protection). Default a
   * fresh in-memory store. Slots are keyed `sap<N>` per association.
   */
  counterStore?: InvocationCounterStore;
  /** Clock for objects (default `() => new Date()`). */
  now?: () => Date;
  /** Random source for HLS challenges (default crypto.getRandomValues). */
  random?: RandomSource;
  /** Length of the server's HLS challenge StoC, 8..64 (default 16). */
  challengeLength?: number;
  /** A link that sends nothing for this long is closed and its association freed (default 120 000 ms). */
  inactivityTimeoutMs?: number;
  /** GBT window the server advertises when it receives blocks (default 1). */
  gbtWindow?: number;
  /** Cap on a reassembled block-transfer request (default 1 MiB). */
  maxReassembledSize?: number;
  /** Called for every {@link ServerEvent}; exceptions it throws are ignored. */
  onEvent?: (event: ServerEvent) => void;
}
