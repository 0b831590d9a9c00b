/**
 * What a fuzz target is, and the one rule every target is checked against.
 *
 * A target wraps one decoder (or one stateful consumer such as a deframer) so that it takes arbitrary bytes.
 * The rule, for every input:
 *
 * - the call returns (the fuzzer's watchdog covers hangs; the fast-check campaigns rely on vitest's timeout);
 * - if it throws, the error is the package's typed error (`isDlmsError` / `isCimError` / `isKeyfileError`):
 *   a `TypeError`, a `RangeError` (stack overflow, `new Uint8Array(huge)`), an asn1js or XML-parser error
 *   leaking through is a finding;
 * - an `INCOMPLETE` error reports an offset no greater than the input's length;
 * - a target may add checks of its own (e.g. that a capture never reports an `INTERNAL` entry, which is how
 *   `decodeCapture` shows an untyped error it caught).
 *
 * Memory: the fuzzer runs targets in a worker with a heap limit, so an allocation sized from an untrusted
 * length (the classic `new Array(count)`) kills the worker and is reported with the input that did it.
 *
 * @module
 */

/** The package a target belongs to; picks the typed-error guard. */
export type FuzzPackage = 'dlms' | 'cim' | 'keyfile';

export interface FuzzTarget {
  /** Short and stable: the corpus folder name, e.g. `dlms-axdr`. */
  readonly name: string;
  readonly pkg: FuzzPackage;
  /** One line: what is called. */
  readonly description: string;
  /** Conformance-vector families whose vectors seed the corpus (e.g. `dlms/axdr`). */
  readonly families: readonly string[];
  /** Extra seeds built from inputs the vector files do not hold (e.g. a JSON form). */
  readonly extraSeeds?: () => Uint8Array[];
  /** The input is UTF-8 text: mutations also insert the dictionary's tokens. */
  readonly text?: boolean;
  /** Tokens the mutator splices in (tags, keywords, magic numbers). */
  readonly dictionary?: readonly string[];
  /**
   * Calls the decoder(s) on the input. Throws whatever the decoder throws; returns a problem description
   * when a target-specific check fails without a throw (or undefined when all is well).
   */
  run(input: Uint8Array): string | undefined;
  /** Milliseconds one call may reasonably take before it counts as slow (default 2000). */
  readonly slowMs?: number;
  /**
   * A finding not fixed yet (the owner of the code was told): why, and where it is written down. `pnpm
   * fuzz:ci` and the campaigns skip the target loudly; `pnpm fuzz <target>` still runs it.
   */
  readonly knownFinding?: string;
}

/** What went wrong with one input. */
export interface Violation {
  kind: 'untyped-error' | 'bad-incomplete-offset' | 'target-check' | 'slow';
  message: string;
  /** The error's stack (or message), to paste into a report. */
  stack?: string;
}

/** The typed-error view the check needs; each package's guard is adapted to it in `targets/`. */
export interface TypedErrorView {
  code: string;
  offset: number | undefined;
}

/** Guards per package, filled in by `targets/index.ts` (kept out of this file so it imports nothing). */
export type ErrorGuard = (e: unknown) => TypedErrorView | undefined;

function describeThrown(e: unknown): { message: string; stack: string } {
  if (e instanceof Error) return { message: `${e.name}: ${e.message}`, stack: e.stack ?? e.message };
  let s: string;
  try {
    s = typeof e === 'object' ? JSON.stringify(e) : String(e);
  } catch {
    s = Object.prototype.toString.call(e);
  }
  return { message: `non-Error thrown: ${s}`, stack: s };
}

/**
 * Runs `target` on `input` and applies the rule. Returns the violation, or undefined when the input was
 * handled correctly (decoded, or refused with a typed error).
 */
export function checkInput(target: FuzzTarget, guard: ErrorGuard, input: Uint8Array): Violation | undefined {
  let problem: string | undefined;
  try {
    problem = target.run(input);
  } catch (e) {
    const typed = guard(e);
    if (typed === undefined) {
      const d = describeThrown(e);
      return { kind: 'untyped-error', message: d.message, stack: d.stack };
    }
    if (typed.code === 'INCOMPLETE' && typed.offset !== undefined && typed.offset > input.length) {
      return {
        kind: 'bad-incomplete-offset',
        message: `INCOMPLETE at offset ${typed.offset}, past the input's ${input.length} bytes`,
        stack: e instanceof Error ? e.stack : undefined,
      };
    }
    return undefined;
  }
  return problem === undefined ? undefined : { kind: 'target-check', message: problem };
}
