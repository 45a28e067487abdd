/**
 * @module resilience/health-probe
 * Periodic health probes of one server: every `intervalMs` the server is pinged (worker servers:
 * their idle threads; external servers: MCP `ping`) and must answer within `timeoutMs`. The last
 * outcome is kept for health reports; a failed probe marks the server degraded. The timer never
 * keeps the process alive.
 */
import { messageOf } from '../errors/mcpool-error.js';

/** The outcome of the last probe. */
export interface ProbeOutcome {
  ok: boolean;
  /** When it ended (epoch ms). */
  at: number;
  /** Why it failed. */
  error?: string;
}

/** Probes one server on a timer. */
export class HealthProbe {
  last: ProbeOutcome | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly ping: (timeoutMs: number) => Promise<void>,
    private readonly options: { intervalMs: number; timeoutMs: number },
  ) {}

  /** Starts probing every `intervalMs`. */
  start(): void {
    this.#timer = setInterval(() => void this.probe(), this.options.intervalMs);
    this.#timer.unref();
  }

  /** Runs one probe now (skipped while one is running). */
  async probe(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      await this.ping(this.options.timeoutMs);
      this.last = { ok: true, at: Date.now() };
    } catch (error) {
      this.last = { ok: false, at: Date.now(), error: messageOf(error) };
    } finally {
      this.#running = false;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
