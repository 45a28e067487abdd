/**
 * @module cli/main-job
 * `npm start`: deploys the built-in example servers and runs a batch of several thousand
 * CPU-bound calls through mcpool, with progress on stderr, then runs the very same calls
 * directly on the main thread in this process and prints both, with the ratio.
 *
 * Environment: MCPOOL_JOB_CALLS (default 4000), MCPOOL_JOB_THREADS (default: one per core).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { McpManager, type BatchCall, type ServerDefinition } from '../index.js';

const examples = ['hash', 'math', 'text'] as const;
const exampleUrl = (name: string): URL => new URL(`../../examples/${name}.js`, import.meta.url);
const callCount = Number(process.env.MCPOOL_JOB_CALLS ?? 4000);
const threads = Number(process.env.MCPOOL_JOB_THREADS ?? availableParallelism());
const interactive = process.stderr.isTTY;

const sampleText = 'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs! '.repeat(200);

/** The job: a mix of the example servers' CPU-bound tools, each call a little different. */
function makeCalls(count: number): BatchCall[] {
  return Array.from({ length: count }, (_, i): BatchCall => {
    switch (i % 4) {
      case 0:
        return { server: 'hash', tool: 'sha256', arguments: { text: `document ${i}`, rounds: 1000 } };
      case 1:
        return { server: 'math', tool: 'count_primes', arguments: { below: 200_000 + (i % 100) } };
      case 2:
        return { server: 'text', tool: 'text_stats', arguments: { text: `${sampleText} call ${i}`, top: 3 } };
      default:
        return { server: 'text', tool: 'gzip_size', arguments: { text: `${sampleText}${i}`, level: 6 } };
    }
  });
}

/** When the last progress line went out: without a terminal, one line a second is enough to read. */
let lastLineAt = 0;

function progress(label: string, done: number, total: number, startedAt: number): void {
  const now = performance.now();
  if (!interactive && done < total && now - lastLineAt < 1000) return;
  lastLineAt = now;
  const rate = done / ((performance.now() - startedAt) / 1000 || 1);
  const line = `${label}: ${done}/${total} calls (${Math.round((done / total) * 100)}%), ${Math.round(rate).toLocaleString('en-US')} calls/s`;
  process.stderr.write(interactive ? `\r${line}   ` : `${line}\n`);
}

/** A run of the job. Latency is the time from the start of the batch to each call's answer. */
interface RunSummary {
  calls: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

/** Records when calls finish, to read the time by which a share of them had finished. */
class Completions {
  readonly #marks: [done: number, ms: number][] = [];

  mark(done: number, ms: number): void {
    this.#marks.push([done, ms]);
  }

  /** Time (ms from the start) by which `percent` of `total` calls had finished. */
  percentile(percent: number, total: number): number {
    const target = Math.ceil((percent / 100) * total);
    return this.#marks.find(([done]) => done >= target)?.[1] ?? NaN;
  }
}

async function runOnMcpool(calls: BatchCall[]): Promise<RunSummary> {
  await using manager = new McpManager({ maxConcurrentOperations: 4096 });
  for (const name of examples) {
    await manager.deployServer({ name, type: 'worker', module: fileURLToPath(exampleUrl(name)), threads });
  }
  // Warm the threads (module load, JIT) so the run measures steady work.
  await manager.executeBatch(calls.slice(0, 200));
  const completions = new Completions();
  const startedAt = performance.now();
  let lastReport = 0;
  const results = await manager.executeBatch(calls, {
    onProgress: ({ done, total }) => {
      const now = performance.now();
      completions.mark(done, now - startedAt);
      if (now - lastReport < 100 && done < total) return;
      lastReport = now;
      progress('mcpool', done, total, startedAt);
    },
  });
  const seconds = (performance.now() - startedAt) / 1000;
  if (interactive) process.stderr.write('\n');
  const failed = results.filter((result) => !result.ok || result.result.isError === true).length;
  return { calls: calls.length, failed, seconds, p50Ms: completions.percentile(50, calls.length), p99Ms: completions.percentile(99, calls.length) };
}

async function runDirect(calls: BatchCall[]): Promise<RunSummary> {
  const servers = new Map<string, ServerDefinition>();
  for (const name of examples) servers.set(name, ((await import(exampleUrl(name).href)) as { default: ServerDefinition }).default);
  const completions = new Completions();
  const startedAt = performance.now();
  let failed = 0;
  let lastReport = 0;
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]!;
    const tool = servers.get(call.server)!.tools[call.tool]!;
    try {
      tool.handler(tool.inputSchema.parse(call.arguments), undefined as never);
    } catch {
      failed++;
    }
    const now = performance.now();
    completions.mark(i + 1, now - startedAt);
    if (now - lastReport >= 100) {
      lastReport = now;
      progress('direct', i + 1, calls.length, startedAt);
    }
  }
  progress('direct', calls.length, calls.length, startedAt);
  if (interactive) process.stderr.write('\n');
  return { calls: calls.length, failed, seconds: (performance.now() - startedAt) / 1000, p50Ms: completions.percentile(50, calls.length), p99Ms: completions.percentile(99, calls.length) };
}

function printSummary(pool: RunSummary, direct: RunSummary): void {
  const rate = (run: RunSummary): number => run.calls / run.seconds;
  const rows = [
    ['', 'calls', 'failed', 'seconds', 'calls/s', 'p50 ms*', 'p99 ms*'],
    ...[
      [`mcpool (${threads} threads per server)`, pool],
      ['direct (main thread)', direct],
    ].map(([label, run]) => {
      const r = run as RunSummary;
      return [label as string, String(r.calls), String(r.failed), r.seconds.toFixed(2), Math.round(rate(r)).toLocaleString('en-US'), r.p50Ms.toFixed(3), r.p99Ms.toFixed(3)];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  console.log('* time from the start of the batch until half (p50) and 99% (p99) of the calls were answered');
  console.log(`\nmcpool ran the batch ${(rate(pool) / rate(direct)).toFixed(2)}x as fast as the main thread alone (and left the main thread free meanwhile).`);
}

async function main(): Promise<void> {
  const calls = makeCalls(callCount);
  process.stderr.write(`mcpool main job: ${calls.length} CPU-bound calls (SHA-256 rounds, prime sieve, text statistics, gzip) over ${examples.length} example servers, ${threads} threads each\n`);
  const pool = await runOnMcpool(calls);
  const direct = await runDirect(calls);
  printSummary(pool, direct);
  if (pool.failed > 0 || direct.failed > 0) process.exitCode = 1;
}

await main();
