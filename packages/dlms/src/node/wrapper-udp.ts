/**
 * DLMS/COSEM over UDP with the IEC 62056-47 wrapper: one datagram carries one wrapper frame.
 * {@link connectUdpWrapper} is the client; {@link listenUdpWrapper} gives one link per remote
 * address + port. UDP loses datagrams: the session's response timeout is the only recovery. A datagram
 * that is not a whole wrapper frame, or whose wPorts do not belong to the link, is dropped (counted in
 * `dropped`), not fatal: on UDP anyone can send anything.
 *
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { DlmsError } from '../errors.ts';
import type { LinkAddress, LinkListener } from '../link/index.ts';
import { decodeWrapperFrame, encodeWrapperFrame } from '../wrapper/frame.ts';
import { AcceptQueue, BaseLink, socketError } from './base.ts';

class UdpWrapperLink extends BaseLink {
  readonly #send: (b: Uint8Array) => Promise<void>;
  readonly #role: 'client' | 'server';
  readonly #onClose: () => void;
  dropped = 0;

  constructor(
    address: LinkAddress,
    role: 'client' | 'server',
    send: (b: Uint8Array) => Promise<void>,
    onClose: () => void,
    queueLimit?: number,
  ) {
    super(address, queueLimit);
    this.#role = role;
    this.#send = send;
    this.#onClose = onClose;
  }

  onDatagram(msg: Uint8Array): void {
    let f: ReturnType<typeof decodeWrapperFrame>;
    try {
      f = decodeWrapperFrame(msg);
    } catch {
      this.dropped++;
      return;
    }
    const a = this.address;
    const ok =
      this.#role === 'client'
        ? f.source === a.server && f.destination === a.client
        : f.source === a.client && f.destination === a.server;
    if (!ok) {
      this.dropped++;
      return;
    }
    this.deliver(new Uint8Array(f.apdu));
  }

  onTransportError(e: DlmsError): void {
    this.fail(e);
  }

  async send(apdu: Uint8Array): Promise<void> {
    this.requireOpen();
    const a = this.address;
    await this.#send(
      this.#role === 'client'
        ? encodeWrapperFrame({ source: a.client, destination: a.server, apdu })
        : encodeWrapperFrame({ source: a.server, destination: a.client, apdu }),
    );
  }

  async close(): Promise<void> {
    this.shut('local');
    await this.closed;
  }

  protected cleanup(): void {
    this.#onClose();
  }
}

function sendOn(socket: Socket, port?: number, host?: string): (b: Uint8Array) => Promise<void> {
  return (b) =>
    new Promise((resolve, reject) => {
      const done = (e: Error | null): void => (e ? reject(socketError(e, 'UDP send failed')) : resolve());
      if (port === undefined) socket.send(b, done);
      else socket.send(b, port, host, done);
    });
}

export interface UdpWrapperConnectOptions {
  host: string;
  port: number;
  client: number;
  server: number;
  queueLimit?: number;
}

/** A UDP "connection" (a connected datagram socket) carrying wrapper frames. */
export function connectUdpWrapper(options: UdpWrapperConnectOptions): Promise<UdpWrapperLink> {
  const socket = createSocket(isIP(options.host) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (e) => {
      socket.close();
      reject(socketError(e, 'UDP connect'));
    });
    socket.connect(options.port, options.host, () => {
      socket.removeAllListeners('error');
      const link = new UdpWrapperLink(
        { client: options.client, server: options.server },
        'client',
        sendOn(socket),
        () => socket.close(),
        options.queueLimit,
      );
      socket.on('message', (m) => link.onDatagram(m));
      socket.on('error', (e) => link.onTransportError(socketError(e, 'UDP socket error')));
      resolve(link);
    });
  });
}

export interface UdpWrapperListenOptions {
  host?: string;
  port: number;
  queueLimit?: number;
}

export interface UdpWrapperListener extends LinkListener {
  readonly port: number;
}

/** Binds a datagram socket; the first valid wrapper frame from a new address+port yields a new link. */
export function listenUdpWrapper(options: UdpWrapperListenOptions): Promise<UdpWrapperListener> {
  const host = options.host ?? '127.0.0.1';
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  const accepted = new AcceptQueue<UdpWrapperLink>();
  const links = new Map<string, UdpWrapperLink>();
  let socketClosed = false;
  const maybeCloseSocket = (): void => {
    if (accepted.ended && links.size === 0 && !socketClosed) {
      socketClosed = true;
      socket.close();
    }
  };
  socket.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}|${rinfo.port}`;
    let link = links.get(key);
    if (!link) {
      if (accepted.ended) return;
      let f: ReturnType<typeof decodeWrapperFrame>;
      try {
        f = decodeWrapperFrame(msg);
      } catch {
        return;
      }
      const l = new UdpWrapperLink(
        { client: f.source, server: f.destination },
        'server',
        sendOn(socket, rinfo.port, rinfo.address),
        () => {
          links.delete(key);
          maybeCloseSocket();
        },
        options.queueLimit,
      );
      link = l;
      links.set(key, l);
      l.onDatagram(msg);
      accepted.push(l);
      return;
    }
    link.onDatagram(msg);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', (e) => reject(socketError(e, 'UDP bind')));
    socket.bind(options.port, host, () => {
      resolve({
        port: socket.address().port,
        accept: () => accepted.iterator(),
        close: async () => {
          accepted.end();
          maybeCloseSocket();
        },
      });
    });
  });
}
