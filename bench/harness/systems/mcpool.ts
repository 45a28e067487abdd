/**
 * @module bench/harness/systems/mcpool
 * The `mcpool` system: an `McpManager` with the benchmark server deployed as a worker server,
 * one thread per core; `batch` goes through `executeBatch`.
 */
import { availableParallelism } from 'node:os';
import { McpManager } from '../../../src/engine/manager.js';
import type { CallToolResult } from '../../../src/wire/mcp-types.js';
import type { BenchSystem } from '../registry.js';

/** A tool error is a failed call for the benchmark: a broken system must not look fast. */
function checked(result: CallToolResult): CallToolResult {
  if (result.isError === true) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
  return result;
}

/** mcpool's manager with a worker server. */
export const mcpoolSystem: BenchSystem = {
  name: 'mcpool',
  description: 'mcpool McpManager, worker server on one thread per core',
  async start() {
    // Without a limit below the benchmark's in-flight count, so the engine is measured, not its queue.
    const manager = new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
    await manager.deployServer({ name: 'bench', type: 'worker', module: new URL('../bench-server.js', import.meta.url), threads: availableParallelism() });
    return {
      call: async (tool, args) => checked(await manager.executeTool('bench', tool, args)),
      batch: async (tool, args, count) => {
        const results = await manager.executeBatch(Array.from({ length: count }, () => ({ server: 'bench', tool, arguments: args })));
        const failed = results.find((result) => !result.ok);
        if (failed !== undefined && !failed.ok) throw new Error(`batch call failed: ${failed.error.code} ${failed.error.message}`);
        return results;
      },
      close: () => manager.shutdown(),
    };
  },
};
