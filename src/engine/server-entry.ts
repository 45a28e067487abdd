/**
 * @module engine/server-entry
 * What the engine keeps for each deployed server (its actor, admission counters, metrics and
 * guards), and the reports read from it: a server's health and the metrics of every server.
 */
import type { ServerActor } from '../servers/actor.js';
import type { ServerConfig } from '../config/server-config.js';
import type { TaskSupport } from '../wire/mcp-types.js';
import type { ServerHealth } from '../api/manager-types.js';
import type { Call } from './call.js';
import type { Metrics, ServerMetrics, ServerStats, ToolMetrics } from '../metrics/server-stats.js';
import type { ServerGuards } from '../resilience/guards.js';
import type { HealthProbe } from '../resilience/health-probe.js';
import type { ToolFilter } from './tool-filter.js';

/** A call as the engine tracks it: its target is a server entry. */
export type EngineCall = Call<ServerEntry>;

/** A deployed server: its actor, its counters and its guards. Every call's `target` is one. */
export class ServerEntry {
  /** Calls admitted and not answered (queued in the actor or sent to the server). */
  admitted = 0;
  /** Calls waiting in the manager's queue for admission. */
  waiting = 0;
  /** Per tool index: its calls admitted and not answered (for its concurrency limit). */
  readonly toolAdmitted: number[] = [];

  constructor(
    readonly name: string,
    readonly actor: ServerActor,
    /** Counters and latency; read by `getMetrics()` and the Prometheus exporter. */
    readonly stats: ServerStats,
    readonly timeoutMs: number | undefined,
    readonly guards: ServerGuards,
    readonly probe: HealthProbe | undefined,
    /** The server's id: its first actor's, kept across reloads. */
    readonly id: string,
    /** The config it was deployed (or last reloaded) with, as given. */
    readonly config: ServerConfig,
    /** The config's `toolFilter`, or undefined when it hides nothing. */
    readonly filter: ToolFilter | undefined = undefined,
    /** The config's per-tool `taskSupport` overrides, or undefined when none. */
    readonly taskSupport: ReadonlyMap<string, TaskSupport> | undefined = undefined,
  ) {}
}

/** The counters health and metrics both report for a server. */
function countersOf(entry: ServerEntry): Omit<ServerMetrics, 'latencyMs' | 'tools' | 'circuit'> {
  const { actor, stats } = entry;
  return {
    calls: stats.calls,
    errors: stats.errors,
    timeouts: stats.timeouts,
    inFlight: entry.admitted - actor.queued,
    queued: entry.waiting + actor.queued,
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
    id: entry.id,
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
  if (actor.nodes !== undefined) health.nodes = actor.nodes();
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
      // A slot made only to reach a later index (a plugin's request past its tools) has no calls and no name.
      if (tool.name === '') continue;
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
