/**
 * @module engine/reloads
 * The rules of `reloadServer` that do not touch the registry: reloads of one server run one
 * after another (a failed one does not stop the next), and a reload may change any setting but
 * a server's `name` and `type` (another name or kind is another server: deploy it).
 */
import type { ServerConfig } from '../config/server-config.js';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import type { ServerEntry } from './server-entry.js';

/** The reload running for each server name. */
export class ReloadQueue {
  readonly #running = new Map<string, Promise<void>>();

  /** Runs `reload` after the reload of `name` that runs now, if any; settles as `reload` does. */
  async run(name: string, reload: () => Promise<void>): Promise<void> {
    const run = (this.#running.get(name) ?? Promise.resolve()).catch(() => undefined).then(reload);
    this.#running.set(name, run);
    try {
      await run;
    } finally {
      if (this.#running.get(name) === run) this.#running.delete(name);
    }
  }
}

/**
 * The config a reload of `old` deploys: `settings` over the last one; `INVALID_CONFIG` when they
 * change the name or type. Without settings, the last config itself, so that a resolution
 * recorded for it (servers/resolve-server) serves again.
 */
export function reloadedConfig(old: ServerEntry, settings: Partial<ServerConfig>): ServerConfig {
  const changed = settings as Record<string, unknown>;
  if (Object.keys(changed).length === 0) return old.config;
  for (const key of ['name', 'type'] as const) {
    if (changed[key] !== undefined && changed[key] !== (old.config as Record<string, unknown>)[key]) {
      throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: ${key}: a reload cannot change a server's ${key}; deploy another server instead`, { server: old.name });
    }
  }
  return { ...old.config, ...settings } as ServerConfig;
}
