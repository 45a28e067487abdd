/**
 * @module config/resilience-schema
 * The resilience options every kind of server accepts (README, "Reliability"): circuit breaker,
 * restart policy, health probe, concurrency and rate limits per server and per tool, and the
 * tool filter. Spread into each server config schema; `resilienceOf` picks them out resolved.
 */
import { z } from 'zod';
import type { TaskSupport } from '../wire/mcp-types.js';
import { nonNegativeInt, positiveInt } from './schemas.js';

const rateLimitSchema = z.strictObject({ perSecond: z.number().positive(), burst: positiveInt.optional() });

/** Per-tool limits of a server. */
const toolLimitsSchema = z.strictObject({
  maxConcurrency: positiveInt.optional(),
  rateLimit: rateLimitSchema.optional(),
  timeoutMs: nonNegativeInt.optional(),
  /** Whether the gateway may run the tool's calls as tasks; overrides what the tool declares. */
  taskSupport: z.enum(['forbidden', 'optional', 'required']).optional(),
});

/** `{ allow, deny }`: globs over a server's own tool names (src/engine/tool-filter.ts). */
export const toolFilterSchema = z.strictObject({ allow: z.array(z.string().min(1)).optional(), deny: z.array(z.string().min(1)).optional() });

/**
 * Resilience options every kind of server accepts (README, "Reliability"), with their defaults: a circuit
 * breaker (on unless `false`), restart intensity and backoff, and concurrency and rate limits
 * per server and per tool. Spread into each server config schema.
 */
export const resilienceShape = {
  circuitBreaker: z
    .union([z.literal(false), z.strictObject({ failureThreshold: positiveInt.default(5), resetTimeoutMs: positiveInt.default(10_000) })])
    .default({ failureThreshold: 5, resetTimeoutMs: 10_000 }),
  restart: z
    .strictObject({
      maxRestarts: nonNegativeInt.default(5),
      withinMs: positiveInt.default(60_000),
      backoffMs: z.strictObject({ initial: nonNegativeInt.default(100), max: nonNegativeInt.default(10_000) }).default({ initial: 100, max: 10_000 }),
    })
    .default({ maxRestarts: 5, withinMs: 60_000, backoffMs: { initial: 100, max: 10_000 } }),
  /** Periodic probe (a ping); a failing probe marks the server degraded. `false` turns it off. */
  healthCheck: z
    .union([z.literal(false), z.strictObject({ intervalMs: positiveInt.default(15_000), timeoutMs: positiveInt.default(5_000) })])
    .default({ intervalMs: 15_000, timeoutMs: 5_000 }),
  /** Calls running at once on this server; more are refused with `OVERLOADED`. */
  maxConcurrency: positiveInt.optional(),
  /** Calls per second to this server; more are refused with `OVERLOADED`. */
  rateLimit: rateLimitSchema.optional(),
  /** Limits and timeouts per tool. */
  tools: z.record(z.string(), toolLimitsSchema).optional(),
  /**
   * Globs over the server's own tool names: only tools some `allow` glob matches (every tool when
   * absent) and no `deny` glob matches are listed and callable; others are `TOOL_NOT_FOUND`.
   * Here with the resilience options because every server kind takes it the same way.
   */
  toolFilter: toolFilterSchema.optional(),
};

/** Resilience options, resolved with their defaults. */
export interface ResilienceConfig {
  circuitBreaker: false | { failureThreshold: number; resetTimeoutMs: number };
  healthCheck: false | { intervalMs: number; timeoutMs: number };
  restart: { maxRestarts: number; withinMs: number; backoffMs: { initial: number; max: number } };
  maxConcurrency: number | undefined;
  rateLimit: { perSecond: number; burst?: number | undefined } | undefined;
  tools: Record<string, { maxConcurrency?: number | undefined; rateLimit?: { perSecond: number; burst?: number | undefined } | undefined; timeoutMs?: number | undefined; taskSupport?: TaskSupport | undefined }>;
  toolFilter: { allow?: string[] | undefined; deny?: string[] | undefined } | undefined;
}

/** The restart policy of a server, resolved. */
export type RestartPolicy = ResilienceConfig['restart'];

/** Picks the resilience options out of a parsed server config. */
export function resilienceOf(parsed: z.output<z.ZodObject<typeof resilienceShape>>): ResilienceConfig {
  return {
    circuitBreaker: parsed.circuitBreaker,
    healthCheck: parsed.healthCheck,
    restart: parsed.restart,
    maxConcurrency: parsed.maxConcurrency,
    rateLimit: parsed.rateLimit,
    tools: parsed.tools ?? {},
    toolFilter: parsed.toolFilter,
  };
}
