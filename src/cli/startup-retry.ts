/**
 * @module cli/startup-retry
 * The servers of `mcpool serve` that failed to start: each is tried again with backoff (1 s,
 * doubling, at most 30 s) while the others are served, and reported `unhealthy` in `/health`
 * with the failure meanwhile. One that comes up joins the gateway: clients are told
 * `notifications/tools/list_changed`. A config error (`INVALID_CONFIG`) is not retried: it
 * cannot heal by waiting.
 */
import { messageOf } from '../errors/mcpool-error.js';
import { backoffDelay, type BackoffBounds } from '../resilience/backoff.js';
import type { Manager } from '../engine/manager.js';
import type { ServerHealth } from '../api/manager-types.js';
import type { ServerConfig } from '../config/server-config.js';
import type { Logger } from './logger.js';

/** The wait before each retry: 1 s, doubled each time, at most 30 s. */
const RETRY_BACKOFF: BackoffBounds = { initial: 1_000, max: 30_000 };

interface Pending {
  config: ServerConfig;
  attempts: number;
  lastError: string;
  since: number;
  timer: NodeJS.Timeout | undefined;
}

/** Servers waiting to be deployed again. */
export class StartupRetry {
  readonly #manager: Manager;
  readonly #log: Logger;
  readonly #pending = new Map<string, Pending>();
  #stopped = false;

  constructor(manager: Manager, log: Logger) {
    this.#manager = manager;
    this.#log = log;
  }

  /** Names of the servers not started yet. */
  get names(): string[] {
    return [...this.#pending.keys()];
  }

  /** Schedules `config` again after it failed with `error`. */
  add(config: ServerConfig, error: unknown): void {
    const name = String(config.name);
    const pending: Pending = { config, attempts: 0, lastError: messageOf(error), since: Date.now(), timer: undefined };
    this.#pending.set(name, pending);
    this.#schedule(name, pending);
  }

  #schedule(name: string, pending: Pending): void {
    if (this.#stopped) return;
    const delay = backoffDelay(RETRY_BACKOFF, pending.attempts);
    // The failure itself was logged in full once; a retry line carries its first line only.
    const error = pending.attempts === 0 ? undefined : pending.lastError.split('\n')[0];
    this.#log.warn(`server "${name}" did not start; retrying in ${delay} ms`, { server: name, attempt: pending.attempts + 1, error });
    pending.timer = setTimeout(() => void this.#retry(name, pending), delay);
    pending.timer.unref();
  }

  async #retry(name: string, pending: Pending): Promise<void> {
    pending.timer = undefined;
    pending.attempts++;
    try {
      await this.#manager.deployServer(pending.config);
    } catch (error) {
      if (this.#stopped) return;
      // Deployed meanwhile by other means (a config re-read on SIGHUP): nothing left to retry.
      if ((error as { code?: unknown } | null)?.code === 'SERVER_EXISTS') {
        this.#pending.delete(name);
        return;
      }
      pending.lastError = messageOf(error);
      this.#schedule(name, pending);
      return;
    }
    this.#pending.delete(name);
    if (this.#stopped) return;
    this.#log.info(`server "${name}" started after ${pending.attempts} retries`, { server: name });
    // The gateway forwards this to every client, as for a server whose tools changed.
    this.#manager.emit('serverNotification', { server: name, method: 'notifications/tools/list_changed', params: {} });
  }

  /** The health of each server not started yet: `unhealthy`, with its last failure. */
  health(): ServerHealth[] {
    return [...this.#pending].map(([name, pending]) => ({
      id: '',
      name,
      type: typeOf(pending.config),
      state: 'unhealthy',
      threads: 0,
      inFlight: 0,
      queued: 0,
      calls: 0,
      errors: 0,
      timeouts: 0,
      restarts: pending.attempts,
      uptimeMs: 0,
      circuit: 'closed',
      lastError: pending.lastError,
    }));
  }

  /** Stops retrying. */
  stop(): void {
    this.#stopped = true;
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
  }
}

function typeOf(config: ServerConfig): ServerHealth['type'] {
  const type = (config as { type?: string }).type;
  return (type === 'streamable-http' ? 'http' : type) as ServerHealth['type'];
}
