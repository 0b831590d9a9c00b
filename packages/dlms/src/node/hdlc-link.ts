/**
 * An {@link ApduLink} running the HDLC data link (IEC 62056-46) over any byte stream: a TCP socket (a
 * cellular module in transparent mode) or a serial port. The protocol logic is {@link HdlcConnection};
 * this adds the I/O and the timers:
 *
 * - **response timeout** (client): after a frame with the poll bit, the final frame must arrive within
 *   `responseTimeoutMs`; otherwise `HdlcConnection.onTimeout()` repeats SNRM/DISC, retransmits
 *   unacknowledged I-frames (go-back-N) or polls with RR, up to `retries` times, then the link fails with
 *   `TIMEOUT`.
 * - **inter-frame timeout**: a frame started but not finished within `interFrameTimeoutMs` is dropped
 *   (`HdlcDeframer.end()`), so a lost tail does not hold the deframer.
 * - **keep-alive** (client): after `keepAliveMs` idle, an RR poll (answered by the server's RR).
 * - **close**: the client sends DISC and waits for UA/DM (with the same retries), then destroys the
 *   transport; the server answers DISC with UA and closes. Every path clears every timer.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { HdlcConnection, type HdlcConnectionOptions } from '../hdlc/connection.ts';
import { HdlcDeframer } from '../hdlc/deframer.ts';
import type { HdlcFrame } from '../hdlc/frame.ts';
import type { HdlcParameters } from '../hdlc/parameters.ts';
import type { LinkAddress } from '../link/index.ts';
import { BaseLink } from './base.ts';

/** The transport under an HDLC link. */
export interface ByteChannel {
  write(bytes: Uint8Array): void;
  /** Closes the transport for good (idempotent). */
  destroy(): void;
}

export interface HdlcLinkOptions {
  /** Client: proposed in SNRM. Server: its limits. Default: the HDLC defaults (128 bytes, window 1). */
  parameters?: Partial<HdlcParameters>;
  /** Client: wait for the final frame this long before retrying (default 3000 ms). */
  responseTimeoutMs?: number;
  /** Client: repetitions after a response timeout before failing with `TIMEOUT` (default 3). */
  retries?: number;
  /** Drop a partial frame after this long without its end (default 500 ms). */
  interFrameTimeoutMs?: number;
  /** Client: RR poll after this long idle (default: none). */
  keepAliveMs?: number;
  /** Largest reassembled APDU (default 1 MiB). */
  maxApduLength?: number;
  queueLimit?: number;
  /** Every HDLC event, for logs and tests. */
  onEvent?: (e: { type: string; [k: string]: unknown }) => void;
}

/** Position of the control byte in an encoded frame (after flag, format, destination and source). */
function controlByte(frame: Uint8Array): number {
  let i = 3;
  while (i < frame.length && (frame[i]! & 1) === 0) i++;
  i++;
  while (i < frame.length && (frame[i]! & 1) === 0) i++;
  i++;
  return frame[i] ?? 0;
}

const pollBit = (frame: Uint8Array): boolean => (controlByte(frame) & 0x10) !== 0;

export class HdlcStreamLink extends BaseLink {
  readonly conn: HdlcConnection;
  readonly #channel: ByteChannel;
  readonly #deframer: HdlcDeframer;
  readonly #o: HdlcLinkOptions;
  #response: ReturnType<typeof setTimeout> | undefined;
  #interFrame: ReturnType<typeof setTimeout> | undefined;
  #keepAlive: ReturnType<typeof setTimeout> | undefined;
  #tries = 0;
  #awaitingFinal = false;
  #connected: { resolve: () => void; reject: (e: DlmsError) => void } | undefined;
  #disconnected: (() => void) | undefined;
  #onConnected: ((l: HdlcStreamLink) => void) | undefined;

  constructor(
    channel: ByteChannel,
    address: LinkAddress,
    conn: HdlcConnectionOptions,
    options: HdlcLinkOptions = {},
    onConnected?: (l: HdlcStreamLink) => void,
  ) {
    super(address, options.queueLimit);
    this.#channel = channel;
    this.#o = options;
    const c: HdlcConnectionOptions = { ...conn };
    if (options.parameters) c.parameters = options.parameters;
    if (options.maxApduLength !== undefined) c.maxApduLength = options.maxApduLength;
    this.conn = new HdlcConnection(c);
    const maxInfo = Math.max(this.conn.parameters.maxInfoReceive, options.parameters?.maxInfoReceive ?? 0);
    this.#deframer = new HdlcDeframer({ maxFrameLength: Math.min(2047, Math.max(maxInfo + 32, 160)) });
    this.#onConnected = onConnected;
  }

  /** Client: SNRM → UA. Rejects with `TIMEOUT` or `CONNECTION_CLOSED` (DM: refused); the link is then closed. */
  open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#connected = { resolve, reject };
      this.#write([this.conn.connect()]);
    });
  }

  /** Feed bytes received from the transport. */
  onBytes(chunk: Uint8Array): void {
    if (!this.isOpen) return;
    if (this.#interFrame) clearTimeout(this.#interFrame);
    this.#interFrame = undefined;
    for (const r of this.#deframer.push(chunk)) {
      if (r.kind === 'frame') this.#onFrame(r.frame);
      else this.#event({ type: 'frame-error', error: r.error });
      if (!this.isOpen) return;
    }
    if (this.#deframer.buffered > 1) {
      this.#interFrame = setTimeout(() => {
        this.#interFrame = undefined;
        for (const r of this.#deframer.end()) {
          if (r.kind === 'frame') this.#onFrame(r.frame);
          else this.#event({ type: 'frame-error', error: r.error });
        }
      }, this.#o.interFrameTimeoutMs ?? 500);
    }
  }

  /** The transport closed (or failed). */
  onTransportClosed(error?: DlmsError): void {
    if (this.#disconnected) {
      this.#disconnected();
      return;
    }
    const e = error ?? new DlmsError('CONNECTION_CLOSED', 'the transport closed');
    this.#connected?.reject(e);
    this.#connected = undefined;
    if (error) this.fail(error);
    else this.shut('remote');
  }

  #event(e: { type: string; [k: string]: unknown }): void {
    try {
      this.#o.onEvent?.(e);
    } catch {
      // not ours
    }
  }

  #onFrame(frame: HdlcFrame): void {
    if (this.conn.role === 'client' && frame.control.pf) {
      this.#awaitingFinal = false;
      this.#tries = 0;
      if (this.#response) clearTimeout(this.#response);
      this.#response = undefined;
    }
    const step = this.conn.onFrame(frame);
    for (const e of step.events) {
      this.#event(e as { type: string });
      if (e.type === 'connected') {
        if (this.#connected) {
          this.#connected.resolve();
          this.#connected = undefined;
        }
        if (this.conn.role === 'server') {
          const r = this.conn.remote;
          if (r) this.address = { ...this.address, client: r.upper };
          const cb = this.#onConnected;
          this.#onConnected = undefined;
          cb?.(this);
        }
      } else if (e.type === 'disconnected') {
        if (this.#disconnected) {
          this.#disconnected();
          this.#disconnected = undefined;
        } else if (this.#connected) {
          const err = new DlmsError(
            'CONNECTION_CLOSED',
            `HDLC connection refused (${e.reason.toUpperCase()})`,
          );
          this.#connected.reject(err);
          this.#connected = undefined;
          this.fail(err);
        } else {
          // The server answers DISC with UA before we close.
          this.#write(step.toSend);
          step.toSend = [];
          this.shut(
            e.reason === 'disc' ? 'remote' : 'error',
            e.reason === 'disc'
              ? undefined
              : new DlmsError(
                  'CONNECTION_CLOSED',
                  `HDLC link dropped by the peer (${e.reason.toUpperCase()})`,
                ),
          );
          return;
        }
      }
    }
    for (const apdu of step.delivered) this.deliver(apdu);
    this.#write(step.toSend);
  }

  #write(frames: Uint8Array[]): void {
    if (frames.length === 0) return;
    for (const f of frames) {
      this.#channel.write(f);
      if (this.conn.role === 'client' && pollBit(f)) this.#awaitingFinal = true;
    }
    if (this.#awaitingFinal) this.#armResponse();
    this.#armKeepAlive();
  }

  #armResponse(): void {
    if (this.#response) clearTimeout(this.#response);
    this.#response = setTimeout(() => this.#onResponseTimeout(), this.#o.responseTimeoutMs ?? 3000);
  }

  #onResponseTimeout(): void {
    this.#response = undefined;
    if (!this.isOpen) return;
    this.#tries++;
    if (this.#tries > (this.#o.retries ?? 3)) {
      const err = new DlmsError('TIMEOUT', `HDLC peer did not answer after ${this.#tries} attempts`);
      if (this.#disconnected) {
        this.#disconnected();
        this.#disconnected = undefined;
        return;
      }
      this.#connected?.reject(err);
      this.#connected = undefined;
      this.fail(err);
      return;
    }
    this.#event({ type: 'timeout', attempt: this.#tries });
    this.#write(this.conn.onTimeout());
  }

  #armKeepAlive(): void {
    const ms = this.#o.keepAliveMs;
    if (!ms || this.conn.role !== 'client') return;
    if (this.#keepAlive) clearTimeout(this.#keepAlive);
    this.#keepAlive = setTimeout(() => {
      this.#keepAlive = undefined;
      if (!this.isOpen || this.conn.state !== 'connected') return;
      if (this.#awaitingFinal) {
        this.#armKeepAlive();
        return;
      }
      this.#event({ type: 'keep-alive' });
      this.#write(this.conn.onTimeout());
    }, ms);
  }

  async send(apdu: Uint8Array): Promise<void> {
    this.requireOpen();
    this.#write(this.conn.send(apdu));
  }

  async close(): Promise<void> {
    if (!this.isOpen) {
      await this.closed;
      return;
    }
    if (this.conn.role === 'client' && this.conn.state === 'connected') {
      await new Promise<void>((resolve) => {
        this.#disconnected = resolve;
        this.#tries = 0;
        this.#write([this.conn.disconnect()]);
      });
    }
    this.shut('local');
    await this.closed;
  }

  protected cleanup(): void {
    for (const t of [this.#response, this.#interFrame, this.#keepAlive]) if (t) clearTimeout(t);
    this.#response = this.#interFrame = this.#keepAlive = undefined;
    this.#disconnected?.();
    this.#disconnected = undefined;
    this.#channel.destroy();
  }
}
