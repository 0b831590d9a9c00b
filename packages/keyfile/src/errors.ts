/**
 * The error family of @ami-interop/keyfile. Every error this package throws is a `KeyfileError`; match on `code`
 * (a stable string union) rather than on the class or the message:
 *
 * ```ts
 * try { … } catch (e) {
 *   if (isKeyfileError(e)) switch (e.code) { case 'BAD_SIGNATURE': …; }
 * }
 * ```
 *
 * `instanceof KeyfileError` works even when both the ESM and the CJS build of this package are loaded: the class
 * is recognised by a `Symbol.for` brand, not by identity.
 *
 * @module
 */

/** Stable error codes. New codes may be added in minor versions; existing ones never change meaning. */
export type KeyfileErrorCode =
  /** The file is not in a format this package reads (bad bytes, bad structure). */
  | 'MALFORMED'
  /**
   * The input ends before the structure does (a truncated file, record or line): more bytes are needed.
   * Kept apart from MALFORMED so that a cut-off transfer is never reported as bad content, and so that
   * every strict prefix of a valid encoding is refused the same way.
   */
  | 'INCOMPLETE'
  | 'UNSUPPORTED_VERSION'
  /** The manufacturer's signature does not verify, or a byte was changed. */
  | 'BAD_SIGNATURE'
  /** The file was sealed for another recipient, or the key given cannot open it. */
  | 'WRONG_RECIPIENT'
  /** Decryption failed (wrong key or tampered ciphertext). */
  | 'DECRYPTION_FAILED'
  /** The file is outside its validity period. */
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  /** The same meter appears twice. */
  | 'DUPLICATE_METER'
  /** A certificate cannot be parsed or does not match the signing key. */
  | 'BAD_CERTIFICATE'
  /** A caller passed a value that cannot be sealed. */
  | 'INVALID_ARGUMENT'
  | 'LIMIT_EXCEEDED';

const BRAND: unique symbol = Symbol.for('ami-interop.error') as never;
const KIND = 'KeyfileError';

export interface KeyfileErrorOptions {
  /** Byte (or character) offset in the input where the problem was found, for decoders. */
  offset?: number;
  /** Path of field names from the outermost structure to the failing one. */
  path?: readonly (string | number)[];
  cause?: unknown;
}

export class KeyfileError extends Error {
  readonly code: KeyfileErrorCode;
  /** Offset in the input where decoding failed, when the error comes from a decoder. */
  readonly offset: number | undefined;
  /** Field path, outermost first; decoders add names as the error unwinds (see {@link withPath}). */
  readonly path: (string | number)[];
  declare readonly [BRAND]: string;

  constructor(code: KeyfileErrorCode, message: string, options: KeyfileErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = KIND;
    this.code = code;
    this.offset = options.offset;
    this.path = options.path ? [...options.path] : [];
    Object.defineProperty(this, BRAND, { value: KIND, enumerable: false });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === KIND;
  }

  /** One line for people: `[CODE] message at offset N (path a.b[2].c)`. */
  describe(): string {
    let s = `[${this.code}] ${this.message}`;
    if (this.offset !== undefined) s += ` at offset ${this.offset}`;
    if (this.path.length > 0) s += ` (path ${formatPath(this.path)})`;
    return s;
  }

  toJSON(): {
    name: string;
    code: KeyfileErrorCode;
    message: string;
    offset?: number;
    path: (string | number)[];
  } {
    const o: {
      name: string;
      code: KeyfileErrorCode;
      message: string;
      offset?: number;
      path: (string | number)[];
    } = {
      name: this.name,
      code: this.code,
      message: this.message,
      path: this.path,
    };
    if (this.offset !== undefined) o.offset = this.offset;
    return o;
  }
}

/** True when `value` is an error of this family (optionally with the given code), across module copies. */
export function isKeyfileError<C extends KeyfileErrorCode>(
  value: unknown,
  code?: C,
): value is KeyfileError & { code: C } {
  return value instanceof KeyfileError && (code === undefined || value.code === code);
}

/**
 * Runs `fn`; if it throws an error of this family, prepends `segment` to its path and rethrows.
 * Decoders wrap each named field so that the path is built on unwind, outermost first.
 */
export function withPath<T>(segment: string | number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KeyfileError) e.path.unshift(segment);
    throw e;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}
