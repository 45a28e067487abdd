/**
 * @module workers/busy-clock
 * How busy this thread is, published to the manager in shared memory: the thread's own CPU time
 * where Node has `process.threadCpuUsage` (22 and up), else its event loop's active time less
 * the time it spent blocked waiting for frames (Node 20). The manager grows and shrinks a pool
 * from these (see `thread-scaling`), not from the wall time of frames, which a cold thread's
 * first frames and a loaded machine's descheduling both inflate.
 */
import { performance } from 'node:perf_hooks';

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);

/** This thread's busy time (ms), written where the manager reads it. */
export class BusyClock {
  readonly #table: Float64Array;
  /** Time blocked in `Atomics.wait` (ms): idle, though the event loop counts it active. */
  #blockedMs = 0;
  #blockedAt = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#table = new Float64Array(buffer);
  }

  /** Publishes the busy time so far (once per frame or wake-up: a CPU-time read is a system call). */
  publish(): void {
    if (threadCpuUsage !== undefined) {
      const usage = threadCpuUsage();
      this.#table[0] = (usage.user + usage.system) / 1000;
    } else {
      this.#table[0] = performance.eventLoopUtilization().active - this.#blockedMs;
    }
  }

  /** The thread is about to block waiting. */
  blocking(): void {
    if (threadCpuUsage === undefined) this.#blockedAt = performance.now();
  }

  /** The thread woke up from a wait. */
  woke(): void {
    if (threadCpuUsage === undefined) this.#blockedMs += performance.now() - this.#blockedAt;
  }
}
