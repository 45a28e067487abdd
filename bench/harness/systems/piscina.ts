/**
 * @module bench/harness/systems/piscina
 * The `piscina` system: raw piscina with one task per call, one thread per core, what a user
 * would wire by hand. The baseline for the pool-overhead scenarios.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { BenchSystem } from '../registry.js';

/** Raw piscina, one task per call. */
export const piscinaSystem: BenchSystem = {
  name: 'piscina',
  description: 'raw piscina, one task per call',
  start() {
    const threads = availableParallelism();
    const pool = new Piscina({ filename: new URL('../piscina-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads });
    const call = (tool: string, args: Record<string, unknown>): Promise<unknown> => pool.run({ tool, args }) as Promise<unknown>;
    return Promise.resolve({
      call,
      batch: (tool, args, count) => Promise.all(Array.from({ length: count }, () => call(tool, args))),
      close: () => pool.destroy(),
    });
  },
};
