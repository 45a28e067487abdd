/**
 * The engine benchmark (`npm run bench`): mcpool's worker path beside its baselines, in one run,
 * as BENCH_ROUNDS (default 3) interleaved rounds whose median is reported; every ratio is taken
 * against a baseline measured in the same round.
 *
 * - a plain function call of the same `add` (tinybench);
 * - raw piscina, one task per call, at 1 and 64 in flight (trivial `add`, and a 1 MB text result);
 * - mcpool `executeTool` at 1 and 64 in flight and `executeBatch` of 10,000 calls, over the shared
 *   rings and over the port alone (`MCPOOL_SHARED_FRAMES=0`), each on a fresh 2-thread server;
 * - a ~1 ms CPU-bound tool (SHA-256 rounds) on 2 threads, against the same work run directly and
 *   against the ceiling of two bare threads running the same loop;
 * - `threads: { min: 1, max: 2 }` against fixed 1 and 2 threads, trivial at 64 in flight and
 *   CPU-bound (this is the engine's side of the issue's gateway figure; `mcpool bench` drives the
 *   gateway itself under wrk).
 *
 * Each mcpool row also reports the main thread's µs per call (event-loop active time / calls, and
 * its CPU time where Node has `process.threadCpuUsage`), the process's CPU per call and its RSS.
 * Then a table of the issue's figures against their targets. BENCH_SECONDS sets the time per
 * scenario (default 3).
 */
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Bench } from 'tinybench';
import { McpManager, type BatchCall } from '../src/index.js';
import { closedLoop, repeated } from './closed-loop.js';
import type { CallCosts } from './main-meter.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const PAYLOAD_BYTES = 1024 * 1024;
const benchServer = fileURLToPath(new URL('./harness/bench-server.js', import.meta.url));
const log = (message: string): void => void process.stderr.write(`${message}\n`);

/** One measured row of one round. */
interface Row extends Partial<CallCosts> {
  callsPerSec: number;
  p50Ms?: number;
  p99Ms?: number;
}
/** Rows of every round, by key (`scenario | system`). */
const measured = new Map<string, Row[]>();
const record = (scenario: string, system: string, row: Row): Row => {
  const key = `${scenario} | ${system}`;
  measured.set(key, [...(measured.get(key) ?? []), row]);
  return row;
};

function sha256Rounds(text: string, count: number): string {
  let digest = createHash('sha256').update(text).digest();
  for (let i = 1; i < count; i++) digest = createHash('sha256').update(digest).digest();
  return digest.toString('hex');
}

/** SHA-256 rounds per CPU-bound call: calibrated to about 1 ms here unless BENCH_CPU_ROUNDS is set. */
function cpuRounds(): number {
  if (process.env.BENCH_CPU_ROUNDS) return Number(process.env.BENCH_CPU_ROUNDS);
  sha256Rounds('warm-up', 20_000);
  const start = performance.now();
  sha256Rounds('calibration', 20_000);
  return Math.max(1, Math.round(1 / ((performance.now() - start) / 20_000)));
}

/** A fresh manager with one bench server; `shared` picks the frame path of its sessions. */
async function withServer<T>(threads: number | { min: number; max: number }, shared: boolean, run: (manager: McpManager) => Promise<T>): Promise<T> {
  const previous = process.env.MCPOOL_SHARED_FRAMES;
  process.env.MCPOOL_SHARED_FRAMES = shared ? '1' : '0';
  const manager = new McpManager({ defaultTimeoutMs: 60_000, maxConcurrentOperations: 100_000 });
  try {
    await manager.deployServer({ name: 'bench', type: 'worker', module: benchServer, threads });
  } finally {
    if (previous === undefined) delete process.env.MCPOOL_SHARED_FRAMES;
    else process.env.MCPOOL_SHARED_FRAMES = previous;
  }
  try {
    return await run(manager);
  } finally {
    await manager.shutdown();
  }
}

const addArgs = { a: 1, b: 2 };
const batchCalls: BatchCall[] = Array.from({ length: 10_000 }, (_, i) => ({ server: 'bench', tool: 'add', arguments: { a: i, b: 1 } }));

async function round(index: number, cpu: number): Promise<void> {
  log(`round ${index + 1}/${rounds}`);
  const threads = 2;
  const piscina = new Piscina({ filename: new URL('./harness/piscina-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads });
  record('trivial c=1', 'piscina', await closedLoop(() => piscina.run({ tool: 'add', args: addArgs }), 1, seconds));
  record('trivial c=64', 'piscina', await closedLoop(() => piscina.run({ tool: 'add', args: addArgs }), 64, seconds));
  record('payload 1 MB c=1', 'piscina', await closedLoop(() => piscina.run({ tool: 'payload', args: { bytes: PAYLOAD_BYTES } }), 1, seconds));
  record('payload 1 MB c=64', 'piscina', await closedLoop(() => piscina.run({ tool: 'payload', args: { bytes: PAYLOAD_BYTES } }), 64, seconds));
  await piscina.destroy();

  for (const shared of [true, false]) {
    const system = shared ? 'mcpool' : 'mcpool (port only)';
    await withServer(threads, shared, async (manager) => {
      if (shared) record('trivial c=1', system, await closedLoop(() => manager.executeTool('bench', 'add', addArgs), 1, seconds));
      record('trivial c=64', system, await closedLoop(() => manager.executeTool('bench', 'add', addArgs), 64, seconds));
      const batch = await repeated(async () => (await manager.executeBatch(batchCalls)).length, seconds);
      record('batch 10k', system, { ...batch, callsPerSec: batch.itemsPerSec });
      if (shared) {
        record('payload 1 MB c=1', system, await closedLoop(() => manager.executeTool('bench', 'payload', { bytes: PAYLOAD_BYTES }), 1, seconds));
        record('payload 1 MB c=64', system, await closedLoop(() => manager.executeTool('bench', 'payload', { bytes: PAYLOAD_BYTES }), 64, seconds));
      }
    });
  }

  const direct = await repeated(() => {
    for (let i = 0; i < 50; i++) sha256Rounds(`text ${i}`, cpu);
    return Promise.resolve(50);
  }, seconds);
  record('cpu ~1ms', 'direct', { callsPerSec: direct.itemsPerSec });
  record('cpu ~1ms', '2 bare threads (ceiling)', { callsPerSec: await bareThreads(cpu, seconds) });
  const cpuCalls: BatchCall[] = Array.from({ length: 200 }, (_, i) => ({ server: 'bench', tool: 'hash', arguments: { text: `text ${i}`, rounds: cpu } }));
  for (const [system, count] of [
    ['mcpool 2 threads', 2],
    ['mcpool 1 thread', 1],
    ['mcpool { min: 1, max: 2 }', { min: 1, max: 2 }],
  ] as const) {
    await withServer(count, true, async (manager) => {
      const run = await repeated(async () => (await manager.executeBatch(cpuCalls)).length, seconds);
      record('cpu ~1ms', system, { ...run, callsPerSec: run.itemsPerSec });
    });
    // A fresh pool: one that grew under the CPU-bound load would stay grown for idleTimeoutMs.
    if (count !== 2) await withServer(count, true, async (manager) => void record('trivial c=64', system, await closedLoop(() => manager.executeTool('bench', 'add', addArgs), 64, seconds)));
  }
}

/** Calls/s of two plain worker threads each hashing `count` rounds per call in a loop for `seconds`. */
async function bareThreads(count: number, secs: number): Promise<number> {
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
  const counts = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { rounds: count, ms: secs * 1000 } });
          worker.once('message', (calls: number) => {
            resolve(calls);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return (counts[0]! + counts[1]!) / secs;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** The median of a field over the rounds of a row, or undefined. */
function med(key: string, field: keyof Row = 'callsPerSec'): number | undefined {
  const values = (measured.get(key) ?? []).map((row) => row[field]).filter((value): value is number => typeof value === 'number');
  return values.length === 0 ? undefined : median(values);
}
/** The median over rounds of a ratio of two rows measured in the same round. */
function ratio(top: string, bottom: string, field: keyof Row = 'callsPerSec', invert = false): number | undefined {
  const a = measured.get(top) ?? [];
  const b = measured.get(bottom) ?? [];
  const ratios = a.map((row, i) => {
    const x = row[field];
    const y = b[i]?.[field];
    return x === undefined || y === undefined ? NaN : invert ? y / x : x / y;
  });
  return ratios.length === 0 ? undefined : median(ratios);
}

const fmt = (value: number | undefined, digits = 0): string => (value === undefined || Number.isNaN(value) ? '' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function table(header: string[], lines: string[][], numeric: (i: number) => boolean): string {
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]): string => `| ${cells.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  return [render(header), `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...lines.map(render)].join('\n');
}

function report(directRate: number): void {
  const lines = [...measured.keys()].map((key) => {
    const [scenario, system] = key.split(' | ') as [string, string];
    return [
      scenario,
      system,
      fmt(med(key)),
      fmt(med(key, 'p50Ms'), 3),
      fmt(med(key, 'p99Ms'), 3),
      fmt(med(key, 'mainUsPerCall'), 2),
      fmt(med(key, 'mainCpuUsPerCall'), 2),
      fmt(med(key, 'processCpuUsPerCall'), 2),
      fmt(med(key, 'rssMb')),
    ];
  });
  lines.unshift(['trivial', 'direct (tinybench)', fmt(directRate), '', '', '', '', '', '']);
  console.log(`Node ${process.version}, ${availableParallelism()} cores, median of ${rounds} interleaved rounds of ${seconds} s per scenario\n`);
  console.log(table(['scenario', 'system', 'calls/s', 'p50 ms', 'p99 ms', 'main µs/call (ELU)', 'main CPU µs/call', 'process CPU µs/call', 'RSS MB'], lines, (i) => i >= 2));

  const pct = (value: number | undefined): string => (value === undefined ? '' : `${(value * 100).toFixed(0)}%`);
  const x = (value: number | undefined): string => (value === undefined ? '' : `${value.toFixed(2)}x`);
  const us = (value: number | undefined): string => (value === undefined ? '' : `${value.toFixed(2)} µs`);
  const met = (value: number | undefined, target: number, below = false): string => (value === undefined ? '' : (below ? value <= target : value >= target) ? 'yes' : 'no');
  const c64 = ratio('trivial c=64 | mcpool', 'trivial c=64 | piscina');
  const batch = ratio('batch 10k | mcpool', 'trivial c=64 | piscina');
  const mainBatch = med('batch 10k | mcpool', 'mainUsPerCall');
  const mainBatchCpu = med('batch 10k | mcpool', 'mainCpuUsPerCall');
  const p99 = med('trivial c=64 | mcpool', 'p99Ms');
  const ceiling = ratio('cpu ~1ms | mcpool 2 threads', 'cpu ~1ms | 2 bare threads (ceiling)');
  const payload1 = ratio('payload 1 MB c=1 | mcpool', 'payload 1 MB c=1 | piscina');
  const payload64 = ratio('payload 1 MB c=64 | mcpool', 'payload 1 MB c=64 | piscina');
  const bestTrivial = (round: number): number => Math.max(...['mcpool 1 thread', 'mcpool'].map((s) => measured.get(`trivial c=64 | ${s}`)?.[round]?.callsPerSec ?? 0));
  const bestCpu = (round: number): number => Math.max(...['mcpool 1 thread', 'mcpool 2 threads'].map((s) => measured.get(`cpu ~1ms | ${s}`)?.[round]?.callsPerSec ?? 0));
  const scaled = (scenario: string, best: (round: number) => number): number | undefined => {
    const rows = measured.get(`${scenario} | mcpool { min: 1, max: 2 }`) ?? [];
    return rows.length === 0 ? undefined : median(rows.map((row, i) => row.callsPerSec / best(i)));
  };
  const scaledTrivial = scaled('trivial c=64', bestTrivial);
  const scaledCpu = scaled('cpu ~1ms', bestCpu);
  const rss = Math.max(med('trivial c=64 | mcpool', 'rssMb') ?? 0, med('batch 10k | mcpool', 'rssMb') ?? 0);
  const cpuTrivial = med('trivial c=64 | mcpool', 'processCpuUsPerCall');
  const cpuBatch = med('batch 10k | mcpool', 'processCpuUsPerCall');
  const figures: string[][] = [
    ['executeTool, trivial, 64 in flight (vs raw piscina)', x(c64), '>= 12x', met(c64, 12)],
    ['executeBatch of 10k trivial calls (vs raw piscina c=64)', `${x(batch)} (${fmt(med('batch 10k | mcpool'))} calls/s)`, '>= 40x', met(batch, 40)],
    ["main thread's time per batch call (ELU active / calls)", `${us(mainBatch)}${mainBatchCpu === undefined ? '' : ` (CPU ${us(mainBatchCpu)})`}`, '<= 1.0 µs', met(mainBatch, 1, true)],
    ['p99 at 64 in flight', `${fmt(p99, 3)} ms`, '<= 1 ms', met(p99, 1, true)],
    ['~1 ms CPU-bound tool on 2 threads (of two bare threads)', `${pct(ceiling)} (${x(med('cpu ~1ms | mcpool 2 threads')! / directRateCpu())} direct)`, '>= 95%', met(ceiling, 0.95)],
    ['a 1 MB text result, 1 in flight (vs raw piscina)', x(payload1), '>= 1.5x', met(payload1, 1.5)],
    ['a 1 MB text result, 64 in flight (vs raw piscina)', x(payload64), '>= 1.5x', met(payload64, 1.5)],
    ['threads { min: 1, max: 2 }, trivial c=64 (of the best fixed count)', pct(scaledTrivial), '>= 95%', met(scaledTrivial, 0.95)],
    ['threads { min: 1, max: 2 }, CPU-bound (of the best fixed count)', pct(scaledCpu), '>= 95%', met(scaledCpu, 0.95)],
    ['RSS of the process, one 2-thread server (trivial c=64, batch)', `${fmt(rss)} MB`, '<= 100 MB', met(rss, 100, true)],
    ['CPU per call, whole process, trivial c=64', us(cpuTrivial), '<= 2 µs', met(cpuTrivial, 2, true)],
    ['CPU per call, whole process, batch', us(cpuBatch), '<= 1.5 µs', met(cpuBatch, 1.5, true)],
    ['shared rings vs port only, trivial c=64', x(ratio('trivial c=64 | mcpool', 'trivial c=64 | mcpool (port only)')), '', ''],
    ['shared rings vs port only, batch 10k', x(ratio('batch 10k | mcpool', 'batch 10k | mcpool (port only)')), '', ''],
  ];
  console.log(`\n${table(['figure (issue 9)', 'measured', 'target', 'met'], figures, () => false)}`);
}

let cpuDirect = NaN;
const directRateCpu = (): number => cpuDirect;

async function main(): Promise<void> {
  log(`mcpool engine benchmark: ${rounds} rounds, ${seconds}s per scenario, Node ${process.version}`);
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
  const cpu = cpuRounds();
  log(`CPU-bound: ${cpu} SHA-256 rounds per call (about 1 ms)`);
  for (let i = 0; i < rounds; i++) await round(i, cpu);
  cpuDirect = med('cpu ~1ms | direct') ?? NaN;
  report(directRate);
  if (sink === -1) log('');
}

await main();
