/**
 * The error family of @ami-interop/cim. Every error this package throws is a `CimError`; match on `code`
 * (a stable string union) rather than on the class or the message:
 *
 * ```ts
 * try { … } catch (e) {
 *   if (isCimError(e)) switch (e.code) { case 'MALFORMED_XML': …; }
 * }
 * ```
 *
 * `instanceof CimError` works even when both the ESM and the CJS build of this package are loaded: the class
 * is recognised by a `Symbol.for` brand, not by identity.
 *
 * @module
 */

/** Stable error codes. New codes may be added in minor versions; existing ones never change meaning. */
export type CimErrorCode =
  /** The XML or JSON text is not well-formed. */
  | 'MALFORMED_XML'
  | 'MALFORMED_JSON'
  /** A namespace is missing or not the one expected. */
  | 'WRONG_NAMESPACE'
  /** A verb, noun or enumeration value is not known. */
  | 'UNKNOWN_VERB'
  | 'UNKNOWN_NOUN'
  | 'UNKNOWN_CODE'
  /** A mandatory element or attribute is missing. */
  | 'MISSING_FIELD'
  /** A value does not have the type or format the schema requires. */
  | 'INVALID_VALUE'
  /** DTDs, entities and other constructs refused for safety. */
  | 'FORBIDDEN_CONSTRUCT'
  /** A size or depth limit was exceeded. */
  | 'LIMIT_EXCEEDED'
  /** A caller passed a value that cannot be encoded. */
  | 'INVALID_ARGUMENT'
  /** Valid per the standard, but not implemented here. */
  | 'UNSUPPORTED';

const BRAND: unique symbol = Symbol.for('ami-interop.error') as never;
const KIND = 'CimError';

export interface CimErrorOptions {
  /** Byte (or character) offset in the input where the problem was found, for decoders. */
  offset?: number;
  /** Path of field names from the outermost structure to the failing one. */
  path?: readonly (string | number)[];
  cause?: unknown;
}

export class CimError extends Error {
  readonly code: CimErrorCode;
  /** Offset in the input where decoding failed, when the error comes from a decoder. */
  readonly offset: number | undefined;
  /** Field path, outermost first; decoders add names as the error unwinds (see {@link withPath}). */
  readonly path: (string | number)[];
  declare readonly [BRAND]: string;

  constructor(code: CimErrorCode, message: string, options: CimErrorOptions = {}) {
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
    code: CimErrorCode;
    message: string;
    offset?: number;
    path: (string | number)[];
  } {
    const o: {
      name: string;
      code: CimErrorCode;
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
export function isCimError<C extends CimErrorCode>(
  value: unknown,
  code?: C,
): value is CimError & { code: C } {
  return value instanceof CimError && (code === undefined || value.code === code);
}

/**
 * Runs `fn`; if it throws an error of this family, prepends `segment` to its path and rethrows.
 * Decoders wrap each named field so that the path is built on unwind, outermost first.
 */
export function withPath<T>(segment: string | number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CimError) e.path.unshift(segment);
    throw e;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}
