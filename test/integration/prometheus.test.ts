import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ErrorCode, McpManager, createPrometheusRegistry, startGateway } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('Prometheus metrics', () => {
  it('render in the exposition format with the same numbers as getMetrics()', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2 });
    await manager.executeBatch([
      ...Array.from({ length: 20 }, (_, i) => ({ server: 'faulty', tool: 'echo', arguments: { value: i } })),
      { server: 'faulty', tool: 'throws', arguments: { message: 'tool error' } },
      { server: 'faulty', tool: 'throws', arguments: { message: 7 } },
    ]);
    await manager.executeTool('faulty', 'sleep', { ms: 1_000 }, { timeoutMs: 10 }).catch(() => undefined);
    const text = await createPrometheusRegistry(manager).metrics();
    const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));

    const calls = families.get('mcpool_calls_total')!;
    expect(calls.type).toBe('COUNTER');
    const count = (tool: string, outcome: string): number =>
      Number(calls.metrics.find((m) => m.labels?.tool === tool && m.labels.outcome === outcome)?.value ?? 0);
    expect(count('echo', 'ok')).toBe(20);
    expect(count('throws', 'tool_error')).toBe(1);
    expect(count('throws', ErrorCode.INVALID_ARGUMENTS)).toBe(1);
    expect(count('sleep', ErrorCode.TIMEOUT)).toBe(1);

    const metrics = manager.getMetrics().servers.faulty!;
    const total = calls.metrics.reduce((sum, m) => sum + Number(m.value), 0);
    expect(total).toBe(metrics.calls);

    // parse-prometheus-text-format drops the labels, _sum and _count of labelled histogram
    // series (a bug of that parser), so the histogram's lines are checked directly.
    expect(families.get('mcpool_call_duration_seconds')!.type).toBe('HISTOGRAM');
    const series = (suffix: string): [string, number][] =>
      [...text.matchAll(new RegExp(`^mcpool_call_duration_seconds_${suffix}\\{server="faulty",tool="echo"(?:,le="([^"]+)")?\\} (\\S+)$`, 'gm'))].map((m) => [m[1] ?? '', Number(m[2])]);
    const buckets = series('bucket');
    expect(buckets.at(-1)).toEqual(['+Inf', 20]);
    const counts = buckets.map(([, value]) => value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(series('count')).toEqual([['', 20]]);
    expect(series('sum')[0]![1]).toBeGreaterThan(0);

    const gauge = (name: string): number => Number(families.get(name)!.metrics[0]!.value);
    expect(gauge('mcpool_calls_in_flight')).toBe(0);
    expect(gauge('mcpool_server_threads')).toBe(2);
    expect(gauge('mcpool_circuit_state')).toBe(0);
    expect(families.get('mcpool_server_state')!.metrics.find((m) => m.labels?.state === 'healthy')?.value).toBe('1');
  });

  it('are served on /metrics of the HTTP gateway, behind its token, and count calls made through the gateway', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 1 });
    const gateway = await startGateway(manager, { http: { port: 0, token: 'secret' } });
    try {
      const url = gateway.url!;
      const client = new Client({ name: 'metrics-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: 'Bearer secret' } } }));
      await client.callTool({ name: 'faulty__echo', arguments: { value: 1 } });
      await client.close();
      const metricsUrl = new URL('/metrics', url);
      expect((await fetch(metricsUrl)).status).toBe(401);
      const response = await fetch(metricsUrl, { headers: { authorization: 'Bearer secret' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const families = parsePrometheusTextFormat(await response.text());
      const calls = families.find((family) => family.name === 'mcpool_calls_total')!;
      expect(calls.metrics.find((m) => m.labels?.tool === 'echo' && m.labels.outcome === 'ok')?.value).toBe('1');
    } finally {
      await gateway.close();
    }
  });
});
