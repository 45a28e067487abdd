/**
 * @module cli/servers
 * Starts the manager a command works with: from `--config <file>`, else from `./mcpool.json`
 * when it exists, else with the built-in example servers (math, hash, text). Any failure to
 * load the config or start one of its servers is a config problem for the CLI (exit 2).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../config/config-file.js';
import { McpoolError } from '../errors/mcpool-error.js';
import type { McpManager } from '../api/mcp-manager.js';
import type { ManagerOptions } from '../config/manager-options.js';
import type { ServerConfig } from '../config/server-config.js';
import type { WorkerServerInput } from '../config/worker-schema.js';
import type { CliOption } from './command.js';
import { StartupError } from './usage-error.js';

/** The `--config` option every command that deploys servers takes. */
export const configOption: CliOption = {
  type: 'string',
  short: 'c',
  valueName: '<file>',
  description: 'Config file (mcpServers / servers format, with worker entries)',
  defaultText: './mcpool.json if it exists, else the built-in example servers',
};

/** The built-in example servers, as built next to this file (`dist/examples/*.js`). */
export const exampleServerNames = ['math', 'hash', 'text'] as const;

/** Absolute path of a built-in example server module. */
export function exampleModulePath(name: (typeof exampleServerNames)[number]): string {
  return fileURLToPath(new URL(`../../examples/${name}.js`, import.meta.url));
}

/**
 * The configs of the built-in example servers. By default a fixed thread count rather than
 * `{ min: 1, max }`: batches ran markedly slower while the pool scaled up (measured here), and
 * starting two threads per server costs little for a command that runs and exits.
 */
export function exampleServers(threads: WorkerServerInput['threads'] = availableParallelism()): ServerConfig[] {
  return exampleServerNames.map((name) => ({ name, type: 'worker' as const, module: exampleModulePath(name), threads }));
}

/** Where the servers came from, for logs. */
export type ServerSource = { kind: 'config'; path: string } | { kind: 'examples' };

/** A running manager with the servers of a config (or the examples). */
export interface OpenedServers {
  manager: McpManager;
  source: ServerSource;
  config: LoadedConfig | undefined;
  /** Server names in config order (the manager lists them in the order they finished starting). */
  names: string[];
}

/** Reads the config named by `--config` (or the default one), or undefined for the examples. */
export async function readConfig(configFlag: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<LoadedConfig | undefined> {
  // The engine and the config schemas (zod) load when a command runs, not for --help.
  const { loadConfig } = await import('../config/config-file.js');
  if (configFlag !== undefined) return loadConfig(resolve(cwd, configFlag), env);
  const fallback = resolve(cwd, 'mcpool.json');
  return existsSync(fallback) ? loadConfig(fallback, env) : undefined;
}

/** Starts a manager and deploys every server; on any failure nothing is left running. */
export async function openServers(configFlag: string | undefined, cwd: string, env: NodeJS.ProcessEnv, overrides: ManagerOptions = {}): Promise<OpenedServers> {
  const config = await readConfig(configFlag, cwd, env);
  const { McpManager } = await import('../api/mcp-manager.js');
  const manager = new McpManager({ ...(config?.manager ?? {}), ...overrides });
  const servers = config?.servers ?? exampleServers();
  try {
    // Started together: each server's start-up (threads, a child process) overlaps the others'.
    await Promise.all(
      servers.map(async (server) => {
        try {
          await manager.deployServer(server);
        } catch (error) {
          const code = error instanceof McpoolError ? error.code : 'SERVER_UNAVAILABLE';
          const message = error instanceof Error ? error.message : String(error);
          throw new StartupError(`server "${server.name}" could not be started: ${message}`, code, error);
        }
      }),
    );
  } catch (error) {
    await manager.shutdown();
    throw error;
  }
  return { manager, source: config ? { kind: 'config', path: config.path } : { kind: 'examples' }, config, names: servers.map((server) => server.name) };
}
