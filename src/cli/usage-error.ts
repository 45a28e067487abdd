/**
 * @module cli/usage-error
 * The CLI's own failure kinds and the exit code each maps to (0 success, 1 a failed call or
 * check, 2 bad usage or config), so every command ends the same way.
 */
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';

/** Exit codes of the `mcpool` command. */
export const ExitCode = {
  /** Everything succeeded. */
  ok: 0,
  /** A call failed (engine error or tool error) or a check did not pass. */
  failed: 1,
  /** Bad usage (unknown flag, missing argument) or a bad config. */
  usage: 2,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad command-line usage: an unknown flag, a missing or malformed argument. Exits 2. */
export class UsageError extends Error {
  /** Stable code, as for engine errors. */
  readonly code = 'USAGE';

  override get name(): string {
    return 'UsageError';
  }
}

/** A server from the config could not be deployed: a config problem for the CLI, so exit 2. */
export class StartupError extends Error {
  /** The engine code of the failure (`INVALID_CONFIG`, `SERVER_UNAVAILABLE`, ...). */
  readonly code: string;

  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause });
    this.code = code;
  }

  override get name(): string {
    return 'StartupError';
  }
}

/** The exit code for a thrown error. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError || error instanceof StartupError) return ExitCode.usage;
  if (error instanceof McpoolError && error.code === ErrorCode.INVALID_CONFIG) return ExitCode.usage;
  return ExitCode.failed;
}

/** The stable code of a thrown error, for the one-line report on stderr. */
export function codeOf(error: unknown): string {
  if (error instanceof McpoolError || error instanceof UsageError || error instanceof StartupError) return error.code;
  return 'ERROR';
}
