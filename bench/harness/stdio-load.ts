/**
 * @module bench/harness/stdio-load
 * A minimal JSON-RPC client over a child's stdio used as the one load generator for every
 * stdio server in the benchmark: it keeps `concurrency` `tools/call` requests in flight, each
 * with a distinct id, and records each call's latency. Being the same tiny client for every
 * server, it measures the servers, not a client library.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { cpuMs, processTree, rssMb } from './process-tree.js';
import type { LoadRun } from './registry.js';

/** Figures of one stdio run. */
export interface StdioResult {
  calls: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  rssMb: number;
  cpuMsPerKCalls: number;
}

/** Percentile of sorted latencies. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Starts `command args`, initializes it, then loads `tool` for `seconds` with `concurrency` calls in flight. */
export async function stdioLoad(command: string, args: string[], tool: string, toolArgs: unknown, concurrency: number, seconds: number): Promise<StdioResult> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const pending = new Map<number, (message: { error?: unknown }) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; error?: unknown };
    if (typeof message.id === 'number') {
      const done = pending.get(message.id);
      pending.delete(message.id);
      done?.(message);
    }
  });
  let nextId = 1;
  const request = (method: string, params: unknown): Promise<{ error?: unknown }> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
  child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  // Warm up, so start-up costs (thread spawn, JIT) stay out of the figures.
  await Promise.all(Array.from({ length: 200 }, () => request('tools/call', { name: tool, arguments: toolArgs })));
  const pids = processTree(child.pid!);
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const latencies: number[] = [];
  let failures = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const lane = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const answer = await request('tools/call', { name: tool, arguments: toolArgs });
      latencies.push(performance.now() - t0);
      if (answer.error !== undefined) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - start) / 1000;
  const cpu = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
  const rss = pids.reduce((sum, pid) => sum + rssMb(pid), 0);
  child.stdin.end();
  child.kill('SIGTERM');
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length,
    callsPerSec: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures,
    rssMb: rss,
    cpuMsPerKCalls: (cpu / latencies.length) * 1000,
  };
}

/** `stdioLoad` as a `BenchTarget.load` run: a fresh server process for each run, its own figures. */
export async function stdioLoadRun(command: string, args: string[], tool: string, toolArgs: unknown, concurrency: number, durationMs: number): Promise<LoadRun> {
  const result = await stdioLoad(command, args, tool, toolArgs, concurrency, durationMs / 1000);
  return {
    calls: result.calls,
    elapsedMs: result.callsPerSec > 0 ? (result.calls / result.callsPerSec) * 1000 : durationMs,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    failures: result.failures,
    cpuMs: (result.cpuMsPerKCalls * result.calls) / 1000,
    rssMb: result.rssMb,
  };
}
