/**
 * @module bench/harness/systems/manager-target
 * An `McpManager` with one server named `bench` as a benchmark target: the mcpool systems of
 * every scenario measure it the same way.
 */
import type { McpManager } from '../../../src/api/mcp-manager.js';
import type { CallToolResult } from '../../../src/wire/mcp-types.js';
import type { BenchTarget } from '../registry.js';

/**
 * A new manager without call limits below the benchmark's load, so the engine is measured, not
 * its queue. The engine loads here, not with the registry: the child that measures another
 * system (piscina, the SDK) then holds none of it, and its RSS is that system's own.
 */
export async function benchManager(): Promise<McpManager> {
  const { McpManager } = await import('../../../src/api/mcp-manager.js');
  return new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
}

/** A tool error is a failed call for the benchmark: a broken system must not look fast. */
function checked(result: CallToolResult): CallToolResult {
  if (result.isError === true) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
  return result;
}

/** A started manager with one server named `bench`, as a benchmark target. */
export function managerTarget(manager: McpManager, stop: () => void = () => undefined): BenchTarget {
  return {
    call: async (tool, args) => checked(await manager.executeTool('bench', tool, args)),
    batch: async (tool, args, count) => {
      const results = await manager.executeBatch(Array.from({ length: count }, () => ({ server: 'bench', tool, arguments: args })));
      const failed = results.find((result) => !result.ok);
      if (failed !== undefined && !failed.ok) throw new Error(`batch call failed: ${failed.error.code} ${failed.error.message}`);
      return results;
    },
    close: async () => {
      stop();
      await manager.shutdown();
    },
  };
}
