/**
 * @module servers/worker/thread-pool
 * The piscina pool behind one worker server: its options (one session per thread, how long an
 * unused thread lives, memory limits, the threads' Node options) in one place.
 */
import { Piscina } from 'piscina';
import type { WorkerServerConfig } from '../../config/worker-schema.js';
import type { ThreadData } from '../../wire/protocol.js';
import { threadExecArgv } from './thread-exec-argv.js';
import { SAMPLE_MS } from './thread-scaling.js';

/** What the pool of a server is made from. */
export interface ThreadPoolOptions {
  /** The threads' entry module. */
  entry: URL;
  minThreads: number;
  maxThreads: number;
  /** The pool follows the load (`threads: { min, max }`): unused threads end soon. */
  scaling: boolean;
  workerData: ThreadData;
  memoryLimitMb: WorkerServerConfig['memoryLimitMb'];
}

/** Makes the piscina pool of a worker server. */
export function createThreadPool(options: ThreadPoolOptions): Piscina {
  const { memoryLimitMb } = options;
  return new Piscina({
    filename: options.entry.href,
    minThreads: options.minThreads,
    maxThreads: options.maxThreads,
    // One session per thread: piscina then gives each session its own thread.
    concurrentTasksPerWorker: 1,
    // A thread whose session the scaling closed ends soon after; piscina keeps `min` of them.
    idleTimeout: options.scaling ? 4 * SAMPLE_MS : Infinity,
    recordTiming: false,
    workerData: options.workerData,
    // Server modules import 'mcpool'; in a thread that resolves to the authoring entry only
    // (src/thread-api.ts), not the whole library.
    execArgv: threadExecArgv(),
    ...(memoryLimitMb === undefined
      ? {}
      : { resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, memoryLimitMb / 8)) } }),
  });
}
