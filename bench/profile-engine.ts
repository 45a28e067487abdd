/**
 * A load to profile the engine under (`node --cpu-prof dist/bench/profile-engine.js batch|c64`):
 * a loop of 10k-call batches, or `executeTool` at 64 in flight, on a 2-thread `math` server, for
 * PROFILE_SECONDS (default 8). Prints calls/s and the main thread's µs per call (event-loop
 * utilisation active time / calls) on stderr, so a profile can be read against them.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { McpManager, type BatchCall } from '../src/index.js';

const mode = process.argv[2] ?? 'batch';
const seconds = Number(process.env.PROFILE_SECONDS ?? 8);
const example = fileURLToPath(new URL('../examples/math.js', import.meta.url));

const manager = new McpManager({ defaultTimeoutMs: 60_000 });
await manager.deployServer({ name: 'math', type: 'worker', module: example, threads: 2 });
const calls: BatchCall[] = Array.from({ length: 10_000 }, (_, i) => ({ server: 'math', tool: 'add', arguments: { a: i, b: 1 } }));
const args = { a: 1, b: 2 };

async function runFor(ms: number): Promise<number> {
  const end = performance.now() + ms;
  let done = 0;
  if (mode === 'batch') {
    while (performance.now() < end) done += (await manager.executeBatch(calls)).length;
    return done;
  }
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      await manager.executeTool('math', 'add', args);
      done++;
    }
  };
  await Promise.all(Array.from({ length: 64 }, loop));
  return done;
}

await runFor(1000);
const elu0 = performance.eventLoopUtilization();
const threadCpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
const cpu0 = threadCpu?.();
const process0 = process.cpuUsage();
const start = performance.now();
const done = await runFor(seconds * 1000);
const elapsed = performance.now() - start;
const elu = performance.eventLoopUtilization(elu0);
// On Node 24 the main thread's own CPU time too: ELU counts time the thread was descheduled.
const cpu1 = threadCpu?.();
const cpuUs = cpu0 && cpu1 ? cpu1.user + cpu1.system - cpu0.user - cpu0.system : undefined;
const processCpu = process.cpuUsage(process0);
process.stderr.write(
  `${mode}: ${Math.round(done / (elapsed / 1000)).toLocaleString('en-US')} calls/s, main thread ${((elu.active * 1000) / done).toFixed(2)} µs/call active (ELU ${elu.utilization.toFixed(2)})` +
    `${cpuUs === undefined ? '' : `, ${(cpuUs / done).toFixed(2)} µs/call CPU`}, process ${((processCpu.user + processCpu.system) / done).toFixed(2)} µs/call CPU\n`,
);
await manager.shutdown();
