import { EventEmitter } from 'node:events';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DlmsError, isDlmsError } from '../src/errors.ts';
import { encodeHdlcFrame, HdlcDeframer } from '../src/hdlc/index.ts';
import type { ApduLink } from '../src/link/index.ts';
import {
  acceptSerialHdlc,
  connectTcpHdlc,
  connectTcpWrapper,
  connectUdpWrapper,
  listenTcpHdlc,
  listenTcpWrapper,
  listenUdpWrapper,
  openSerialHdlc,
  type SerialPortLike,
} from '../src/node/index.ts';
import { encodeIdentificationMessage } from '../src/optical/index.ts';
import { encodeWrapperFrame } from '../src/wrapper/index.ts';

const HOST = '127.0.0.1';

function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}
let baseline: Record<string, number>;
beforeAll(() => {
  baseline = handles();
});
afterAll(async () => {
  // Let close callbacks run, then no socket, server or timer of ours may be left.
  await new Promise((r) => setTimeout(r, 50));
  const now = handles();
  for (const k of ['TCPSocketWrap', 'TCPServerWrap', 'UDPWrap', 'Timeout'])
    expect(now[k] ?? 0, k).toBeLessThanOrEqual(baseline[k] ?? 0);
});

async function first<T>(it: AsyncIterableIterator<T>): Promise<T> {
  const r = await it.next();
  if (r.done) throw new Error('listener ended');
  return r.value;
}

async function rejection(p: Promise<unknown>): Promise<DlmsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DlmsError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const bytes = (n: number, seed = 1): Uint8Array => new Uint8Array(n).map((_, i) => (i * 7 + seed) & 0xff);

async function roundTrip(client: ApduLink, server: ApduLink, sizes: number[]): Promise<void> {
  for (const n of sizes) {
    const a = bytes(n, n);
    await client.send(a);
    expect(await server.receive({ timeoutMs: 5000 })).toEqual(a);
    const b = bytes(n + 3, n + 1);
    await server.send(b);
    expect(await client.receive({ timeoutMs: 5000 })).toEqual(b);
  }
}

describe('TCP wrapper', () => {
  it('round-trips APDUs; the server learns the address from the first frame', async () => {
    const listener = await listenTcpWrapper({ port: 0 });
    const client = await connectTcpWrapper({ host: HOST, port: listener.port, client: 48, server: 1 });
    const accepting = first(listener.accept());
    await client.send(Uint8Array.of(0x60, 0x00));
    const server = await accepting;
    expect(server.address).toEqual({ client: 48, server: 1 });
    expect(await server.receive()).toEqual(Uint8Array.of(0x60, 0x00));
    await roundTrip(client, server, [1, 100, 4000, 65535 - 3]);
    await client.close();
    expect(await client.closed).toEqual({ by: 'local' });
    expect((await server.closed).by).toBe('remote');
    expect((await rejection(server.receive())).code).toBe('CONNECTION_CLOSED');
    await listener.close();
  });

  it('a frame with foreign wPorts closes the link with PROTOCOL_ERROR', async () => {
    const srv = createServer((s) =>
      s.write(encodeWrapperFrame({ source: 7, destination: 48, apdu: Uint8Array.of(1) })),
    );
    await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
    const port = (srv.address() as { port: number }).port;
    const client = await connectTcpWrapper({ host: HOST, port, client: 48, server: 1 });
    const e = await rejection(client.receive({ timeoutMs: 2000 }));
    expect(e.code).toBe('PROTOCOL_ERROR');
    expect((await client.closed).by).toBe('error');
    srv.close();
  });

  it('a bad wrapper version closes the link with MALFORMED; a silent peer gives TIMEOUT', async () => {
    const sockets: Socket[] = [];
    const srv = createServer((s) => {
      sockets.push(s);
      s.on('data', (d) => {
        if (d[8] === 0xaa) s.write(Uint8Array.of(0, 2, 0, 1, 0, 48, 0, 1, 9));
      });
    });
    await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
    const port = (srv.address() as { port: number }).port;
    const silent = await connectTcpWrapper({ host: HOST, port, client: 48, server: 1 });
    await silent.send(Uint8Array.of(0xc0));
    expect((await rejection(silent.receive({ timeoutMs: 100 }))).code).toBe('TIMEOUT');
    expect(silent.isOpen).toBe(true);
    await silent.close();
    const bad = await connectTcpWrapper({ host: HOST, port, client: 48, server: 1 });
    await bad.send(Uint8Array.of(0xaa));
    expect((await rejection(bad.receive({ timeoutMs: 2000 }))).code).toBe('MALFORMED');
    for (const s of sockets) s.destroy();
    srv.close();
  });

  it('connection refused is CONNECTION_CLOSED', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const e = await rejection(connectTcpWrapper({ host: HOST, port, client: 16, server: 1 }));
    expect(e.code).toBe('CONNECTION_CLOSED');
  });
});

describe('UDP wrapper', () => {
  it('one link per remote address and port; garbage datagrams are dropped', async () => {
    const listener = await listenUdpWrapper({ port: 0 });
    const a = await connectUdpWrapper({ host: HOST, port: listener.port, client: 16, server: 1 });
    const b = await connectUdpWrapper({ host: HOST, port: listener.port, client: 32, server: 1 });
    const it = listener.accept();
    await a.send(Uint8Array.of(1, 2, 3));
    const sa = await first(it);
    await b.send(Uint8Array.of(4));
    const sb = await first(it);
    expect(sa.address).toEqual({ client: 16, server: 1 });
    expect(sb.address).toEqual({ client: 32, server: 1 });
    expect(await sa.receive()).toEqual(Uint8Array.of(1, 2, 3));
    expect(await sb.receive()).toEqual(Uint8Array.of(4));
    await roundTrip(a, sa, [10, 1000]);
    await roundTrip(b, sb, [20]);
    await Promise.all([a.close(), b.close(), sa.close(), sb.close(), listener.close()]);
  });
});

/**
 * A TCP proxy that deframes HDLC in both directions and forwards frames re-encoded, dropping those for
 * which `drop(direction, index)` is true.
 */
async function hdlcProxy(target: number, drop: (dir: 'up' | 'down', i: number) => boolean) {
  const socks: Socket[] = [];
  const counts = { up: 0, down: 0, dropped: 0 };
  const srv = createServer((down) => {
    const up = tcpConnect({ host: HOST, port: target });
    socks.push(down, up);
    const pipe = (from: Socket, to: Socket, dir: 'up' | 'down'): void => {
      const d = new HdlcDeframer();
      from.on('data', (c: Buffer) => {
        for (const r of d.push(c)) {
          if (r.kind !== 'frame') continue;
          const i = counts[dir]++;
          if (drop(dir, i)) {
            counts.dropped++;
            continue;
          }
          if (!to.destroyed) to.write(encodeHdlcFrame(r.frame));
        }
      });
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    };
    pipe(down, up, 'up');
    pipe(up, down, 'down');
  });
  await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
  return {
    port: (srv.address() as { port: number }).port,
    counts,
    close: () => {
      for (const s of socks) s.destroy();
      srv.close();
    },
  };
}

describe('HDLC over TCP', () => {
  it('SNRM/UA negotiation, segmentation with small frames and window > 1, DISC/UA on close', async () => {
    const listener = await listenTcpHdlc({
      port: 0,
      server: 1,
      serverLower: 256,
      parameters: { maxInfoReceive: 64, maxInfoTransmit: 48, windowReceive: 3, windowTransmit: 2 },
    });
    const accepting = first(listener.accept());
    const client = await connectTcpHdlc({
      host: HOST,
      port: listener.port,
      client: 48,
      server: 1,
      serverLower: 256,
      parameters: { maxInfoTransmit: 40, maxInfoReceive: 128, windowTransmit: 3, windowReceive: 3 },
    });
    const server = await accepting;
    expect(server.address).toEqual({ client: 48, server: 1, serverLower: 256 });
    const p = client.conn.parameters;
    expect(p.maxInfoTransmit).toBe(40);
    expect(p.windowTransmit).toBe(3);
    expect(p.maxInfoReceive).toBe(48);
    expect(p.windowReceive).toBe(2);
    await roundTrip(client, server, [1, 39, 40, 41, 500, 3000]);
    await client.close();
    expect(await client.closed).toEqual({ by: 'local' });
    expect((await server.closed).by).toBe('remote');
    await listener.close();
  });

  it('recovers lost frames in both directions by timeout and retransmission', async () => {
    const listener = await listenTcpHdlc({
      port: 0,
      parameters: { maxInfoReceive: 32, maxInfoTransmit: 32, windowReceive: 2, windowTransmit: 2 },
    });
    // Drop the 4th and 9th frames going up and the 3rd coming down.
    const proxy = await hdlcProxy(listener.port, (dir, i) => (dir === 'up' ? i === 3 || i === 8 : i === 2));
    const accepting = first(listener.accept());
    const events: string[] = [];
    const client = await connectTcpHdlc({
      host: HOST,
      port: proxy.port,
      client: 32,
      server: 1,
      parameters: { maxInfoTransmit: 32, maxInfoReceive: 32, windowTransmit: 2, windowReceive: 2 },
      responseTimeoutMs: 80,
      retries: 5,
      onEvent: (e) => events.push(e.type),
    });
    const server = await accepting;
    await roundTrip(client, server, [200, 300]);
    expect(proxy.counts.dropped).toBe(3);
    expect(events).toContain('timeout');
    await client.close();
    await listener.close();
    proxy.close();
  });

  it('a peer that stops mid-transfer: TIMEOUT after the retries, link closed, handles freed', async () => {
    // Answers SNRM with UA, then nothing.
    const socks: Socket[] = [];
    const srv = createServer((s) => {
      socks.push(s);
      const d = new HdlcDeframer();
      s.on('data', (c: Buffer) => {
        for (const r of d.push(c))
          if (r.kind === 'frame' && r.frame.control.type === 'SNRM')
            s.write(
              encodeHdlcFrame({
                segmented: false,
                destination: r.frame.source,
                source: r.frame.destination,
                control: { type: 'UA', pf: true },
              }),
            );
      });
    });
    await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
    const port = (srv.address() as { port: number }).port;
    const client = await connectTcpHdlc({
      host: HOST,
      port,
      client: 16,
      server: 1,
      responseTimeoutMs: 40,
      retries: 2,
    });
    await client.send(bytes(300));
    const e = await rejection(client.receive());
    expect(e.code).toBe('TIMEOUT');
    const info = await client.closed;
    expect(info.by).toBe('error');
    expect(isDlmsError(info.error, 'TIMEOUT')).toBe(true);
    await client.close();
    for (const s of socks) s.destroy();
    srv.close();
  });

  it('a server that never answers SNRM: connect fails with TIMEOUT', async () => {
    const socks: Socket[] = [];
    const srv = createServer((s) => socks.push(s));
    await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
    const port = (srv.address() as { port: number }).port;
    const e = await rejection(
      connectTcpHdlc({ host: HOST, port, client: 16, server: 1, responseTimeoutMs: 30, retries: 1 }),
    );
    expect(e.code).toBe('TIMEOUT');
    for (const s of socks) s.destroy();
    srv.close();
  });

  it('keep-alive: RR polls while idle', async () => {
    const listener = await listenTcpHdlc({ port: 0 });
    const accepting = first(listener.accept());
    const events: string[] = [];
    const client = await connectTcpHdlc({
      host: HOST,
      port: listener.port,
      client: 16,
      server: 1,
      keepAliveMs: 30,
      onEvent: (e) => events.push(e.type),
    });
    const server = await accepting;
    await new Promise((r) => setTimeout(r, 120));
    expect(events.filter((e) => e === 'keep-alive').length).toBeGreaterThanOrEqual(2);
    await roundTrip(client, server, [10]);
    await client.close();
    await listener.close();
  });
});

/** Two connected in-process serial ports; `update` records the line settings. */
function fakePortPair(): [FakePort, FakePort] {
  const a = new FakePort();
  const b = new FakePort();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class FakePort extends EventEmitter implements SerialPortLike {
  peer!: FakePort;
  baudRate = 300;
  closed = false;
  updates: number[] = [];
  write(data: Uint8Array, cb?: (e?: Error | null) => void): boolean {
    const copy = Uint8Array.from(data);
    setImmediate(() => {
      if (!this.peer.closed) this.peer.emit('data', copy);
      cb?.(null);
    });
    return true;
  }
  drain(cb: (e?: Error | null) => void): void {
    setImmediate(() => cb(null));
  }
  update(o: { baudRate: number }, cb?: (e?: Error | null) => void): void {
    this.baudRate = o.baudRate;
    this.updates.push(o.baudRate);
    setImmediate(() => cb?.(null));
  }
  close(cb?: (e?: Error | null) => void): void {
    if (this.closed) return;
    this.closed = true;
    setImmediate(() => {
      this.emit('close');
      if (!this.peer.closed) {
        this.peer.closed = true;
        this.peer.emit('close');
      }
      cb?.(null);
    });
  }
}

describe('HDLC over a serial port (fake port pair)', () => {
  it('mode E sign-on, then HDLC', async () => {
    const [clientPort, meterPort] = fakePortPair();
    // The meter: answers the request with an identification offering 9600 Bd (Z = 5) in mode E (\2).
    let ack = '';
    const onSignOn = (c: Uint8Array): void => {
      const s = new TextDecoder().decode(c);
      if (s.startsWith('/?')) {
        meterPort.write(
          encodeIdentificationMessage({
            manufacturer: 'ABC',
            baudChar: '5',
            enhanced: ['2'],
            identification: 'METER01',
          }),
        );
      } else if (s.charCodeAt(0) === 0x06) {
        ack = s;
        meterPort.removeListener('data', onSignOn);
        meterPort.update({ baudRate: 9600 });
      }
    };
    meterPort.on('data', onSignOn);
    const serverLink = acceptSerialHdlc(meterPort, { server: 1, serverLower: 17 });
    const client = await openSerialHdlc(clientPort, { client: 32, server: 1, serverLower: 17, modeE: {} });
    expect(ack).toBe('\x06252\r\n');
    expect(clientPort.updates).toEqual([9600]);
    const server = await serverLink;
    await roundTrip(client, server, [5, 300]);
    await client.close();
    expect(clientPort.closed).toBe(true);
  });
});
