import { DlmsError } from '../errors.ts';

/**
 * A growable big-endian byte writer. {@link Writer.fork} / {@link Writer.join} write a length-prefixed
 * region without knowing its length in advance: one byte is reserved, and `join` shifts the payload with
 * `copyWithin` only when the A-XDR/BER long form is needed (payloads of 128 bytes or more).
 */
export class Writer {
  #buf: Uint8Array<ArrayBuffer>;
  #view: DataView;
  pos = 0;
  readonly #forks: number[] = [];

  constructor(initialCapacity = 256) {
    this.#buf = new Uint8Array(Math.max(16, initialCapacity));
    this.#view = new DataView(this.#buf.buffer);
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.#buf[this.pos++] = v;
    return this;
  }

  i8(v: number): this {
    this.ensure(1);
    this.#view.setInt8(this.pos++, v);
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.#view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  i16(v: number): this {
    this.ensure(2);
    this.#view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.#view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.#view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }

  u64(v: bigint): this {
    this.ensure(8);
    this.#view.setBigUint64(this.pos, v);
    this.pos += 8;
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.#view.setBigInt64(this.pos, v);
    this.pos += 8;
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.#view.setFloat32(this.pos, v);
    this.pos += 4;
    return this;
  }

  f64(v: number): this {
    this.ensure(8);
    this.#view.setFloat64(this.pos, v);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.#buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** The A-XDR / BER definite length of `n`. */
  length(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new DlmsError('INVALID_ARGUMENT', `length ${n} cannot be encoded`);
    }
    if (n < 0x80) return this.u8(n);
    const size = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    this.u8(0x80 | size);
    for (let i = size - 1; i >= 0; i--) this.u8(Math.floor(n / 2 ** (8 * i)) & 0xff);
    return this;
  }

  /** Reserves one length byte; the matching {@link join} fills it in. */
  fork(): this {
    this.u8(0);
    this.#forks.push(this.pos);
    return this;
  }

  /** Writes the length of everything since the matching {@link fork}, in the short or long form. */
  join(): this {
    const start = this.#forks.pop();
    if (start === undefined) throw new DlmsError('INVALID_ARGUMENT', 'join() without fork()');
    const n = this.pos - start;
    if (n < 0x80) {
      this.#buf[start - 1] = n;
      return this;
    }
    const size = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    this.ensure(size);
    this.#buf.copyWithin(start + size, start, this.pos);
    this.#buf[start - 1] = 0x80 | size;
    for (let i = 0; i < size; i++) this.#buf[start + i] = Math.floor(n / 2 ** (8 * (size - 1 - i))) & 0xff;
    this.pos += size;
    return this;
  }

  /** A copy of the bytes written, sized exactly. */
  finish(): Uint8Array<ArrayBuffer> {
    if (this.#forks.length > 0) throw new DlmsError('INVALID_ARGUMENT', 'finish() with an open fork()');
    return this.#buf.slice(0, this.pos);
  }
}
