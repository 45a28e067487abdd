/**
 * @module servers/resolve-server
 * Validates a server config into what its actor is made from (`ResolvedServer`), or rejects with
 * `INVALID_CONFIG` naming the field. Each kind's schema loads with `import()` when the first
 * config of that kind is resolved: the schemas are zod, and the main thread of `mcpool serve`
 * never loads zod (its config is resolved in a short-lived thread, cli/serve-config; an idle
 * gateway holds 3-4 MB less heap). A config resolved there is recorded by the object that
 * will be deployed (`recordResolved`), so the manager takes its resolution as it is.
 */
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import type { HttpServerConfig, StdioServerConfig } from '../config/external-schema.js';
import type { NatsServerConfig } from '../config/nats-schema.js';
import type { ResilienceConfig } from '../config/resilience-schema.js';
import type { ServerConfig } from '../config/server-config.js';
import type { WasmServerConfig } from '../config/wasm-schema.js';
import type { WorkerServerConfig } from '../config/worker-schema.js';

/** A validated server config of each kind, with the resilience options it sets. */
export type ResolvedServer =
  | { type: 'worker'; config: WorkerServerConfig; resilience: ResilienceConfig }
  | { type: 'wasm'; config: WasmServerConfig; resilience: ResilienceConfig }
  | { type: 'stdio'; config: StdioServerConfig; resilience: ResilienceConfig }
  | { type: 'http'; config: HttpServerConfig; resilience: ResilienceConfig }
  | { type: 'nats'; config: NatsServerConfig; resilience: ResilienceConfig };

/** Resolutions made elsewhere (another thread), by the config object they are for. */
const recorded = new WeakMap<object, ResolvedServer>();

/** Records `resolved` as the resolution of `config`: resolving that same object returns it. */
export function recordResolved(config: ServerConfig, resolved: ResolvedServer): void {
  recorded.set(config, resolved);
}

/** The resilience options a stdio, HTTP or NATS config sets (worker and wasm configs carry theirs). */
async function resilienceIn(config: StdioServerConfig | HttpServerConfig | NatsServerConfig): Promise<ResilienceConfig> {
  return (await import('../config/resilience-schema.js')).resilienceOf(config);
}

/** The resolution of a server config: the recorded one, or the config validated now. */
export async function resolveServer(config: ServerConfig): Promise<ResolvedServer> {
  const known = typeof config === 'object' && config !== null ? recorded.get(config) : undefined;
  if (known !== undefined) return known;
  const type = (config as { type?: unknown } | undefined)?.type;
  switch (type) {
    case 'worker': {
      const resolved = (await import('../config/worker-schema.js')).resolveWorkerConfig(config);
      return { type, config: resolved, resilience: resolved.resilience };
    }
    case 'wasm': {
      const resolved = (await import('./wasm/wasm-config.js')).resolveWasmConfig(config);
      return { type, config: resolved, resilience: resolved.resilience };
    }
    case 'stdio': {
      const resolved = (await import('../config/external-schema.js')).resolveStdioConfig(config);
      return { type, config: resolved, resilience: await resilienceIn(resolved) };
    }
    case 'http':
    case 'streamable-http': {
      const resolved = (await import('../config/external-schema.js')).resolveHttpConfig(config);
      return { type: 'http', config: resolved, resilience: await resilienceIn(resolved) };
    }
    case 'nats': {
      const resolved = (await import('../config/nats-schema.js')).resolveNatsConfig(config);
      return { type, config: resolved, resilience: await resilienceIn(resolved) };
    }
    default:
      throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: type: must be "worker", "wasm", "stdio", "http" or "nats" (got ${JSON.stringify(type)})`);
  }
}
