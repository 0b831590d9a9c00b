/**
 * HDLC over TCP: what a cellular module in transparent mode carries (IEC 62056-46 frames on a TCP byte
 * stream). {@link connectTcpHdlc} is the client (SNRM/UA with parameter negotiation, then I-frames);
 * {@link listenTcpHdlc} the server (each socket becomes a link once the client's SNRM is answered).
 *
 * @module
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { DlmsError } from '../errors.ts';
import { clientAddress, type HdlcAddress, serverAddress } from '../hdlc/address.ts';
import type { LinkListener } from '../link/index.ts';
import { AcceptQueue, endSocket, socketError } from './base.ts';
import { type ByteChannel, type HdlcLinkOptions, HdlcStreamLink } from './hdlc-link.ts';

export interface TcpHdlcConnectOptions extends HdlcLinkOptions {
  host: string;
  port: number;
  /** Client SAP (one-byte HDLC client address). */
  client: number;
  /** Server upper HDLC address (logical device, usually 1). */
  server: number;
  /** Server lower HDLC address (physical device; IS 15959 meters often use 256). */
  serverLower?: number;
  connectTimeoutMs?: number;
}

export function socketChannel(socket: Socket): ByteChannel {
  return {
    write: (b) => {
      if (!socket.destroyed) socket.write(b);
    },
    destroy: () => endSocket(socket),
  };
}

/** Wires a socket to an HDLC link (data in, close and errors). */
export function attachSocket(socket: Socket, link: HdlcStreamLink): void {
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => link.onBytes(chunk));
  socket.on('error', (e) => link.onTransportClosed(socketError(e, 'TCP socket error')));
  socket.on('close', () => link.onTransportClosed());
}

/** Connects, runs SNRM/UA, and returns the link (closed again if the set-up fails). */
export function connectTcpHdlc(options: TcpHdlcConnectOptions): Promise<HdlcStreamLink> {
  return new Promise<Socket>((resolve, reject) => {
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
      resolve(socket);
    });
  }).then(async (socket) => {
    const remote = serverAddress(options.server, options.serverLower);
    const address =
      options.serverLower === undefined
        ? { client: options.client, server: options.server }
        : { client: options.client, server: options.server, serverLower: options.serverLower };
    const link = new HdlcStreamLink(
      socketChannel(socket),
      address,
      { role: 'client', local: clientAddress(options.client), remote, proposeParameters: true },
      options,
    );
    attachSocket(socket, link);
    try {
      await link.open();
    } catch (e) {
      await link.close();
      throw e;
    }
    return link;
  });
}

export interface TcpHdlcListenOptions extends HdlcLinkOptions {
  host?: string;
  port: number;
  /** This server's upper HDLC address (default 1). */
  server?: number;
  serverLower?: number;
}

export interface TcpHdlcListener extends LinkListener {
  readonly port: number;
}

/** Listens for HDLC-over-TCP clients; a link is accepted once its SNRM has been answered with UA. */
export function listenTcpHdlc(options: TcpHdlcListenOptions): Promise<TcpHdlcListener> {
  const accepted = new AcceptQueue<HdlcStreamLink>();
  const pending = new Set<HdlcStreamLink>();
  const upper = options.server ?? 1;
  const local: HdlcAddress = serverAddress(upper, options.serverLower);
  const server = createServer((socket) => {
    if (accepted.ended) {
      socket.destroy();
      return;
    }
    const address =
      options.serverLower === undefined
        ? { client: 0, server: upper }
        : { client: 0, server: upper, serverLower: options.serverLower };
    const link = new HdlcStreamLink(
      socketChannel(socket),
      address,
      { role: 'server', local },
      options,
      (l) => {
        pending.delete(l);
        accepted.push(l);
      },
    );
    pending.add(link);
    void link.closed.then(() => pending.delete(link));
    attachSocket(socket, link);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(socketError(e, 'TCP listen')));
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const a = server.address();
      resolve({
        port: typeof a === 'object' && a ? a.port : options.port,
        accept: () => accepted.iterator(),
        close: async () => {
          if (accepted.ended) return;
          accepted.end();
          for (const l of pending) void l.close();
          server.close();
        },
      });
    });
  });
}
