/**
 * Invocation counters (IEC 62056-5-3: the IC part of the GCM IV; it must never repeat under one key).
 *
 * **Async-capable interface.** A counter that must survive restarts lives in a database or a file, so the
 * interface's methods may return promises; {@link MemoryInvocationCounterStore} answers synchronously (its
 * results are plain values, which `await` accepts too). `unprotectApdu` itself stays synchronous: use its
 * `counterCheck` option with a synchronous store, or {@link unprotectWithStore}, which awaits the store after
 * the APDU authenticated and before returning the plaintext.
 *
 * Keys are (system title, key id): a sender's counter is per key, and the same peer may use several keys
 * (global unicast, broadcast, dedicated).
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { toHex } from '../internal/hex.ts';
import { assertBytes, assertU32 } from './bytes.ts';
import {
  type SecurityKeys,
  type UnprotectOptions,
  type UnprotectResult,
  unprotectApdu,
} from './ciphered-apdu.ts';

/** The largest invocation counter (u32). */
export const MAX_INVOCATION_COUNTER = 0xffffffff;

export interface InvocationCounterStore {
  /**
   * The counter to send with next, for our own `systemTitle` under `keyId`: strictly greater than every value
   * handed out before (the first call gives the seeded value + 1, or 0). Refuses with `LIMIT_EXCEEDED` once
   * 0xFFFFFFFF has been used: the key must be renewed.
   */
  next(systemTitle: Uint8Array, keyId: string): number | Promise<number>;
  /**
   * Records a received counter of the peer `systemTitle` under `keyId`; refuses with `REPLAYED_COUNTER` a value
   * not strictly greater than the last accepted one. Call it only after the APDU authenticated.
   */
  accept(systemTitle: Uint8Array, keyId: string, invocationCounter: number): void | Promise<void>;
}

function slot(systemTitle: Uint8Array, keyId: string): string {
  assertBytes(systemTitle, 'systemTitle');
  return `${toHex(systemTitle)}/${keyId}`;
}

/** An in-memory store; state is per instance. */
export class MemoryInvocationCounterStore implements InvocationCounterStore {
  readonly #sent = new Map<string, number>();
  readonly #received = new Map<string, number>();

  /** Sets the last counter used for sending (e.g. read from the meter's IC object), so `next` gives +1. */
  seedSent(systemTitle: Uint8Array, keyId: string, lastUsed: number): void {
    assertU32(lastUsed, 'lastUsed');
    this.#sent.set(slot(systemTitle, keyId), lastUsed);
  }

  /** Sets the last counter accepted from a peer (so only greater values are accepted). */
  seedReceived(systemTitle: Uint8Array, keyId: string, lastAccepted: number): void {
    assertU32(lastAccepted, 'lastAccepted');
    this.#received.set(slot(systemTitle, keyId), lastAccepted);
  }

  next(systemTitle: Uint8Array, keyId: string): number {
    const k = slot(systemTitle, keyId);
    const last = this.#sent.get(k);
    const n = last === undefined ? 0 : last + 1;
    if (n > MAX_INVOCATION_COUNTER) {
      throw new DlmsError('LIMIT_EXCEEDED', 'invocation counter exhausted: the key must be renewed');
    }
    this.#sent.set(k, n);
    return n;
  }

  accept(systemTitle: Uint8Array, keyId: string, invocationCounter: number): void {
    assertU32(invocationCounter, 'invocationCounter');
    const k = slot(systemTitle, keyId);
    const last = this.#received.get(k);
    if (last !== undefined && invocationCounter <= last) {
      throw new DlmsError(
        'REPLAYED_COUNTER',
        `invocation counter ${invocationCounter} is not greater than the last accepted (${last})`,
      );
    }
    this.#received.set(k, invocationCounter);
  }

  /** The last counter accepted from a peer, if any. */
  lastReceived(systemTitle: Uint8Array, keyId: string): number | undefined {
    return this.#received.get(slot(systemTitle, keyId));
  }
}

/**
 * {@link unprotectApdu}, then `store.accept(systemTitle, keyId, ic)` (awaited): the plaintext is returned
 * only when the APDU authenticated and its counter was fresh.
 */
export async function unprotectWithStore(
  bytes: Uint8Array,
  keys: SecurityKeys,
  store: InvocationCounterStore,
  keyId: string,
  options: Omit<UnprotectOptions, 'counterCheck'> = {},
): Promise<UnprotectResult> {
  const result = unprotectApdu(bytes, keys, options);
  await store.accept(result.systemTitle, keyId, result.invocationCounter);
  return result;
}
