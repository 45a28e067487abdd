/**
 * @module servers/create-actor
 * Makes the actor for a server config: the one place that knows which kinds of server exist.
 * Validates the config (`INVALID_CONFIG`, naming the field).
 *
 * The worker kind is loaded with this module; the code of the other kinds (stdio and HTTP
 * clients, WebAssembly, NATS) loads with `import()` when the first server of that kind is
 * deployed (`loadServerKind`), so a `serve` of worker servers never loads it (measured on an idle
 * `mcpool serve --http` with one worker server: README, "What 70 MB idle ... would take").
 */
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import { resolveHttpConfig, resolveStdioConfig } from '../config/external-schema.js';
import type { ResolvedManagerOptions } from '../config/manager-options.js';
import { resolveNatsConfig } from '../config/nats-schema.js';
import { resilienceOf, type ResilienceConfig } from '../config/resilience-schema.js';
import type { ServerConfig } from '../config/server-config.js';
import { resolveWorkerConfig } from '../config/worker-schema.js';
import type { ActorHost, ServerActor } from './actor.js';
import type { HttpActor } from './external/http-actor.js';
import type { StdioActor } from './external/stdio-actor.js';
import { WorkerActor } from './worker/worker-actor.js';
import type { createWasmActor } from './wasm/wasm-actor.js';
import type { resolveWasmConfig } from './wasm/wasm-config.js';
import type { NatsActor } from './nats/nats-actor.js';

/** A new, not yet started actor, the per-call timeout and the resilience options its config sets. */
export interface CreatedActor {
  actor: ServerActor;
  /** The server's own per-call timeout, if its config sets one. */
  timeoutMs: number | undefined;
  /** Circuit breaker, restart policy and limits of the server. */
  resilience: ResilienceConfig;
}

/** The classes and functions of the lazily loaded kinds, once `loadServerKind` has loaded them. */
const kinds: {
  stdio?: typeof StdioActor;
  http?: typeof HttpActor;
  wasm?: { create: typeof createWasmActor; resolve: typeof resolveWasmConfig };
  nats?: typeof NatsActor;
} = {};

/**
 * Loads the code of a config's server kind if it is not loaded yet; `createActor` needs it.
 * Does nothing for the worker kind and for a type that is not a kind (`createActor` rejects it).
 */
export async function loadServerKind(config: ServerConfig): Promise<void> {
  switch ((config as { type?: unknown } | undefined)?.type) {
    case 'stdio':
      kinds.stdio ??= (await import('./external/stdio-actor.js')).StdioActor;
      return;
    case 'http':
    case 'streamable-http':
      kinds.http ??= (await import('./external/http-actor.js')).HttpActor;
      return;
    case 'wasm':
      if (kinds.wasm === undefined) {
        const [actor, wasmConfig] = await Promise.all([import('./wasm/wasm-actor.js'), import('./wasm/wasm-config.js')]);
        kinds.wasm = { create: actor.createWasmActor, resolve: wasmConfig.resolveWasmConfig };
      }
      return;
    case 'nats':
      kinds.nats ??= (await import('./nats/nats-actor.js')).NatsActor;
      return;
    default:
      return;
  }
}

/** A kind's code that `loadServerKind` should have loaded. */
function loaded<T>(kind: T | undefined, type: string): T {
  if (kind === undefined) throw new Error(`createActor: the ${type} kind was not loaded (call loadServerKind first)`);
  return kind;
}

/**
 * Validates a server config and makes its actor (a worker actor starts its threads here). For
 * kinds other than worker, `loadServerKind(config)` must have resolved first.
 */
export function createActor(config: ServerConfig, host: ActorHost, options: ResolvedManagerOptions): CreatedActor {
  const type = (config as { type?: unknown } | undefined)?.type;
  switch (type) {
    case 'worker': {
      const resolved = resolveWorkerConfig(config);
      return { actor: new WorkerActor(resolved, host), timeoutMs: resolved.timeoutMs, resilience: resolved.resilience };
    }
    case 'wasm': {
      const wasm = loaded(kinds.wasm, type);
      const resolved = wasm.resolve(config);
      return { actor: wasm.create(resolved, host), timeoutMs: resolved.timeoutMs, resilience: resolved.resilience };
    }
    case 'stdio': {
      const resolved = resolveStdioConfig(config);
      const resilience = resilienceOf(resolved);
      const Stdio = loaded(kinds.stdio, type);
      return { actor: new Stdio(resolved, resilience.restart, host, options.connectionTimeoutMs), timeoutMs: resolved.timeoutMs, resilience };
    }
    case 'http':
    case 'streamable-http': {
      const resolved = resolveHttpConfig(config);
      const resilience = resilienceOf(resolved);
      const Http = loaded(kinds.http, type);
      return { actor: new Http(resolved, resilience.restart, host, options.connectionTimeoutMs), timeoutMs: resolved.timeoutMs, resilience };
    }
    case 'nats': {
      const resolved = resolveNatsConfig(config);
      const Nats = loaded(kinds.nats, type);
      return { actor: new Nats(resolved, host), timeoutMs: resolved.timeoutMs, resilience: resilienceOf(resolved) };
    }
    default:
      throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: type: must be "worker", "wasm", "stdio", "http" or "nats" (got ${JSON.stringify(type)})`);
  }
}

/** The server name of a config, for the duplicate check before the actor is made. */
export function serverNameOf(config: ServerConfig): unknown {
  return (config as { name?: unknown } | undefined)?.name;
}
