/**
 * @module errors/mcpool-error
 * The one error type of mcpool: `McpoolError` with a stable `code` from `ErrorCode`.
 *
 * Errors do not survive `postMessage` intact (a custom error arrives as a plain `Error`, without
 * its code), so errors cross threads as a `WireError` tuple and are rebuilt here.
 */

/** Stable codes of engine failures. Tests and callers compare codes, never message text. */
export const ErrorCode = {
  INVALID_CONFIG: 'INVALID_CONFIG',
  SERVER_EXISTS: 'SERVER_EXISTS',
  SERVER_NOT_FOUND: 'SERVER_NOT_FOUND',
  TOOL_NOT_FOUND: 'TOOL_NOT_FOUND',
  INVALID_ARGUMENTS: 'INVALID_ARGUMENTS',
  INVALID_RESULT: 'INVALID_RESULT',
  TIMEOUT: 'TIMEOUT',
  ABORTED: 'ABORTED',
  OVERLOADED: 'OVERLOADED',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  WORKER_CRASHED: 'WORKER_CRASHED',
  SERVER_UNAVAILABLE: 'SERVER_UNAVAILABLE',
  TRANSPORT_ERROR: 'TRANSPORT_ERROR',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Optional details carried by an {@link McpoolError}. */
export interface McpoolErrorDetails {
  /** Name of the server the failure belongs to. */
  server?: string | undefined;
  /** Name of the tool the failure belongs to. */
  tool?: string | undefined;
  /** Machine-readable details, such as the schema issues of `INVALID_ARGUMENTS`. */
  data?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

/** A failure of the engine (not of a tool): always carries a stable `code`. */
export class McpoolError extends Error {
  /** Stable code: compare this, never the message. */
  readonly code: ErrorCode;
  /** Server the failure belongs to, where it applies. */
  readonly server?: string;
  /** Tool the failure belongs to, where it applies. */
  readonly tool?: string;
  /** Machine-readable details, where they apply. */
  readonly data?: unknown;

  constructor(code: ErrorCode, message: string, details: McpoolErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.server !== undefined) this.server = details.server;
    if (details.tool !== undefined) this.tool = details.tool;
    if (details.data !== undefined) this.data = details.data;
  }

  override get name(): string {
    return 'McpoolError';
  }

  /** The plain `{ code, message, data? }` shape used in batch results and on the wire. */
  toJSON(): { code: ErrorCode; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** An error as it crosses a thread boundary: `[code, message, data]`. */
export type WireError = [code: ErrorCode, message: string, data?: unknown];

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** True when `value` is one of the codes of {@link ErrorCode}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/** `error` in its wire form, to cross a thread boundary: any error but an `McpoolError` gets the code `otherwise`. */
export function toWire(error: unknown, otherwise: ErrorCode): WireError {
  return error instanceof McpoolError ? [error.code, error.message, error.data] : [otherwise, messageOf(error)];
}

/** Rebuilds an error that crossed a thread boundary, keeping its code. */
export function fromWire(wire: WireError, server?: string, tool?: string): McpoolError {
  const [code, message, data] = wire;
  return new McpoolError(isErrorCode(code) ? code : ErrorCode.WORKER_CRASHED, message, { server, tool, data });
}

/** The message of any thrown value, for error texts. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}
