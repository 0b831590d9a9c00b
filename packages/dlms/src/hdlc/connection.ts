/**
 * The HDLC data link of IEC 62056-46 in normal response mode (NRM), as a pure state machine with no
 * I/O and no timers: a session layer feeds it received frames and timeouts and writes out the bytes it
 * returns.
 *
 * Rules implemented (IEC 62056-46 § 6.4.4, Green Book § 8.4.5):
 * - The client is the primary station: it sends commands with the **poll** bit P; the server (secondary)
 *   only transmits when polled and marks the last frame of its answer with the **final** bit F. Whoever
 *   holds the poll/final "token" may send.
 * - Link set-up: SNRM (optionally with proposed parameters) → UA (negotiated parameters) or DM (refused).
 *   Both sequence variables are reset to 0. Release: DISC → UA (or DM when already disconnected).
 * - I-frames carry N(S) and N(R) modulo 8. A sender sends at most `windowTransmit` I-frames, P/F set on
 *   the last of the burst, then waits. N(R) acknowledges every frame before it.
 * - Segmentation: an APDU (with its LLC header) longer than `maxInfoTransmit` goes out in I-frames with
 *   the segmentation bit set on all but the last. A receiver that gets a polled segmented frame (S = 1
 *   with P/F = 1) answers RR with its N(R) (and P/F = 1) to ask for the next segments.
 * - An I-frame with an unexpected N(S) is discarded (its N(R) still acknowledges); when polled, the
 *   receiver answers RR with the N(S) it expects, and the sender goes back to that frame and retransmits
 *   from there (go-back-N). An RR/I answer whose N(R) does not acknowledge everything sent also triggers
 *   the retransmission. An N(R) outside the window of unacknowledged frames is a protocol error.
 * - RNR from the peer: it is busy; the client polls again on its next timeout with RR.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { type HdlcAddress, sameAddress } from './address.ts';
import type { HdlcControl } from './control.ts';
import { decodeHdlcFrame, encodeHdlcFrame, type HdlcFrame } from './frame.ts';
import { addLlc, stripLlc } from './llc.ts';
import {
  decodeHdlcParameters,
  encodeHdlcParameters,
  HDLC_DEFAULT_PARAMETERS,
  type HdlcParameters,
  negotiateHdlcParameters,
} from './parameters.ts';
import { HdlcReassembler, type HdlcSegment, segmentPayload } from './segment.ts';

/** @since 0.1.0 @category HDLC */
export type HdlcRole = 'client' | 'server';
/** @since 0.1.0 @category HDLC */
export type HdlcLinkState = 'disconnected' | 'connecting' | 'connected' | 'disconnecting';

/** Something that happened on the link, for the session layer. @since 0.1.0 @category HDLC */
export type HdlcEvent =
  | { type: 'connected'; parameters: HdlcParameters }
  | { type: 'disconnected'; reason: 'ua' | 'dm' | 'disc' | 'frmr' }
  | { type: 'ui'; info: Uint8Array; frame: HdlcFrame }
  | { type: 'frame-reject'; info?: Uint8Array }
  | { type: 'sequence-error'; expected: number; received: number }
  | { type: 'retransmit'; from: number; count: number }
  | { type: 'peer-busy' }
  | { type: 'ignored'; reason: string; frame?: HdlcFrame }
  | { type: 'error'; error: DlmsError };

/** What one input produced. @since 0.1.0 @category HDLC */
export interface HdlcStep {
  /** Encoded frames to write, in order. */
  toSend: Uint8Array[];
  /** Whole APDUs received (LLC header removed). */
  delivered: Uint8Array[];
  events: HdlcEvent[];
}

/** @since 0.1.0 @category HDLC */
export interface HdlcConnectionOptions {
  role: HdlcRole;
  /** This station's address (the client SAP for a client, the server address for a server). */
  local: HdlcAddress;
  /** The peer's address. A server without one accepts any client and answers the one that connected. */
  remote?: HdlcAddress;
  /** Client: the proposal put in SNRM. Server: its own limits. Missing fields take the defaults. */
  parameters?: Partial<HdlcParameters>;
  /** Client: put the parameters in the SNRM (default: when `parameters` is given). */
  proposeParameters?: boolean;
  /** Largest reassembled APDU accepted (default 1 MiB). */
  maxApduLength?: number;
}

const mod8 = (n: number): number => n & 7;

/** @since 0.1.0 @category HDLC */
export class HdlcConnection {
  readonly role: HdlcRole;
  readonly local: HdlcAddress;
  #remote: HdlcAddress | undefined;
  readonly #own: HdlcParameters;
  readonly #propose: boolean;
  #state: HdlcLinkState = 'disconnected';
  #params: HdlcParameters = { ...HDLC_DEFAULT_PARAMETERS };
  /** V(S): the N(S) of the next new I-frame. */
  #vs = 0;
  /** V(R): the N(S) expected next. */
  #vr = 0;
  /** Segments waiting to be sent (not yet given an N(S)). */
  #queue: HdlcSegment[] = [];
  /** Sent and not acknowledged, oldest first; the first has N(S) = V(S) - length. */
  #unacked: HdlcSegment[] = [];
  /** May this station transmit now (client: it holds the poll; server: it was polled). */
  #token = false;
  #peerBusy = false;
  readonly #reasm: HdlcReassembler;

  constructor(options: HdlcConnectionOptions) {
    this.role = options.role;
    this.local = options.local;
    this.#remote = options.remote;
    if (this.role === 'client' && !this.#remote)
      throw new DlmsError('INVALID_ARGUMENT', 'an HDLC client needs the server address (remote)');
    this.#own = { ...HDLC_DEFAULT_PARAMETERS, ...options.parameters };
    encodeHdlcParameters(this.#own); // validates
    this.#propose = options.proposeParameters ?? options.parameters !== undefined;
    this.#reasm = new HdlcReassembler(options.maxApduLength);
  }

  get state(): HdlcLinkState {
    return this.#state;
  }

  /** The negotiated parameters from this station's point of view (defaults before connecting). */
  get parameters(): HdlcParameters {
    return { ...this.#params };
  }

  get remote(): HdlcAddress | undefined {
    return this.#remote;
  }

  /** Segments queued or awaiting acknowledgement. */
  get pending(): number {
    return this.#queue.length + this.#unacked.length;
  }

  /** Client: the SNRM that opens (or resets) the link. */
  connect(): Uint8Array<ArrayBuffer> {
    this.#requireRole('client', 'connect');
    this.#state = 'connecting';
    const info = this.#propose ? encodeHdlcParameters(this.#own, { omitDefaults: true }) : undefined;
    return this.#frame({ type: 'SNRM', pf: true }, info);
  }

  /** Client: the DISC that releases the link. */
  disconnect(): Uint8Array<ArrayBuffer> {
    this.#requireRole('client', 'disconnect');
    this.#state = 'disconnecting';
    return this.#frame({ type: 'DISC', pf: true });
  }

  /**
   * Queues an APDU (the LLC header is added) and returns the frames that may go out now: all of the
   * first window when this station holds the poll/final token, none otherwise (they go out as the
   * peer acknowledges or polls).
   */
  send(apdu: Uint8Array): Uint8Array[] {
    if (this.#state !== 'connected') throw new DlmsError('PROTOCOL_ERROR', `HDLC link is ${this.#state}`);
    const payload = addLlc(apdu, this.role === 'client' ? 'command' : 'response');
    this.#queue.push(...segmentPayload(payload, this.#params.maxInfoTransmit));
    const out: Uint8Array[] = [];
    this.#pump(out);
    return out;
  }

  /**
   * Client: the peer did not answer in time. Repeats SNRM/DISC, retransmits unacknowledged I-frames,
   * or polls with RR. A server never transmits unpolled and returns nothing.
   */
  onTimeout(): Uint8Array[] {
    if (this.role === 'server') return [];
    if (this.#state === 'connecting') return [this.connect()];
    if (this.#state === 'disconnecting') return [this.disconnect()];
    if (this.#state !== 'connected') return [];
    this.#token = true;
    const out: Uint8Array[] = [];
    if (this.#unacked.length > 0 && !this.#peerBusy) this.#goBack(this.#vs - this.#unacked.length, []);
    this.#pump(out);
    if (out.length === 0) out.push(this.#supervisory(true));
    return out;
  }

  /** Handles one received frame (decoded, or its bytes with flags). */
  onFrame(input: HdlcFrame | Uint8Array): HdlcStep {
    const step: HdlcStep = { toSend: [], delivered: [], events: [] };
    let frame: HdlcFrame;
    try {
      frame = input instanceof Uint8Array ? decodeHdlcFrame(input) : input;
    } catch (e) {
      if (e instanceof DlmsError) {
        step.events.push({ type: 'error', error: e });
        return step;
      }
      throw e;
    }
    if (!sameAddress(frame.destination, this.local)) {
      step.events.push({ type: 'ignored', reason: 'addressed to another station', frame });
      return step;
    }
    if (
      this.#remote &&
      !sameAddress(frame.source, this.#remote) &&
      !(this.role === 'server' && frame.control.type === 'SNRM')
    ) {
      step.events.push({ type: 'ignored', reason: 'from an unexpected station', frame });
      return step;
    }
    if (this.role === 'client') this.#clientFrame(frame, step);
    else this.#serverFrame(frame, step);
    return step;
  }

  // ---- client ------------------------------------------------------------------------------------------

  #clientFrame(f: HdlcFrame, step: HdlcStep): void {
    const c = f.control;
    switch (c.type) {
      case 'UA':
        if (this.#state === 'connecting') {
          let ua: HdlcParameters;
          try {
            ua = decodeHdlcParameters(f.info);
          } catch (e) {
            if (!(e instanceof DlmsError)) throw e;
            step.events.push({ type: 'error', error: e });
            return;
          }
          const own = this.#propose ? this.#own : HDLC_DEFAULT_PARAMETERS;
          this.#reset();
          this.#params = {
            maxInfoTransmit: Math.min(own.maxInfoTransmit, ua.maxInfoReceive),
            maxInfoReceive: Math.min(own.maxInfoReceive, ua.maxInfoTransmit),
            windowTransmit: Math.min(own.windowTransmit, ua.windowReceive),
            windowReceive: Math.min(own.windowReceive, ua.windowTransmit),
          };
          this.#state = 'connected';
          this.#token = true;
          step.events.push({ type: 'connected', parameters: this.parameters });
        } else if (this.#state === 'disconnecting') {
          this.#down(step, 'ua');
        } else step.events.push({ type: 'ignored', reason: `UA while ${this.#state}`, frame: f });
        return;
      case 'DM':
        if (this.#state === 'disconnected')
          step.events.push({ type: 'ignored', reason: 'DM while disconnected', frame: f });
        else this.#down(step, 'dm');
        return;
      case 'FRMR':
        step.events.push(f.info ? { type: 'frame-reject', info: f.info } : { type: 'frame-reject' });
        this.#down(step, 'frmr');
        return;
      case 'UI':
        step.events.push({ type: 'ui', info: f.info ?? new Uint8Array(0), frame: f });
        return;
      case 'SNRM':
      case 'DISC':
        step.events.push({
          type: 'ignored',
          reason: `${c.type} is a command; a client does not accept it`,
          frame: f,
        });
        return;
    }
    if (this.#state !== 'connected') {
      step.events.push({ type: 'ignored', reason: `${c.type} while ${this.#state}`, frame: f });
      return;
    }
    if (!this.#ack(c.nr, step, f)) return;
    const got = c.type === 'I' ? this.#receiveI(f, c, step) : 'none';
    this.#peerBusy = c.type === 'RNR';
    if (this.#peerBusy) step.events.push({ type: 'peer-busy' });
    if (!c.pf) return;
    // Final bit: the token is back with the client.
    this.#token = true;
    if (this.#unacked.length > 0 && !this.#peerBusy) this.#goBack(c.nr, step.events);
    if (got === 'partial' || got === 'discarded') {
      // More segments to come (or a frame to be repeated): ask for them.
      step.toSend.push(this.#supervisory(true));
      return;
    }
    if (!this.#peerBusy) this.#pump(step.toSend);
  }

  // ---- server ------------------------------------------------------------------------------------------

  #serverFrame(f: HdlcFrame, step: HdlcStep): void {
    const c = f.control;
    switch (c.type) {
      case 'SNRM': {
        let proposal: HdlcParameters;
        try {
          proposal = decodeHdlcParameters(f.info);
        } catch (e) {
          if (!(e instanceof DlmsError)) throw e;
          step.events.push({ type: 'error', error: e });
          this.#remote ??= f.source;
          step.toSend.push(this.#frameTo(f.source, { type: 'FRMR', pf: true }));
          return;
        }
        this.#remote = f.source;
        this.#reset();
        this.#params = negotiateHdlcParameters(proposal, this.#own);
        this.#state = 'connected';
        // The UA always states the negotiated values (server's view), as meters do in practice.
        step.toSend.push(this.#frame({ type: 'UA', pf: true }, encodeHdlcParameters(this.#params)));
        step.events.push({ type: 'connected', parameters: this.parameters });
        return;
      }
      case 'DISC':
        if (this.#state === 'connected') {
          step.toSend.push(this.#frame({ type: 'UA', pf: true }));
          this.#down(step, 'disc');
        } else step.toSend.push(this.#frameTo(f.source, { type: 'DM', pf: true }));
        return;
      case 'UI':
        step.events.push({ type: 'ui', info: f.info ?? new Uint8Array(0), frame: f });
        return;
      case 'UA':
      case 'DM':
      case 'FRMR':
        step.events.push({
          type: 'ignored',
          reason: `${c.type} is a response; a server does not accept it`,
          frame: f,
        });
        return;
    }
    if (this.#state !== 'connected') {
      // I, RR, RNR in the disconnected mode: answer DM when polled.
      if (c.pf) step.toSend.push(this.#frameTo(f.source, { type: 'DM', pf: true }));
      step.events.push({ type: 'ignored', reason: `${c.type} while ${this.#state}`, frame: f });
      return;
    }
    if (!this.#ack(c.nr, step, f)) return;
    const got = c.type === 'I' ? this.#receiveI(f, c, step) : 'none';
    this.#peerBusy = c.type === 'RNR';
    if (this.#peerBusy) step.events.push({ type: 'peer-busy' });
    if (!c.pf) return;
    this.#token = true;
    if (this.#unacked.length > 0 && !this.#peerBusy) this.#goBack(c.nr, step.events);
    if (got === 'partial' || got === 'discarded') {
      step.toSend.push(this.#supervisory(true));
      return;
    }
    if (!this.#peerBusy) this.#pump(step.toSend);
    // Polled by RR/RNR with nothing to send: answer RR with the final bit.
    if (this.#token && c.type !== 'I') step.toSend.push(this.#supervisory(true));
  }

  // ---- shared ------------------------------------------------------------------------------------------

  /** Processes N(R): drops acknowledged frames. False (and an error event) when N(R) is out of range. */
  #ack(nr: number, step: HdlcStep, f: HdlcFrame): boolean {
    const n = mod8(nr - (this.#vs - this.#unacked.length));
    if (n > this.#unacked.length) {
      step.events.push({
        type: 'error',
        error: new DlmsError(
          'PROTOCOL_ERROR',
          `N(R) ${nr} acknowledges frames never sent (V(S) ${mod8(this.#vs)})`,
        ),
      });
      step.events.push({ type: 'ignored', reason: 'invalid N(R)', frame: f });
      return false;
    }
    this.#unacked.splice(0, n);
    return true;
  }

  /** Accepts or discards an I-frame: whether it completed an APDU, was a segment, or was discarded. */
  #receiveI(
    f: HdlcFrame,
    c: Extract<HdlcControl, { type: 'I' }>,
    step: HdlcStep,
  ): 'complete' | 'partial' | 'discarded' {
    if (c.ns !== mod8(this.#vr)) {
      step.events.push({ type: 'sequence-error', expected: mod8(this.#vr), received: c.ns });
      return 'discarded';
    }
    this.#vr = mod8(this.#vr + 1);
    let payload: Uint8Array | undefined;
    try {
      payload = this.#reasm.push(f.info ?? new Uint8Array(0), f.segmented);
      if (payload === undefined) return 'partial';
      const { apdu } = stripLlc(payload, this.role === 'client' ? 'response' : 'command');
      step.delivered.push(apdu);
    } catch (e) {
      if (!(e instanceof DlmsError)) throw e;
      step.events.push({ type: 'error', error: e });
    }
    return 'complete';
  }

  /** Go-back-N: requeue unacknowledged frames from N(R) (everything before it is already dropped). */
  #goBack(nr: number, events: HdlcEvent[]): void {
    const count = this.#unacked.length;
    if (count === 0) return;
    events.push({ type: 'retransmit', from: mod8(nr), count });
    this.#queue.unshift(...this.#unacked);
    this.#unacked = [];
    this.#vs = mod8(this.#vs - count);
  }

  /** Sends one window's worth of queued segments if this station holds the token. */
  #pump(out: Uint8Array[]): void {
    if (!this.#token || this.#state !== 'connected' || this.#peerBusy) return;
    const window = this.#params.windowTransmit;
    while (this.#queue.length > 0 && this.#unacked.length < window) {
      const seg = this.#queue.shift()!;
      const last = this.#queue.length === 0 || this.#unacked.length + 1 === window;
      out.push(
        this.#frame({ type: 'I', ns: mod8(this.#vs), nr: mod8(this.#vr), pf: last }, seg.info, seg.segmented),
      );
      this.#unacked.push(seg);
      this.#vs = mod8(this.#vs + 1);
      if (last) this.#token = false;
    }
  }

  #supervisory(pf: boolean): Uint8Array<ArrayBuffer> {
    this.#token = false;
    return this.#frame({ type: 'RR', nr: mod8(this.#vr), pf });
  }

  #reset(): void {
    this.#vs = 0;
    this.#vr = 0;
    this.#queue = [];
    this.#unacked = [];
    this.#token = false;
    this.#peerBusy = false;
    this.#reasm.reset();
  }

  #down(step: HdlcStep, reason: 'ua' | 'dm' | 'disc' | 'frmr'): void {
    this.#reset();
    this.#state = 'disconnected';
    this.#params = { ...HDLC_DEFAULT_PARAMETERS };
    step.events.push({ type: 'disconnected', reason });
  }

  #requireRole(role: HdlcRole, what: string): void {
    if (this.role !== role) throw new DlmsError('INVALID_ARGUMENT', `${what}() is for the HDLC ${role}`);
  }

  #frame(control: HdlcControl, info?: Uint8Array, segmented = false): Uint8Array<ArrayBuffer> {
    return this.#frameTo(this.#remote!, control, info, segmented);
  }

  #frameTo(
    dest: HdlcAddress,
    control: HdlcControl,
    info?: Uint8Array,
    segmented = false,
  ): Uint8Array<ArrayBuffer> {
    const f: HdlcFrame = { segmented, destination: dest, source: this.local, control };
    if (info && info.length > 0) f.info = info;
    return encodeHdlcFrame(f);
  }
}
