/**
 * Servers over NATS, in one process: a real nats-server on a free port, a node manager served
 * with `serveOverNats`, and a caller manager with a `type: 'nats'` server. Calls, batches,
 * errors, progress and logs across the hop, frames under max_payload, timeouts and aborts,
 * no node at all, and the config entry.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpManager, McpoolError, parseConfig, serveOverNats, type LogRecord, type NatsNode } from 'mcpool';
import { codeOf, fixtureModule } from '../support/helpers.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-server.js';

let nats: NatsServerProcess;
let nodeManager: McpManager;
let node: NatsNode;
const callers: McpManager[] = [];

async function caller(options: Record<string, unknown> = {}): Promise<McpManager> {
  const manager = new McpManager({ connectionTimeoutMs: 10_000 });
  callers.push(manager);
  await manager.deployServer({ name: 'remote', type: 'nats', url: nats.url, remoteName: 'tools', ...options });
  return manager;
}

beforeAll(async () => {
  nats = await startNatsServer();
  nodeManager = new McpManager();
  await nodeManager.deployServer({ name: 'tools', type: 'worker', module: fixtureModule('nats-tools'), threads: 2 });
  node = await serveOverNats(nodeManager, { url: nats.url, name: 'in-process' });
});

afterEach(async () => {
  await Promise.all(callers.splice(0).map((manager) => manager.shutdown()));
});

afterAll(async () => {
  await node?.close();
  await nodeManager?.shutdown();
  await nats?.stop();
});

describe('a server over NATS', () => {
  it('lists the remote tools and answers calls and batches', async () => {
    const manager = await caller();
    const tools = await manager.listTools('remote');
    expect(tools.map((tool) => tool.name)).toContain('add');
    expect(tools.find((tool) => tool.name === 'sleep_idempotent')?.annotations?.idempotentHint).toBe(true);

    const result = await manager.executeTool('remote', 'add', { a: 2, b: 3 });
    expect(result.structuredContent).toEqual({ sum: 5 });
    expect(result.content).toEqual([{ type: 'text', text: '{"sum":5}' }]);

    const calls = Array.from({ length: 3_000 }, (_, i) => ({ server: 'remote', tool: 'add', arguments: { a: i, b: 1 } }));
    const results = await manager.executeBatch(calls);
    results.forEach((answer, i) => {
      expect(answer.ok).toBe(true);
      if (answer.ok) expect(answer.result.structuredContent).toEqual({ sum: i + 1 });
    });

    const health = manager.getServerHealth('remote');
    expect(health.type).toBe('nats');
    expect(health.state).toBe('healthy');
    expect(health.calls).toBe(3_001);
    expect(health.nodes).toEqual([{ id: node.id, name: 'in-process', inFlight: 0, calls: 3_001, errors: 0 }]);
  });

  it("carries the node's engine errors with their codes, and tool errors as results", async () => {
    const manager = await caller();
    expect(await codeOf(manager.executeTool('remote', 'add', { a: 'x', b: 1 }))).toBe('INVALID_ARGUMENTS');
    expect(await codeOf(manager.executeTool('remote', 'nope', {}))).toBe('TOOL_NOT_FOUND');
    const [bad, good] = await manager.executeBatch([
      { server: 'remote', tool: 'add', arguments: { a: 1 } },
      { server: 'remote', tool: 'add', arguments: { a: 1, b: 1 } },
    ]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } });
    expect(good).toMatchObject({ ok: true });
  });

  it('passes progress and logs across the hop', async () => {
    const manager = await caller();
    const logs: LogRecord[] = [];
    manager.on('log', (record) => logs.push(record));
    const updates: unknown[] = [];
    const result = await manager.executeTool('remote', 'steps', { steps: 3 }, { onProgress: (update) => updates.push(update) });
    expect(result.structuredContent).toEqual({ steps: 3 });
    expect(updates).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
    await expect.poll(() => logs).toContainEqual({ server: 'remote', tool: 'steps', level: 'info', data: { done: 3 } });
  });

  it('splits frames over max_payload and fails alone a call too big for any message', async () => {
    const manager = await caller();
    const big = 'x'.repeat(300_000);
    const calls = Array.from({ length: 8 }, () => ({ server: 'remote', tool: 'echo', arguments: { value: big } }));
    calls.push({ server: 'remote', tool: 'echo', arguments: { value: 'y'.repeat(1_200_000) } });
    const results = await manager.executeBatch(calls);
    expect(results.slice(0, 8).every((answer) => answer.ok && (answer.result.structuredContent as { length: number }).length === 300_000)).toBe(true);
    expect(results[8]).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } });
    expect((results[8] as { error: { message: string } }).error.message).toContain('max_payload');
  });

  it('times out and aborts calls, and the node stops their work', async () => {
    const manager = await caller();
    expect(await codeOf(manager.executeTool('remote', 'sleep', { ms: 10_000 }, { timeoutMs: 200 }))).toBe('TIMEOUT');
    const controller = new AbortController();
    const pending = manager.executeTool('remote', 'sleep', { ms: 10_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await codeOf(pending)).toBe('ABORTED');
    // The node was told to drop both: nothing of them stays in flight there.
    await expect.poll(() => nodeManager.getServerHealth('tools').inFlight, { timeout: 5_000 }).toBe(0);
  });

  it('deploys from a config entry and rejects a bad one with INVALID_CONFIG', async () => {
    const config = parseConfig({ mcpServers: { fromFile: { type: 'nats', url: nats.url, remoteName: 'tools', timeoutMs: 5_000 } } }, process.cwd());
    const manager = new McpManager();
    callers.push(manager);
    await manager.deployServer(config.servers[0]!);
    expect((await manager.executeTool('fromFile', 'add', { a: 1, b: 1 })).structuredContent).toEqual({ sum: 2 });
    expect(() => parseConfig({ mcpServers: { bad: { type: 'nats', url: 'http://x' } } }, process.cwd())).toThrow(McpoolError);
    expect(await codeOf(manager.deployServer({ name: 'bad', type: 'nats', url: 'http://nope' }))).toBe('INVALID_CONFIG');
  });

  it('fails calls SERVER_UNAVAILABLE at once when no node serves the server', async () => {
    const lonelyManager = new McpManager();
    await lonelyManager.deployServer({ name: 'lonely', type: 'worker', module: fixtureModule('nats-tools'), threads: 1 });
    const lonely = await serveOverNats(lonelyManager, { url: nats.url, name: 'lonely', subjectPrefix: 'lonely' });
    const manager = await caller({ subjectPrefix: 'lonely', remoteName: 'lonely' });
    expect((await manager.executeTool('remote', 'add', { a: 1, b: 2 })).structuredContent).toEqual({ sum: 3 });
    await lonely.close();
    await lonelyManager.shutdown();
    // A 60 s timeout: only NATS's immediate "no responders" can answer before the test's own timeout.
    expect(await codeOf(manager.executeTool('remote', 'add', { a: 1, b: 2 }, { timeoutMs: 60_000 }))).toBe('SERVER_UNAVAILABLE');
    const results = await manager.executeBatch(Array.from({ length: 50 }, () => ({ server: 'remote', tool: 'add', arguments: { a: 1, b: 1 } })), { timeoutMs: 60_000 });
    expect(results.every((answer) => !answer.ok && answer.error.code === 'SERVER_UNAVAILABLE')).toBe(true);
  });
});
