/**
 * @module engine/abort-handle
 * A one-listener abort handle, cheaper than an `AbortController`: making an `AbortSignal` per
 * request was about a tenth of the stdio gateway's main-thread time. The manager reads only
 * `aborted` and `reason` and adds and removes one `abort` listener, and piscina accepts any
 * object with `aborted` and `addEventListener` as a task's abort signal, so one class serves
 * both: the gateway's per-call cancellation and a worker server's thread session (aborting it
 * terminates that thread).
 */

/** Anything a client session can abort. */
export interface Abortable {
  abort(reason?: unknown): void;
}

/** An abort handle: pass `signal` where an `AbortSignal` is taken, call `abort` to fire it. */
export class AbortHandle implements Abortable {
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
