/**
 * `@ami-interop/dlms/link`: the one interface every DLMS link implements, so that sessions (client and
 * server) do not care whether APDUs travel over the TCP or UDP wrapper, HDLC over TCP, or HDLC over a
 * serial port. A link carries **whole APDUs**: framing, segmentation, HDLC flow control and
 * retransmission are the link's business.
 *
 * Runtime-neutral. Socket and serial implementations live in `@ami-interop/dlms/node`; the in-memory
 * pair here serves tests and simulations in one process.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/** Who talks to whom on a link: the client SAP and the server's logical (and physical) address. */
export interface LinkAddress {
  /** Client SAP: 16 public client, 32 meter reader, 48 utility settings, … (HDLC client address, wrapper wPort). */
  readonly client: number;
  /** Server logical device address (HDLC upper address, wrapper wPort); 1 = management logical device. */
  readonly server: number;
  /** HDLC lower (physical) address, when the link uses one. */
  readonly serverLower?: number;
}

export interface ReceiveOptions {
  /** Reject with `TIMEOUT` after this many milliseconds (default: wait for ever). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Why a link closed, as seen by its user. */
export interface LinkCloseInfo {
  /** `local` when our side called close(), `remote` when the peer closed, `error` on a link failure. */
  readonly by: 'local' | 'remote' | 'error';
  readonly error?: DlmsError;
}

/** A channel that carries whole APDUs between one client and one server. */
export interface ApduLink {
  readonly address: LinkAddress;
  /** True until the link closes (either side, or an error). */
  readonly isOpen: boolean;
  /** Sends one whole APDU. Rejects with `CONNECTION_CLOSED` when the link is closed. */
  send(apdu: Uint8Array): Promise<void>;
  /**
   * The next whole APDU received, in order. Rejects with `TIMEOUT` (the link stays open) or
   * `CONNECTION_CLOSED` (after the peer closed and every APDU already received was taken).
   */
  receive(options?: ReceiveOptions): Promise<Uint8Array>;
  /** Closes the link (HDLC: DISC and wait for UA; TCP: end). Idempotent; never rejects. */
  close(): Promise<void>;
  /** Resolves once the link is closed, with why. */
  readonly closed: Promise<LinkCloseInfo>;
}

/** Accepts links from clients: a TCP listener, a serial port in server mode, or an in-memory hub. */
export interface LinkListener {
  /** Each accepted link, as it arrives. Ends when the listener is closed. */
  accept(): AsyncIterableIterator<ApduLink>;
  /** Stops accepting; links already accepted stay open. Idempotent. */
  close(): Promise<void>;
}

/**
 * A FIFO of received APDUs with waiting receivers, bounded so that a peer that sends without reading
 * cannot make us buffer without limit. Links use it for their receive side.
 */
export class ApduQueue {
  readonly #items: Uint8Array[] = [];
  readonly #waiters: {
    resolve: (a: Uint8Array) => void;
    reject: (e: unknown) => void;
    cleanup: () => void;
  }[] = [];
  #closed: DlmsError | undefined;
  readonly #limit: number;

  constructor(limit = 1024) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Adds a received APDU; `LIMIT_EXCEEDED` when the queue is full (the link should then close). */
  push(apdu: Uint8Array): void {
    if (this.#closed) return;
    const w = this.#waiters.shift();
    if (w) {
      w.cleanup();
      w.resolve(apdu);
      return;
    }
    if (this.#items.length >= this.#limit) {
      throw new DlmsError('LIMIT_EXCEEDED', `more than ${this.#limit} APDUs received and not read`);
    }
    this.#items.push(apdu);
  }

  /** No more APDUs will come: waiting and later receivers get `reason` once the queue is drained. */
  close(reason: DlmsError): void {
    if (this.#closed) return;
    this.#closed = reason;
    for (const w of this.#waiters.splice(0)) {
      w.cleanup();
      w.reject(reason);
    }
  }

  take(options: ReceiveOptions = {}): Promise<Uint8Array> {
    const item = this.#items.shift();
    if (item) return Promise.resolve(item);
    if (this.#closed) return Promise.reject(this.#closed);
    if (options.signal?.aborted) {
      return Promise.reject(new DlmsError('TIMEOUT', 'receive aborted', { cause: options.signal.reason }));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        remove();
        reject(new DlmsError('TIMEOUT', 'receive aborted', { cause: options.signal?.reason }));
      };
      const waiter = {
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      };
      const remove = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        waiter.cleanup();
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          remove();
          reject(new DlmsError('TIMEOUT', `no APDU received within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }
}

class MemoryLink implements ApduLink {
  readonly address: LinkAddress;
  readonly inbox: ApduQueue;
  peer!: MemoryLink;
  #open = true;
  #resolveClosed!: (i: LinkCloseInfo) => void;
  readonly closed: Promise<LinkCloseInfo>;

  constructor(address: LinkAddress, limit: number) {
    this.address = address;
    this.inbox = new ApduQueue(limit);
    this.closed = new Promise((r) => {
      this.#resolveClosed = r;
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async send(apdu: Uint8Array): Promise<void> {
    if (!this.#open) throw new DlmsError('CONNECTION_CLOSED', 'link is closed');
    // Copy: the receiver must not see later changes to the sender's buffer (as on a real wire).
    const copy = apdu.slice();
    await Promise.resolve();
    try {
      this.peer.inbox.push(copy);
    } catch (e) {
      this.peer.shut('error', e as DlmsError);
      this.shut('error', e as DlmsError);
      throw e;
    }
  }

  receive(options?: ReceiveOptions): Promise<Uint8Array> {
    return this.inbox.take(options);
  }

  shut(by: LinkCloseInfo['by'], error?: DlmsError): void {
    if (!this.#open) return;
    this.#open = false;
    this.inbox.close(
      error ?? new DlmsError('CONNECTION_CLOSED', by === 'local' ? 'link closed' : 'peer closed the link'),
    );
    this.#resolveClosed(error ? { by, error } : { by });
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.shut('local');
    this.peer.shut('remote');
  }
}

/**
 * Two connected in-memory links (client side, server side) for tests and one-process simulations. APDUs
 * are delivered asynchronously and in order; closing one side closes the other.
 */
export function createMemoryLinkPair(
  address: LinkAddress,
  options: { queueLimit?: number } = {},
): [ApduLink, ApduLink] {
  const limit = options.queueLimit ?? 1024;
  const a = new MemoryLink(address, limit);
  const b = new MemoryLink(address, limit);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * An in-memory listener: `connect(address)` gives the client side of a new pair and hands the server side
 * to whoever iterates `accept()`.
 */
export class MemoryLinkListener implements LinkListener {
  readonly #pending: ApduLink[] = [];
  readonly #waiters: ((r: IteratorResult<ApduLink>) => void)[] = [];
  #closed = false;

  connect(address: LinkAddress): ApduLink {
    if (this.#closed) throw new DlmsError('CONNECTION_CLOSED', 'listener is closed');
    const [client, server] = createMemoryLinkPair(address);
    const w = this.#waiters.shift();
    if (w) w({ value: server, done: false });
    else this.#pending.push(server);
    return client;
  }

  accept(): AsyncIterableIterator<ApduLink> {
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next(): Promise<IteratorResult<ApduLink>> {
        const p = self.#pending.shift();
        if (p) return Promise.resolve({ value: p, done: false });
        if (self.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => self.#waiters.push(r));
      },
      async return(): Promise<IteratorResult<ApduLink>> {
        return { value: undefined, done: true };
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
  }
}
