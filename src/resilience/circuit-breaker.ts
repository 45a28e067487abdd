/**
 * @module resilience/circuit-breaker
 * A per-server circuit breaker: after `failureThreshold` consecutive server failures (timeouts,
 * crashes, transport errors; not tool errors) it opens and calls fail fast with `CIRCUIT_OPEN`;
 * after `resetTimeoutMs` it half-opens and lets one probe call through; the probe's success
 * closes it, its failure opens it again.
 *
 * Why not cockatiel: its `execute()` wraps each call in a function and a promise of its own,
 * while the engine answers calls (batches above all) without a promise per call. Here a call
 * costs one state check when it is admitted and one counter update when it is answered.
 */

/** Breaker states, as reported by health. */
import type { CircuitState } from '../api/server-types.js';

/** Options of a circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive server failures that open the circuit. @default 5 */
  failureThreshold: number;
  /** Time the circuit stays open before a probe call may go through. @default 10_000 */
  resetTimeoutMs: number;
}

/** One server's circuit breaker. */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probeInFlight = false;
  /** Times the circuit opened. */
  opened = 0;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The state now (an open circuit past its reset timeout reads as half-open). */
  get state(): CircuitState {
    if (this.#state === 'open' && this.now() - this.#openedAt >= this.options.resetTimeoutMs) this.#state = 'half-open';
    return this.#state;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when not open). */
  get retryAfterMs(): number {
    return this.#state === 'open' ? Math.max(0, this.options.resetTimeoutMs - (this.now() - this.#openedAt)) : 0;
  }

  /** Asks to admit a call: false means fail fast. In half-open state one probe is let through. */
  admit(): boolean {
    const state = this.#state === 'closed' ? 'closed' : this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.#probeInFlight) {
      this.#probeInFlight = true;
      return true;
    }
    return false;
  }

  /** A call was answered without a server failure (tool errors included). */
  success(): void {
    this.#failures = 0;
    if (this.#state !== 'closed') {
      this.#state = 'closed';
      this.#probeInFlight = false;
    }
  }

  /** A call ended with a server failure. */
  failure(): void {
    this.#failures++;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= this.options.failureThreshold)) {
      this.#state = 'open';
      this.#openedAt = this.now();
      this.#probeInFlight = false;
      this.opened++;
    }
  }

  /** Back to closed, forgetting failures (after a restart). */
  reset(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#probeInFlight = false;
  }
}
