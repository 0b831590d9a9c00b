import { DlmsError } from '../errors.ts';

/**
 * A cursor over the caller's bytes. Reads are big-endian (A-XDR, HDLC and the wrapper are all
 * big-endian on the wire) and never copy: {@link Reader.bytes} returns a `subarray` view.
 *
 * Running past the end throws a `DlmsError` with code `INCOMPLETE` and the offset where more bytes
 * were needed, so that a truncated input is never mistaken for a malformed one.
 */
export class Reader {
  /** Current position, as an index into `buf`. */
  pos: number;
  /** End of the readable region (exclusive), as an index into `buf`. */
  readonly end: number;
  readonly buf: Uint8Array;
  /** Offset of `buf[0]` in the caller's original input, so errors report input offsets. */
  readonly base: number;
  readonly #view: DataView;

  constructor(buf: Uint8Array, start = 0, end = buf.length, base = 0) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.base = base;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Offset in the caller's input of the next byte to read. */
  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Throws `INCOMPLETE` unless `n` more bytes are available. */
  need(n: number, what = 'data'): void {
    if (this.end - this.pos < n) {
      throw new DlmsError(
        'INCOMPLETE',
        `input ended: ${what} needs ${n} byte(s), ${this.end - this.pos} left`,
        { offset: this.base + this.end },
      );
    }
  }

  /** Throws `MALFORMED` at the current offset. */
  fail(message: string, at = this.pos): never {
    throw new DlmsError('MALFORMED', message, { offset: this.base + at });
  }

  peek(): number {
    this.need(1);
    return this.buf[this.pos]!;
  }

  u8(what?: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  i8(what?: string): number {
    this.need(1, what);
    return this.#view.getInt8(this.pos++);
  }

  u16(what?: string): number {
    this.need(2, what);
    const v = this.#view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  i16(what?: string): number {
    this.need(2, what);
    const v = this.#view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what?: string): number {
    this.need(4, what);
    const v = this.#view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i32(what?: string): number {
    this.need(4, what);
    const v = this.#view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(what?: string): bigint {
    this.need(8, what);
    const v = this.#view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }

  i64(what?: string): bigint {
    this.need(8, what);
    const v = this.#view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  f32(what?: string): number {
    this.need(4, what);
    const v = this.#view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  f64(what?: string): number {
    this.need(8, what);
    const v = this.#view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** `n` bytes as a view into the input (no copy). */
  bytes(n: number, what?: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** The rest of the readable region as a view (no copy). */
  rest(): Uint8Array {
    const v = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }

  /**
   * The A-XDR / BER definite length: one byte below 0x80, otherwise 0x8N followed by N big-endian
   * bytes. Lengths that do not fit in 32 bits, or the indefinite form 0x80, are `MALFORMED`.
   */
  length(what = 'length'): number {
    const start = this.pos;
    const first = this.u8(what);
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0 || n > 4) this.fail(`${what}: unsupported length form 0x${first.toString(16)}`, start);
    this.need(n, what);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.buf[this.pos++]!;
    return v;
  }

  /** A child reader over the next `n` bytes; the parent skips them. */
  sub(n: number, what?: string): Reader {
    this.need(n, what);
    const r = new Reader(this.buf, this.pos, this.pos + n, this.base);
    this.pos += n;
    return r;
  }

  /** Throws `MALFORMED` if any byte is left in the readable region. */
  expectEnd(what = 'input'): void {
    if (this.pos !== this.end) this.fail(`${this.end - this.pos} trailing byte(s) after ${what}`);
  }
}
