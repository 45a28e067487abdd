/**
 * @module api/batch-types
 * What `executeBatch` answers and reports: one result per call, in call order, and progress.
 */
import type { ErrorCode } from '../errors/mcpool-error.js';
import type { CallToolResult } from '../wire/mcp-types.js';

/** A failed call in a batch: the engine error's code and message (and `data` where it has one). */
export interface BatchError {
  code: ErrorCode;
  message: string;
  data?: unknown;
}

/** The answer to one call of a batch: `results[i]` answers `calls[i]`. */
export type BatchResult = { ok: true; result: CallToolResult } | { ok: false; error: BatchError };

/** Progress of a batch. `failed` counts calls that ended with an engine error. */
export interface BatchProgress {
  done: number;
  total: number;
  failed: number;
}
