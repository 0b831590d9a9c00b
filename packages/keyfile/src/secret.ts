/**
 * `SecretBytes`: key material that never prints. `String(s)`, `JSON.stringify(s)` and `util.inspect(s)`
 * give a redacted placeholder; the bytes come out only through {@link SecretBytes.reveal}, and
 * {@link SecretBytes.wipe} zeroes them once the holder is done.
 *
 * @module
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class SecretBytes {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  #wiped = false;

  /** Takes a copy of `bytes` (the caller may wipe its own). */
  constructor(bytes: Uint8Array) {
    this.#bytes = Uint8Array.from(bytes);
  }

  /** Number of bytes (not secret). */
  get length(): number {
    return this.#bytes.length;
  }

  /** True once {@link wipe} has run. */
  get wiped(): boolean {
    return this.#wiped;
  }

  /** The bytes themselves (a view: do not keep it past {@link wipe}). */
  reveal(): Uint8Array<ArrayBuffer> {
    return this.#bytes;
  }

  /** Uppercase hex of the bytes: only for explicit `--reveal` style output. */
  revealHex(): string {
    let s = '';
    for (const b of this.#bytes) s += (b < 16 ? '0' : '') + b.toString(16);
    return s.toUpperCase();
  }

  /** Constant-time comparison with other bytes. */
  equals(other: Uint8Array | SecretBytes): boolean {
    const o = other instanceof SecretBytes ? other.#bytes : other;
    if (o.length !== this.#bytes.length) return false;
    let d = 0;
    for (let i = 0; i < o.length; i++) d |= o[i]! ^ this.#bytes[i]!;
    return d === 0;
  }

  /** Overwrites the bytes with zeros. */
  wipe(): void {
    this.#bytes.fill(0);
    this.#wiped = true;
  }

  toString(): string {
    return `[secret ${this.#bytes.length} bytes]`;
  }

  toJSON(): string {
    return '[redacted]';
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** Shorthand for `new SecretBytes(bytes)`. */
export function secret(bytes: Uint8Array): SecretBytes {
  return new SecretBytes(bytes);
}
