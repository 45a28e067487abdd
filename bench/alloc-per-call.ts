/**
 * Bytes the main thread allocates per call (`npm run build && node --max-semi-space-size=128
 * dist/bench/alloc-per-call.js`): the heap's growth over a stretch of calls in which no garbage
 * collection ran (a GC observer checks; a stretch with a GC is measured again), for an
 * `executeBatch` of 10,000 trivial calls (its results kept: they are what the caller gets) and
 * for 10,000 `executeTool` calls at 64 in flight. Over the shared rings and over the port alone.
 */
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { McpManager, type BatchCall } from '../src/index.js';

const benchServer = fileURLToPath(new URL('./harness/bench-server.js', import.meta.url));
let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/** Heap growth per call of `run` (which makes `calls` calls), from the first of `tries` stretches without a GC. */
async function perCall(run: () => Promise<unknown>, calls: number, tries = 20): Promise<number | undefined> {
  for (let i = 0; i < tries; i++) {
    // The observer reports GCs asynchronously: let earlier ones arrive first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = collections;
    const heap = process.memoryUsage().heapUsed;
    const kept = await run();
    const grown = process.memoryUsage().heapUsed - heap;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (collections === before && kept !== undefined) return grown / calls;
  }
  return undefined;
}

const calls: BatchCall[] = Array.from({ length: 10_000 }, (_, i) => ({ server: 'bench', tool: 'add', arguments: { a: i, b: 1 } }));
for (const shared of ['1', '0']) {
  process.env.MCPOOL_SHARED_FRAMES = shared;
  const manager = new McpManager({ defaultTimeoutMs: 60_000, maxConcurrentOperations: 100_000 });
  await manager.deployServer({ name: 'bench', type: 'worker', module: benchServer, threads: 2 });
  for (let i = 0; i < 30; i++) await manager.executeBatch(calls);
  const batch = await perCall(() => manager.executeBatch(calls), calls.length);
  const loop = async (): Promise<number> => {
    let done = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (done < 10_000) {
          done++;
          await manager.executeTool('bench', 'add', { a: 1, b: 2 });
        }
      }),
    );
    return done;
  };
  for (let i = 0; i < 5; i++) await loop();
  const single = await perCall(loop, 10_000);
  const fmt = (bytes: number | undefined): string => (bytes === undefined ? 'n/a (a GC ran in every try)' : `${Math.round(bytes)} B/call`);
  process.stdout.write(`${shared === '1' ? 'shared rings' : 'port only'}: executeBatch 10k ${fmt(batch)}, executeTool c=64 ${fmt(single)}\n`);
  await manager.shutdown();
}
