/**
 * @module bench/systems/direct
 * The `direct` system: the tool function called in this thread, no pool, no protocol. The
 * floor for overhead and the baseline for `cpu` (one core).
 */
import type { BenchSystem } from '../registry.js';
import { benchTools, type BenchToolName } from '../tools.js';

/** A plain function call on the main thread. */
export const directSystem: BenchSystem = {
  name: 'direct',
  description: 'a plain function call on the main thread',
  start() {
    return Promise.resolve({
      // async, so it is awaited like every other system and the driver loop is the same
      call: async (tool, args) => benchTools[tool as BenchToolName](args as never),
      batch: async (tool, args, count) => {
        const run = benchTools[tool as BenchToolName];
        for (let i = 0; i < count; i++) run(args as never);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    });
  },
};
