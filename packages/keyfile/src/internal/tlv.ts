/**
 * Minimal big-endian cursor and builder for the key file's binary records (tag, BER definite length,
 * value). `@ami-interop/keyfile` depends on nothing of ours, so it keeps its own small pair here rather
 * than importing the dlms cursor.
 *
 * @module
 */
import { KeyfileError } from '../errors.ts';

export class TlvReader {
  pos = 0;
  readonly end: number;
  /** Set on sub-readers: running past their end is MALFORMED (a field overruns its container), not INCOMPLETE. */
  bounded = false;
  /** `base` is added to offsets in errors, so sub-readers report offsets in the outer input. */
  constructor(
    readonly buf: Uint8Array,
    readonly base = 0,
    end = buf.length,
  ) {
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.end - this.pos < n)
      throw new KeyfileError(
        this.bounded ? 'MALFORMED' : 'INCOMPLETE',
        `need ${n} more bytes, ${this.end - this.pos} left`,
        {
          offset: this.base + this.end,
        },
      );
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** BER definite length: short form below 128, else 0x81..0x84 then 1..4 bytes, minimal. */
  length(): number {
    const at = this.base + this.pos;
    const first = this.u8();
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0 || n > 4)
      throw new KeyfileError('MALFORMED', `length form 0x${first.toString(16)} not allowed`, { offset: at });
    this.need(n);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.buf[this.pos++]!;
    if (v < 0x80 || (n > 1 && v < 2 ** (8 * (n - 1))))
      throw new KeyfileError('MALFORMED', 'length not in minimal form', { offset: at });
    return v;
  }

  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A reader over the next `n` bytes. */
  sub(n: number): TlvReader {
    this.need(n);
    const r = new TlvReader(this.buf, this.base, this.pos + n);
    r.pos = this.pos;
    r.bounded = true;
    this.pos += n;
    return r;
  }
}

export class TlvWriter {
  private buf: Uint8Array<ArrayBuffer>;
  pos = 0;
  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf.fill(0); // the old buffer may hold key bytes
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 255;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.buf[this.pos++] = v >>> 24;
    this.buf[this.pos++] = (v >>> 16) & 255;
    this.buf[this.pos++] = (v >>> 8) & 255;
    this.buf[this.pos++] = v & 255;
    return this;
  }

  length(n: number): this {
    if (n < 0x80) return this.u8(n);
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    this.u8(0x80 | bytes.length);
    for (const b of bytes) this.u8(b);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  tlv(tag: number, value: Uint8Array): this {
    return this.u8(tag).length(value.length).bytes(value);
  }

  /** The bytes written, as a fresh array; the internal buffer is wiped. */
  finish(): Uint8Array<ArrayBuffer> {
    const out = this.buf.slice(0, this.pos);
    this.buf.fill(0);
    return out;
  }
}
