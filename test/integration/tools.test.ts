import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, type LogRecord, type ProgressUpdate } from 'mcpool';
import { exampleModule, fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

async function deploy(): Promise<McpManager> {
  manager = new McpManager();
  await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2 });
  await manager.deployServer({ name: 'math', type: 'worker', module: exampleModule('math'), threads: 1 });
  return manager;
}

describe('what a handler returns becomes an MCP CallToolResult', () => {
  it('a string becomes one text block', async () => {
    const m = await deploy();
    expect(await m.executeTool('faulty', 'text', { text: 'hello' })).toEqual({ content: [{ type: 'text', text: 'hello' }] });
  });

  it('an object with a content array passes through unchanged', async () => {
    const m = await deploy();
    expect(await m.executeTool('faulty', 'passthrough', {})).toEqual({ content: [{ type: 'text', text: 'raw' }], isError: false });
  });

  it('a thrown error becomes a tool error result, not a rejection', async () => {
    const m = await deploy();
    expect(await m.executeTool('faulty', 'throws', { message: 'bad input' })).toEqual({ isError: true, content: [{ type: 'text', text: 'bad input' }] });
    expect(await m.executeTool('faulty', 'rejects', { message: 'async bad' })).toEqual({ isError: true, content: [{ type: 'text', text: 'async bad' }] });
    expect(m.getServerHealth('faulty').errors).toBe(2);
  });

  it('a result that fails its output schema rejects with INVALID_RESULT', async () => {
    const m = await deploy();
    await expect(m.executeTool('faulty', 'bad_output', {})).rejects.toMatchObject({ code: ErrorCode.INVALID_RESULT });
  });

  it('a result that cannot cross threads fails alone with INVALID_RESULT', async () => {
    const m = await deploy();
    const [bad, good] = await Promise.allSettled([m.executeTool('faulty', 'unencodable', {}), m.executeTool('faulty', 'echo', { value: 'fine' })]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.INVALID_RESULT } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { structuredContent: { value: 'fine' } } });
  });

  it('a megabyte result arrives intact', async () => {
    const m = await deploy();
    const result = await m.executeTool('faulty', 'big', { bytes: 1_000_000 });
    expect((result.structuredContent as { data: string }).data).toHaveLength(1_000_000);
  });

  it('values of many types survive the round trip through the worker', async () => {
    const m = await deploy();
    const value = { n: 1.5, s: 'ü ☃', list: [1, 'two', null, { deep: true }], empty: {}, neg: -7, big: 2 ** 40 };
    expect((await m.executeTool('faulty', 'echo', { value })).structuredContent).toEqual({ value });
  });
});

describe('the handler context', () => {
  it('ctx.progress reaches onProgress before the call resolves', async () => {
    const m = await deploy();
    const updates: ProgressUpdate[] = [];
    await m.executeTool('faulty', 'progress', { steps: 3 }, { onProgress: (update) => updates.push(update) });
    expect(updates).toEqual([1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step}` })));
  });

  it('ctx.log is published as a log event of the manager before the call resolves', async () => {
    const m = await deploy();
    const records: LogRecord[] = [];
    m.on('log', (record) => records.push(record));
    await m.executeTool('faulty', 'log', { message: 'hi' });
    expect(records).toEqual([{ server: 'faulty', tool: 'log', level: 'info', data: { message: 'hi' } }]);
  });

  it('ctx.callTool calls a tool of another server through the manager, errors keep their code', async () => {
    const m = await deploy();
    const result = await m.executeTool('faulty', 'call_other', { server: 'math', tool: 'add', args: { a: 20, b: 22 } });
    expect(result.structuredContent).toEqual({ inner: { sum: 42 } });
    expect((await m.executeTool('faulty', 'call_missing', {})).structuredContent).toEqual({ code: ErrorCode.SERVER_NOT_FOUND });
  });
});

describe('metrics and health', () => {
  it('getMetrics counts calls and errors per server and tool with latency percentiles', async () => {
    const m = await deploy();
    await m.executeBatch([
      ...Array.from({ length: 10 }, (_, i) => ({ server: 'math', tool: 'add', arguments: { a: i, b: i } })),
      { server: 'faulty', tool: 'throws', arguments: { message: 'x' } },
    ]);
    const metrics = m.getMetrics();
    expect(metrics).toMatchObject({ calls: 11, errors: 1, inFlight: 0, queued: 0 });
    expect(metrics.servers.math).toMatchObject({ calls: 10, errors: 0, timeouts: 0, tools: { add: { calls: 10, errors: 0 } } });
    const latency = metrics.servers.math!.latencyMs;
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p50).toBeLessThanOrEqual(latency.p90);
    expect(latency.p90).toBeLessThanOrEqual(latency.p99);
    expect(latency.p99).toBeLessThanOrEqual(latency.max);
    expect(metrics.servers.faulty!.tools.throws).toMatchObject({ calls: 1, errors: 1, toolErrors: 1, failures: {} });
  });

  it('getServerHealth answers by name and by id, and listServers lists each server', async () => {
    const m = await deploy();
    const [faulty] = m.listServers();
    expect(faulty).toMatchObject({ name: 'faulty', type: 'worker', state: 'healthy', threads: 2 });
    const byId = m.getServerHealth(faulty!.id);
    expect(byId).toMatchObject({ id: faulty!.id, name: 'faulty', state: 'healthy', circuit: 'closed', inFlight: 0, queued: 0, restarts: 0 });
    expect(byId.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(m.getServerHealth('faulty').id).toBe(faulty!.id);
  });

  it('listTools without a server lists every server\'s tools', async () => {
    const m = await deploy();
    const all = await m.listTools();
    expect(all.filter((entry) => entry.server === 'math').map((entry) => entry.tool.name)).toEqual(['add', 'count_primes']);
    expect(all.some((entry) => entry.server === 'faulty' && entry.tool.name === 'echo')).toBe(true);
  });
});

describe('life cycle', () => {
  it('await using shuts the manager down at the end of the scope', async () => {
    let escaped: McpManager | undefined;
    {
      await using scoped = new McpManager();
      await scoped.deployServer({ name: 'math', type: 'worker', module: exampleModule('math'), threads: 1 });
      escaped = scoped;
    }
    await expect(escaped.executeTool('math', 'add', { a: 1, b: 1 })).rejects.toMatchObject({ code: ErrorCode.SHUTTING_DOWN });
  });

  it('a server module can be given as a file: URL', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'math', type: 'worker', module: new URL(`file://${exampleModule('math')}`) });
    expect((await manager.executeTool('math', 'add', { a: 1, b: 2 })).structuredContent).toEqual({ sum: 3 });
  });
});

describe('arguments that cannot cross a thread', () => {
  it('fail alone with INVALID_ARGUMENTS, in small and large frames', async () => {
    const m = await deploy();
    const bad = m.executeTool('faulty', 'echo', { value: Symbol('no') });
    const good = m.executeTool('faulty', 'echo', { value: 1 });
    await expect(bad).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS });
    expect((await good).structuredContent).toEqual({ value: 1 });
    const calls = Array.from({ length: 40 }, (_, i) => ({ server: 'faulty', tool: 'echo', arguments: { value: i === 7 ? Symbol('no') : i } }));
    const results = await m.executeBatch(calls);
    results.forEach((result, i) => {
      if (i === 7) expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_ARGUMENTS } });
      else expect(result).toMatchObject({ ok: true, result: { structuredContent: { value: i } } });
    });
  });
});
