/**
 * A stream deframer for the IEC 62056-47 wrapper over TCP: feed it bytes in any chunking and it
 * returns whole frames in order, with their stream offset.
 *
 * State machine: `HEADER` (collect 8 bytes) → check version and length → `BODY` (collect `length`
 * bytes) → emit → `HEADER`. Memory is bounded by `8 + maxApduLength` bytes.
 *
 * Resynchronisation: a header whose version is not 1, or whose length exceeds `maxApduLength`, is
 * reported once as an error (`MALFORMED` / `LIMIT_EXCEEDED`) with its stream offset; the deframer then
 * drops bytes one at a time until the bytes at hand start with `00 01` (the version) and, once the
 * header is complete, a length within the limit. Errors found while hunting are not reported again
 * (only the first bad header of a run). The wrapper has no checksum, so hunting can lock onto a
 * plausible but false header inside the damaged bytes; since TCP neither loses nor corrupts bytes, a
 * wrapper error means the peer is broken, and the session layer should normally close the connection.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { WRAPPER_HEADER_LENGTH, WRAPPER_VERSION, type WrapperFrame } from './frame.ts';

/** @since 0.1.0 @category Wrapper */
export type WrapperDeframeResult =
  | { kind: 'frame'; frame: WrapperFrame; offset: number; length: number }
  | { kind: 'error'; error: DlmsError; offset: number };

export interface WrapperDeframerOptions {
  /** Largest APDU accepted, 0..65535 (default 65535). */
  maxApduLength?: number;
}

/** @since 0.1.0 @category Wrapper */
export class WrapperDeframer {
  readonly maxApduLength: number;
  readonly #buf: Uint8Array;
  #start = 0;
  #end = 0;
  #base = 0;
  #offset = 0;
  #hunting = false;
  #discarded = 0;

  constructor(options: WrapperDeframerOptions = {}) {
    const max = options.maxApduLength ?? 0xffff;
    if (!Number.isInteger(max) || max < 0 || max > 0xffff)
      throw new DlmsError('INVALID_ARGUMENT', `maxApduLength ${max} is not 0..65535`);
    this.maxApduLength = max;
    this.#buf = new Uint8Array(WRAPPER_HEADER_LENGTH + max);
  }

  /** Bytes held (never more than `8 + maxApduLength`). */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Bytes dropped while resynchronising. */
  get discarded(): number {
    return this.#discarded;
  }

  push(chunk: Uint8Array): WrapperDeframeResult[] {
    const out: WrapperDeframeResult[] = [];
    const buf = this.#buf;
    let i = 0;
    while (i < chunk.length) {
      if (this.#start === this.#end) {
        this.#start = this.#end = 0;
        this.#base = this.#offset;
      } else if (this.#end === buf.length) {
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

  /** Ends the stream: a partial frame is reported as `INCOMPLETE`. */
  end(): WrapperDeframeResult[] {
    const out: WrapperDeframeResult[] = [];
    if (this.#end > this.#start && !this.#hunting)
      out.push({
        kind: 'error',
        offset: this.#base + this.#start,
        error: new DlmsError(
          'INCOMPLETE',
          `stream ended inside a wrapper frame (${this.#end - this.#start} bytes)`,
          {
            offset: this.#offset,
          },
        ),
      });
    this.#start = this.#end = 0;
    this.#hunting = false;
    return out;
  }

  #drop(): void {
    this.#start++;
    this.#discarded++;
  }

  #parse(out: WrapperDeframeResult[]): void {
    const buf = this.#buf;
    while (this.#end - this.#start >= 2) {
      const s = this.#start;
      const version = (buf[s]! << 8) | buf[s + 1]!;
      if (version !== WRAPPER_VERSION) {
        if (!this.#hunting) {
          out.push({
            kind: 'error',
            offset: this.#base + s,
            error: new DlmsError('MALFORMED', `wrapper version ${version} is not 1`, {
              offset: this.#base + s,
            }),
          });
          this.#hunting = true;
        }
        this.#drop();
        continue;
      }
      if (this.#end - s < WRAPPER_HEADER_LENGTH) return;
      const length = (buf[s + 6]! << 8) | buf[s + 7]!;
      if (length > this.maxApduLength) {
        if (!this.#hunting) {
          out.push({
            kind: 'error',
            offset: this.#base + s,
            error: new DlmsError(
              'LIMIT_EXCEEDED',
              `wrapper APDU length ${length} above the limit ${this.maxApduLength}`,
              {
                offset: this.#base + s + 6,
              },
            ),
          });
          this.#hunting = true;
        }
        this.#drop();
        continue;
      }
      if (this.#end - s < WRAPPER_HEADER_LENGTH + length) return;
      this.#hunting = false;
      const frame: WrapperFrame = {
        source: (buf[s + 2]! << 8) | buf[s + 3]!,
        destination: (buf[s + 4]! << 8) | buf[s + 5]!,
        apdu: buf.slice(s + WRAPPER_HEADER_LENGTH, s + WRAPPER_HEADER_LENGTH + length),
      };
      out.push({ kind: 'frame', frame, offset: this.#base + s, length: WRAPPER_HEADER_LENGTH + length });
      this.#start = s + WRAPPER_HEADER_LENGTH + length;
    }
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }
}
