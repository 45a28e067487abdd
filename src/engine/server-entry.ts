/**
 * @module engine/server-entry
 * What the manager keeps for each deployed server, and the reports read from it: the counters
 * health and metrics share, a server's health, and the metrics of every server.
 */
import type { ServerActor } from '../servers/actor.js';
import type { ServerHealth } from '../api/manager-types.js';
import type { Metrics, ServerMetrics, ServerStats, ToolMetrics } from '../metrics/server-stats.js';
import type { ServerGuards } from '../resilience/guards.js';
import type { HealthProbe } from '../resilience/health-probe.js';

/** A deployed server: its actor, its counters and its guards. Every call's `target` is one. */
export interface ServerEntry {
  readonly name: string;
  readonly actor: ServerActor;
  readonly stats: ServerStats;
  readonly timeoutMs: number | undefined;
  readonly guards: ServerGuards;
  readonly probe: HealthProbe | undefined;
}

/** The counters health and metrics both report for a server. */
function countersOf({ actor, stats }: ServerEntry): Omit<ServerMetrics, 'latencyMs' | 'tools' | 'circuit'> {
  return {
    calls: stats.calls,
    errors: stats.errors,
    timeouts: stats.timeouts,
    inFlight: stats.admitted - actor.queued,
    queued: stats.waiting + actor.queued,
    restarts: actor.restarts,
    threads: actor.threads,
  };
}

/** The health of one server, as `getServerHealth` reports it. */
export function healthOf(entry: ServerEntry): ServerHealth {
  const { actor, stats } = entry;
  const circuit = entry.guards.breaker?.state ?? 'closed';
  const lastProbe = entry.probe?.last;
  const health: ServerHealth = {
    id: actor.id,
    name: actor.name,
    type: actor.type,
    // A server that serves but whose circuit is not closed, or whose last probe failed, is degraded.
    state: actor.state === 'healthy' && (circuit !== 'closed' || lastProbe?.ok === false) ? 'degraded' : actor.state,
    ...countersOf(entry),
    uptimeMs: Date.now() - stats.startedAt,
    circuit,
  };
  if (actor.lastError !== undefined) health.lastError = actor.lastError;
  if (lastProbe !== undefined) health.lastProbe = lastProbe;
  return health;
}

/** Counters and latency percentiles of `entries`, overall and per server and tool, as `getMetrics` reports them. */
export function metricsOf(entries: Iterable<ServerEntry>, inFlight: number, uptimeMs: number): Metrics {
  const servers: Record<string, ServerMetrics> = {};
  let calls = 0;
  let errors = 0;
  let queued = 0;
  for (const entry of entries) {
    const tools: Record<string, ToolMetrics> = {};
    for (const tool of entry.stats.tools) {
      tools[tool.name] = { calls: tool.calls, errors: tool.errors, toolErrors: tool.toolErrors, failures: Object.fromEntries(tool.failures), latencyMs: tool.latency.summary() };
    }
    const counters = countersOf(entry);
    servers[entry.name] = { ...counters, circuit: entry.guards.breaker?.state ?? 'closed', latencyMs: entry.stats.latency(), tools };
    calls += counters.calls;
    errors += counters.errors;
    queued += counters.queued;
  }
  return { uptimeMs, calls, errors, inFlight, queued, servers };
}
