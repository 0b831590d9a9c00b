/**
 * The error family of @ami-interop/dlms. Every error this package throws is a `DlmsError`; match on `code`
 * (a stable string union) rather than on the class or the message:
 *
 * ```ts
 * try { … } catch (e) {
 *   if (isDlmsError(e)) switch (e.code) { case 'INCOMPLETE': …; }
 * }
 * ```
 *
 * `instanceof DlmsError` works even when both the ESM and the CJS build of this package are loaded: the class
 * is recognised by a `Symbol.for` brand, not by identity.
 *
 * @module
 */

/** Stable error codes. New codes may be added in minor versions; existing ones never change meaning. */
export type DlmsErrorCode =
  /** The input ended before the structure did: more bytes may complete it. Never a wrong value. */
  | 'INCOMPLETE'
  /** The bytes cannot be what they claim to be (bad tag, bad length, trailing bytes, …). */
  | 'MALFORMED'
  /** Valid per the standard, but not implemented here. */
  | 'UNSUPPORTED'
  /** A depth, element-count or size limit protecting against hostile input was exceeded. */
  | 'LIMIT_EXCEEDED'
  /** A caller passed a value that cannot be encoded (out of range, wrong length, …). */
  | 'INVALID_ARGUMENT'
  /** HDLC HCS/FCS or another checksum does not match. */
  | 'CHECKSUM_MISMATCH'
  /** A GCM tag, GMAC or HLS response did not verify (wrong key or tampered data). */
  | 'AUTHENTICATION_FAILED'
  /** An invocation counter was reused or went backwards. */
  | 'REPLAYED_COUNTER'
  /** The peer did not answer in time. */
  | 'TIMEOUT'
  /** The link closed while an exchange was under way. */
  | 'CONNECTION_CLOSED'
  /** The peer refused the association (AARE result not accepted). */
  | 'ASSOCIATION_REFUSED'
  /** The peer answered with a data-access-result, action-result or service error. */
  | 'SERVICE_ERROR'
  /** The peer broke the protocol (unexpected APDU, frame or state). */
  | 'PROTOCOL_ERROR';

const BRAND: unique symbol = Symbol.for('ami-interop.error') as never;
const KIND = 'DlmsError';

export interface DlmsErrorOptions {
  /** Byte (or character) offset in the input where the problem was found, for decoders. */
  offset?: number;
  /** Path of field names from the outermost structure to the failing one. */
  path?: readonly (string | number)[];
  cause?: unknown;
}

export class DlmsError extends Error {
  readonly code: DlmsErrorCode;
  /** Offset in the input where decoding failed, when the error comes from a decoder. */
  readonly offset: number | undefined;
  /** Field path, outermost first; decoders add names as the error unwinds (see {@link withPath}). */
  readonly path: (string | number)[];
  declare readonly [BRAND]: string;

  constructor(code: DlmsErrorCode, message: string, options: DlmsErrorOptions = {}) {
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
    code: DlmsErrorCode;
    message: string;
    offset?: number;
    path: (string | number)[];
  } {
    const o: {
      name: string;
      code: DlmsErrorCode;
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
export function isDlmsError<C extends DlmsErrorCode>(
  value: unknown,
  code?: C,
): value is DlmsError & { code: C } {
  return value instanceof DlmsError && (code === undefined || value.code === code);
}

/**
 * Runs `fn`; if it throws an error of this family, prepends `segment` to its path and rethrows.
 * Decoders wrap each named field so that the path is built on unwind, outermost first.
 */
export function withPath<T>(segment: string | number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DlmsError) e.path.unshift(segment);
    throw e;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}
