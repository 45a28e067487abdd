/**
 * @module engine/watchdog
 * The manager's one timer for every call's deadline: it is armed for the earliest deadline
 * pending, and when it fires the manager times out what is overdue and arms it again. One timer
 * for all calls, rather than one per call, keeps timeouts off the per-call cost.
 */
import { performance } from 'node:perf_hooks';

/** A one-shot timer re-armed for the earliest deadline (`performance.now()` time). */
export class Watchdog {
  /** The deadline the timer is armed for (`Infinity`: not armed). Read on every call. */
  at = Infinity;
  #timer: NodeJS.Timeout | undefined;
  readonly #fire: () => void;

  /** `onFire` runs when the deadline passes; the watchdog is disarmed by then. */
  constructor(onFire: () => void) {
    this.#fire = () => {
      this.#timer = undefined;
      this.at = Infinity;
      onFire();
    };
  }

  /** Arms the timer for `at`, replacing the deadline it was armed for. */
  arm(at: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.at = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - performance.now()) + 1);
    // The watchdog alone must not keep the process alive: a call in flight keeps its thread busy.
    this.#timer.unref();
  }

  /** Stops the timer (the manager shut down). */
  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
