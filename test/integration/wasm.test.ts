import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, parseConfig, type CallToolResult, type LogRecord, type ServerNotification } from 'mcpool';
import { codeOf } from '../support/helpers.js';
import { faultyPlugin, helloPlugin, v1Plugin } from '../support/wasm.js';

let manager: McpManager | undefined;
let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function textOf(result: CallToolResult): string {
  const block = result.content[0];
  return block?.type === 'text' ? String(block.text) : '';
}

async function deployed(config: Record<string, unknown>): Promise<McpManager> {
  manager = new McpManager({ defaultTimeoutMs: 10_000 });
  await manager.deployServer({ name: 'plug', type: 'wasm', module: faultyPlugin, threads: 1, ...config } as never);
  return manager;
}

/** A local HTTP server that counts the requests it gets. */
async function countingServer(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/away') {
      response.writeHead(302, { location: `http://localhost:${(server!.address() as AddressInfo).port}/elsewhere` });
      response.end();
      return;
    }
    response.end(`hello ${request.url}`);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('WebAssembly servers', () => {
  it('lists and calls the tools of a hyper-mcp v2 plugin (list_tools / call_tool)', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'hello', type: 'wasm', module: helloPlugin, threads: 1 });
    expect(manager.listServers()).toEqual([expect.objectContaining({ name: 'hello', type: 'wasm', state: 'healthy' })]);
    const tools = await manager.listTools('hello');
    expect(tools.map((tool) => tool.name)).toEqual(['echo', 'add', 'sha256']);
    expect(tools[0]!.inputSchema).toMatchObject({ type: 'object', required: ['text'] });
    expect(textOf(await manager.executeTool('hello', 'echo', { text: 'a "quoted"\nline' }))).toBe('a "quoted"\nline');
    expect((await manager.executeTool('hello', 'add', { a: 2, b: 40 })).structuredContent).toEqual({ sum: 42 });
    let digest = createHash('sha256').update('abc').digest();
    for (let i = 1; i < 1000; i++) digest = createHash('sha256').update(digest).digest();
    expect((await manager.executeTool('hello', 'sha256', { text: 'abc', rounds: 1000 })).structuredContent).toEqual({ digest: digest.toString('hex'), rounds: 1000 });
  });

  it('lists and calls the tools of a hyper-mcp v1 plugin (describe / call)', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'old', type: 'wasm', module: v1Plugin, threads: 1 });
    expect((await manager.listTools('old')).map((tool) => tool.name)).toEqual(['shout']);
    expect(textOf(await manager.executeTool('old', 'shout', { text: 'hi' }))).toBe('HI!');
  });

  it('checks arguments against the top level of the tool schema before the plugin runs', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'hello', type: 'wasm', module: helloPlugin, threads: 1 });
    expect(await codeOf(manager.executeTool('hello', 'echo', {}))).toBe(ErrorCode.INVALID_ARGUMENTS);
    expect(await codeOf(manager.executeTool('hello', 'add', { a: 'one', b: 2 }))).toBe(ErrorCode.INVALID_ARGUMENTS);
    expect(await codeOf(manager.executeTool('hello', 'nope', {}))).toBe(ErrorCode.TOOL_NOT_FOUND);
  });

  it("runs a plugin's trivial tool through 20,000 calls in one batch (past Extism's 16,384-block limit)", async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'hello', type: 'wasm', module: helloPlugin, threads: 1 });
    const calls = Array.from({ length: 20_000 }, (_, i) => ({ server: 'hello', tool: 'echo', arguments: { text: `call ${i}` } }));
    const results = await manager.executeBatch(calls);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    results.forEach((result, i) => {
      if (result.ok) expect(textOf(result.result)).toBe(`call ${i}`);
    });
  });

  it('a call past its memory limit fails alone (WORKER_CRASHED with the trap) and the next call works', async () => {
    const plug = await deployed({ memoryLimitMb: 16 });
    const results = await plug.executeBatch([
      { server: 'plug', tool: 'echo', arguments: { text: 'before' } },
      { server: 'plug', tool: 'alloc', arguments: { mb: 64 } },
      { server: 'plug', tool: 'echo', arguments: { text: 'beside' } },
      { server: 'plug', tool: 'host_alloc', arguments: { mb: 64 } },
      { server: 'plug', tool: 'alloc', arguments: { mb: 4 } },
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false, true, false, true]);
    const failed = results[1]!;
    if (failed.ok) throw new Error('expected a failure');
    expect(failed.error.code).toBe(ErrorCode.WORKER_CRASHED);
    const error = await plug.executeTool('plug', 'alloc', { mb: 64 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpoolError);
    expect(typeof ((error as McpoolError).data as { trap?: unknown }).trap).toBe('string');
    expect(textOf(await plug.executeTool('plug', 'echo', { text: 'after' }))).toBe('after');
  });

  it('without memoryLimitMb the same allocation succeeds', async () => {
    const plug = await deployed({});
    expect(textOf(await plug.executeTool('plug', 'alloc', { mb: 64 }))).toBe('allocated 64 MB');
  });

  it('a trap fails only its own call; the calls beside it in the frame go on', async () => {
    const plug = await deployed({});
    const results = await plug.executeBatch([
      { server: 'plug', tool: 'trap', arguments: {} },
      { server: 'plug', tool: 'echo', arguments: { text: 'next' } },
      { server: 'plug', tool: 'trap', arguments: {} },
      { server: 'plug', tool: 'trap', arguments: {} },
      { server: 'plug', tool: 'echo', arguments: { text: 'last' } },
    ]);
    expect(results.map((result) => (result.ok ? textOf(result.result) : result.error.code))).toEqual([
      ErrorCode.WORKER_CRASHED,
      'next',
      ErrorCode.WORKER_CRASHED,
      ErrorCode.WORKER_CRASHED,
      'last',
    ]);
  });

  it('a call past its timeout is stopped and fails alone (TIMEOUT); the next call works', async () => {
    const plug = await deployed({});
    // Both go in one frame to the one thread: the echo waits behind the spin, then is sent again.
    const [spin, beside] = await Promise.allSettled([plug.executeTool('plug', 'spin', {}, { timeoutMs: 500 }), plug.executeTool('plug', 'echo', { text: 'beside' })]);
    expect(spin.status === 'rejected' && (spin.reason as McpoolError).code).toBe(ErrorCode.TIMEOUT);
    expect(beside.status === 'fulfilled' && textOf(beside.value)).toBe('beside');
    expect(textOf(await plug.executeTool('plug', 'echo', { text: 'after' }))).toBe('after');
  });

  it('a plugin without allowedHosts cannot reach a host; with it, only the listed hosts (redirects included)', async () => {
    const { url, requests } = await countingServer();
    const denied = await deployed({});
    const refused = await denied.executeTool('plug', 'fetch', { url: `${url}/secret` });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('not allowed');
    await denied.shutdown();

    const allowed = await deployed({ allowedHosts: ['127.0.0.1'] });
    expect(textOf(await allowed.executeTool('plug', 'fetch', { url: `${url}/open` }))).toBe('200 hello /open');
    const redirected = await allowed.executeTool('plug', 'fetch', { url: `${url}/away` });
    expect(redirected.isError).toBe(true);
    const other = await allowed.executeTool('plug', 'fetch', { url: url.replace('127.0.0.1', 'localhost') + '/other' });
    expect(other.isError).toBe(true);
    expect(requests).toEqual(['/open', '/away']);
  });

  it('a plugin sees no files without allowedPaths, and only the listed directory with it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpool-wasm-'));
    await mkdir(join(dir, 'shared'));
    await writeFile(join(dir, 'shared', 'note.txt'), 'shared note');
    await writeFile(join(dir, 'private.txt'), 'private');
    const none = await deployed({});
    expect(textOf(await none.executeTool('plug', 'read_file', { path: 'note.txt' }))).toMatch(/^errno /);
    await none.shutdown();

    const some = await deployed({ allowedPaths: { [join(dir, 'shared')]: '/data' } });
    expect(textOf(await some.executeTool('plug', 'read_file', { path: 'note.txt' }))).toBe('ok shared note');
    expect(textOf(await some.executeTool('plug', 'read_file', { path: '../private.txt' }))).toMatch(/^errno /);
    expect(textOf(await some.executeTool('plug', 'read_file', { path: join(dir, 'private.txt') }))).toMatch(/^errno /);
  });

  it('passes config (with ${env:NAME} expanded) and keeps Extism variables across calls', async () => {
    process.env.MCPOOL_WASM_TEST_KEY = 'from-env';
    const plug = await deployed({ config: { key: '${env:MCPOOL_WASM_TEST_KEY}', plain: 'p' } });
    expect(textOf(await plug.executeTool('plug', 'config', { key: 'key' }))).toBe('from-env');
    expect(textOf(await plug.executeTool('plug', 'config', { key: 'missing' }))).toBe('(unset)');
    expect(textOf(await plug.executeTool('plug', 'count', {}))).toBe('1');
    expect(textOf(await plug.executeTool('plug', 'count', {}))).toBe('2');
  });

  it('maps host functions: notify_progress to progress, notify_logging_message to logs, list_changed to notifications', async () => {
    const plug = await deployed({});
    const logs: LogRecord[] = [];
    const notifications: ServerNotification[] = [];
    plug.on('log', (record) => logs.push(record));
    plug.on('serverNotification', (notification) => notifications.push(notification));
    const progress: unknown[] = [];
    await plug.executeTool('plug', 'notify', { steps: 3 }, { onProgress: (update) => progress.push(update) });
    expect(progress).toEqual([1, 2, 3].map((done) => ({ progress: done, total: 3, message: 'step' })));
    expect(logs).toEqual([expect.objectContaining({ server: 'plug', tool: 'notify', level: 'warning', data: { from: 'plugin' } })]);
    expect(notifications).toEqual([{ server: 'plug', method: 'notifications/tools/list_changed', params: {} }]);
  });

  it('a host function that needs the client, with no one to answer, fails its call TRANSPORT_ERROR (test/integration/wasm-client.test.ts answers it)', async () => {
    const plug = await deployed({});
    const error = await plug.executeTool('plug', 'elicit', {}).catch((caught: unknown) => caught as McpoolError);
    expect(error).toMatchObject({ code: ErrorCode.TRANSPORT_ERROR, data: { reason: 'no-client' } });
    expect((error as McpoolError).message).toContain('create_elicitation');
    expect(textOf(await plug.executeTool('plug', 'echo', { text: 'still here' }))).toBe('still here');
  });

  it('refuses a module that is not a plugin, a missing file and a bad allowedPaths entry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpool-wasm-'));
    await writeFile(join(dir, 'junk.wasm'), 'not wasm');
    manager = new McpManager();
    expect(await codeOf(manager.deployServer({ name: 'junk', type: 'wasm', module: join(dir, 'junk.wasm'), threads: 1 }))).toBe(ErrorCode.SERVER_UNAVAILABLE);
    expect(await codeOf(manager.deployServer({ name: 'gone', type: 'wasm', module: join(dir, 'gone.wasm'), threads: 1 }))).toBe(ErrorCode.SERVER_UNAVAILABLE);
    expect(await codeOf(manager.deployServer({ name: 'bad', type: 'wasm', module: helloPlugin, allowedPaths: { [join(dir, 'nope')]: '/data' } }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(manager.deployServer({ name: 'bad', type: 'wasm', module: helloPlugin, allowedHosts: 'x' } as never))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(manager.deployServer({ name: 'bad', type: 'wasm', module: helloPlugin, config: { k: '${env:MCPOOL_SURELY_UNSET}' } }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(manager.listServers()).toEqual([]);
  });
});

describe('WebAssembly entries in the config file', () => {
  it('reads a wasm entry; the module and host directories resolve against the config folder', () => {
    const config = parseConfig(
      { mcpServers: { plug: { type: 'wasm', module: './plugins/p.wasm', threads: 2, memoryLimitMb: 32, allowedHosts: ['api.example.com'], allowedPaths: { './data': '/data' }, config: { KEY: '${env:K}' }, timeoutMs: 100 } } },
      '/base',
      'mcpool.json',
      { K: 'v' },
    );
    expect(config.servers).toEqual([
      {
        name: 'plug',
        type: 'wasm',
        module: 'file:///base/plugins/p.wasm',
        threads: 2,
        memoryLimitMb: 32,
        allowedHosts: ['api.example.com'],
        allowedPaths: { '/base/data': '/data' },
        config: { KEY: 'v' },
        timeoutMs: 100,
      },
    ]);
  });

  it('names the field of a bad wasm entry (INVALID_CONFIG)', () => {
    const failure = (entry: Record<string, unknown>): string => {
      try {
        parseConfig({ mcpServers: { plug: { type: 'wasm', ...entry } } }, '/base', 'mcpool.json', {});
      } catch (error) {
        expect((error as McpoolError).code).toBe(ErrorCode.INVALID_CONFIG);
        return (error as McpoolError).message;
      }
      throw new Error('expected INVALID_CONFIG');
    };
    expect(failure({})).toContain('mcpServers.plug.module');
    expect(failure({ module: './p.wasm', memoryLimitMb: -1 })).toContain('mcpServers.plug.memoryLimitMb');
    expect(failure({ module: './p.wasm', allowedHosts: [1] })).toContain('mcpServers.plug.allowedHosts');
    expect(failure({ module: './p.wasm', modul: 'x' })).toContain('modul');
  });
});
