/**
 * @module config/manager-options
 * The options of `new McpManager(options)` (also the config file's `manager` section), validated
 * once into a resolved object with defaults; a bad field rejects with `INVALID_CONFIG` naming it.
 */
import { z } from 'zod';
import { nonNegativeInt, parseOrThrow, positiveInt } from './schemas.js';

/** Options of `new McpManager(options)`. */
export const managerOptionsSchema = z.strictObject({
  /** Calls admitted over all servers at once; more wait in the manager's queue. @default 1024 */
  maxConcurrentOperations: positiveInt.default(1024),
  /** Calls waiting in that queue; past it calls reject with `OVERLOADED`. @default 100_000 */
  maxQueuedOperations: nonNegativeInt.default(100_000),
  /** Per-call timeout unless the call or the server sets one; 0 disables it. @default 30_000 */
  defaultTimeoutMs: nonNegativeInt.default(30_000),
  /** Time a server has to start or connect. @default 30_000 */
  connectionTimeoutMs: positiveInt.default(30_000),
  /** Record latency histograms (counters are always kept). @default true */
  enableMetrics: z.boolean().default(true),
});

/** Options accepted by `new McpManager(options)`. */
export type ManagerOptions = z.input<typeof managerOptionsSchema>;
/** Manager options with their defaults filled in. */
export type ResolvedManagerOptions = z.output<typeof managerOptionsSchema>;

/** Validates manager options. */
export function resolveManagerOptions(options: unknown): ResolvedManagerOptions {
  return parseOrThrow(managerOptionsSchema, options ?? {}, 'manager options');
}
