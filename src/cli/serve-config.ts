/**
 * @module cli/serve-config
 * Reads and validates `mcpool serve`'s config in a short-lived thread (cli/serve-config-thread),
 * so that zod and the config schemas load there and never on the gateway's main thread: an idle
 * gateway of one worker server holds 3-4 MB less heap (README, "Memory of the gateway"). The
 * thread resolves the manager options and every server; each server config that comes back has
 * its resolution recorded (servers/resolve-server), so deploying it validates nothing again.
 * What the main thread still validates itself, loading the schemas then: a server reloaded with
 * new settings (`reloadServer`), and a server config the thread found invalid, which fails to
 * deploy with the same `INVALID_CONFIG` as it would have without the thread.
 *
 * It costs `serve` a thread's start and zod's load before the servers start (tens of ms), once,
 * and again on each re-read of the config file.
 */
import { Worker } from 'node:worker_threads';
import type { LoadedConfig } from '../config/config-file.js';
import type { ResolvedManagerOptions } from '../config/manager-options.js';
import type { ServerConfig } from '../config/server-config.js';
import { ErrorCode, McpoolError, fromWire, messageOf, type WireError } from '../errors/mcpool-error.js';
import { recordResolved, type ResolvedServer } from '../servers/resolve-server.js';

/** The export condition the thread runs with: it names the thread's module resolutions (test/integration/cli-loads). */
export const SERVE_CONFIG_CONDITION = 'mcpool-serve-config';

/** What the thread is asked. */
export interface ServeConfigRequest {
  /** `--config`, or undefined for `./mcpool.json` when it exists. */
  configFlag: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The servers when there is no config file. */
  fallback: ServerConfig[];
}

/** What the thread answers. */
export type ServeConfigReply =
  | { ok: true; config: LoadedConfig | undefined; manager: ResolvedManagerOptions; servers: ServerConfig[]; resolved: (ResolvedServer | undefined)[] }
  | { ok: false; error: WireError };

/** A config as `serve` deploys it. */
export interface ServeConfig {
  /** The config file, if one was read. */
  config: LoadedConfig | undefined;
  /** The options of its `manager` section, resolved. */
  manager: ResolvedManagerOptions;
  /** The servers to deploy (the file's, else the fallback), each with its resolution recorded. */
  servers: ServerConfig[];
}

/** The reply of a thread that ended, as the config or the error it names. */
function served(reply: ServeConfigReply | undefined, exitCode: number): ServeConfig {
  if (reply === undefined) throw new McpoolError(ErrorCode.INVALID_CONFIG, `the config could not be read: its thread exited with code ${exitCode} before answering`);
  if (!reply.ok) throw fromWire(reply.error);
  for (const [i, server] of reply.servers.entries()) {
    const resolved = reply.resolved[i];
    if (resolved !== undefined) recordResolved(server, resolved);
  }
  return { config: reply.config, manager: reply.manager, servers: reply.servers };
}

/**
 * Reads the config named by `configFlag` (else `./mcpool.json` when it exists, else takes
 * `fallback`) and resolves it in a thread; rejects with `INVALID_CONFIG` as reading it on this
 * thread would.
 */
export function readServeConfig(configFlag: string | undefined, cwd: string, env: NodeJS.ProcessEnv, fallback: ServerConfig[]): Promise<ServeConfig> {
  const request: ServeConfigRequest = { configFlag, cwd, env: { ...env }, fallback };
  // Not the process's execArgv: a user's `--import` preloads have no business in this thread.
  const worker = new Worker(new URL('./serve-config-thread.js', import.meta.url), { workerData: request, execArgv: [`--conditions=${SERVE_CONFIG_CONDITION}`] });
  const ended = new Promise<{ reply: ServeConfigReply | undefined; failure: unknown; code: number }>((resolve) => {
    let reply: ServeConfigReply | undefined;
    let failure: unknown;
    worker.once('message', (message: ServeConfigReply) => (reply = message));
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => resolve({ reply, failure, code }));
  });
  return ended.then(({ reply, failure, code }) => {
    if (failure !== undefined) throw new McpoolError(ErrorCode.INVALID_CONFIG, `the config could not be read: ${messageOf(failure)}`, { cause: failure });
    return served(reply, code);
  });
}
