/**
 * @module servers/wasm/wasm-actor
 * A WebAssembly server's actor: a worker actor whose threads run `workers/wasm/wasm-entry`
 * (the plugin in each thread) instead of a server module. Everything on the main thread (the
 * frame path, timeouts that stop a thread, salvage of a dead thread's frames, restarts) is the
 * worker actor's: a plugin is served exactly as a worker server is.
 */
import type { ActorHost } from '../actor.js';
import { WorkerActor } from '../worker/worker-actor.js';
import type { WasmServerConfig } from '../../config/wasm-schema.js';

const wasmEntry = new URL('../../../workers/wasm/wasm-entry.js', import.meta.url);

/** Makes the actor of a WebAssembly server. */
export function createWasmActor(config: WasmServerConfig, host: ActorHost): WorkerActor {
  return new WorkerActor(
    { name: config.name, type: 'worker', moduleUrl: config.moduleUrl, threads: config.threads, timeoutMs: config.timeoutMs, maxQueue: config.maxQueue, memoryLimitMb: undefined, resilience: config.resilience },
    host,
    { type: 'wasm', entry: wasmEntry, wasm: config.wasm },
  );
}
