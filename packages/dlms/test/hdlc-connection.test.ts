import {
  clientAddress,
  decodeHdlcFrame,
  encodeHdlcFrame,
  HdlcConnection,
  type HdlcEvent,
  type HdlcParameters,
  serverAddress,
} from '@ami-interop/dlms/hdlc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/index.ts';

const C = clientAddress(16);
const S = serverAddress(1);
const GET = fromHex('C001C100080000010000FF0200');

function pair(client: Partial<HdlcParameters> | undefined, server: Partial<HdlcParameters> | undefined) {
  const c = new HdlcConnection({
    role: 'client',
    local: C,
    remote: S,
    ...(client ? { parameters: client } : {}),
  });
  const s = new HdlcConnection({ role: 'server', local: S, ...(server ? { parameters: server } : {}) });
  return { c, s };
}

/**
 * Runs frames between the two stations until both are quiet. `drop(n)` may lose the n-th frame on the
 * line; when the line goes quiet with work pending, the client's timeout fires (as a session would).
 */
function run(
  c: HdlcConnection,
  s: HdlcConnection,
  first: Uint8Array[],
  drop: (n: number) => boolean = () => false,
): { toClient: Uint8Array[]; toServer: Uint8Array[]; events: HdlcEvent[]; frames: number } {
  const toClient: Uint8Array[] = [];
  const toServer: Uint8Array[] = [];
  const events: HdlcEvent[] = [];
  let line: { to: 'c' | 's'; bytes: Uint8Array }[] = first.map((bytes) => ({ to: 's', bytes }));
  let n = 0;
  let timeouts = 0;
  for (;;) {
    while (line.length > 0) {
      const { to, bytes } = line.shift()!;
      if (drop(n++)) continue;
      const st = (to === 's' ? s : c).onFrame(bytes);
      (to === 's' ? toServer : toClient).push(...st.delivered);
      events.push(...st.events);
      checkBurst(to === 's' ? s : c, st.toSend);
      line.push(...st.toSend.map((b) => ({ to: (to === 's' ? 'c' : 's') as 'c' | 's', bytes: b })));
    }
    if (c.pending === 0 && s.pending === 0) break;
    if (++timeouts > 200) throw new Error('no progress');
    line = c.onTimeout().map((bytes) => ({ to: 's' as const, bytes }));
  }
  return { toClient, toServer, events, frames: n };
}

describe('HdlcConnection', () => {
  it('connects with the SNRM vector and negotiates parameters', () => {
    const plain = new HdlcConnection({ role: 'client', local: C, remote: S });
    expect(toHex(plain.connect())).toBe('7EA0070321930F017E');

    const { c, s } = pair(
      { maxInfoTransmit: 512, maxInfoReceive: 1024, windowTransmit: 7, windowReceive: 3 },
      { maxInfoTransmit: 2030, maxInfoReceive: 256, windowTransmit: 1, windowReceive: 7 },
    );
    const snrm = c.connect();
    expect(c.state).toBe('connecting');
    const st = s.onFrame(snrm);
    expect(st.events[0]).toMatchObject({ type: 'connected' });
    expect(s.parameters).toEqual({
      maxInfoTransmit: 1024,
      maxInfoReceive: 256,
      windowTransmit: 1,
      windowReceive: 7,
    });
    const ua = decodeHdlcFrame(st.toSend[0]!);
    expect(ua.control).toEqual({ type: 'UA', pf: true });
    expect(toHex(ua.info!)).toBe('8180140502040006020100070400000001080400000007');
    const ct = c.onFrame(st.toSend[0]!);
    expect(ct.events).toEqual([
      {
        type: 'connected',
        parameters: { maxInfoTransmit: 256, maxInfoReceive: 1024, windowTransmit: 7, windowReceive: 1 },
      },
    ]);
  });

  it('exchanges a GET with LLC headers and N(S)/N(R) as in the vectors', () => {
    const { c, s } = pair(undefined, undefined);
    c.onFrame(s.onFrame(c.connect()).toSend[0]!);
    const [req] = c.send(GET);
    expect(toHex(req!)).toBe(
      toHex(
        encodeHdlcFrame({
          segmented: false,
          destination: S,
          source: C,
          control: { type: 'I', ns: 0, nr: 0, pf: true },
          info: fromHex(`E6E600${toHex(GET)}`),
        }),
      ),
    );
    const got = s.onFrame(req!);
    expect(got.delivered.map((x) => toHex(x))).toEqual([toHex(GET)]);
    expect(got.toSend).toEqual([]); // the server holds the token until the application answers
    const [resp] = s.send(fromHex('C401C1000906000000010203'));
    expect(decodeHdlcFrame(resp!).control).toEqual({ type: 'I', ns: 0, nr: 1, pf: true });
    const back = c.onFrame(resp!);
    expect(back.delivered.map((x) => toHex(x))).toEqual(['C401C1000906000000010203']);
    expect(back.toSend).toEqual([]);
    // release
    const ua = s.onFrame(c.disconnect());
    expect(ua.events).toEqual([{ type: 'disconnected', reason: 'disc' }]);
    expect(c.onFrame(ua.toSend[0]!).events).toEqual([{ type: 'disconnected', reason: 'ua' }]);
    expect(decodeHdlcFrame(s.onFrame(c.disconnect()).toSend[0]!).control.type).toBe('DM');
  });

  it('segments long APDUs both ways, asking for segments with RR', () => {
    const { c, s } = pair({ maxInfoTransmit: 64, maxInfoReceive: 64 }, undefined);
    c.onFrame(s.onFrame(c.connect()).toSend[0]!);
    const apdu = Uint8Array.from({ length: 500 }, (_, i) => i & 0xff);
    const first = c.send(apdu);
    expect(first.length).toBe(1); // window 1
    const f0 = decodeHdlcFrame(first[0]!);
    expect(f0.segmented).toBe(true);
    expect(f0.info!.length).toBe(64);
    const rr = s.onFrame(first[0]!);
    expect(decodeHdlcFrame(rr.toSend[0]!).control).toEqual({ type: 'RR', nr: 1, pf: true });
    const r = run(c, s, c.onFrame(rr.toSend[0]!).toSend);
    expect(r.toServer.map((x) => toHex(x))).toEqual([toHex(apdu)]);
    // and back: the server's segmented answer is pulled by the client's RRs
    const big = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const r2 = run(c, s, []);
    expect(r2.frames).toBe(0);
    // run() let the client time out while the server application was "thinking": the client repeated its
    // last segment, the server discarded it and answered RR, giving up its turn. Its answer now waits for
    // the client's next poll, which runServer() provides through onTimeout().
    expect(s.send(big)).toEqual([]);
    const r3 = runServer(c, s, new Uint8Array(0), new Set(), false);
    expect(r3.map((x) => toHex(x))).toEqual([toHex(big)]);
  });

  const arbParams = fc.record({
    maxInfoTransmit: fc.integer({ min: 16, max: 300 }),
    maxInfoReceive: fc.integer({ min: 16, max: 300 }),
    windowTransmit: fc.integer({ min: 1, max: 7 }),
    windowReceive: fc.integer({ min: 1, max: 7 }),
  });

  it('delivers every APDU in order for any parameters and windows, with lost frames recovered by timeouts', () => {
    fc.assert(
      fc.property(
        arbParams,
        arbParams,
        fc.array(fc.uint8Array({ maxLength: 1500 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }),
        (cp, sp, apdus, losses) => {
          const { c, s } = pair(cp, sp);
          c.onFrame(s.onFrame(c.connect()).toSend[0]!);
          expect(c.state).toBe('connected');
          const lost = new Set(losses);
          const received: string[] = [];
          const answers: string[] = [];
          for (const apdu of apdus) {
            let n = 0;
            const r = run(c, s, c.send(apdu), () => lost.has(n++));
            received.push(...r.toServer.map((x) => toHex(x)));
            // every frame respects the negotiated sizes
            const resp = Uint8Array.from(apdu).reverse();
            const r2 = runServer(c, s, resp, lost);
            answers.push(...r2.map((x) => toHex(x)));
          }
          expect(received).toEqual(apdus.map((x) => toHex(x)));
          expect(answers).toEqual(apdus.map((a) => toHex(Uint8Array.from(a).reverse())));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('accepts the UA vector and sends a window of I-frames with P only on the last', () => {
    const c = new HdlcConnection({
      role: 'client',
      local: C,
      remote: S,
      parameters: { windowTransmit: 3, maxInfoTransmit: 32 },
    });
    c.connect();
    // UA from the vectors, but with the server's window receive 3 (07/08 four-byte values)
    const ua = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'UA', pf: true },
      info: fromHex('818012050180060180070400000001080400000003'),
    });
    expect(c.onFrame(ua).events).toEqual([
      {
        type: 'connected',
        parameters: { maxInfoTransmit: 32, maxInfoReceive: 128, windowTransmit: 3, windowReceive: 1 },
      },
    ]);
    const sent = c.send(new Uint8Array(200)).map(decodeHdlcFrame);
    expect(sent.map((f) => [f.control, f.segmented, f.info!.length])).toEqual([
      [{ type: 'I', ns: 0, nr: 0, pf: false }, true, 32],
      [{ type: 'I', ns: 1, nr: 0, pf: false }, true, 32],
      [{ type: 'I', ns: 2, nr: 0, pf: true }, true, 32],
    ]);
    // the server acknowledged only the first two: go back to N(S) = 2
    const rr = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'RR', nr: 2, pf: true },
    });
    const st = c.onFrame(rr);
    expect(st.events).toEqual([{ type: 'retransmit', from: 2, count: 1 }]);
    expect(st.toSend.map((b) => decodeHdlcFrame(b).control)).toEqual([
      { type: 'I', ns: 2, nr: 0, pf: false },
      { type: 'I', ns: 3, nr: 0, pf: false },
      { type: 'I', ns: 4, nr: 0, pf: true },
    ]);
  });

  it('waits while the peer is busy (RNR) and polls with RR on timeout', () => {
    const { c, s } = pair({ maxInfoTransmit: 32 }, undefined);
    c.onFrame(s.onFrame(c.connect()).toSend[0]!);
    const [first] = c.send(new Uint8Array(100));
    s.onFrame(first!);
    const rnr = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'RNR', nr: 1, pf: true },
    });
    const st = c.onFrame(rnr);
    expect(st.events).toEqual([{ type: 'peer-busy' }]);
    expect(st.toSend).toEqual([]);
    const poll = c.onTimeout().map((b) => decodeHdlcFrame(b).control);
    expect(poll).toEqual([{ type: 'RR', nr: 0, pf: true }]);
    const rr = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'RR', nr: 1, pf: true },
    });
    expect(c.onFrame(rr).toSend.map((b) => decodeHdlcFrame(b).control)).toEqual([
      { type: 'I', ns: 1, nr: 0, pf: true },
    ]);
  });

  it('reports UI frames and FRMR', () => {
    const { c, s } = pair(undefined, undefined);
    c.onFrame(s.onFrame(c.connect()).toSend[0]!);
    const ui = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'UI', pf: false },
      info: fromHex('E6E700C2'),
    });
    expect(c.onFrame(ui).events[0]).toMatchObject({ type: 'ui', info: fromHex('E6E700C2') });
    const frmr = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'FRMR', pf: true },
      info: fromHex('970000'),
    });
    expect(c.onFrame(frmr).events).toEqual([
      { type: 'frame-reject', info: fromHex('970000') },
      { type: 'disconnected', reason: 'frmr' },
    ]);
  });

  it('discards an out-of-sequence I-frame and asks for it again', () => {
    const { c, s } = pair(undefined, undefined);
    c.onFrame(s.onFrame(c.connect()).toSend[0]!);
    const wrong = encodeHdlcFrame({
      segmented: false,
      destination: S,
      source: C,
      control: { type: 'I', ns: 3, nr: 0, pf: true },
      info: fromHex(`E6E600${toHex(GET)}`),
    });
    const st = s.onFrame(wrong);
    expect(st.events).toEqual([{ type: 'sequence-error', expected: 0, received: 3 }]);
    expect(st.delivered).toEqual([]);
    expect(decodeHdlcFrame(st.toSend[0]!).control).toEqual({ type: 'RR', nr: 0, pf: true });
  });

  it('answers DM to frames while disconnected, ignores other stations and bad N(R)', () => {
    const { c, s } = pair(undefined, undefined);
    const i = encodeHdlcFrame({
      segmented: false,
      destination: S,
      source: C,
      control: { type: 'RR', nr: 0, pf: true },
    });
    expect(decodeHdlcFrame(s.onFrame(i).toSend[0]!).control.type).toBe('DM');
    const other = encodeHdlcFrame({
      segmented: false,
      destination: serverAddress(2),
      source: C,
      control: { type: 'SNRM', pf: true },
    });
    expect(s.onFrame(other).events[0]).toMatchObject({ type: 'ignored' });
    c.onFrame(s.onFrame(c.connect()).toSend[0]!);
    const badNr = encodeHdlcFrame({
      segmented: false,
      destination: S,
      source: C,
      control: { type: 'RR', nr: 5, pf: true },
    });
    expect(s.onFrame(badNr).events[0]).toMatchObject({ type: 'error' });
    // a refused connection
    const c2 = new HdlcConnection({ role: 'client', local: C, remote: S });
    c2.connect();
    const dm = encodeHdlcFrame({
      segmented: false,
      destination: C,
      source: S,
      control: { type: 'DM', pf: true },
    });
    expect(c2.onFrame(dm).events).toEqual([{ type: 'disconnected', reason: 'dm' }]);
    expect(c2.state).toBe('disconnected');
    expect(c2.onFrame(fromHex('7E00')).events[0]).toMatchObject({ type: 'error' });
  });
});

/** What one station sends at once respects its negotiated window and information field length. */
function checkBurst(sender: HdlcConnection, frames: Uint8Array[]): void {
  const { maxInfoTransmit, windowTransmit } = sender.parameters;
  const iFrames = frames.map(decodeHdlcFrame).filter((f) => f.control.type === 'I');
  expect(iFrames.length).toBeLessThanOrEqual(windowTransmit);
  for (const f of iFrames) expect(f.info?.length ?? 0).toBeLessThanOrEqual(maxInfoTransmit);
  // the poll/final bit is set on the last frame of a burst only
  expect(iFrames.map((f) => f.control.pf)).toEqual(iFrames.map((_, k) => k === iFrames.length - 1));
}

/** Sends `resp` from the server (when it holds the token) and runs until the client has it. */
function runServer(
  c: HdlcConnection,
  s: HdlcConnection,
  resp: Uint8Array,
  lost: Set<number>,
  send = true,
): Uint8Array[] {
  // frame numbers on this leg continue from 30, so the losses drawn for the request leg hit other frames
  let n = 30;
  const out = send ? s.send(resp) : [];
  checkBurst(s, out);
  const got: Uint8Array[] = [];
  let line: { to: 'c' | 's'; bytes: Uint8Array }[] = out.map((bytes) => ({ to: 'c', bytes }));
  for (let t = 0; t < 200; t++) {
    while (line.length > 0) {
      const { to, bytes } = line.shift()!;
      if (lost.has(n++)) continue;
      const st = (to === 's' ? s : c).onFrame(bytes);
      if (to === 'c') got.push(...st.delivered);
      checkBurst(to === 's' ? s : c, st.toSend);
      line.push(...st.toSend.map((b) => ({ to: (to === 's' ? 'c' : 's') as 'c' | 's', bytes: b })));
    }
    if (got.length > 0 && s.pending === 0 && c.pending === 0) return got;
    line = c.onTimeout().map((bytes) => ({ to: 's' as const, bytes }));
  }
  throw new Error('no progress');
}
