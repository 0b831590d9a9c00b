/**
 * The error family of @ami-interop/transport. Every error this package throws is a `TransportError`; match on `code`
 * (a stable string union) rather than on the class or the message:
 *
 * ```ts
 * try { … } catch (e) {
 *   if (isTransportError(e)) switch (e.code) { case 'REJECTED': …; }
 * }
 * ```
 *
 * `instanceof TransportError` works even when both the ESM and the CJS build of this package are loaded: the class
 * is recognised by a `Symbol.for` brand, not by identity.
 *
 * @module
 */

/** Stable error codes. New codes may be added in minor versions; existing ones never change meaning. */
export type TransportErrorCode =
  /** The peer or the broker could not be reached, or the connection dropped. */
  | 'CONNECTION_FAILED'
  | 'CONNECTION_CLOSED'
  | 'TIMEOUT'
  /** The message was refused (bad envelope, schema violation, fault reply); it is kept, never dropped. */
  | 'REJECTED'
  /** The peer answered with a SOAP fault or an HTTP error. */
  | 'FAULT'
  /** The peer broke the protocol (bad frame, unexpected reply). */
  | 'PROTOCOL_ERROR'
  | 'INVALID_ARGUMENT'
  | 'UNSUPPORTED';

const BRAND: unique symbol = Symbol.for('ami-interop.error') as never;
const KIND = 'TransportError';

export interface TransportErrorOptions {
  /** Byte (or character) offset in the input where the problem was found, for decoders. */
  offset?: number;
  /** Path of field names from the outermost structure to the failing one. */
  path?: readonly (string | number)[];
  cause?: unknown;
}

export class TransportError extends Error {
  readonly code: TransportErrorCode;
  /** Offset in the input where decoding failed, when the error comes from a decoder. */
  readonly offset: number | undefined;
  /** Field path, outermost first; decoders add names as the error unwinds (see {@link withPath}). */
  readonly path: (string | number)[];
  declare readonly [BRAND]: string;

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}) {
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
    code: TransportErrorCode;
    message: string;
    offset?: number;
    path: (string | number)[];
  } {
    const o: {
      name: string;
      code: TransportErrorCode;
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
export function isTransportError<C extends TransportErrorCode>(
  value: unknown,
  code?: C,
): value is TransportError & { code: C } {
  return value instanceof TransportError && (code === undefined || value.code === code);
}

/**
 * Runs `fn`; if it throws an error of this family, prepends `segment` to its path and rethrows.
 * Decoders wrap each named field so that the path is built on unwind, outermost first.
 */
export function withPath<T>(segment: string | number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TransportError) e.path.unshift(segment);
    throw e;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}
