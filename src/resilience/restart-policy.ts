/**
 * @module resilience/restart-policy
 * Restart intensity and backoff, as Erlang/OTP supervisors do it: a server whose threads (or
 * child process, or connection) die more than `maxRestarts` times within `withinMs` is given up
 * on (marked `unhealthy`, no more restarts until `restartServer`); below that, each restart waits
 * an exponential backoff with jitter, so a crash loop does not spin.
 */

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
  readonly #restarts: number[] = [];

  constructor(
    private readonly options: RestartOptions,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a failure and says whether, and when, to restart. */
  recordFailure(): RestartDecision {
    const now = this.now();
    while (this.#restarts.length > 0 && now - this.#restarts[0]! > this.options.withinMs) this.#restarts.shift();
    this.#restarts.push(now);
    if (this.#restarts.length > this.options.maxRestarts) return { giveUp: true, delayMs: 0 };
    const { initial, max } = this.options.backoffMs;
    const backoff = Math.min(max, initial * 2 ** (this.#restarts.length - 1));
    // Jitter of +-20% keeps servers that failed together from restarting in lockstep.
    return { giveUp: false, delayMs: Math.round(backoff * (0.8 + 0.4 * this.random())) };
  }

  /** Forgets past restarts (after a manual restart). */
  reset(): void {
    this.#restarts.length = 0;
  }
}
