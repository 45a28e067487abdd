/**
 * @module servers/create-actor
 * Makes the actor for a resolved server config (servers/resolve-server): the one place that
 * knows which kind of server each actor class runs.
 *
 * The worker kind is loaded with this module; the code of the other kinds (stdio and HTTP
 * clients, WebAssembly, NATS) loads with `import()` when the first server of that kind is
 * deployed (`prepareServer`), so a `serve` of worker servers never loads it (measured on an idle
 * `mcpool serve --http` with one worker server: README, "What 70 MB idle ... would take").
 */
import type { ResolvedManagerOptions } from '../config/manager-options.js';
import type { ServerConfig } from '../config/server-config.js';
import type { ResilienceConfig } from '../config/resilience-schema.js';
import type { ActorHost, ServerActor } from './actor.js';
import type { HttpActor } from './external/http-actor.js';
import type { StdioActor } from './external/stdio-actor.js';
import { WorkerActor } from './worker/worker-actor.js';
import type { createWasmActor } from './wasm/wasm-actor.js';
import type { NatsActor } from './nats/nats-actor.js';
import { resolveServer, type ResolvedServer } from './resolve-server.js';

/** A new, not yet started actor, the per-call timeout and the resilience options its config sets. */
export interface CreatedActor {
  actor: ServerActor;
  /** The server's own per-call timeout, if its config sets one. */
  timeoutMs: number | undefined;
  /** Circuit breaker, restart policy and limits of the server. */
  resilience: ResilienceConfig;
}

/** The classes and functions of the lazily loaded kinds, once `prepareServer` has loaded them. */
const kinds: {
  stdio?: typeof StdioActor;
  http?: typeof HttpActor;
  wasm?: typeof createWasmActor;
  nats?: typeof NatsActor;
} = {};

/** Loads the code of a server kind if it is not loaded yet (the worker kind always is). */
async function loadServerKind(type: ResolvedServer['type']): Promise<void> {
  switch (type) {
    case 'stdio':
      kinds.stdio ??= (await import('./external/stdio-actor.js')).StdioActor;
      return;
    case 'http':
      kinds.http ??= (await import('./external/http-actor.js')).HttpActor;
      return;
    case 'wasm':
      kinds.wasm ??= (await import('./wasm/wasm-actor.js')).createWasmActor;
      return;
    case 'nats':
      kinds.nats ??= (await import('./nats/nats-actor.js')).NatsActor;
      return;
    case 'worker':
      return;
  }
}

/** Validates a server config (`INVALID_CONFIG`) and loads its kind's code: what `createActor` needs. */
export async function prepareServer(config: ServerConfig): Promise<ResolvedServer> {
  const server = await resolveServer(config);
  await loadServerKind(server.type);
  return server;
}

/** A kind's code that `prepareServer` should have loaded. */
function loaded<T>(kind: T | undefined, type: string): T {
  if (kind === undefined) throw new Error(`createActor: the ${type} kind was not loaded (call prepareServer first)`);
  return kind;
}

/** Makes the actor of a server that `prepareServer` resolved (a worker actor starts its threads here). */
export function createActor(server: ResolvedServer, host: ActorHost, options: ResolvedManagerOptions): CreatedActor {
  const { timeoutMs } = server.config;
  const { resilience } = server;
  switch (server.type) {
    case 'worker':
      return { actor: new WorkerActor(server.config, host), timeoutMs, resilience };
    case 'wasm':
      return { actor: loaded(kinds.wasm, server.type)(server.config, host), timeoutMs, resilience };
    case 'stdio': {
      const Stdio = loaded(kinds.stdio, server.type);
      return { actor: new Stdio(server.config, resilience.restart, host, options.connectionTimeoutMs), timeoutMs, resilience };
    }
    case 'http': {
      const Http = loaded(kinds.http, server.type);
      return { actor: new Http(server.config, resilience.restart, host, options.connectionTimeoutMs), timeoutMs, resilience };
    }
    case 'nats': {
      const Nats = loaded(kinds.nats, server.type);
      return { actor: new Nats(server.config, host), timeoutMs, resilience };
    }
  }
}

/** The server name of a config, for the duplicate check before the actor is made. */
export function serverNameOf(config: ServerConfig): unknown {
  return (config as { name?: unknown } | undefined)?.name;
}
