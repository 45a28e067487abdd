/**
 * @module bench/harness/runner
 * Runs the benchmark: plans the cells (system × scenario × concurrency), measures each system's
 * cells (by default in a fresh child process per system), and sets each result's ratio against
 * its scenario's baseline at the same concurrency, measured in the same run.
 */
import { measureSystemIsolated } from './isolate.js';
import { measureSystem } from './measure.js';
import { listSystems } from './registry.js';
import type { BenchCell, BenchPlan, BenchProgress, BenchResult } from './types.js';

export type { BenchCell, BenchPlan, BenchProgress, BenchResult } from './types.js';

/** The cells of a plan, grouped by system. */
export function planCells(plan: BenchPlan): Map<string, BenchCell[]> {
  const bySystem = new Map<string, BenchCell[]>();
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
  const onPhase = (label: string, phaseDone: boolean): void => {
    if (phaseDone) done++;
    onProgress?.({ done, total, label });
  };
  const measureOne = plan.isolate === false ? measureSystem : measureSystemIsolated;
  const results: BenchResult[] = [];
  // Systems run one after another: measured side by side they would compete for the same cores.
  for (const [name, list] of cells) results.push(...(await measureOne(name, list, plan, onPhase)));
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
