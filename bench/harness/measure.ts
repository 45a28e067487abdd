/**
 * @module bench/harness/measure
 * Measures the cells of one system: starts it once, gives each cell a warm-up (JIT, thread
 * start, connection set-up: discarded) and several timed repeats of closed-loop load
 * (`concurrency` callers, each sending its next call when the last one is answered), reports the
 * median of the repeats, and closes it.
 */
import { performance } from 'node:perf_hooks';
import { cpuMs, rssMb } from './process-stats.js';
import { cpuMs as treeCpuMs, processTree, rssMb as peakRssMb } from './process-tree.js';
import { findSystem, type BenchTarget } from './registry.js';
import { LatencyRecorder, median } from './stats.js';
import type { BenchCell, BenchResult, BenchTiming, PhaseListener } from './types.js';

/** Runs closed-loop load for `durationMs` (at least one operation per caller); returns the calls done. */
async function drive(target: BenchTarget, cell: BenchCell, durationMs: number, latency: LatencyRecorder | undefined): Promise<{ calls: number; elapsedMs: number }> {
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

/** One timed run's figures. */
interface RunFigures {
  calls: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuMs: number;
  rssMb: number;
}

/** One timed run through this process's callers. */
async function timedDrive(target: BenchTarget, cell: BenchCell, durationMs: number, children: number[]): Promise<RunFigures> {
  const latency = new LatencyRecorder();
  const cpuBefore = cpuMs(children);
  const run = await drive(target, cell, durationMs, latency);
  return { calls: run.calls, callsPerSec: (run.calls / run.elapsedMs) * 1000, p50Ms: latency.percentile(50), p99Ms: latency.percentile(99), cpuMs: cpuMs(children) - cpuBefore, rssMb: rssMb(children) };
}

/** CPU ms and peak RSS MB of the server processes (and their descendants) alone. */
function serverUsage(children: number[]): { cpuMs: number; rssMb: number } {
  const pids = children.flatMap((pid) => processTree(pid));
  return { cpuMs: pids.reduce((sum, pid) => sum + treeCpuMs(pid), 0), rssMb: pids.reduce((sum, pid) => sum + peakRssMb(pid), 0) };
}

/**
 * One timed run through the system's own load generator. Its CPU and RSS are the server's
 * alone: this process only waits for the generator meanwhile.
 */
async function timedLoad(load: NonNullable<BenchTarget['load']>, cell: BenchCell, durationMs: number, children: number[]): Promise<RunFigures> {
  const cpuBefore = serverUsage(children).cpuMs;
  const run = await load(cell.scenario.tool, cell.scenario.args, cell.concurrency, durationMs);
  if (run.failures > 0) throw new Error(`${run.failures} of ${run.calls + run.failures} calls failed`);
  if (run.calls === 0) throw new Error('no call was answered');
  return {
    calls: run.calls,
    callsPerSec: (run.calls / run.elapsedMs) * 1000,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    cpuMs: run.cpuMs ?? serverUsage(children).cpuMs - cpuBefore,
    rssMb: run.rssMb ?? serverUsage(children).rssMb,
  };
}

/** Measures one cell: warm-up, then `repeats` timed runs; reports medians. */
async function measure(target: BenchTarget, system: string, cell: BenchCell, timing: BenchTiming, phaseDone: () => void): Promise<BenchResult> {
  const children = target.childPids?.() ?? [];
  const load = cell.scenario.loadGenerator === true ? target.load?.bind(target) : undefined;
  const timed = (durationMs: number): Promise<RunFigures> => (load === undefined ? timedDrive(target, cell, durationMs, children) : timedLoad(load, cell, durationMs, children));
  if (load === undefined) await drive(target, cell, timing.warmupMs, undefined);
  else await timedLoad(load, cell, timing.warmupMs, children);
  phaseDone();
  const rates: number[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  const cpuPerK: number[] = [];
  let peakRss = 0;
  let calls = 0;
  for (let i = 0; i < timing.repeats; i++) {
    const run = await timed(timing.durationMs);
    rates.push(run.callsPerSec);
    p50s.push(run.p50Ms);
    p99s.push(run.p99Ms);
    cpuPerK.push((run.cpuMs / run.calls) * 1000);
    peakRss = Math.max(peakRss, run.rssMb);
    calls += run.calls;
    phaseDone();
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
export function failedResult(system: string, cell: BenchCell, error: unknown): BenchResult {
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

/**
 * Measures every cell of one system in this process. A system that fails to start, or a cell
 * whose calls fail, gives failed results (with the reason) rather than ending the run.
 */
export async function measureSystem(name: string, cells: readonly BenchCell[], timing: BenchTiming, onPhase: PhaseListener): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let target: BenchTarget | undefined;
  let startError: unknown;
  onPhase(`starting ${name}`, false);
  try {
    const system = findSystem(name);
    if (system === undefined) throw new Error(`no benchmark system named "${name}"`);
    target = await system.start();
  } catch (error) {
    startError = error;
  }
  try {
    for (const cell of cells) {
      const label = `${name} ${cell.scenario.name} ×${cell.concurrency}`;
      onPhase(label, false);
      let phases = 0;
      const phaseDone = (): void => {
        phases++;
        onPhase(label, true);
      };
      try {
        if (target === undefined) throw startError;
        results.push(await measure(target, name, cell, timing, phaseDone));
      } catch (error) {
        results.push(failedResult(name, cell, error));
      }
      // A failed cell still counts all its phases, so the progress total stays right.
      while (phases < timing.repeats + 1) phaseDone();
    }
  } finally {
    await target?.close();
  }
  return results;
}
