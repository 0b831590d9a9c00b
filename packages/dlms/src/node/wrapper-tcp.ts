/**
 * DLMS/COSEM over TCP with the IEC 62056-47 wrapper (port 4059 by convention): {@link connectTcpWrapper}
 * (client) and {@link listenTcpWrapper} (server). One TCP connection carries one association. A wrapper
 * error (bad version, oversized length, wPorts that do not match the link) closes the socket: the wrapper
 * has no checksum to resynchronise on, and TCP neither loses nor corrupts bytes, so the peer is broken.
 *
 * @module
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { DlmsError } from '../errors.ts';
import type { LinkAddress, LinkListener } from '../link/index.ts';
import { WrapperDeframer } from '../wrapper/deframer.ts';
import { encodeWrapperFrame } from '../wrapper/frame.ts';
import { AcceptQueue, BaseLink, endSocket, socketError } from './base.ts';

export interface WrapperLinkOptions {
  /** Largest APDU accepted (default 65535). */
  maxApduLength?: number;
  /** Received APDUs held unread before the link closes with `LIMIT_EXCEEDED` (default 1024). */
  queueLimit?: number;
  /**
   * Keep-alive hook: called after `idleMs` without traffic in either direction (the session decides what
   * to do, e.g. GET the clock; the wrapper itself has no keep-alive frame).
   */
  onIdle?: () => void;
  idleMs?: number;
}

export interface TcpWrapperConnectOptions extends WrapperLinkOptions {
  host: string;
  port: number;
  /** Client SAP (wrapper source wPort), e.g. 16, 32, 48. */
  client: number;
  /** Server logical device (destination wPort), usually 1. */
  server: number;
  /** Connection timeout (default 10 000 ms): `TIMEOUT`. */
  connectTimeoutMs?: number;
}

class TcpWrapperLink extends BaseLink {
  readonly #socket: Socket;
  readonly #deframer: WrapperDeframer;
  readonly #role: 'client' | 'server';
  readonly #options: WrapperLinkOptions;
  #known: boolean;
  #onFirst: ((l: TcpWrapperLink) => void) | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    socket: Socket,
    role: 'client' | 'server',
    address: LinkAddress | undefined,
    options: WrapperLinkOptions,
    onFirst?: (l: TcpWrapperLink) => void,
  ) {
    super(address ?? { client: 0, server: 0 }, options.queueLimit);
    this.#socket = socket;
    this.#role = role;
    this.#options = options;
    this.#known = address !== undefined;
    this.#onFirst = onFirst;
    this.#deframer = new WrapperDeframer(
      options.maxApduLength === undefined ? {} : { maxApduLength: options.maxApduLength },
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (e) => this.fail(socketError(e, 'TCP socket error')));
    socket.on('close', () => this.shut('remote'));
    this.#touch();
  }

  #touch(): void {
    const { onIdle, idleMs } = this.#options;
    if (!onIdle || !idleMs || !this.isOpen) return;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      this.#idle = undefined;
      try {
        onIdle();
      } finally {
        this.#touch();
      }
    }, idleMs);
  }

  #onData(chunk: Buffer): void {
    this.#touch();
    for (const r of this.#deframer.push(chunk)) {
      if (!this.isOpen) return;
      if (r.kind === 'error') {
        this.fail(r.error);
        return;
      }
      const f = r.frame;
      if (!this.#known) {
        this.address = { client: f.source, server: f.destination };
        this.#known = true;
      }
      const a = this.address;
      const ok =
        this.#role === 'client'
          ? f.source === a.server && f.destination === a.client
          : f.source === a.client && f.destination === a.server;
      if (!ok) {
        this.fail(
          new DlmsError(
            'PROTOCOL_ERROR',
            `wrapper frame from wPort ${f.source} to ${f.destination} does not belong to this link (client ${a.client}, server ${a.server})`,
            { offset: r.offset },
          ),
        );
        return;
      }
      this.deliver(f.apdu);
      if (this.#onFirst) {
        const cb = this.#onFirst;
        this.#onFirst = undefined;
        cb(this);
      }
    }
  }

  async send(apdu: Uint8Array): Promise<void> {
    this.requireOpen();
    const a = this.address;
    const frame =
      this.#role === 'client'
        ? encodeWrapperFrame({ source: a.client, destination: a.server, apdu })
        : encodeWrapperFrame({ source: a.server, destination: a.client, apdu });
    this.#touch();
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(frame, (e) => (e ? reject(socketError(e, 'TCP write failed')) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.isOpen) {
      this.shut('local');
    }
    await this.closed;
  }

  protected cleanup(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = undefined;
    endSocket(this.#socket);
  }
}

/** Opens a TCP connection and returns the wrapper link on it. */
export function connectTcpWrapper(options: TcpWrapperConnectOptions): Promise<TcpWrapperLink> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DlmsError('TIMEOUT', `TCP connect to ${options.host}:${options.port} timed out`));
    }, options.connectTimeoutMs ?? 10_000);
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(socketError(e, `TCP connect to ${options.host}:${options.port}`));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(
        new TcpWrapperLink(socket, 'client', { client: options.client, server: options.server }, options),
      );
    });
  });
}

export interface TcpWrapperListenOptions extends WrapperLinkOptions {
  host?: string;
  /** 0 for an ephemeral port (see `port` on the result). */
  port: number;
  /** Accept only these server wPorts (logical devices); any by default. */
  servers?: readonly number[];
}

/** A TCP wrapper listener; `port` is the bound port. */
export interface TcpWrapperListener extends LinkListener {
  readonly port: number;
}

/**
 * Listens for wrapper connections. Each accepted socket becomes one link once its first frame arrives
 * (its wPorts fix the link's address; that first APDU is the first one `receive()` returns).
 */
export function listenTcpWrapper(options: TcpWrapperListenOptions): Promise<TcpWrapperListener> {
  const accepted = new AcceptQueue<TcpWrapperLink>();
  const server: Server = createServer((socket) => {
    if (accepted.ended) {
      socket.destroy();
      return;
    }
    // A connection that never sends a frame is held until the listener closes.
    const link = new TcpWrapperLink(socket, 'server', undefined, options, (l) => {
      pending.delete(l);
      if (options.servers && !options.servers.includes(l.address.server)) {
        void l.close();
        return;
      }
      accepted.push(l);
    });
    pending.add(link);
    void link.closed.then(() => pending.delete(link));
  });
  const pending = new Set<TcpWrapperLink>();
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(socketError(e, 'TCP listen')));
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : options.port;
      resolve({
        port,
        accept: () => accepted.iterator(),
        close: async () => {
          if (accepted.ended) return;
          accepted.end();
          // Connections that never became links are dropped; accepted links stay open.
          for (const l of pending) void l.close();
          // Stops listening now; the callback would wait for the accepted links, which stay open.
          server.close();
        },
      });
    });
  });
}
