/**
 * @module resilience/token-bucket
 * A token bucket rate limiter: `perSecond` tokens refill continuously up to `burst`; each call
 * takes one, and a call that finds none is refused (`OVERLOADED`, with the wait until the next
 * token, which the HTTP gateway turns into `Retry-After`).
 */

/** Options of a rate limit. */
export interface RateLimitOptions {
  /** Sustained calls per second. */
  perSecond: number;
  /** Calls that may arrive at once after a quiet spell. @default perSecond (at least 1) */
  burst?: number | undefined;
}

/** One rate limit. */
export class TokenBucket {
  readonly #perMs: number;
  readonly #capacity: number;
  #tokens: number;
  #refilledAt: number;

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.#perMs = options.perSecond / 1000;
    this.#capacity = Math.max(1, options.burst ?? options.perSecond);
    this.#tokens = this.#capacity;
    this.#refilledAt = now();
  }

  /** Takes a token: true when the call may go, false when it must be refused. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available. */
  get retryAfterMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#refilledAt) * this.#perMs);
    this.#refilledAt = now;
  }
}
