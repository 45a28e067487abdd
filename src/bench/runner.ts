/**
 * @module bench/runner
 * Runs the benchmark: each system is started once and runs its cells (scenario × concurrency);
 * each cell gets a warm-up (JIT, thread start, connection set-up: discarded), then several
 * timed repeats of closed-loop load (`concurrency` callers, each sending its next call when the
 * last one is answered), and reports the median of the repeats. Ratios are against the
 * scenario's baseline at the same concurrency, measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { cpuMs, rssMb } from './process-stats.js';
import { findSystem, listSystems, type BenchScenario, type BenchTarget } from './registry.js';
import { LatencyRecorder, median } from './stats.js';

/** What to run. */
export interface BenchPlan {
  scenarios: readonly BenchScenario[];
  /** Calls in flight for the one-call-per-operation scenarios. */
  concurrencies: readonly number[];
  /** Only these systems (each scenario's baseline is always added). Unset: every system of each scenario. */
  systems?: readonly string[];
  /** Length of one timed repeat, in ms. */
  durationMs: number;
  /** Length of the warm-up before a cell's repeats, in ms. */
  warmupMs: number;
  /** Timed repeats per cell; the median is reported. */
  repeats: number;
}

/** One measured cell. Latency is per call, or per batch for batch scenarios. */
export interface BenchResult {
  system: string;
  scenario: string;
  /** Calls in flight (for a batch scenario: its batch size). */
  concurrency: number;
  /** The system `ratio` compares with. */
  baseline: string;
  /** Median over repeats. */
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** calls/s ÷ the baseline's calls/s in the same run; null when the baseline failed. */
  ratio: number | null;
  /** Highest RSS seen after a repeat: this process plus the system's child processes. */
  rssMb: number;
  /** CPU time of the whole process (and the system's children) per 1,000 calls, median. */
  cpuMsPerKCalls: number;
  /** calls/s of each repeat. */
  repeatsCallsPerSec: number[];
  /** Calls answered in the timed repeats. */
  calls: number;
  /** Why the cell has no figures, when it failed. */
  error?: string;
}

/** Progress of a run: phases (warm-ups and repeats) done out of all. */
export interface BenchProgress {
  done: number;
  total: number;
  /** What runs now, e.g. `mcpool trivial ×64`. */
  label: string;
}

/** One cell to measure. */
interface Cell {
  scenario: BenchScenario;
  concurrency: number;
}

/** The cells of a plan, grouped by system in registration order of the scenarios' systems. */
export function planCells(plan: BenchPlan): Map<string, Cell[]> {
  const bySystem = new Map<string, Cell[]>();
  for (const scenario of plan.scenarios) {
    const systems = scenario.systems.filter((name) => plan.systems === undefined || plan.systems.includes(name) || name === scenario.baseline);
    const concurrencies = scenario.batchSize === undefined ? plan.concurrencies : [scenario.batchSize];
    for (const system of systems) {
      const cells = bySystem.get(system) ?? [];
      for (const concurrency of concurrencies) cells.push({ scenario, concurrency });
      bySystem.set(system, cells);
    }
  }
  return bySystem;
}

/** Runs closed-loop load for `durationMs` (at least one operation per caller); returns the calls done. */
async function drive(target: BenchTarget, cell: Cell, durationMs: number, latency: LatencyRecorder | undefined): Promise<{ calls: number; elapsedMs: number }> {
  const { scenario } = cell;
  const perOp = scenario.batchSize ?? 1;
  const callers = scenario.batchSize === undefined ? cell.concurrency : 1;
  const { tool, args } = scenario;
  const op =
    scenario.batchSize === undefined
      ? () => target.call(tool, args)
      : target.batch
        ? () => target.batch!(tool, args, perOp)
        : () => Promise.all(Array.from({ length: perOp }, () => target.call(tool, args)));
  let ops = 0;
  let failure: unknown;
  const start = performance.now();
  const deadline = start + durationMs;
  const caller = async (): Promise<void> => {
    do {
      const t0 = performance.now();
      try {
        await op();
      } catch (error) {
        failure ??= error;
        return;
      }
      latency?.record(performance.now() - t0);
      ops++;
    } while (failure === undefined && performance.now() < deadline);
  };
  await Promise.all(Array.from({ length: callers }, caller));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(`call failed: ${JSON.stringify(failure)}`);
  return { calls: ops * perOp, elapsedMs: performance.now() - start };
}

/** Measures one cell: warm-up, then `repeats` timed runs; reports medians. */
async function measure(target: BenchTarget, system: string, cell: Cell, plan: BenchPlan, tick: () => void): Promise<BenchResult> {
  const children = target.childPids?.() ?? [];
  await drive(target, cell, plan.warmupMs, undefined);
  tick();
  const rates: number[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  const cpuPerK: number[] = [];
  let peakRss = 0;
  let calls = 0;
  for (let i = 0; i < plan.repeats; i++) {
    const latency = new LatencyRecorder();
    const cpuBefore = cpuMs(children);
    const run = await drive(target, cell, plan.durationMs, latency);
    const cpu = cpuMs(children) - cpuBefore;
    rates.push((run.calls / run.elapsedMs) * 1000);
    p50s.push(latency.percentile(50));
    p99s.push(latency.percentile(99));
    cpuPerK.push((cpu / run.calls) * 1000);
    peakRss = Math.max(peakRss, rssMb(children));
    calls += run.calls;
    tick();
  }
  return {
    system,
    scenario: cell.scenario.name,
    concurrency: cell.concurrency,
    baseline: cell.scenario.baseline,
    callsPerSec: median(rates),
    p50Ms: median(p50s),
    p99Ms: median(p99s),
    ratio: null,
    rssMb: peakRss,
    cpuMsPerKCalls: median(cpuPerK),
    repeatsCallsPerSec: rates,
    calls,
  };
}

/** A cell that could not be measured. */
function failed(system: string, cell: Cell, error: unknown): BenchResult {
  return {
    system,
    scenario: cell.scenario.name,
    concurrency: cell.concurrency,
    baseline: cell.scenario.baseline,
    callsPerSec: 0,
    p50Ms: 0,
    p99Ms: 0,
    ratio: null,
    rssMb: 0,
    cpuMsPerKCalls: 0,
    repeatsCallsPerSec: [],
    calls: 0,
    error: error instanceof Error ? error.message : String(error),
  };
}

/** Sets each result's ratio against its scenario's baseline at the same concurrency. */
export function applyRatios(results: BenchResult[]): void {
  for (const result of results) {
    const base = results.find((other) => other.system === result.baseline && other.scenario === result.scenario && other.concurrency === result.concurrency);
    result.ratio = base === undefined || base.error !== undefined || base.callsPerSec <= 0 || result.error !== undefined ? null : result.callsPerSec / base.callsPerSec;
  }
}

/** Runs a plan; results are ordered by scenario, concurrency, then system (registration order). */
export async function runBench(plan: BenchPlan, onProgress?: (progress: BenchProgress) => void): Promise<BenchResult[]> {
  const cells = planCells(plan);
  const total = [...cells.values()].reduce((sum, list) => sum + list.length, 0) * (plan.repeats + 1);
  let done = 0;
  const results: BenchResult[] = [];
  for (const [name, list] of cells) {
    const system = findSystem(name);
    let target: BenchTarget | undefined;
    let startError: unknown;
    onProgress?.({ done, total, label: `starting ${name}` });
    try {
      if (system === undefined) throw new Error(`no benchmark system named "${name}"`);
      target = await system.start();
    } catch (error) {
      startError = error;
    }
    try {
      for (const cell of list) {
        const label = `${name} ${cell.scenario.name} ×${cell.concurrency}`;
        onProgress?.({ done, total, label });
        if (target === undefined) {
          results.push(failed(name, cell, startError));
          done += plan.repeats + 1;
          continue;
        }
        const before = done;
        try {
          results.push(await measure(target, name, cell, plan, () => onProgress?.({ done: ++done, total, label })));
        } catch (error) {
          results.push(failed(name, cell, error));
        }
        done = before + plan.repeats + 1;
      }
    } finally {
      await target?.close();
    }
  }
  onProgress?.({ done: total, total, label: 'done' });
  const systemOrder = listSystems().map((system) => system.name);
  const order = (result: BenchResult): [number, number, number] => [
    plan.scenarios.findIndex((scenario) => scenario.name === result.scenario),
    result.concurrency,
    systemOrder.indexOf(result.system),
  ];
  results.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  applyRatios(results);
  return results;
}
