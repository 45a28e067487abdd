/**
 * @module metrics/server-stats
 * Counters and latency histograms of one server and its tools, kept by the manager as calls
 * are answered, and the snapshot shapes `getMetrics()` returns. (Admission keeps its own
 * counters, on the server entry.)
 */
import type { CircuitState } from '../api/server-types.js';
import { LatencyHistogram, type LatencySummary } from './histogram.js';

/** Counters and latency of one tool. */
export class ToolStats {
  calls = 0;
  errors = 0;
  /** Results with `isError: true` (tool errors; they count in `errors` too). */
  toolErrors = 0;
  /** Engine failures by code (they count in `errors` too). */
  readonly failures = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  constructor(public name: string) {}
}

/** Counters of one server; `tools[i]` is the server's tool with index `i`. */
export class ServerStats {
  calls = 0;
  errors = 0;
  timeouts = 0;
  readonly startedAt = Date.now();
  readonly tools: ToolStats[];

  constructor(toolNames: string[]) {
    this.tools = toolNames.map((name) => new ToolStats(name));
  }

  /**
   * The stats of the tool with index `index`, made on first use: an external server may add
   * tools after deployment (`notifications/tools/list_changed`), with new indices.
   */
  tool(index: number, name: string): ToolStats {
    const tools = this.tools;
    while (tools.length <= index) tools.push(new ToolStats(''));
    const stats = tools[index]!;
    if (stats.name === '') stats.name = name;
    return stats;
  }

  /** Latency over every tool of the server. */
  latency(): LatencySummary {
    const merged = new LatencyHistogram();
    for (const tool of this.tools) merged.add(tool.latency);
    return merged.summary();
  }
}

/** Metrics of one tool, as `getMetrics()` reports them. */
export interface ToolMetrics {
  calls: number;
  /** Engine failures and tool errors (`isError: true`). */
  errors: number;
  /** Tool errors (results with `isError: true`). */
  toolErrors: number;
  /** Engine failures by error code. */
  failures: Record<string, number>;
  latencyMs: LatencySummary;
}

/** Metrics of one server, as `getMetrics()` reports them. */
export interface ServerMetrics {
  /** Circuit breaker state. */
  circuit: CircuitState;
  calls: number;
  errors: number;
  timeouts: number;
  inFlight: number;
  queued: number;
  restarts: number;
  threads: number;
  latencyMs: LatencySummary;
  tools: Record<string, ToolMetrics>;
}

/** What `getMetrics()` returns. */
export interface Metrics {
  uptimeMs: number;
  calls: number;
  errors: number;
  inFlight: number;
  queued: number;
  servers: Record<string, ServerMetrics>;
}
