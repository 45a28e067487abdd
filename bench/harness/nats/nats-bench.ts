/**
 * @module bench/harness/nats/nats-bench
 * `mcpool bench --scenario nats`: the same calls in-process (a worker server in this process)
 * and over NATS to one and to two `mcpool node` processes, for a trivial tool (10,000-call
 * batches) and a CPU-bound one (~1 ms of hashing, 32 calls in flight). Each node and the
 * in-process server run one thread, so the two-node row shows what a second machine adds.
 * Reported: calls/s (median of the repeats), p99 latency (of a batch, or of a call), and CPU
 * time per call of the caller (this process), the nats-server and the node processes, read from
 * /proc around each repeat.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpManager } from '../../../src/engine/manager.js';
import { renderTable } from '../../../src/cli/table.js';
import { cpuMs } from '../process-tree.js';
import { median } from '../stats.js';
import { startNatsServer, startNode, stopChild, writeNodeConfig } from './nats-processes.js';

/** Calls of one trivial batch. */
const BATCH = 10_000;
/** Calls in flight in the CPU-bound workload. */
const CPU_IN_FLIGHT = 32;
/** Rounds of hashing of the CPU-bound tool: about 1 ms. */
const CPU_ROUNDS = 1000;

/** One measured row. */
export interface NatsBenchRow {
  system: 'in-process' | 'nats-1-node' | 'nats-2-nodes';
  workload: 'trivial-batch' | 'cpu';
  callsPerSec: number;
  p99Ms: number;
  /** CPU µs per call of this process, the nats-server and the nodes. */
  callerUs: number;
  natsUs: number;
  nodesUs: number;
  repeatsCallsPerSec: number[];
}

/** How long to measure. */
export interface NatsBenchOptions {
  durationMs: number;
  warmupMs: number;
  repeats: number;
}

interface Workload {
  name: NatsBenchRow['workload'];
  /** Runs one operation; resolves with the calls it made. */
  run(manager: McpManager, server: string, latencies: number[]): Promise<number>;
}

const workloads: Workload[] = [
  {
    name: 'trivial-batch',
    async run(manager, server, latencies) {
      const start = performance.now();
      const results = await manager.executeBatch(Array.from({ length: BATCH }, (_, i) => ({ server, tool: 'add', arguments: { a: i, b: 1 } })));
      latencies.push(performance.now() - start);
      const failed = results.find((result) => !result.ok);
      if (failed !== undefined && !failed.ok) throw new Error(`${failed.error.code}: ${failed.error.message}`);
      return BATCH;
    },
  },
  {
    name: 'cpu',
    async run(manager, server, latencies) {
      // One "operation" is a closed loop of CPU_IN_FLIGHT lanes, 8 calls each.
      await Promise.all(
        Array.from({ length: CPU_IN_FLIGHT }, async () => {
          for (let i = 0; i < 8; i++) {
            const start = performance.now();
            await manager.executeTool(server, 'hash', { text: 'mcpool', rounds: CPU_ROUNDS });
            latencies.push(performance.now() - start);
          }
        }),
      );
      return CPU_IN_FLIGHT * 8;
    },
  },
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function measure(system: NatsBenchRow['system'], workload: Workload, manager: McpManager, server: string, nats: ChildProcess | undefined, nodes: ChildProcess[], options: NatsBenchOptions): Promise<NatsBenchRow> {
  const until = (ms: number): number => performance.now() + ms;
  const warm = until(options.warmupMs);
  while (performance.now() < warm) await workload.run(manager, server, []);
  const rates: number[] = [];
  const latencies: number[] = [];
  const cpu = { caller: 0, nats: 0, nodes: 0, calls: 0 };
  for (let r = 0; r < options.repeats; r++) {
    const before = { caller: selfCpuMs(), nats: nats ? cpuMs(nats.pid!) : 0, nodes: nodes.reduce((sum, node) => sum + cpuMs(node.pid!), 0) };
    const start = performance.now();
    const end = start + options.durationMs;
    let calls = 0;
    while (performance.now() < end) calls += await workload.run(manager, server, latencies);
    const elapsed = performance.now() - start;
    rates.push((calls / elapsed) * 1000);
    cpu.caller += selfCpuMs() - before.caller;
    cpu.nats += (nats ? cpuMs(nats.pid!) : 0) - before.nats;
    cpu.nodes += nodes.reduce((sum, node) => sum + cpuMs(node.pid!), 0) - before.nodes;
    cpu.calls += calls;
  }
  const perCall = (ms: number): number => (ms * 1000) / cpu.calls;
  return {
    system,
    workload: workload.name,
    callsPerSec: median(rates),
    p99Ms: percentile(latencies, 99),
    callerUs: perCall(cpu.caller),
    natsUs: perCall(cpu.nats),
    nodesUs: perCall(cpu.nodes),
    repeatsCallsPerSec: rates,
  };
}

/** Runs the scenario; `onPhase` hears what runs now. */
export async function runNatsBench(options: NatsBenchOptions, onPhase: (label: string) => void = () => undefined): Promise<NatsBenchRow[]> {
  const rows: NatsBenchRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'mcpool-bench-nats-'));
  const children: ChildProcess[] = [];
  try {
    onPhase('in-process');
    const local = new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
    await local.deployServer({ name: 'bench', type: 'worker', module: new URL('../bench-server.js', import.meta.url), threads: 1 });
    for (const workload of workloads) rows.push(await measure('in-process', workload, local, 'bench', undefined, [], options));
    await local.shutdown();

    const nats = await startNatsServer();
    children.push(nats.child);
    const config = await writeNodeConfig(dir, 1);
    const nodes: ChildProcess[] = [];
    for (const system of ['nats-1-node', 'nats-2-nodes'] as const) {
      onPhase(system);
      const node = await startNode(nats.url, config, `bench-${nodes.length + 1}`);
      nodes.push(node);
      children.push(node);
      const caller = new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
      await caller.deployServer({ name: 'remote', type: 'nats', url: nats.url, remoteName: 'bench', circuitBreaker: false, healthCheck: false });
      // Both nodes known before measuring.
      while ((caller.getServerHealth('remote').nodes?.length ?? 0) < nodes.length) await new Promise((resolve) => setTimeout(resolve, 50));
      for (const workload of workloads) rows.push(await measure(system, workload, caller, 'remote', nats.child, nodes, options));
      await caller.shutdown();
    }
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The rows as a table, with each row's ratio to in-process and to one node. */
export function natsTable(rows: readonly NatsBenchRow[], header?: (text: string) => string): string {
  const ratio = (row: NatsBenchRow, system: NatsBenchRow['system']): string => {
    const base = rows.find((other) => other.workload === row.workload && other.system === system);
    return base === undefined || base.callsPerSec <= 0 ? '' : `${(row.callsPerSec / base.callsPerSec).toFixed(2)}x`;
  };
  const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '');
  return renderTable(
    ['WORKLOAD', 'SYSTEM', 'CALLS/S', 'VS IN-PROCESS', 'VS 1 NODE', 'P99 MS', 'CALLER µS/CALL', 'NATS µS/CALL', 'NODES µS/CALL'],
    rows.map((row) => [
      row.workload,
      row.system,
      Math.round(row.callsPerSec).toLocaleString('en-US'),
      ratio(row, 'in-process'),
      row.system === 'in-process' ? '' : ratio(row, 'nats-1-node'),
      fixed(row.p99Ms, 1),
      fixed(row.callerUs, 2),
      row.system === 'in-process' ? '' : fixed(row.natsUs, 2),
      row.system === 'in-process' ? '' : fixed(row.nodesUs, 2),
    ]),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    header,
  );
}
