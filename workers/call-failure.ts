/**
 * @module workers/call-failure
 * An engine failure a tool runner raises for one call (a WebAssembly trap is `WORKER_CRASHED`),
 * as opposed to a tool error: the frame runner answers the call with this code instead of
 * turning the throw into an `isError` result.
 */
import type { ErrorCode } from '../src/errors/mcpool-error.js';

/** Thrown by a handler to fail its call with an engine error code. */
export class CallFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'CallFailure';
  }
}
