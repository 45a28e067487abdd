import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runServe, standardConfig, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { eventually, stopProcess } from '../support/processes.js';

const TOKEN = 'test-token-123';
const auth = { authorization: `Bearer ${TOKEN}` };
const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...auth };

let gateway: HttpGatewayProcess;
const clients: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  gateway = await startHttpGateway(standardConfig(), ['--token', TOKEN]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await stopProcess(gateway?.child);
});

async function connectV2(): Promise<Client> {
  const client = new Client({ name: 'test-v2', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { requestInit: { headers: auth } }));
  clients.push(client);
  return client;
}

function textOf(result: unknown): string {
  return (((result as { content: { text: string }[] }).content)[0] ?? { text: '' }).text;
}

async function initialize(): Promise<string> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get('mcp-session-id')!;
}

describe('the HTTP gateway with the official SDK clients', () => {
  it('an SDK v2 client lists every server\'s tools as <server>__<tool> and calls a worker tool', async () => {
    const client = await connectV2();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['math__add', 'fx__echo', 'everything__echo', 'everything__get-sum']));
    const result = await client.callTool({ name: 'math__add', arguments: { a: 2, b: 3 } });
    expect(result.structuredContent).toEqual({ sum: 5 });
  });

  it('an SDK v1 client calls tools of a worker server and of an external stdio server', async () => {
    const client = new ClientV1({ name: 'test-v1', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransportV1(new URL(gateway.url), { requestInit: { headers: auth } }));
    clients.push(client);
    const sum = await client.callTool({ name: 'math__add', arguments: { a: 40, b: 2 } });
    expect(sum.structuredContent).toEqual({ sum: 42 });
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'through the gateway' } });
    expect(textOf(echo)).toContain('through the gateway');
    await client.ping();
  });

  it('invalid arguments come back as a tool error result and an unknown tool as JSON-RPC -32602', async () => {
    const client = await connectV2();
    const invalid = await client.callTool({ name: 'math__add', arguments: { a: 'x' } });
    expect(invalid.isError).toBe(true);
    const error = await client.callTool({ name: 'math__nope', arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(-32602);
  });

  it('progress notifications of an external tool reach the gateway client', async () => {
    const client = await connectV2();
    const updates: unknown[] = [];
    // The tool reports its progress before it sleeps, so the notifications precede the result.
    await client.callTool({ name: 'fx__sleep', arguments: { ms: 300, steps: 3 } }, { onprogress: (update) => updates.push(update) });
    expect(updates).toHaveLength(3);
    expect(updates[2]).toMatchObject({ progress: 3, total: 3 });
  });

  it('a client that cancels a call makes the gateway cancel it on the external server', async () => {
    const client = await connectV2();
    const before = Number(textOf(await client.callTool({ name: 'fx__cancelled_count', arguments: {} })));
    const controller = new AbortController();
    const call = client.callTool({ name: 'fx__sleep', arguments: { ms: 60_000, steps: 1 } }, { signal: controller.signal, onprogress: () => controller.abort() });
    await expect(call).rejects.toThrow();
    await eventually(async () => {
      const count = Number(textOf(await client.callTool({ name: 'fx__cancelled_count', arguments: {} })));
      return count > before ? count : undefined;
    });
  });

  it('passes resources and prompts of an external server through, namespaced', async () => {
    const client = await connectV2();
    const { resources } = await client.listResources();
    // Both external servers list resources, each under its own prefix.
    expect(resources.map((resource) => resource.name)).toContain('fx__counter');
    const everything = resources.find((resource) => resource.name.startsWith('everything__'));
    expect(everything).toBeDefined();
    const read = await client.readResource({ uri: everything!.uri });
    expect(read.contents.length).toBeGreaterThan(0);
    const { prompts } = await client.listPrompts();
    const simple = prompts.find((prompt) => prompt.name.startsWith('everything__') && (prompt.arguments ?? []).every((arg) => !arg.required));
    expect(simple).toBeDefined();
    const prompt = await client.getPrompt({ name: simple!.name });
    expect(prompt.messages.length).toBeGreaterThan(0);
    // The server's own JSON-RPC error comes through with its code, not as an internal error.
    const missing = (await client.getPrompt({ name: 'everything__no-such-prompt' }).catch((e: unknown) => e)) as ProtocolError;
    expect(missing).toBeInstanceOf(ProtocolError);
    expect(missing.code).toBe(-32602);
  });
});

describe('the HTTP gateway refuses what it must', () => {
  it('answers 401 without the bearer token and with a wrong one', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const missing = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(gateway.url, { method: 'POST', headers: { ...jsonHeaders, authorization: 'Bearer nope' }, body });
    expect(wrong.status).toBe(401);
  });

  it('answers 403 to a foreign Origin and to a foreign Host (DNS rebinding)', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const origin = await fetch(gateway.url, { method: 'POST', headers: { ...jsonHeaders, origin: 'https://evil.example' }, body });
    expect(origin.status).toBe(403);
    const local = await fetch(`http://127.0.0.1:${gateway.port}/health`, { headers: { ...auth, origin: 'http://localhost:6274' } });
    expect(local.status).toBe(200);
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: gateway.port, path: '/health', headers: { ...auth, host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('answers 413 to an oversized body and stays up', async () => {
    const sessionId = await initialize();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'fx__echo', arguments: { message: 'x'.repeat(5 * 1024 * 1024) } } });
    const response = await fetch(gateway.url, { method: 'POST', headers: { ...jsonHeaders, 'mcp-session-id': sessionId }, body: big }).catch(() => undefined);
    if (response) expect(response.status).toBe(413);
    const health = await fetch(`http://127.0.0.1:${gateway.port}/health`, { headers: auth });
    expect(health.status).toBe(200);
  });

  it('answers 400 without a session id, 404 with an unknown one, and 200 to DELETE of a session', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect((await fetch(gateway.url, { method: 'POST', headers: jsonHeaders, body })).status).toBe(400);
    expect((await fetch(gateway.url, { method: 'POST', headers: { ...jsonHeaders, 'mcp-session-id': 'nope' }, body })).status).toBe(404);
    const sessionId = await initialize();
    const ping = await fetch(gateway.url, { method: 'POST', headers: { ...jsonHeaders, 'mcp-session-id': sessionId }, body });
    expect(await ping.json()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect((await fetch(gateway.url, { method: 'DELETE', headers: { ...auth, 'mcp-session-id': sessionId } })).status).toBe(200);
    expect((await fetch(gateway.url, { method: 'POST', headers: { ...jsonHeaders, 'mcp-session-id': sessionId }, body })).status).toBe(404);
  });

  it('/health reports every server\'s state', async () => {
    const response = await fetch(`http://127.0.0.1:${gateway.port}/health`, { headers: auth });
    const health = (await response.json()) as { status: string; servers: { name: string; state: string }[] };
    expect(health.servers.map((server) => server.name).sort()).toEqual(['everything', 'fx', 'math']);
    expect(health.servers.every((server) => server.state === 'healthy')).toBe(true);
  });
});

describe('the HTTP gateway under load and at shutdown', () => {
  it('answers OVERLOADED with 429 and Retry-After', async () => {
    const busy = await startHttpGateway(standardConfig({ maxConcurrentOperations: 1, maxQueuedOperations: 0 }));
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await fetch(busy.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
      });
      await init.text();
      const session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')! };
      const slow = fetch(busy.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'fx__sleep', arguments: { ms: 2_000 } } }) });
      // Wait until the slow call holds the one slot (the gateway's health shows it in flight).
      await eventually(async () => {
        const health = (await (await fetch(`http://127.0.0.1:${busy.port}/health`)).json()) as { servers: { name: string; inFlight: number }[] };
        return health.servers.find((server) => server.name === 'fx')?.inFlight === 1 ? true : undefined;
      });
      const rejected = await fetch(busy.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'math__add', arguments: { a: 1, b: 1 } } }) });
      expect(rejected.status).toBe(429);
      expect(rejected.headers.get('retry-after')).toBe('1');
      expect(((await rejected.json()) as { error: { data: { code: string } } }).error.data.code).toBe('OVERLOADED');
      expect((await slow).status).toBe(200);
    } finally {
      await stopProcess(busy.child);
    }
  });

  it('on SIGTERM lets a call in flight finish, then exits 0', async () => {
    const own = await startHttpGateway(standardConfig());
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(own.url)));
    const exit = new Promise<number | null>((resolve) => own.child.once('exit', resolve));
    const call = client.callTool({ name: 'fx__sleep', arguments: { ms: 1_000 } });
    await eventually(async () => {
      const health = (await (await fetch(`http://127.0.0.1:${own.port}/health`)).json()) as { servers: { name: string; inFlight: number }[] };
      return health.servers.find((server) => server.name === 'fx')?.inFlight === 1 ? true : undefined;
    });
    own.child.kill('SIGTERM');
    expect(textOf(await call)).toBe('slept 1000');
    expect(await exit).toBe(0);
    await client.close().catch(() => undefined);
  });

  it('a bad config exits 2 with INVALID_CONFIG naming the JSON path', async () => {
    const file = writeConfig({ mcpServers: { math: { type: 'worker', module: './m.js', threads: -1 } } });
    const { code, stderr } = await runServe(['--http', '--port', '0', '--config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('mcpServers.math.threads');
  });
});
