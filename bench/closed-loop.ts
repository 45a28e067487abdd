/**
 * @module bench/closed-loop
 * A closed-loop load harness: `concurrency` loops each await one call at a time for a fixed
 * duration, recording every call's latency. Reports calls/s and latency percentiles.
 */
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../src/metrics/histogram.js';
import { startMeter, type CallCosts } from './main-meter.js';

/** What one closed-loop run measured. */
export interface LoopResult extends CallCosts {
  calls: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs `call` from `concurrency` loops for `seconds`, after a warm-up of a quarter of that. */
export async function closedLoop(call: () => Promise<unknown>, concurrency: number, seconds: number): Promise<LoopResult> {
  await runFor(call, concurrency, seconds / 4, undefined);
  const histogram = new LatencyHistogram();
  const meter = startMeter();
  const started = performance.now();
  const calls = await runFor(call, concurrency, seconds, histogram);
  const elapsed = (performance.now() - started) / 1000;
  return { calls, callsPerSec: calls / elapsed, p50Ms: histogram.percentile(50), p99Ms: histogram.percentile(99), ...meter(calls) };
}

async function runFor(call: () => Promise<unknown>, concurrency: number, seconds: number, histogram: LatencyHistogram | undefined): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const start = performance.now();
      await call();
      histogram?.record(performance.now() - start);
      calls++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return calls;
}

/** Runs `once` repeatedly for `seconds` (after a warm-up) and reports its rate in items/s. */
export async function repeated(once: () => Promise<number>, seconds: number): Promise<{ itemsPerSec: number; runs: number } & CallCosts> {
  const warmEnd = performance.now() + (seconds / 4) * 1000;
  while (performance.now() < warmEnd) await once();
  const meter = startMeter();
  const start = performance.now();
  const end = start + seconds * 1000;
  let items = 0;
  let runs = 0;
  while (performance.now() < end) {
    items += await once();
    runs++;
  }
  return { itemsPerSec: items / ((performance.now() - start) / 1000), runs, ...meter(items) };
}
