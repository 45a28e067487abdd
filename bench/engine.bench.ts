/**
 * The engine benchmark (`npm run bench`): mcpool's worker path beside its baselines, in one run.
 *
 * - a plain function call of the same `add` (tinybench);
 * - raw piscina, one task per call, at 1 and 64 in flight;
 * - mcpool `executeTool` at 1 and 64 in flight, and `executeBatch` of 10,000 calls;
 * - a ~1 ms CPU-bound tool (SHA-256 rounds) on 2 threads, against the same work run directly.
 *
 * Set BENCH_SECONDS to change the time per scenario (default 3).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Bench } from 'tinybench';
import { McpManager, type BatchCall } from '../src/index.js';
import { closedLoop, repeated } from './closed-loop.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
/** SHA-256 rounds per CPU-bound call: calibrated to about 1 ms here unless BENCH_CPU_ROUNDS is set. */
function cpuRounds(): number {
  if (process.env.BENCH_CPU_ROUNDS) return Number(process.env.BENCH_CPU_ROUNDS);
  sha256Rounds('warm-up', 20_000);
  const start = performance.now();
  sha256Rounds('calibration', 20_000);
  const msPerRound = (performance.now() - start) / 20_000;
  return Math.max(1, Math.round(1 / msPerRound));
}
const example = (name: string): string => fileURLToPath(new URL(`../examples/${name}.js`, import.meta.url));

interface Row {
  scenario: string;
  system: string;
  callsPerSec: number;
  p50Ms?: number;
  p99Ms?: number;
  baseline?: string;
  ratio?: number;
}

const rows: Row[] = [];
const log = (message: string): void => void process.stderr.write(`${message}\n`);

function sha256Rounds(text: string, rounds: number): string {
  let digest = createHash('sha256').update(text).digest();
  for (let i = 1; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
  return digest.toString('hex');
}

async function main(): Promise<void> {
  log(`mcpool engine benchmark: ${seconds}s per scenario, Node ${process.version}`);

  // A plain function call: the floor of what any dispatch costs.
  const add = ({ a, b }: { a: number; b: number }): { sum: number } => ({ sum: a + b });
  const bench = new Bench({ time: 1000 });
  let sink = 0;
  bench.add('direct add', () => {
    sink += add({ a: sink & 7, b: 1 }).sum;
  });
  await bench.run();
  const result = bench.tasks[0]!.result;
  const directRate = result.state === 'completed' ? result.throughput.mean : NaN;
  rows.push({ scenario: 'trivial', system: 'direct', callsPerSec: directRate });

  const piscina = new Piscina({ filename: new URL('./add-worker.js', import.meta.url).href, minThreads: 2, maxThreads: 2 });
  log('raw piscina, 1 in flight');
  const p1 = await closedLoop(() => piscina.run({ a: 1, b: 2 }), 1, seconds);
  rows.push({ scenario: 'trivial c=1', system: 'piscina', ...p1 });
  log('raw piscina, 64 in flight');
  const p64 = await closedLoop(() => piscina.run({ a: 1, b: 2 }), 64, seconds);
  rows.push({ scenario: 'trivial c=64', system: 'piscina', ...p64 });
  await piscina.destroy();

  const manager = new McpManager({ defaultTimeoutMs: 60_000 });
  await manager.deployServer({ name: 'math', type: 'worker', module: example('math'), threads: 2 });
  await manager.deployServer({ name: 'hash', type: 'worker', module: example('hash'), threads: 2 });
  const args = { a: 1, b: 2 };
  log('mcpool executeTool, 1 in flight');
  const m1 = await closedLoop(() => manager.executeTool('math', 'add', args), 1, seconds);
  rows.push({ scenario: 'trivial c=1', system: 'mcpool', ...m1, baseline: 'piscina (p50)', ratio: p1.p50Ms / m1.p50Ms });
  log('mcpool executeTool, 64 in flight');
  const m64 = await closedLoop(() => manager.executeTool('math', 'add', args), 64, seconds);
  rows.push({ scenario: 'trivial c=64', system: 'mcpool', ...m64, baseline: 'piscina', ratio: m64.callsPerSec / p64.callsPerSec });

  log('mcpool executeBatch of 10,000');
  const calls: BatchCall[] = Array.from({ length: 10_000 }, (_, i) => ({ server: 'math', tool: 'add', arguments: { a: i, b: 1 } }));
  const batch = await repeated(async () => (await manager.executeBatch(calls)).length, seconds);
  rows.push({ scenario: 'batch 10k', system: 'mcpool', callsPerSec: batch.itemsPerSec, baseline: 'piscina c=64', ratio: batch.itemsPerSec / p64.callsPerSec });

  const CPU_ROUNDS = cpuRounds();
  log(`CPU-bound: ${CPU_ROUNDS} SHA-256 rounds per call (about 1 ms)`);
  const direct = await repeated(() => {
    for (let i = 0; i < 50; i++) sha256Rounds(`text ${i}`, CPU_ROUNDS);
    return Promise.resolve(50);
  }, seconds);
  rows.push({ scenario: 'cpu ~1ms', system: 'direct', callsPerSec: direct.itemsPerSec, p50Ms: 1000 / direct.itemsPerSec });
  const cpuCalls: BatchCall[] = Array.from({ length: 200 }, (_, i) => ({ server: 'hash', tool: 'sha256', arguments: { text: `text ${i}`, rounds: CPU_ROUNDS } }));
  const cpu = await repeated(async () => (await manager.executeBatch(cpuCalls)).length, seconds);
  rows.push({ scenario: 'cpu ~1ms', system: 'mcpool 2 threads', callsPerSec: cpu.itemsPerSec, baseline: 'direct', ratio: cpu.itemsPerSec / direct.itemsPerSec });
  // The machine's own ceiling: two bare worker threads running the same loop, no pool, no protocol.
  const bare = await bareThreads(CPU_ROUNDS, seconds);
  rows.push({ scenario: 'cpu ~1ms', system: '2 bare threads (ceiling)', callsPerSec: bare, baseline: 'direct', ratio: bare / direct.itemsPerSec });
  await manager.shutdown();

  printTable();
  if (sink === -1) log('');
}

/** Calls/s of two plain worker threads each hashing `rounds` rounds per call in a loop for `seconds`. */
async function bareThreads(rounds: number, seconds: number): Promise<number> {
  const source = `
    const { createHash } = require('node:crypto');
    const { parentPort, workerData } = require('node:worker_threads');
    const end = performance.now() + workerData.ms;
    let calls = 0;
    while (performance.now() < end) {
      let digest = createHash('sha256').update('text ' + calls).digest();
      for (let i = 1; i < workerData.rounds; i++) digest = createHash('sha256').update(digest).digest();
      calls++;
    }
    parentPort.postMessage(calls);`;
  const ms = seconds * 1000;
  const counts = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { rounds, ms } });
          worker.once('message', (calls: number) => {
            resolve(calls);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return (counts[0]! + counts[1]!) / seconds;
}

function printTable(): void {
  const fmt = (value: number | undefined, digits = 0): string => (value === undefined ? '' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  const header = ['scenario', 'system', 'calls/s', 'p50 ms', 'p99 ms', 'ratio', 'vs'];
  const lines = rows.map((row) => [row.scenario, row.system, fmt(row.callsPerSec), fmt(row.p50Ms, 3), fmt(row.p99Ms, 3), row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`, row.baseline ?? '']);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]): string => `| ${cells.map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  console.log(render(header));
  console.log(`|${widths.map((w, i) => (i >= 2 && i <= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const line of lines) console.log(render(line));
}

await main();
