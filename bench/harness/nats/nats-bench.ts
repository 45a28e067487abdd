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
import { McpManager } from '../../../src/api/mcp-manager.js';
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

/** One system under test: its caller, the server name, the processes whose CPU counts. */
interface System {
  name: NatsBenchRow['system'];
  manager: McpManager;
  server: string;
  nats: ChildProcess | undefined;
  nodes: ChildProcess[];
}

/** Totals of one system's repeats. */
interface Tally {
  rates: number[];
  latencies: number[];
  caller: number;
  nats: number;
  nodes: number;
  calls: number;
}

async function repeat(system: System, workload: Workload, durationMs: number, tally: Tally): Promise<void> {
  const nodesCpu = (): number => system.nodes.reduce((sum, node) => sum + cpuMs(node.pid!), 0);
  const before = { caller: selfCpuMs(), nats: system.nats ? cpuMs(system.nats.pid!) : 0, nodes: nodesCpu() };
  const start = performance.now();
  const end = start + durationMs;
  let calls = 0;
  while (performance.now() < end) calls += await workload.run(system.manager, system.server, tally.latencies);
  tally.rates.push((calls / (performance.now() - start)) * 1000);
  tally.caller += selfCpuMs() - before.caller;
  tally.nats += (system.nats ? cpuMs(system.nats.pid!) : 0) - before.nats;
  tally.nodes += nodesCpu() - before.nodes;
  tally.calls += calls;
}

/**
 * Measures every system on every workload. The systems run side by side (each node idle while
 * another system is measured) and their repeats alternate, so a change in the machine's load
 * during the run touches every system alike and the ratios stay fair.
 */
async function measureAll(systems: System[], options: NatsBenchOptions, onPhase: (label: string) => void): Promise<NatsBenchRow[]> {
  const rows: NatsBenchRow[] = [];
  for (const workload of workloads) {
    const tallies = systems.map((): Tally => ({ rates: [], latencies: [], caller: 0, nats: 0, nodes: 0, calls: 0 }));
    for (const system of systems) {
      onPhase(`${workload.name}: warm-up ${system.name}`);
      const warm = performance.now() + options.warmupMs;
      while (performance.now() < warm) await workload.run(system.manager, system.server, []);
    }
    for (let r = 0; r < options.repeats; r++) {
      onPhase(`${workload.name}: repeat ${r + 1}/${options.repeats}`);
      for (let i = 0; i < systems.length; i++) await repeat(systems[i]!, workload, options.durationMs, tallies[i]!);
    }
    systems.forEach((system, i) => {
      const tally = tallies[i]!;
      const perCall = (ms: number): number => (ms * 1000) / tally.calls;
      rows.push({
        system: system.name,
        workload: workload.name,
        callsPerSec: median(tally.rates),
        p99Ms: percentile(tally.latencies, 99),
        callerUs: perCall(tally.caller),
        natsUs: perCall(tally.nats),
        nodesUs: perCall(tally.nodes),
        repeatsCallsPerSec: tally.rates,
      });
    });
  }
  return rows;
}

/** A caller of the benchmark server over NATS under `prefix`, once it knows `nodes` nodes. */
async function natsCaller(url: string, prefix: string, nodes: number): Promise<McpManager> {
  const caller = new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
  await caller.deployServer({ name: 'remote', type: 'nats', url, remoteName: 'bench', subjectPrefix: prefix, circuitBreaker: false, healthCheck: false });
  while ((caller.getServerHealth('remote').nodes?.length ?? 0) < nodes) await new Promise((resolve) => setTimeout(resolve, 50));
  return caller;
}

/** Runs the scenario; `onPhase` hears what runs now. */
export async function runNatsBench(options: NatsBenchOptions, onPhase: (label: string) => void = () => undefined): Promise<NatsBenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpool-bench-nats-'));
  const children: ChildProcess[] = [];
  const managers: McpManager[] = [];
  try {
    onPhase('starting: in-process server, nats-server, three nodes');
    const local = new McpManager({ maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 });
    managers.push(local);
    await local.deployServer({ name: 'bench', type: 'worker', module: new URL('../bench-server.js', import.meta.url), threads: 1 });
    const nats = await startNatsServer();
    children.push(nats.child);
    const config = await writeNodeConfig(dir, 1);
    // Two subject namespaces on one nats-server: one node alone, and a pair.
    const [solo, pairA, pairB] = await Promise.all([startNode(nats.url, config, 'solo', 'one'), startNode(nats.url, config, 'pair-a', 'two'), startNode(nats.url, config, 'pair-b', 'two')]);
    children.push(solo, pairA, pairB);
    const one = await natsCaller(nats.url, 'one', 1);
    const two = await natsCaller(nats.url, 'two', 2);
    managers.push(one, two);
    return await measureAll(
      [
        { name: 'in-process', manager: local, server: 'bench', nats: undefined, nodes: [] },
        { name: 'nats-1-node', manager: one, server: 'remote', nats: nats.child, nodes: [solo] },
        { name: 'nats-2-nodes', manager: two, server: 'remote', nats: nats.child, nodes: [pairA, pairB] },
      ],
      options,
      onPhase,
    );
  } finally {
    for (const manager of managers) await manager.shutdown();
    for (const child of children.reverse()) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  }
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
