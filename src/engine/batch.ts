/**
 * @module engine/batch
 * Collects the answers of an `executeBatch` in call order, and reports progress at most once
 * per turn of the event loop (not once per call).
 */
import type { BatchSink } from './call.js';
import type { McpoolError } from '../errors/mcpool-error.js';
import type { BatchProgress, BatchResult } from '../api/batch-types.js';
import type { CallToolResult } from '../wire/mcp-types.js';

/** The answers of one batch as they arrive. */
export class Batch implements BatchSink {
  readonly results: BatchResult[];
  done = 0;
  failed = 0;
  #progressScheduled = false;
  readonly #report = (): void => {
    this.#progressScheduled = false;
    if (this.done < this.total) this.#emitProgress();
  };

  constructor(
    readonly total: number,
    private readonly finish: (results: BatchResult[]) => void,
    private readonly onProgress: ((progress: BatchProgress) => void) | undefined,
  ) {
    this.results = new Array<BatchResult>(total);
  }

  settle(index: number, result: CallToolResult | undefined, error: McpoolError | undefined): void {
    if (error === undefined) {
      this.results[index] = { ok: true, result: result! };
    } else {
      this.results[index] = { ok: false, error: error.data === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, data: error.data } };
      this.failed++;
    }
    this.done++;
    if (this.done === this.total) {
      this.#emitProgress();
      this.finish(this.results);
    } else if (this.onProgress !== undefined && !this.#progressScheduled) {
      this.#progressScheduled = true;
      setImmediate(this.#report);
    }
  }

  #emitProgress(): void {
    try {
      this.onProgress?.({ done: this.done, total: this.total, failed: this.failed });
    } catch {
      // A throwing progress callback must not cost the batch its answers.
    }
  }
}
