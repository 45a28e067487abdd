import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, type CallToolResult } from 'mcpool';
import { startHttpGateway } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { everythingServer, eventually, freePort, startEverythingHttp, stopProcess } from '../support/processes.js';

let manager: McpManager | undefined;
let remote: ChildProcess | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  await stopProcess(remote);
  remote = undefined;
});

const fixture = { name: 'fx', type: 'stdio' as const, command: process.execPath, args: [fixtureModule('mcp-stdio-server')] };

function textOf(result: CallToolResult): string {
  return (result.content[0] as unknown as { text: string }).text;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return error instanceof McpoolError ? error.code : undefined;
}

describe('external servers over stdio', () => {
  it('deploys server-everything over stdio, lists its tools and calls them', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'everything', type: 'stdio', command: process.execPath, args: [everythingServer, 'stdio'] });
    const names = (await manager.listTools('everything')).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const echo = await manager.executeTool('everything', 'echo', { message: 'hi' });
    expect(textOf(echo)).toContain('hi');
    const sum = await manager.executeTool('everything', 'get-sum', { a: 2, b: 3 });
    expect(textOf(sum)).toContain('5');
    expect(manager.getServerHealth('everything')).toMatchObject({ type: 'stdio', state: 'healthy', threads: 1 });
  });

  it('reports progress notifications of an external tool to onProgress', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    const updates: unknown[] = [];
    // The tool reports progress before it sleeps: the SDK client drops progress that it handles after the result.
    await manager.executeTool('fx', 'sleep', { ms: 300, steps: 3 }, { onProgress: (update) => updates.push(update) });
    expect(updates).toEqual([
      { progress: 1, total: 3 },
      { progress: 2, total: 3 },
      { progress: 3, total: 3 },
    ]);
  });

  it('a call past its timeout fails TIMEOUT and the server gets notifications/cancelled', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    expect(await codeOf(manager.executeTool('fx', 'sleep', { ms: 60_000 }, { timeoutMs: 100 }))).toBe(ErrorCode.TIMEOUT);
    const m = manager;
    await eventually(async () => (textOf(await m.executeTool('fx', 'cancelled_count')) === '1' ? true : undefined));
  });

  it('an aborted call fails ABORTED and the server gets notifications/cancelled', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    const controller = new AbortController();
    const call = manager.executeTool('fx', 'sleep', { ms: 60_000, steps: 1 }, { signal: controller.signal, onProgress: () => controller.abort() });
    expect(await codeOf(call)).toBe(ErrorCode.ABORTED);
    const m = manager;
    await eventually(async () => (textOf(await m.executeTool('fx', 'cancelled_count')) === '1' ? true : undefined));
  });

  it('a child that dies mid-call fails its calls in flight with TRANSPORT_ERROR, is restarted, and keeps its stderr in lastError', async () => {
    manager = new McpManager();
    // No circuit breaker: the polling below would open it while the child restarts, and wait it out.
    await manager.deployServer({ ...fixture, circuitBreaker: false });
    const firstPid = textOf(await manager.executeTool('fx', 'pid'));
    const waiting = manager.executeTool('fx', 'sleep', { ms: 60_000 });
    expect(await codeOf(manager.executeTool('fx', 'crash', { afterMs: 50 }))).toBe(ErrorCode.TRANSPORT_ERROR);
    expect(await codeOf(waiting)).toBe(ErrorCode.TRANSPORT_ERROR);
    const m = manager;
    const secondPid = await eventually(async () => {
      const result = await m.executeTool('fx', 'pid').catch(() => undefined);
      return result && textOf(result);
    });
    expect(secondPid).not.toBe(firstPid);
    const health = manager.getServerHealth('fx');
    expect(health.restarts).toBeGreaterThanOrEqual(1);
    expect(health.state).toBe('healthy');
    expect(health.lastError).toContain('fixture:');
  });

  it('a respawn after a crash adopts the era the first connection negotiated: one process, no probe', async () => {
    const starts = join(mkdtempSync(join(tmpdir(), 'mcpool-starts-')), 'starts');
    const count = (): number => (existsSync(starts) ? readFileSync(starts, 'utf8').trim().split('\n').length : 0);
    manager = new McpManager();
    await manager.deployServer({ ...fixture, circuitBreaker: false, env: { FIXTURE_STARTS: starts } });
    // The first connect: the SDK's probe on a sibling process, then the server itself.
    const first = count();
    expect(first).toBe(2);
    expect(await codeOf(manager.executeTool('fx', 'crash', { afterMs: 10 }))).toBe(ErrorCode.TRANSPORT_ERROR);
    const m = manager;
    await eventually(async () => (await m.executeTool('fx', 'pid').catch(() => undefined)) && true);
    expect(count()).toBe(first + 1);
    // An explicit restart probes again (a reload may have changed the server).
    await manager.restartServer('fx');
    expect(count()).toBe(first + 3);
  });

  it('restartServer replaces the child process and the server serves again', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    const firstPid = textOf(await manager.executeTool('fx', 'pid'));
    await manager.restartServer('fx');
    expect(textOf(await manager.executeTool('fx', 'pid'))).not.toBe(firstPid);
    expect(manager.getServerHealth('fx')).toMatchObject({ state: 'healthy', restarts: 1 });
  });

  it('shutdown with a deadline answers calls still running SHUTTING_DOWN', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    const running = manager.executeTool('fx', 'sleep', { ms: 60_000 });
    const m = manager;
    await eventually(() => (m.getServerHealth('fx').inFlight === 1 ? true : undefined));
    const outcome = codeOf(running);
    await manager.shutdownServer('fx', { timeoutMs: 100 });
    expect(await outcome).toBe(ErrorCode.SHUTTING_DOWN);
  });

  it('carries 1,000 calls in flight at once over one connection', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    const calls = Array.from({ length: 1_000 }, () => manager!.executeTool('fx', 'sleep', { ms: 1_000 }));
    const results = await Promise.all(calls);
    expect(results.every((result) => textOf(result) === 'slept 1000')).toBe(true);
    expect(textOf(await manager.executeTool('fx', 'peak'))).toBe('1000');
  });

  it('refreshes the tool list on notifications/tools/list_changed', async () => {
    manager = new McpManager();
    await manager.deployServer(fixture);
    const added = textOf(await manager.executeTool('fx', 'add_tool'));
    const m = manager;
    await eventually(async () => ((await m.listTools('fx')).some((tool) => tool.name === added) ? true : undefined));
    expect(textOf(await manager.executeTool('fx', added))).toBe(added);
    expect(manager.getMetrics().servers.fx?.tools[added]?.calls).toBe(1);
  });

  it('rejects a bad stdio config with INVALID_CONFIG and a command that cannot start with SERVER_UNAVAILABLE', async () => {
    manager = new McpManager({ connectionTimeoutMs: 10_000 });
    expect(await codeOf(manager.deployServer({ name: 'bad', type: 'stdio', command: '' }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(manager.deployServer({ name: 'bad', type: 'stdio', command: process.execPath, args: ['-e', 'process.exit(1)'] }))).toBe(
      ErrorCode.SERVER_UNAVAILABLE,
    );
    expect(manager.listServers()).toEqual([]);
  });
});

describe('external servers over Streamable HTTP', () => {
  it('deploys server-everything over HTTP and calls its tools', async () => {
    const port = await freePort();
    remote = await startEverythingHttp(port);
    manager = new McpManager();
    await manager.deployServer({ name: 'remote', type: 'http', url: `http://127.0.0.1:${port}/mcp`, maxConnections: 4 });
    expect((await manager.listTools('remote')).map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(textOf(await manager.executeTool('remote', 'get-sum', { a: 20, b: 22 }))).toContain('42');
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => manager!.executeTool('remote', 'echo', { message: `m${i}` })));
    many.forEach((result, i) => expect(textOf(result)).toContain(`m${i}`));
  });

  it('a remote that goes away fails calls with a typed error and is reconnected when it comes back', async () => {
    const port = await freePort();
    remote = await startEverythingHttp(port);
    manager = new McpManager();
    // No circuit breaker: the polling below would open it while the remote is away, and wait it out.
    await manager.deployServer({ name: 'remote', type: 'http', url: `http://127.0.0.1:${port}/mcp`, circuitBreaker: false });
    expect(textOf(await manager.executeTool('remote', 'echo', { message: 'before' }))).toContain('before');
    await stopProcess(remote);
    const code = await codeOf(manager.executeTool('remote', 'echo', { message: 'gone' }));
    expect([ErrorCode.TRANSPORT_ERROR, ErrorCode.SERVER_UNAVAILABLE]).toContain(code);
    remote = await startEverythingHttp(port);
    const m = manager;
    const after = await eventually(async () => {
      const result = await m.executeTool('remote', 'echo', { message: 'after' }).catch(() => undefined);
      return result && textOf(result);
    });
    expect(after).toContain('after');
    expect(manager.getServerHealth('remote').restarts).toBeGreaterThanOrEqual(1);
  });

  it('shutdown with a deadline answers calls still running SHUTTING_DOWN', async () => {
    // The remote: an mcpool gateway in front of the stdio fixture, whose sleep outlasts the test.
    const gateway = await startHttpGateway({ mcpServers: { fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] } } });
    remote = gateway.child;
    manager = new McpManager();
    await manager.deployServer({ name: 'remote', type: 'http', url: gateway.url });
    const running = manager.executeTool('remote', 'fx__sleep', { ms: 60_000 });
    const m = manager;
    await eventually(() => (m.getServerHealth('remote').inFlight === 1 ? true : undefined));
    const outcome = codeOf(running);
    await manager.shutdownServer('remote', { timeoutMs: 100 });
    expect(await outcome).toBe(ErrorCode.SHUTTING_DOWN);
  });

  it('rejects an HTTP config without a valid url with INVALID_CONFIG naming the field', async () => {
    manager = new McpManager();
    const error = await manager.deployServer({ name: 'x', type: 'http', url: 'not a url' }).catch((e: unknown) => e);
    expect((error as McpoolError).code).toBe(ErrorCode.INVALID_CONFIG);
    expect((error as McpoolError).message).toContain('url');
  });
});
