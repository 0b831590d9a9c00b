/**
 * A stream deframer for IEC 62056-46 HDLC: feed it bytes as they arrive from a serial port or socket
 * (any chunking) and it returns whole frames, in order, with their offset in the stream.
 *
 * State machine (all state per instance, bounded memory):
 *
 * ```text
 * HUNT ──0x7E──▶ FLAG ──0x7E──▶ FLAG            (consecutive flags are fill)
 *                 │
 *                 └─ format byte(s) ──▶ BODY ── length bytes ──▶ CLOSE
 *                                                                  │
 *             0x7E: decode (HCS/FCS), emit frame or error; the closing flag is the next frame's
 *             opening flag (shared flags), so go back to FLAG
 *             other: error, resynchronise
 * ```
 *
 * Resynchronisation: after any error (format type not 3, length below 7 or above the limit, missing
 * closing flag, bad HCS/FCS, bad structure) the deframer drops the opening flag of the failed candidate
 * and hunts for the next 0x7E **within the bytes it already holds**, so a real frame that a false
 * start swallowed is still found. Bytes outside any frame are counted in {@link HdlcDeframer.discarded}.
 * The buffer never holds more than `maxFrameLength + 2` bytes (the frame plus both flags).
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import {
  decodeHdlcFrameBody,
  HDLC_FLAG,
  HDLC_MAX_FRAME_LENGTH,
  HDLC_MIN_FRAME_LENGTH,
  type HdlcFrame,
} from './frame.ts';

/**
 * One result of {@link HdlcDeframer.push}: a frame (`info` copied out of the deframer's buffer), or an
 * error with the stream offset of the failed candidate's opening flag.
 *
 * @since 0.1.0
 * @category HDLC
 */
export type HdlcDeframeResult =
  | { kind: 'frame'; frame: HdlcFrame; offset: number; length: number }
  | { kind: 'error'; error: DlmsError; offset: number };

export interface HdlcDeframerOptions {
  /** Longest frame accepted (bytes between the flags), 7..2047; default 2047. */
  maxFrameLength?: number;
}

/** @since 0.1.0 @category HDLC */
export class HdlcDeframer {
  readonly maxFrameLength: number;
  readonly #buf: Uint8Array;
  /** Index in `#buf` of the current candidate's opening flag; `#start === #end` means HUNT. */
  #start = 0;
  #end = 0;
  /** Stream offset of `#buf[0]`. */
  #base = 0;
  /** Stream offset of the next byte pushed. */
  #offset = 0;
  #discarded = 0;

  constructor(options: HdlcDeframerOptions = {}) {
    const max = options.maxFrameLength ?? HDLC_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < HDLC_MIN_FRAME_LENGTH || max > HDLC_MAX_FRAME_LENGTH)
      throw new DlmsError('INVALID_ARGUMENT', `maxFrameLength ${max} is not 7..2047`);
    this.maxFrameLength = max;
    this.#buf = new Uint8Array(max + 2);
  }

  /** Bytes held for a frame not yet complete (never more than `maxFrameLength + 2`). */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Bytes skipped outside any frame candidate so far. */
  get discarded(): number {
    return this.#discarded;
  }

  /** Total bytes pushed. */
  get offset(): number {
    return this.#offset;
  }

  /** Feeds one chunk (not retained); returns the frames and errors it completes, in stream order. */
  push(chunk: Uint8Array): HdlcDeframeResult[] {
    const out: HdlcDeframeResult[] = [];
    const buf = this.#buf;
    let i = 0;
    while (i < chunk.length) {
      if (this.#start === this.#end) {
        // HUNT: skip to the next flag without buffering.
        const f = chunk.indexOf(HDLC_FLAG, i);
        const stop = f < 0 ? chunk.length : f;
        this.#discarded += stop - i;
        this.#offset += stop - i;
        i = stop;
        if (f < 0) break;
        this.#start = 0;
        this.#end = 1;
        buf[0] = HDLC_FLAG;
        this.#base = this.#offset;
        this.#offset++;
        i++;
        this.#parse(out);
        continue;
      }
      if (this.#end === buf.length) {
        buf.copyWithin(0, this.#start, this.#end);
        this.#base += this.#start;
        this.#end -= this.#start;
        this.#start = 0;
      }
      const n = Math.min(buf.length - this.#end, chunk.length - i);
      buf.set(chunk.subarray(i, i + n), this.#end);
      this.#end += n;
      this.#offset += n;
      i += n;
      this.#parse(out);
    }
    return out;
  }

  /**
   * Ends the stream, or gives up waiting after an inter-octet timeout: a partially received candidate is
   * reported as an `INCOMPLETE` error (a lone flag is not), and the bytes held after its opening flag are
   * searched again, so a whole frame that a false start was holding back is still returned. Afterwards the
   * deframer is empty and can be reused. A session layer should call this on the HDLC inter-octet timeout.
   */
  end(): HdlcDeframeResult[] {
    const out: HdlcDeframeResult[] = [];
    const buf = this.#buf;
    while (this.#start < this.#end) {
      const s = this.#start;
      if (s + 1 === this.#end || buf[s + 1] === HDLC_FLAG) {
        this.#start++;
        continue;
      }
      this.#fail(
        out,
        new DlmsError('INCOMPLETE', `stream ended inside an HDLC frame (${this.#end - s} bytes held)`, {
          offset: this.#base + this.#end,
        }),
      );
      this.#parse(out);
    }
    this.#start = this.#end = 0;
    return out;
  }

  #fail(out: HdlcDeframeResult[], error: DlmsError): void {
    out.push({ kind: 'error', error, offset: this.#base + this.#start });
    // Resynchronise on the next flag after the failed candidate's opening flag.
    const buf = this.#buf;
    let s = this.#start + 1;
    while (s < this.#end && buf[s] !== HDLC_FLAG) s++;
    this.#discarded += s - this.#start;
    this.#start = s;
    if (s === this.#end) this.#start = this.#end = 0;
  }

  #parse(out: HdlcDeframeResult[]): void {
    const buf = this.#buf;
    while (this.#start < this.#end) {
      const s = this.#start;
      const avail = this.#end - s;
      if (avail < 2) return;
      if (buf[s + 1] === HDLC_FLAG) {
        this.#start++;
        continue;
      }
      if ((buf[s + 1]! & 0xf0) !== 0xa0) {
        this.#fail(out, this.#err('MALFORMED', 'HDLC frame format type is not 3 (0xA)', s + 1));
        continue;
      }
      if (avail < 3) return;
      const length = ((buf[s + 1]! << 8) | buf[s + 2]!) & 0x7ff;
      if (length < HDLC_MIN_FRAME_LENGTH) {
        this.#fail(out, this.#err('MALFORMED', `HDLC frame length ${length} below the minimum 7`, s + 1));
        continue;
      }
      if (length > this.maxFrameLength) {
        this.#fail(
          out,
          this.#err(
            'LIMIT_EXCEEDED',
            `HDLC frame length ${length} above the limit ${this.maxFrameLength}`,
            s + 1,
          ),
        );
        continue;
      }
      if (avail < length + 2) return;
      if (buf[s + length + 1] !== HDLC_FLAG) {
        this.#fail(out, this.#err('MALFORMED', 'missing closing flag 0x7E', s + length + 1));
        continue;
      }
      let frame: HdlcFrame;
      try {
        frame = decodeHdlcFrameBody(buf, s + 1, s + 1 + length, this.#base);
      } catch (e) {
        if (!(e instanceof DlmsError)) throw e;
        this.#fail(out, e);
        continue;
      }
      if (frame.info) frame.info = frame.info.slice();
      out.push({ kind: 'frame', frame, offset: this.#base + s, length: length + 2 });
      // The closing flag may open the next frame.
      this.#start = s + length + 1;
      if (this.#end - this.#start === 1) {
        // Only the shared flag is left: keep it, compacted to the front.
        buf[0] = HDLC_FLAG;
        this.#base += this.#start;
        this.#start = 0;
        this.#end = 1;
        return;
      }
    }
    this.#start = this.#end = 0;
  }

  #err(code: 'MALFORMED' | 'LIMIT_EXCEEDED', message: string, at: number): DlmsError {
    return new DlmsError(code, message, { offset: this.#base + at });
  }
}
