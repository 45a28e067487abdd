/**
 * @module servers/worker/thread-scaling
 * When a pool of `threads: { min, max, idleTimeoutMs }` grows and shrinks: from the measured
 * utilisation of its threads (their busy time, which each thread publishes: `workers/busy-clock`),
 * sampled a few times a second, not from the wall time of frames.
 *
 * Why: a cold thread's first frames are slow (module load, JIT) and a loaded machine deschedules
 * threads, so frame wall times said "busy" when the threads were not; the pool grew for good, and
 * a second thread behind a main thread that is the bottleneck only halves each thread's frames
 * (measured 0.6-0.7x of one thread for a trivial tool behind the gateway). Utilisation says
 * whether another thread has anything to do: the pool grows while its threads are busy (the
 * smoothed utilisation near the threads it has, with work waiting) and the main thread is not
 * the bottleneck (its event-loop utilisation), and shrinks back, after
 * `idleTimeoutMs` of low use, to what the load needs (`min` when idle). Where utilisation cannot
 * tell (threads that mostly wait for the main thread), a probe tries one more thread and keeps
 * it only if more calls are answered (see {@link ThreadScaling.sample}).
 */
import { performance } from 'node:perf_hooks';
import { backoffDelay, type BackoffBounds } from '../../resilience/backoff.js';

/**
 * How often the threads' busy times are sampled (ms). Short, because a pool under a CPU-bound load
 * runs on `min` threads until the smoothed figure passes the threshold (two samples after the one
 * that sets a thread's base): at 250 ms that took 0.75-1.7 s, most of a 3 s benchmark, and left
 * the pool at 55% of fixed 2 threads; a sample costs a CPU-time read and a loop over the threads.
 */
export const SAMPLE_MS = 100;
/** Default `idleTimeoutMs`: low use this long before the pool shrinks. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/**
 * Utilisation per thread (0-1) from which the pool grows when work waits: below a full core, since
 * a thread that always has work gets only its share of a loaded machine (measured 0.7-0.95 here).
 */
const GROW_AT = 0.6;
/**
 * Main-thread event-loop utilisation (0-1) from which the pool does not grow: the main thread is
 * then the bottleneck, and another thread only splits the same calls into smaller frames and more
 * wake-ups (measured: a trivial tool at 64 in flight ran 2-3x faster on one thread than on two).
 */
const MAIN_SATURATED = 0.6;
/** The pool is in low use when its load would keep one thread fewer under this utilisation each. */
const LOW_USE_AT = 0.5;
/** Weight of the newest sample in the smoothed utilisation. */
const SMOOTHING = 0.5;
/**
 * A probe (one more thread on trial, see {@link ThreadScaling}): samples before its rate counts
 * (the new thread starts and loads the server module meanwhile), and samples in all.
 */
const PROBE_SETTLE = 3;
const PROBE_SAMPLES = 8;
/** A probe keeps its thread when the rate rose by this factor over the rate before it. */
const PROBE_GAIN = 1.05;
/** Samples with calls answered before the first probe: the rate to compare with. */
const PROBE_BASE_SAMPLES = 3;
/** Wait after a probe that did not pay before the next (doubled after each, up to the max). */
const PROBE_BACKOFF: BackoffBounds = { initial: 5_000, max: 60_000 };

/** One more thread on trial. */
interface Probe {
  threads: number;
  /** Calls answered per ms before the probe. */
  baseline: number;
  samples: number;
  calls: number;
  ms: number;
}

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);

/**
 * How busy the main thread was since the last sample (0-1): its CPU time where Node has
 * `process.threadCpuUsage` (22 and up), else its event-loop utilisation. (On Node 24, reading the
 * event-loop utilisation four times a second slowed a trivial tool at 64 in flight to a third,
 * measured here; the CPU time costs nothing visible.)
 */
export class MainThreadLoad {
  #cpuMs = threadCpuUsage === undefined ? 0 : cpuMsOf(threadCpuUsage());
  #at = performance.now();
  #loop = threadCpuUsage === undefined ? performance.eventLoopUtilization() : undefined;

  sample(): number {
    const now = performance.now();
    const elapsed = now - this.#at;
    this.#at = now;
    if (threadCpuUsage === undefined) {
      const busy = performance.eventLoopUtilization(this.#loop).utilization;
      this.#loop = performance.eventLoopUtilization();
      return busy;
    }
    const cpuMs = cpuMsOf(threadCpuUsage());
    const busy = elapsed > 0 ? (cpuMs - this.#cpuMs) / elapsed : 0;
    this.#cpuMs = cpuMs;
    return busy;
  }
}

function cpuMsOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** The thread count a pool should have, from samples of its threads' utilisation. */
export class ThreadScaling {
  /** Threads' worth of busy time per unit of time, smoothed (1.5 = one and a half threads busy). */
  #busyThreads = 0;
  /** The main thread's load (0-1), smoothed as the threads' is: one short window proves nothing. */
  #mainBusy: number | undefined;
  #lowSince: number | undefined;
  /** Calls answered per ms, smoothed, and the samples with calls it is made of. */
  #rate = 0;
  #rateSamples = 0;
  #probe: Probe | undefined;
  #nextProbeAt = 0;
  /** Probes in a row that did not pay: what the wait before the next grows with. */
  #failedProbes = 0;
  /** A probe failed: the count to go back to, held until the pool is there. */
  #retreatTo: number | undefined;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly idleTimeoutMs: number,
  ) {}

  /** The smoothed utilisation, in threads. */
  get busyThreads(): number {
    return this.#busyThreads;
  }

  /**
   * Takes a sample (`busyMs` of all threads together over the last `elapsedMs`) and returns the
   * thread count to have now: `threads` (no change), one more, or fewer.
   * `waiting`: calls are waiting for a thread (queued, or a frame behind a running one);
   * `mainBusy`: the main thread's load over the same time (0-1); `calls`: calls answered in it;
   * `concurrent`: more than one call is in flight (else another thread cannot help).
   *
   * Utilisation alone cannot tell when a thread more pays off for calls the threads spend little
   * time on (a trivial tool at 64 in flight: the threads wait for the main thread, and one more
   * thread measured from 0.6x to 1.7x of one, by Node version and run). So while calls are in
   * flight together and the pool is below `max`, it also probes: one more thread on trial for {@link PROBE_SAMPLES}
   * samples, kept if the rate of answered calls rose by {@link PROBE_GAIN}, else given back, and
   * the next probe waits longer (5 s, doubling up to 60 s).
   */
  sample(now: number, busyMs: number, elapsedMs: number, threads: number, waiting: boolean, mainBusy = 0, calls = 0, concurrent = waiting): number {
    const rate = elapsedMs > 0 ? calls / elapsedMs : 0;
    if (calls > 0) {
      this.#rate = this.#rateSamples === 0 ? rate : this.#rate * (1 - SMOOTHING) + rate * SMOOTHING;
      this.#rateSamples++;
    }
    const probed = this.#followProbe(now, threads, calls, elapsedMs);
    if (probed !== undefined) return probed;
    const busy = elapsedMs > 0 ? busyMs / elapsedMs : 0;
    this.#busyThreads = this.#busyThreads * (1 - SMOOTHING) + busy * SMOOTHING;
    const used = this.#busyThreads;
    this.#mainBusy = this.#mainBusy === undefined ? mainBusy : this.#mainBusy * (1 - SMOOTHING) + mainBusy * SMOOTHING;
    if (waiting && threads < this.max && used >= threads * GROW_AT && this.#mainBusy < MAIN_SATURATED) {
      this.#lowSince = undefined;
      return threads + 1;
    }
    if (concurrent && threads < this.max && now >= this.#nextProbeAt && this.#rateSamples >= PROBE_BASE_SAMPLES && this.#rate > 0) {
      this.#probe = { threads: threads + 1, baseline: this.#rate, samples: 0, calls: 0, ms: 0 };
      this.#lowSince = undefined;
      return threads + 1;
    }
    if (threads <= this.min || used > (threads - 1) * LOW_USE_AT) {
      this.#lowSince = undefined;
      return threads;
    }
    this.#lowSince ??= now;
    if (now - this.#lowSince < this.idleTimeoutMs) return threads;
    this.#lowSince = undefined;
    return Math.max(this.min, Math.ceil(used / GROW_AT));
  }

  /** While a probe runs or a failed one is undone: the thread count to have; else undefined. */
  #followProbe(now: number, threads: number, calls: number, elapsedMs: number): number | undefined {
    if (this.#retreatTo !== undefined) {
      if (threads > this.#retreatTo) return this.#retreatTo;
      this.#retreatTo = undefined;
    }
    const probe = this.#probe;
    if (probe === undefined) return undefined;
    if (threads !== probe.threads && probe.samples > 0) {
      // The pool changed under the probe (a thread died, a restart): no verdict.
      this.#probe = undefined;
      return undefined;
    }
    probe.samples++;
    if (probe.samples > PROBE_SETTLE) {
      probe.calls += calls;
      probe.ms += elapsedMs;
    }
    if (probe.samples < PROBE_SAMPLES) return probe.threads;
    this.#probe = undefined;
    const rate = probe.ms > 0 ? probe.calls / probe.ms : 0;
    if (rate >= probe.baseline * PROBE_GAIN) {
      // It paid: keep the thread; the next probe (one more again) may come soon.
      this.#failedProbes = 0;
      this.#nextProbeAt = now + PROBE_SAMPLES * SAMPLE_MS;
      this.#rate = rate;
      return probe.threads;
    }
    this.#nextProbeAt = now + backoffDelay(PROBE_BACKOFF, this.#failedProbes);
    this.#failedProbes++;
    this.#retreatTo = probe.threads - 1;
    return this.#retreatTo;
  }
}
