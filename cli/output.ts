/**
 * JSON output for the developer CLI. Every command writes exactly one JSON document to stdout, so
 * scripts and tests can parse it; a failure is a JSON error with a non-zero exit code, never a stack
 * trace (the person at the terminal gets a reason in kk/ru/en).
 */

export interface LocalizedText {
  kk: string;
  ru: string;
  en: string;
}

export interface CliErrorBody {
  error: {
    code: string;
    /** The argument or option that was wrong, when there is one. */
    field?: string;
    reason: LocalizedText;
    details?: unknown;
  };
}

/** Exit codes: 1 = bad input or a refusal (e.g. no calendar); 2 = a bug or broken data. */
export const EXIT_BAD_INPUT = 1;
export const EXIT_INTERNAL = 2;

/** A failure a command reports on purpose; `runAction` prints it as JSON. */
export class CliError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly reason: LocalizedText;
  readonly exitCode: number;
  readonly details: unknown;
  constructor(
    code: string,
    reason: LocalizedText,
    opts: { field?: string; exitCode?: number; details?: unknown } = {},
  ) {
    super(reason.en);
    this.name = 'CliError';
    this.code = code;
    this.reason = reason;
    this.field = opts.field;
    this.exitCode = opts.exitCode ?? EXIT_BAD_INPUT;
    this.details = opts.details;
  }

  toBody(): CliErrorBody {
    return {
      error: {
        code: this.code,
        ...(this.field === undefined ? {} : { field: this.field }),
        reason: { kk: this.reason.kk, ru: this.reason.ru, en: this.reason.en },
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** Throws a CliError: `fail('BAD_YEAR', reason, { field: 'year' })`. */
export function fail(
  code: string,
  reason: LocalizedText,
  opts: { field?: string; exitCode?: number; details?: unknown } = {},
): never {
  throw new CliError(code, reason, opts);
}

/**
 * Prints one JSON document to stdout. With `exitCode` the process will end with it (set, not
 * `process.exit`, so that stdout is flushed when it is a pipe).
 */
export function printJson(value: unknown, exitCode?: number): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  if (exitCode !== undefined) process.exitCode = exitCode;
}

export function printError(err: CliError): void {
  printJson(err.toBody(), err.exitCode);
}

const INTERNAL_REASON: LocalizedText = {
  kk: 'Ішкі қате; толығырақ stderr-де',
  ru: 'Внутренняя ошибка; подробности в stderr',
  en: 'Internal error; details on stderr',
};

/**
 * Wraps a commander action: a CliError becomes its JSON error; anything else is reported as an
 * internal error with its message (no stack) on stderr, so a bug is visible but bad input never
 * produces a trace.
 */
export function runAction<A extends unknown[]>(
  handler: (...args: A) => void | Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await handler(...args);
    } catch (err) {
      reportError(err);
    }
  };
}

export function reportError(err: unknown): void {
  if (err instanceof CliError) {
    printError(err);
    return;
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`${message}\n`);
  printError(new CliError('INTERNAL', INTERNAL_REASON, { exitCode: EXIT_INTERNAL, details: message }));
}
