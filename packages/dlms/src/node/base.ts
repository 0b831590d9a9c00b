/**
 * Shared plumbing of the Node links: the receive queue, the `closed` promise, and an async queue of
 * accepted links for listeners.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import {
  type ApduLink,
  ApduQueue,
  type LinkAddress,
  type LinkCloseInfo,
  type ReceiveOptions,
} from '../link/index.ts';

export abstract class BaseLink implements ApduLink {
  address: LinkAddress;
  readonly queue: ApduQueue;
  #open = true;
  #resolveClosed!: (i: LinkCloseInfo) => void;
  readonly closed: Promise<LinkCloseInfo>;

  constructor(address: LinkAddress, queueLimit = 1024) {
    this.address = address;
    this.queue = new ApduQueue(queueLimit);
    this.closed = new Promise((r) => {
      this.#resolveClosed = r;
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  abstract send(apdu: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;

  receive(options?: ReceiveOptions): Promise<Uint8Array> {
    return this.queue.take(options);
  }

  /** Delivers a received APDU; a full queue closes the link with `LIMIT_EXCEEDED`. */
  protected deliver(apdu: Uint8Array): void {
    try {
      this.queue.push(apdu);
    } catch (e) {
      this.fail(e as DlmsError);
    }
  }

  /** Marks the link closed (once), releases receivers, and runs {@link cleanup}. */
  protected shut(by: LinkCloseInfo['by'], error?: DlmsError): void {
    if (!this.#open) return;
    this.#open = false;
    this.queue.close(
      error ?? new DlmsError('CONNECTION_CLOSED', by === 'local' ? 'link closed' : 'peer closed the link'),
    );
    this.cleanup();
    this.#resolveClosed(error ? { by, error } : { by });
  }

  /** A link failure: closes with `by: 'error'`. */
  protected fail(error: DlmsError): void {
    this.shut('error', error);
  }

  /** Clears timers and destroys the transport; called exactly once, when the link closes. */
  protected abstract cleanup(): void;

  protected requireOpen(): void {
    if (!this.#open) throw new DlmsError('CONNECTION_CLOSED', 'link is closed');
  }
}

/** An async queue of accepted links, for `LinkListener.accept()`. */
export class AcceptQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((r: IteratorResult<T>) => void)[] = [];
  #ended = false;

  push(item: T): void {
    const w = this.#waiters.shift();
    if (w) w({ value: item, done: false });
    else this.#items.push(item);
  }

  end(): void {
    this.#ended = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
  }

  get ended(): boolean {
    return this.#ended;
  }

  iterator(): AsyncIterableIterator<T> {
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next(): Promise<IteratorResult<T>> {
        const item = self.#items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (self.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => self.#waiters.push(r));
      },
      async return(): Promise<IteratorResult<T>> {
        return { value: undefined, done: true };
      },
    };
  }
}

/** Wraps a Node socket error as `CONNECTION_CLOSED` (the link is gone) with the cause kept. */
export function socketError(e: unknown, what: string): DlmsError {
  const code = (e as { code?: string })?.code;
  return new DlmsError('CONNECTION_CLOSED', `${what}: ${code ?? (e as Error)?.message ?? String(e)}`, {
    cause: e,
  });
}

/**
 * Ends a socket after what was written is flushed, and destroys it for good at the latest after
 * `graceMs` (a peer that stopped reading cannot hold the handle open).
 */
export function endSocket(
  socket: {
    destroySoon(): void;
    destroy(): void;
    destroyed: boolean;
    once(e: 'close', f: () => void): unknown;
  },
  graceMs = 1000,
): void {
  if (socket.destroyed) return;
  const t = setTimeout(() => socket.destroy(), graceMs);
  t.unref?.();
  socket.once('close', () => clearTimeout(t));
  socket.destroySoon();
}
