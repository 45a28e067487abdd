/**
 * @module bench/harness/stats
 * Small statistics for the runner: the median of repeats and a latency recorder on Node's HDR
 * histogram (`perf_hooks.createHistogram`), which records millions of samples in fixed memory.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Records latencies in ms (kept in ns, to 3 significant digits). */
export class LatencyRecorder {
  readonly #histogram: RecordableHistogram = createHistogram({ lowest: 1, highest: 3_600_000_000_000, figures: 3 });

  /** Records one latency in ms. */
  record(ms: number): void {
    this.#histogram.record(Math.max(1, Math.round(ms * 1e6)));
  }

  /** The latency at a percentile (0..100), in ms. */
  percentile(p: number): number {
    return this.#histogram.count === 0 ? NaN : this.#histogram.percentile(p) / 1e6;
  }
}
