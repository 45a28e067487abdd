/**
 * @module servers/create-actor
 * Makes the actor for a server config: the one place that knows which kinds of server exist.
 * Validates the config (`INVALID_CONFIG`, naming the field).
 */
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import {
  resilienceOf,
  resolveHttpConfig,
  resolveNatsConfig,
  resolveStdioConfig,
  resolveWorkerConfig,
  type ResilienceConfig,
  type ResolvedManagerOptions,
  type ServerConfig,
} from '../config/schemas.js';
import type { ActorHost, ServerActor } from './actor.js';
import { HttpActor } from './external/http-actor.js';
import { StdioActor } from './external/stdio-actor.js';
import { WorkerActor } from './worker/worker-actor.js';
import { createWasmActor } from './wasm/wasm-actor.js';
import { resolveWasmConfig } from './wasm/wasm-config.js';
import { NatsActor } from './nats/nats-actor.js';

/** A new, not yet started actor, the per-call timeout and the resilience options its config sets. */
export interface CreatedActor {
  actor: ServerActor;
  /** The server's own per-call timeout, if its config sets one. */
  timeoutMs: number | undefined;
  /** Circuit breaker, restart policy and limits of the server. */
  resilience: ResilienceConfig;
}

/** Validates a server config and makes its actor (a worker actor starts its threads here). */
export function createActor(config: ServerConfig, host: ActorHost, options: ResolvedManagerOptions): CreatedActor {
  const type = (config as { type?: unknown } | undefined)?.type;
  switch (type) {
    case 'worker': {
      const resolved = resolveWorkerConfig(config);
      return { actor: new WorkerActor(resolved, host), timeoutMs: resolved.timeoutMs, resilience: resolved.resilience };
    }
    case 'wasm': {
      const resolved = resolveWasmConfig(config);
      return { actor: createWasmActor(resolved, host), timeoutMs: resolved.timeoutMs, resilience: resolved.resilience };
    }
    case 'stdio': {
      const resolved = resolveStdioConfig(config);
      const resilience = resilienceOf(resolved);
      return { actor: new StdioActor(resolved, resilience.restart, host, options.connectionTimeoutMs), timeoutMs: resolved.timeoutMs, resilience };
    }
    case 'http':
    case 'streamable-http': {
      const resolved = resolveHttpConfig(config);
      const resilience = resilienceOf(resolved);
      return { actor: new HttpActor(resolved, resilience.restart, host, options.connectionTimeoutMs), timeoutMs: resolved.timeoutMs, resilience };
    }
    case 'nats': {
      const resolved = resolveNatsConfig(config);
      return { actor: new NatsActor(resolved, host), timeoutMs: resolved.timeoutMs, resilience: resilienceOf(resolved) };
    }
    default:
      throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: type: must be "worker", "wasm", "stdio", "http" or "nats" (got ${JSON.stringify(type)})`);
  }
}

/** The server name of a config, for the duplicate check before the actor is made. */
export function serverNameOf(config: ServerConfig): unknown {
  return (config as { name?: unknown } | undefined)?.name;
}
