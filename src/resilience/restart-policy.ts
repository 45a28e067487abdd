/**
 * @module resilience/restart-policy
 * Restart intensity and backoff, as Erlang/OTP supervisors do it: a server whose threads (or
 * child process, or connection) die more than `maxRestarts` times within `withinMs` is given up
 * on (marked `unhealthy`, no more restarts until `restartServer`); below that, each restart waits
 * an exponential backoff with jitter, so a crash loop does not spin.
 */
import { backoffDelay, SlidingWindow } from './backoff.js';

/** Options of a restart policy. */
export interface RestartOptions {
  /** Restarts allowed within `withinMs`. @default 5 */
  maxRestarts: number;
  /** The window of the restart count. @default 60_000 */
  withinMs: number;
  /** Backoff before a restart: `initial`, doubling per recent restart, at most `max`. */
  backoffMs: { initial: number; max: number };
}

/** What to do after a failure. */
export interface RestartDecision {
  /** Too many restarts in the window: stop restarting. */
  giveUp: boolean;
  /** Wait this long before the restart. */
  delayMs: number;
}

/** Counts restarts in a sliding window and spaces them out. */
export class RestartPolicy {
  readonly #restarts: SlidingWindow;

  constructor(
    private readonly options: RestartOptions,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.#restarts = new SlidingWindow(options.withinMs);
  }

  /** Records a failure and says whether, and when, to restart. */
  recordFailure(): RestartDecision {
    const now = this.now();
    const earlier = this.#restarts.count(now);
    this.#restarts.record(now);
    if (earlier >= this.options.maxRestarts) return { giveUp: true, delayMs: 0 };
    return { giveUp: false, delayMs: backoffDelay(this.options.backoffMs, earlier, this.random) };
  }

  /** Forgets past restarts (after a manual restart). */
  reset(): void {
    this.#restarts.clear();
  }
}
