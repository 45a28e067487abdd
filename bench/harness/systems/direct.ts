/**
 * @module bench/harness/systems/direct
 * The `direct` system: the tool function called in this thread, no pool, no protocol. The
 * floor for overhead and the baseline for `cpu` (one core).
 */
import type { BenchSystem } from '../registry.js';
import { benchTools, type BenchToolName } from '../tools.js';

/** Where results go, so the optimiser cannot drop a loop whose results are unused. */
let sink: unknown;

/** A plain function call on the main thread. */
export const directSystem: BenchSystem = {
  name: 'direct',
  description: 'a plain function call on the main thread',
  start() {
    return Promise.resolve({
      // A promise, so it is awaited like every other system and the driver loop is the same.
      call: (tool, args) => Promise.resolve(benchTools[tool as BenchToolName](args as never)),
      batch: (tool, args, count) => {
        const run = benchTools[tool as BenchToolName];
        const results = new Array<unknown>(count);
        for (let i = 0; i < count; i++) results[i] = run(args as never);
        sink = results;
        return Promise.resolve(sink);
      },
      close: () => Promise.resolve(),
    });
  },
};
