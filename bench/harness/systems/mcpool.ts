/**
 * @module bench/harness/systems/mcpool
 * The `mcpool` system: an `McpManager` with the benchmark server deployed as a worker server,
 * one thread per core; `batch` goes through `executeBatch`.
 */
import { availableParallelism } from 'node:os';
import { McpManager } from '../../../src/engine/manager.js';
import type { BenchSystem } from '../registry.js';
import { managerTarget } from './manager-target.js';

/** mcpool's manager with a worker server. */
export const mcpoolSystem: BenchSystem = {
  name: 'mcpool',
  description: 'mcpool McpManager, worker server on one thread per core',
  async start() {
    // Without a limit below the benchmark's in-flight count, so the engine is measured, not its queue.
    const manager = new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
    await manager.deployServer({ name: 'bench', type: 'worker', module: new URL('../bench-server.js', import.meta.url), threads: availableParallelism() });
    return managerTarget(manager);
  },
};
