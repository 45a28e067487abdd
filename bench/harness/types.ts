/**
 * @module bench/harness/types
 * The shapes the benchmark's parts share: the plan of a run, one cell to measure, and one
 * measured result (the items of `--json`'s `results`).
 */
import type { BenchScenario } from './registry.js';

/** How long each cell runs. */
export interface BenchTiming {
  /** Length of one timed repeat, in ms. */
  durationMs: number;
  /** Length of the warm-up before a cell's repeats, in ms. */
  warmupMs: number;
  /** Timed repeats per cell; the median is reported. */
  repeats: number;
}

/** What to run. */
export interface BenchPlan extends BenchTiming {
  scenarios: readonly BenchScenario[];
  /** Calls in flight for the one-call-per-operation scenarios. */
  concurrencies: readonly number[];
  /** Only these systems (each scenario's baseline is always added). Unset: every system of each scenario. */
  systems?: readonly string[];
  /**
   * Run each system in a fresh child process, so its RSS and CPU figures are its own and it
   * inherits no heap, JIT state or threads from the systems measured before it. @default true
   */
  isolate?: boolean;
}

/** One cell to measure: a scenario at one concurrency. */
export interface BenchCell {
  scenario: BenchScenario;
  concurrency: number;
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
  /**
   * Highest RSS seen after a repeat: the measuring process plus the system's child processes
   * (in a `loadGenerator` scenario: the server's processes alone, peak).
   */
  rssMb: number;
  /**
   * CPU time of the whole measuring process (and the system's children) per 1,000 calls, median
   * (in a `loadGenerator` scenario: the server's processes alone).
   */
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

/** Called when a phase ends (`done`: true) or a new one starts, with what runs now. */
export type PhaseListener = (label: string, done: boolean) => void;
