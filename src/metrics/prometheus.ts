/**
 * @module metrics/prometheus
 * The manager's metrics in the Prometheus text format (prom-client's registry and formatter).
 * Every value is read from the manager's own counters at scrape time, so `/metrics` and
 * `getMetrics()` always show the same numbers and the call path records nothing twice.
 */
import { Registry } from 'prom-client';
import type { Manager } from '../engine/manager.js';
import type { ServerSnapshot } from '../engine/registry.js';

/** Upper bounds (seconds) of the latency histogram buckets. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Labels = Record<string, string | number>;
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

/** A metric whose samples are computed at scrape time (prom-client's custom metric shape). */
function collected(registry: Registry, name: string, help: string, type: 'counter' | 'gauge' | 'histogram', samples: (servers: ServerSnapshot[]) => Sample[], manager: Manager): void {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: () => Promise.resolve({ name, help, type, aggregator: 'sum', values: samples(manager.registry.snapshots()) }),
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}

const circuitValue = { closed: 0, 'half-open': 1, open: 2 } as const;
const states = ['starting', 'healthy', 'degraded', 'unhealthy', 'stopped'] as const;

/** The tools with stats (a slot made only to reach a later index has no name and no calls). */
function named<T extends { name: string }>(tools: readonly T[]): T[] {
  return tools.filter((tool) => tool.name !== '');
}

/** A prom-client registry that exposes a manager's metrics. `registry.metrics()` renders them. */
export function createPrometheusRegistry(manager: Manager): Registry {
  const registry = new Registry();
  collected(
    registry,
    'mcpool_calls_total',
    'Tool calls answered, by server, tool and outcome (ok, tool_error, or the engine error code).',
    'counter',
    (servers) =>
      servers.flatMap(({ name, stats }) =>
        named(stats.tools).flatMap((tool) => [
          { labels: { server: name, tool: tool.name, outcome: 'ok' }, value: tool.calls - tool.errors },
          { labels: { server: name, tool: tool.name, outcome: 'tool_error' }, value: tool.toolErrors },
          ...[...tool.failures].map(([code, value]) => ({ labels: { server: name, tool: tool.name, outcome: code }, value })),
        ]),
      ),
    manager,
  );
  collected(
    registry,
    'mcpool_call_duration_seconds',
    'Time from submission to answer of tool calls, by server and tool.',
    'histogram',
    (servers) =>
      servers.flatMap(({ name, stats }) =>
        named(stats.tools).flatMap((tool) => {
          const labels = { server: name, tool: tool.name };
          const histogram = tool.latency;
          return [
            ...LATENCY_BUCKETS.map((le) => ({ metricName: 'mcpool_call_duration_seconds_bucket', labels: { ...labels, le }, value: histogram.countAtMost(le * 1000) })),
            { metricName: 'mcpool_call_duration_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: histogram.count },
            { metricName: 'mcpool_call_duration_seconds_sum', labels, value: histogram.sumMs / 1000 },
            { metricName: 'mcpool_call_duration_seconds_count', labels, value: histogram.count },
          ];
        }),
      ),
    manager,
  );
  const perServer = (name: string, help: string, type: 'counter' | 'gauge', value: (server: ServerSnapshot) => number): void =>
    collected(registry, name, help, type, (servers) => servers.map((server) => ({ labels: { server: server.name }, value: value(server) })), manager);
  perServer('mcpool_calls_in_flight', 'Calls sent to the server and not answered.', 'gauge', ({ admitted, actor }) => admitted - actor.queued);
  perServer('mcpool_calls_queued', "Calls waiting: in the manager's queue or the server's.", 'gauge', ({ waiting, actor }) => waiting + actor.queued);
  perServer('mcpool_server_restarts_total', 'Threads, child processes or connections of the server that died or were replaced.', 'counter', ({ actor }) => actor.restarts);
  perServer('mcpool_server_threads', 'Threads (worker servers) or connections (external servers) serving now.', 'gauge', ({ actor }) => actor.threads);
  perServer('mcpool_circuit_state', 'Circuit breaker state: 0 closed, 1 half-open, 2 open.', 'gauge', ({ guards }) => circuitValue[guards.breaker?.state ?? 'closed']);
  perServer('mcpool_circuit_opened_total', 'Times the circuit breaker opened.', 'counter', ({ guards }) => guards.breaker?.opened ?? 0);
  collected(
    registry,
    'mcpool_server_state',
    'Life-cycle state of each server: 1 for its current state.',
    'gauge',
    (servers) =>
      servers.flatMap(({ name }) => {
        const current = manager.getServerHealth(name).state;
        return states.map((state) => ({ labels: { server: name, state }, value: current === state ? 1 : 0 }));
      }),
    manager,
  );
  return registry;
}
