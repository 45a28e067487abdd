/**
 * @module gateway/cancel
 * A cancellation handle for one tool call, cheaper than an `AbortController`: making an
 * `AbortSignal` per request was about a tenth of the stdio gateway's main-thread time. The
 * manager only reads `aborted` and `reason` and adds and removes one `abort` listener, which
 * this object provides (as piscina accepts for its own abort signals).
 */

/** Anything a session can abort. */
export interface Abortable {
  abort(reason?: unknown): void;
}

/** One call's cancellation: pass `signal` to `executeTool`, call `abort` to cancel. */
export class Cancel implements Abortable {
  aborted = false;
  reason: unknown = undefined;
  #listener: (() => void) | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    this.#listener = listener;
  }

  removeEventListener(): void {
    this.#listener = undefined;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#listener?.();
  }

  /** This handle, typed as the `AbortSignal` the manager's options take. */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
