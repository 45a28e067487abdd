/**
 * @module bench/main-meter
 * What a stretch of benchmark cost the main thread and the process, per call: the main thread's
 * event-loop active time (which counts time the thread was descheduled, so it reads high on a
 * loaded machine), its own CPU time where Node has `process.threadCpuUsage` (22 and up), the
 * whole process's CPU time (every thread), and the process's RSS at the end.
 */
import { performance } from 'node:perf_hooks';

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);

/** Per-call costs of a measured stretch. */
export interface CallCosts {
  /** Main thread's event-loop active time per call (µs). */
  mainUsPerCall: number;
  /** Main thread's CPU time per call (µs); undefined before Node 22. */
  mainCpuUsPerCall: number | undefined;
  /** The process's CPU time (all threads) per call (µs). */
  processCpuUsPerCall: number;
  /** Resident set size at the end (MB). */
  rssMb: number;
}

/** Starts measuring; call the returned function with the calls made to get their costs. */
export function startMeter(): (calls: number) => CallCosts {
  const elu = performance.eventLoopUtilization();
  const thread = threadCpuUsage?.();
  const processCpu = process.cpuUsage();
  return (calls) => {
    const active = performance.eventLoopUtilization(elu).active;
    const threadNow = threadCpuUsage?.();
    const processNow = process.cpuUsage(processCpu);
    return {
      mainUsPerCall: (active * 1000) / calls,
      mainCpuUsPerCall: thread && threadNow ? (threadNow.user + threadNow.system - thread.user - thread.system) / calls : undefined,
      processCpuUsPerCall: (processNow.user + processNow.system) / calls,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
    };
  };
}
