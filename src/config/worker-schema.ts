/**
 * @module config/worker-schema
 * A worker server's config (`type: 'worker'`, a JavaScript module run on a pool of worker
 * threads): its schema, the input and resolved types, and `resolveWorkerConfig`.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { resilienceOf, resilienceShape, type ResilienceConfig } from './resilience-schema.js';
import { moduleUrlOf, nonNegativeInt, parseOrThrow, positiveInt, serverNameSchema, threadsSchema } from './schemas.js';

/** A worker server's config, as given to `deployServer`. */
export const workerServerConfigSchema = z.strictObject({
  name: serverNameSchema,
  type: z.literal('worker'),
  /** Path (relative to the current directory) or `file:` URL of the server module. */
  module: z.union([z.string().min(1), z.instanceof(URL)]),
  /** Threads, or `{ min, max }`. @default os.availableParallelism() */
  threads: threadsSchema.optional(),
  /** Per-call timeout for this server. @default the manager's defaultTimeoutMs */
  timeoutMs: nonNegativeInt.optional(),
  /** Admitted calls beyond one per thread; past it calls reject with `OVERLOADED`. @default unbounded */
  maxQueue: nonNegativeInt.optional(),
  /** Heap limit of each thread, in MB; a thread past it dies and its call fails `WORKER_CRASHED`. */
  memoryLimitMb: positiveInt.optional(),
  ...resilienceShape,
});

/** A worker server's config as users write it. */
export type WorkerServerInput = z.input<typeof workerServerConfigSchema>;

/** A worker server's config, resolved. */
export interface WorkerServerConfig {
  name: string;
  type: 'worker';
  moduleUrl: string;
  /** A fixed count, or a pool that follows the load (`idleTimeoutMs`: low use before it shrinks back to `min`). */
  threads: number | { min: number; max: number; idleTimeoutMs?: number | undefined };
  timeoutMs: number | undefined;
  maxQueue: number | undefined;
  memoryLimitMb: number | undefined;
  resilience: ResilienceConfig;
}

/** Validates a worker server's config. */
export function resolveWorkerConfig(config: unknown): WorkerServerConfig {
  const input = parseOrThrow(workerServerConfigSchema, config, 'server config');
  return {
    name: input.name,
    type: 'worker',
    moduleUrl: moduleUrlOf(input.module),
    threads: input.threads ?? availableParallelism(),
    timeoutMs: input.timeoutMs,
    maxQueue: input.maxQueue,
    memoryLimitMb: input.memoryLimitMb,
    resilience: resilienceOf(input),
  };
}
