/**
 * @module bench/harness/systems/mcpool
 * The `mcpool` system: an `McpManager` with the benchmark server deployed as a worker server,
 * one thread per core; `batch` goes through `executeBatch`.
 */
import { availableParallelism } from 'node:os';
import type { BenchSystem } from '../registry.js';
import { benchManager, managerTarget } from './manager-target.js';

/** mcpool's manager with a worker server. */
export const mcpoolSystem: BenchSystem = {
  name: 'mcpool',
  description: 'mcpool McpManager, worker server on one thread per core',
  async start() {
    const manager = await benchManager();
    await manager.deployServer({ name: 'bench', type: 'worker', module: new URL('../bench-server.js', import.meta.url), threads: availableParallelism() });
    return managerTarget(manager);
  },
};
