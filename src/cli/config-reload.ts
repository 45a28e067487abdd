/**
 * @module cli/config-reload
 * What `mcpool serve` does when its config changes (SIGHUP, or `--watch` seeing the file
 * change) and when a server's module file changes (`--watch`): the config is read again and
 * compared by server name: added servers are deployed, removed ones shut down, changed ones
 * reloaded (`manager.reloadServer`, no call lost), unchanged ones left alone. Sessions stay;
 * clients are told `notifications/tools/list_changed`. A config that cannot be read or is
 * invalid changes nothing (the error is logged).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../config/config-file.js';
import type { ServerConfig } from '../config/server-config.js';
import type { Manager } from '../engine/manager.js';
import { messageOf } from '../errors/mcpool-error.js';
import { readServeConfig } from './serve-config.js';

/** Changes to files closer together than this are one change (editors write in steps). */
const SETTLE_MS = 150;

/** What applying a config did, by server name. */
export interface ConfigChanges {
  added: string[];
  removed: string[];
  reloaded: string[];
  failed: { server: string; error: string }[];
}

/** Comparable form of a server config (a `URL` module becomes its href). */
function fingerprint(config: ServerConfig): string {
  return JSON.stringify(config, (_key, value: unknown) => (value instanceof URL ? value.href : value));
}

/** Applies `next` over `current` on `manager`; see the module comment. */
export async function applyConfig(manager: Manager, current: readonly ServerConfig[], next: readonly ServerConfig[]): Promise<ConfigChanges> {
  const changes: ConfigChanges = { added: [], removed: [], reloaded: [], failed: [] };
  const before = new Map(current.map((config) => [config.name, config]));
  const after = new Map(next.map((config) => [config.name, config]));
  const attempt = async (server: string, list: string[], action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
      list.push(server);
    } catch (error) {
      changes.failed.push({ server, error: messageOf(error) });
    }
  };
  await Promise.all([
    ...[...before.keys()].filter((name) => !after.has(name)).map((name) => attempt(name, changes.removed, () => manager.shutdownServer(name))),
    ...[...after.values()].map((config) => {
      const old = before.get(config.name);
      if (old === undefined) return attempt(config.name, changes.added, () => manager.deployServer(config));
      if (fingerprint(old) === fingerprint(config)) return Promise.resolve();
      // Keys the new entry dropped go back to their defaults.
      const cleared = Object.fromEntries(Object.keys(old).map((key) => [key, undefined]));
      return attempt(config.name, changes.reloaded, () => manager.reloadServer(config.name, { ...cleared, ...config }));
    }),
  ]);
  // reloadServer tells clients itself; deploying and removing servers changes the tool list too.
  for (const server of [...changes.added, ...changes.removed]) manager.emit('serverNotification', { server, method: 'notifications/tools/list_changed', params: {} });
  return changes;
}

/** The module file of a worker or WebAssembly server config, if it is a local file. */
function moduleFileOf(config: ServerConfig): string | undefined {
  if (config.type !== 'worker' && config.type !== 'wasm') return undefined;
  const module = (config as { module: string | URL }).module;
  const href = module instanceof URL ? module.href : module;
  return href.startsWith('file:') ? fileURLToPath(href) : href;
}

/** Keeps a served config current: re-reads it on demand (SIGHUP) and, with `watch`, on file changes. */
export class ConfigReloader {
  readonly #manager: Manager;
  readonly #log: (message: string) => void;
  readonly #watch: boolean;
  #config: LoadedConfig | undefined;
  /** Folders watched, each with the files in it that matter and what a change to each does. */
  readonly #watchers = new Map<string, { watcher: FSWatcher; files: Map<string, () => void> }>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Re-reads run one after another. */
  #queue: Promise<void> = Promise.resolve();

  constructor(manager: Manager, config: LoadedConfig | undefined, options: { watch: boolean; log: (message: string) => void }) {
    this.#manager = manager;
    this.#config = config;
    this.#watch = options.watch;
    this.#log = options.log;
    this.#rewatch();
  }

  /** Re-reads the config file and applies it (SIGHUP). Resolves once applied. */
  reread(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#reread());
    return this.#queue;
  }

  async #reread(): Promise<void> {
    const current = this.#config;
    if (current === undefined) {
      this.#log('no config file to re-read (serving the built-in examples)');
      return;
    }
    let next: LoadedConfig;
    try {
      // In a thread, as at start (cli/serve-config): the servers it adds deploy without zod here.
      next = (await readServeConfig(current.path, process.cwd(), process.env, [])).config!;
    } catch (error) {
      this.#log(`config not reloaded: ${messageOf(error)}`);
      return;
    }
    const changes = await applyConfig(this.#manager, current.servers, next.servers);
    // What failed stays as it was (a server that failed to reload keeps its old config, one that
    // failed to deploy is not recorded), so the next re-read tries it again.
    const failed = new Set(changes.failed.map(({ server }) => server));
    const servers = next.servers.flatMap((server) => {
      if (!failed.has(server.name)) return [server];
      const old = current.servers.find((candidate) => candidate.name === server.name);
      return old === undefined ? [] : [old];
    });
    for (const old of current.servers) if (failed.has(old.name) && !next.servers.some((server) => server.name === old.name)) servers.push(old);
    this.#config = { ...next, servers };
    const summary = (['added', 'removed', 'reloaded'] as const).map((kind) => `${kind}: ${changes[kind].join(', ') || 'none'}`).join('; ');
    this.#log(`config re-read: ${summary}`);
    for (const { server, error } of changes.failed) this.#log(`server "${server}" kept as it was: ${error}`);
    this.#rewatch();
  }

  /** Reloads one server whose module changed. */
  #reloadModule(name: string): void {
    this.#queue = this.#queue.then(async () => {
      try {
        await this.#manager.reloadServer(name);
        this.#log(`server "${name}" reloaded (its module changed)`);
      } catch (error) {
        this.#log(`server "${name}" not reloaded, the old one keeps serving: ${messageOf(error)}`);
      }
    });
  }

  /** Watches the config file and every module file (folders, so files replaced by rename are seen). */
  #rewatch(): void {
    if (!this.#watch) return;
    const wanted = new Map<string, () => void>();
    if (this.#config !== undefined) {
      wanted.set(this.#config.path, () => void this.reread());
      for (const server of this.#config.servers) {
        const file = moduleFileOf(server);
        if (file !== undefined) wanted.set(file, () => this.#reloadModule(server.name));
      }
    }
    for (const [dir, { watcher }] of this.#watchers) {
      if (![...wanted.keys()].some((file) => dirname(file) === dir)) {
        watcher.close();
        this.#watchers.delete(dir);
      }
    }
    for (const { files } of this.#watchers.values()) files.clear();
    for (const [file, action] of wanted) {
      const dir = dirname(file);
      let watched = this.#watchers.get(dir);
      if (watched === undefined) {
        const files = new Map<string, () => void>();
        let watcher: FSWatcher;
        try {
          watcher = watch(dir, (_event, name) => {
            const changed = name === null ? undefined : files.get(name.toString());
            if (changed !== undefined) this.#settle(`${dir}/${name!.toString()}`, changed);
          });
        } catch (error) {
          this.#log(`cannot watch ${dir}: ${messageOf(error)}`);
          continue;
        }
        watcher.unref();
        watched = { watcher, files };
        this.#watchers.set(dir, watched);
      }
      watched.files.set(basename(file), action);
    }
  }

  /** Runs `action` once changes to `key` have settled. */
  #settle(key: string, action: () => void): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        action();
      }, SETTLE_MS),
    );
  }

  /** Stops watching. */
  close(): void {
    for (const { watcher } of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
