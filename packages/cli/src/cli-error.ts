/**
 * Errors the command line reports to people. `usage` errors (exit 2) are the caller's input; the rest
 * (exit 1) come from what the command did. Errors of the SDK packages are recognised by their `code`
 * and `describe()` and printed on one line too; anything else is a bug and is reported as such, still
 * on one line (the stack only with AMI_DEBUG=1).
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function usage(message: string): CliError {
  return new CliError(message, 2);
}

interface SdkErrorLike {
  code: string;
  describe(): string;
}

function isSdkError(e: unknown): e is SdkErrorLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { describe?: unknown }).describe === 'function'
  );
}

/** One line describing `e`, and the exit code for it. */
export function describeFailure(e: unknown): { line: string; exitCode: number } {
  if (e instanceof CliError) return { line: e.message, exitCode: e.exitCode };
  if (isSdkError(e)) return { line: e.describe(), exitCode: 1 };
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return { line: String((e as Error).message).split('\n')[0]!, exitCode: 2 };
  }
  if (typeof code === 'string' && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')) {
    return { line: String((e as Error).message).split('\n')[0]!, exitCode: 1 };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { line: `internal error: ${msg.split('\n')[0]} (set AMI_DEBUG=1 for the stack)`, exitCode: 70 };
}
