/**
 * @module resilience/backoff
 * The one exponential backoff and restart window of mcpool: worker threads that die
 * (restart-policy) and external connections that drop (reconnect-backoff) both wait
 * `initial * 2^n`, at most `max`, and count their attempts in a sliding window.
 */

/** Bounds of an exponential backoff, in ms. */
export interface BackoffBounds {
  initial: number;
  max: number;
}

/**
 * The wait before attempt `n` (0 for the first): `initial * 2^n`, at most `max`. With
 * `random`, a jitter of +-20% keeps servers that failed together from retrying in lockstep.
 */
export function backoffDelay(bounds: BackoffBounds, n: number, random?: () => number): number {
  const delay = Math.min(bounds.max, bounds.initial * 2 ** n);
  return random === undefined ? delay : Math.round(delay * (0.8 + 0.4 * random()));
}

/** Times of recent events within a sliding window of `withinMs`. */
export class SlidingWindow {
  readonly #times: number[] = [];

  constructor(readonly withinMs: number) {}

  /** Events within the window ending at `now` (older ones are forgotten). */
  count(now: number): number {
    const times = this.#times;
    while (times.length > 0 && now - times[0]! > this.withinMs) times.shift();
    return times.length;
  }

  /** Records an event at `now`. */
  record(now: number): void {
    this.#times.push(now);
  }

  clear(): void {
    this.#times.length = 0;
  }
}
