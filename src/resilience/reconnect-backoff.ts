/**
 * @module resilience/reconnect-backoff
 * When an external server's lost connection (or exited child) is tried again: an exponential
 * backoff on consecutive failed attempts, and a restart budget over a sliding window. Past the
 * budget the server is reported `unhealthy` but still retried, at the slowest pace: an external
 * server may come back on its own, unlike a worker thread that keeps dying.
 */
import type { RestartPolicy } from '../config/resilience-schema.js';
import { backoffDelay, SlidingWindow } from './backoff.js';

/** The next reconnection attempt: its wait, and whether the restart budget is spent. */
export interface ReconnectPlan {
  delayMs: number;
  exhausted: boolean;
}

/** Attempts in the window and consecutive failures of one external server's connection. */
export class ReconnectBackoff {
  readonly #policy: RestartPolicy;
  /** When recent attempts started. */
  readonly #attempts: SlidingWindow;
  /** Attempts that failed in a row. */
  #failures = 0;

  constructor(policy: RestartPolicy) {
    this.#policy = policy;
    this.#attempts = new SlidingWindow(policy.withinMs);
  }

  /** Plans the next attempt, forgetting attempts older than the window. */
  next(): ReconnectPlan {
    const { maxRestarts, backoffMs } = this.#policy;
    const exhausted = this.#attempts.count(Date.now()) >= maxRestarts;
    const delayMs = exhausted ? backoffMs.max : backoffDelay(backoffMs, this.#failures);
    return { delayMs, exhausted };
  }

  /** An automatic attempt starts now: it counts against the budget. */
  attempted(): void {
    this.#attempts.record(Date.now());
  }

  /** The last attempt failed: the next wait doubles. */
  failed(): void {
    this.#failures++;
  }

  /** The last attempt connected: the backoff starts over. */
  succeeded(): void {
    this.#failures = 0;
  }

  /** Forgets the budget and the backoff (a restart on request). */
  reset(): void {
    this.#attempts.clear();
    this.#failures = 0;
  }
}
