/**
 * @module bench/harness/report-json
 * The `mcpool bench --json` document: one object with the run's settings, the machine, each
 * scenario's baseline, and a `results` array (the shape the README's CLI section fixes, plus extra fields).
 */
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import type { BenchScenario } from './registry.js';
import { findSystem } from './registry.js';
import type { BenchPlan, BenchResult } from './runner.js';

/** The JSON report. */
export interface BenchReport {
  tool: 'mcpool bench';
  version: string;
  date: string;
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; memoryMb: number };
  settings: { durationS: number; warmupS: number; repeats: number; concurrencies: number[]; isolated: boolean };
  /** Each scenario's baseline system. */
  baselines: Record<string, string>;
  scenarios: { name: string; description: string; baseline: string; tool: string; batchSize?: number }[];
  systems: { name: string; description: string }[];
  results: BenchResult[];
}

/** Builds the report of a run. */
export function benchReport(plan: BenchPlan, results: BenchResult[], version: string): BenchReport {
  const systemNames = [...new Set(results.map((result) => result.system))];
  return {
    tool: 'mcpool bench',
    version,
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: platform(),
      arch: arch(),
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryMb: Math.round(totalmem() / 1024 / 1024),
    },
    settings: { durationS: plan.durationMs / 1000, warmupS: plan.warmupMs / 1000, repeats: plan.repeats, concurrencies: [...plan.concurrencies], isolated: plan.isolate !== false },
    baselines: Object.fromEntries(plan.scenarios.map((scenario) => [scenario.name, scenario.baseline])),
    scenarios: plan.scenarios.map((scenario: BenchScenario) => ({
      name: scenario.name,
      description: scenario.description,
      baseline: scenario.baseline,
      tool: scenario.tool,
      ...(scenario.batchSize === undefined ? {} : { batchSize: scenario.batchSize }),
    })),
    systems: systemNames.map((name) => ({ name, description: findSystem(name)?.description ?? '' })),
    results,
  };
}
