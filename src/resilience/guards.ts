/**
 * @module resilience/guards
 * The admission guards of one server, built from its resilience options: the circuit breaker,
 * rate limits and concurrency limits, per server and per tool, and per-tool timeouts. The manager
 * consults them when a call arrives and tells them how it ended.
 */
import { ErrorCode } from '../errors/mcpool-error.js';
import type { ResilienceConfig } from '../config/resilience-schema.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { TokenBucket } from './token-bucket.js';

/** Engine failures that count against a server's circuit breaker (tool errors never do). */
const serverFailures = new Set<string>([ErrorCode.TIMEOUT, ErrorCode.WORKER_CRASHED, ErrorCode.TRANSPORT_ERROR, ErrorCode.SERVER_UNAVAILABLE]);

/** True when an error code is a failure of the server rather than of the call. */
export function isServerFailure(code: string): boolean {
  return serverFailures.has(code);
}

/** Why a guard refused a call, with the wait after which a retry may pass. */
export interface Refusal {
  code: typeof ErrorCode.CIRCUIT_OPEN | typeof ErrorCode.OVERLOADED;
  bound: string;
  retryAfterMs: number;
}

/** The guards of one server; `tools[i]` belong to the server's tool with index `i`. */
export class ServerGuards {
  readonly breaker: CircuitBreaker | undefined;
  readonly rate: TokenBucket | undefined;
  readonly maxConcurrency: number;
  readonly toolRates: (TokenBucket | undefined)[];
  readonly toolMaxConcurrency: number[];
  readonly toolTimeouts: (number | undefined)[];
  /** False when nothing but the breaker guards the server: the common, cheap case. */
  readonly limited: boolean;

  constructor(config: ResilienceConfig, toolNames: string[]) {
    this.breaker = config.circuitBreaker === false ? undefined : new CircuitBreaker(config.circuitBreaker);
    this.rate = config.rateLimit && new TokenBucket(config.rateLimit);
    this.maxConcurrency = config.maxConcurrency ?? Infinity;
    this.toolRates = toolNames.map((name) => {
      const limit = config.tools[name]?.rateLimit;
      return limit && new TokenBucket(limit);
    });
    this.toolMaxConcurrency = toolNames.map((name) => config.tools[name]?.maxConcurrency ?? Infinity);
    this.toolTimeouts = toolNames.map((name) => config.tools[name]?.timeoutMs);
    this.limited = this.rate !== undefined || this.maxConcurrency !== Infinity || this.toolRates.some(Boolean) || this.toolMaxConcurrency.some((max) => max !== Infinity);
  }

  /** Checks a call as it arrives (breaker, rate limits); undefined lets it through. */
  onArrival(toolIndex: number): Refusal | undefined {
    if (this.breaker !== undefined && !this.breaker.admit()) {
      return { code: ErrorCode.CIRCUIT_OPEN, bound: 'the circuit breaker', retryAfterMs: this.breaker.retryAfterMs };
    }
    if (!this.limited) return undefined;
    if (this.rate !== undefined && !this.rate.take()) return { code: ErrorCode.OVERLOADED, bound: 'the server rate limit (rateLimit)', retryAfterMs: this.rate.retryAfterMs };
    const toolRate = this.toolRates[toolIndex];
    if (toolRate !== undefined && !toolRate.take()) return { code: ErrorCode.OVERLOADED, bound: 'the tool rate limit (tools.*.rateLimit)', retryAfterMs: toolRate.retryAfterMs };
    return undefined;
  }

  /** Checks a call as it is admitted (concurrency limits), given the calls already admitted. */
  onAdmission(toolIndex: number, serverAdmitted: number, toolAdmitted: number): Refusal | undefined {
    if (!this.limited) return undefined;
    if (serverAdmitted >= this.maxConcurrency) return { code: ErrorCode.OVERLOADED, bound: 'the server concurrency limit (maxConcurrency)', retryAfterMs: 0 };
    if (toolAdmitted >= this.toolMaxConcurrency[toolIndex]!) return { code: ErrorCode.OVERLOADED, bound: 'the tool concurrency limit (tools.*.maxConcurrency)', retryAfterMs: 0 };
    return undefined;
  }

  /** Tells the breaker how an admitted call ended. */
  onAnswer(errorCode: string | undefined): void {
    if (this.breaker === undefined) return;
    if (errorCode !== undefined && isServerFailure(errorCode)) this.breaker.failure();
    else this.breaker.success();
  }
}
