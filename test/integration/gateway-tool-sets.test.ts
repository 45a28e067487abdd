/**
 * Client tool sets (`gateway.clients`) and search mode (`gateway.toolSearch`), through
 * `mcpool serve --http` as a child process and the SDK client: each token sees and calls only
 * its servers and tools, a hidden tool answers as an unknown one (-32602), `/metrics` only for
 * a client allowed it, and without a known token everything is 401; in both eras (a
 * 2026-07-28 request has no session: each is scoped by its own token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exampleModule, fixtureModule } from '../support/helpers.js';
import { startHttpGateway, type HttpGatewayProcess } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';
import { clientPlugin } from '../support/wasm.js';

const servers = {
  math: { type: 'worker', module: exampleModule('math'), threads: 1 },
  fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] },
  plug: { type: 'wasm', module: clientPlugin, threads: 1 },
};
const env = { CALC_TOKEN: 'calc-token-1', OPS_TOKEN: 'ops-token-2', NOTES_TOKEN: 'notes-token-3', ADMIN_TOKEN: 'admin-token-4' };
const MODERN = '2026-07-28';

let gateway: HttpGatewayProcess;
let search: HttpGatewayProcess;
const open: Client[] = [];

beforeAll(async () => {
  [gateway, search] = await Promise.all([
    startHttpGateway(
      {
        mcpServers: servers,
        gateway: {
          clients: {
            calc: { token: '${env:CALC_TOKEN}', servers: ['math'], toolFilter: { allow: ['add'] } },
            ops: { token: '${env:OPS_TOKEN}', servers: ['fx'], toolFilter: { deny: ['crash'] }, metrics: true },
            notes: { token: '${env:NOTES_TOKEN}', servers: ['plug'] },
            admin: { token: '${env:ADMIN_TOKEN}' },
          },
        },
      },
      [],
      env,
    ),
    startHttpGateway({ mcpServers: servers, gateway: { toolSearch: true } }),
  ]);
});
afterAll(async () => {
  await Promise.all(open.map((client) => client.close().catch(() => undefined)));
  await Promise.all([stopProcess(gateway?.child), stopProcess(search?.child)]);
});

async function connect(url: string, token?: string, pin?: string): Promise<Client> {
  const client = new Client({ name: 'tool-sets', version: '1.0.0' }, pin === undefined ? {} : { versionNegotiation: { mode: { pin } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), token === undefined ? {} : { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  open.push(client);
  return client;
}

async function rpcCode(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).code;
  }
}

describe('client tool sets', () => {
  it('a token sees and calls only its servers and tools; a hidden tool is an unknown one (-32602)', async () => {
    const calc = await connect(gateway.url, env.CALC_TOKEN);
    expect((await calc.listTools()).tools.map((tool) => tool.name)).toEqual(['math__add']);
    expect((await calc.callTool({ name: 'math__add', arguments: { a: 4, b: 5 } })).structuredContent).toEqual({ sum: 9 });
    expect(await rpcCode(calc.callTool({ name: 'math__count_primes', arguments: { limit: 10 } }))).toBe(-32602);
    expect(await rpcCode(calc.callTool({ name: 'fx__echo', arguments: { message: 'x' } }))).toBe(-32602);
    expect((await calc.listResources()).resources).toEqual([]);

    const ops = await connect(gateway.url, env.OPS_TOKEN);
    const names = (await ops.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('fx__echo');
    expect(names.some((name) => name.startsWith('math__') || name === 'fx__crash')).toBe(false);
    expect(await rpcCode(ops.callTool({ name: 'fx__crash', arguments: {} }))).toBe(-32602);
    expect(await rpcCode(ops.callTool({ name: 'math__add', arguments: { a: 1, b: 1 } }))).toBe(-32602);
    expect((await ops.listResources()).resources.map((resource) => resource.uri)).toContain('fx://counter');
    expect(await rpcCode(calc.readResource({ uri: 'fx://counter' }))).toBeDefined();
    expect((await ops.readResource({ uri: 'fx://counter' })).contents.length).toBeGreaterThan(0);
  });

  it('without a known token every request is 401, /health included; /metrics only for a client allowed it', async () => {
    const base = `http://127.0.0.1:${gateway.port}`;
    expect((await fetch(`${base}/health`)).status).toBe(401);
    expect((await fetch(`${base}/health`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/health`, { headers: { authorization: `Bearer ${env.CALC_TOKEN}` } })).status).toBe(200);
    const post = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(post.status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${env.CALC_TOKEN}` } })).status).toBe(403);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('mcpool_');
  });

  it("a session is its client's: another client's token does not reach it", async () => {
    const init = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${env.CALC_TOKEN}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const session = init.headers.get('mcp-session-id')!;
    const other = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${env.OPS_TOKEN}`, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' },
      body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    });
    expect(other.status).toBe(404);
  });
});

describe('search mode (gateway.toolSearch)', () => {
  it('lists search_tools and call_tool; search finds tools with their schemas and call_tool calls them', async () => {
    const client = await connect(search.url);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool']);
    const found = (await client.callTool({ name: 'search_tools', arguments: { query: 'add numbers' } })).structuredContent as { tools: { name: string; inputSchema: { properties: object } }[] };
    expect(found.tools[0]!.name).toBe('math__add');
    expect(Object.keys(found.tools[0]!.inputSchema.properties)).toEqual(['a', 'b']);
    expect((await client.callTool({ name: 'call_tool', arguments: { name: 'math__add', arguments: { a: 20, b: 22 } } })).structuredContent).toEqual({ sum: 42 });
    expect(await rpcCode(client.callTool({ name: 'call_tool', arguments: { name: 'math__nope', arguments: {} } }))).toBe(-32602);
  });

  it('a 2026-07-28 client sees search_tools and call_tool too, and they work statelessly', async () => {
    const client = await connect(search.url, undefined, MODERN);
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool']);
    const found = (await client.callTool({ name: 'search_tools', arguments: { query: 'add numbers' } })).structuredContent as { tools: { name: string }[] };
    expect(found.tools[0]!.name).toBe('math__add');
    expect((await client.callTool({ name: 'call_tool', arguments: { name: 'math__add', arguments: { a: 1, b: 2 } } })).structuredContent).toEqual({ sum: 3 });
    expect(await rpcCode(client.callTool({ name: 'call_tool', arguments: { name: 'math__nope', arguments: {} } }))).toBe(-32602);
  });
});

/** A raw 2026-07-28 request with a bearer token. */
function modernPost(method: string, params: Record<string, unknown>, token: string | undefined, id = 1): Promise<Response> {
  const meta = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
  const name = typeof params.name === 'string' ? { 'mcp-name': params.name } : typeof params.uri === 'string' ? { 'mcp-name': params.uri } : {};
  return fetch(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...name,
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } }),
  });
}

/** The JSON-RPC messages of an open SSE response, as they come. */
async function* sseMessages(response: Response): AsyncGenerator<{ method?: string; params?: Record<string, unknown> }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done) return;
      buffered += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('');
        if (data !== '') yield JSON.parse(data) as { method?: string; params?: Record<string, unknown> };
      }
    }
  } finally {
    await reader.cancel();
  }
}

describe('client tool sets for 2026-07-28 (stateless) clients: each request is scoped by its own token', () => {
  it('an SDK client pinned to 2026-07-28 sees and calls only its tools; a hidden tool is an unknown one (-32602)', async () => {
    const calc = await connect(gateway.url, env.CALC_TOKEN, MODERN);
    expect(calc.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect((await calc.listTools()).tools.map((tool) => tool.name)).toEqual(['math__add']);
    expect((await calc.callTool({ name: 'math__add', arguments: { a: 4, b: 5 } })).structuredContent).toEqual({ sum: 9 });
    expect(await rpcCode(calc.callTool({ name: 'math__count_primes', arguments: { limit: 10 } }))).toBe(-32602);
    expect(await rpcCode(calc.callTool({ name: 'fx__echo', arguments: { message: 'x' } }))).toBe(-32602);
    expect((await calc.listResources()).resources).toEqual([]);
    expect(await rpcCode(calc.readResource({ uri: 'fx://counter' }))).toBeDefined();

    const ops = await connect(gateway.url, env.OPS_TOKEN, MODERN);
    const names = (await ops.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('fx__echo');
    expect(names.some((name) => name.startsWith('math__') || name.startsWith('plug__') || name === 'fx__crash')).toBe(false);
    expect(await rpcCode(ops.callTool({ name: 'fx__crash', arguments: {} }))).toBe(-32602);
    expect(await rpcCode(ops.callTool({ name: 'math__add', arguments: { a: 1, b: 1 } }))).toBe(-32602);
    expect((await ops.listResources()).resources.map((resource) => resource.uri)).toContain('fx://counter');
    expect((await ops.readResource({ uri: 'fx://counter' })).contents.length).toBeGreaterThan(0);

    // A client whose entry names no servers and no filter sees everything, as in the session era.
    const admin = await connect(gateway.url, env.ADMIN_TOKEN, MODERN);
    const all = (await admin.listTools()).tools.map((tool) => tool.name);
    expect(all).toEqual(expect.arrayContaining(['math__add', 'math__count_primes', 'fx__echo', 'plug__touch']));
    // A plugin's resources and prompts are scoped as an external server's are.
    const notes = await connect(gateway.url, env.NOTES_TOKEN, MODERN);
    expect((await notes.listResources()).resources.map((resource) => resource.uri)).toEqual(['plug://notes/readme']);
    expect((await notes.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['plug__greet']);
    expect((await ops.listPrompts()).prompts.map((prompt) => prompt.name)).not.toContain('plug__greet');
    expect(await rpcCode(ops.getPrompt({ name: 'plug__greet', arguments: { who: 'x' } }))).toBe(-32602);
  });

  it('raw: the same request answers per token; an unknown token or none is 401; server/discover answers a known token', async () => {
    const listed = async (token: string): Promise<string[]> => {
      const response = await modernPost('tools/list', {}, token);
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { tools: { name: string }[] } }).result.tools.map((tool) => tool.name);
    };
    expect(await listed(env.CALC_TOKEN)).toEqual(['math__add']);
    expect(await listed(env.NOTES_TOKEN)).toEqual(['plug__elicit', 'plug__sample', 'plug__roots', 'plug__echo', 'plug__touch']);
    expect((await modernPost('tools/list', {}, 'wrong')).status).toBe(401);
    expect((await modernPost('tools/list', {}, undefined)).status).toBe(401);
    expect((await modernPost('tools/call', { name: 'math__add', arguments: { a: 1, b: 1 } }, 'wrong')).status).toBe(401);
    const hidden = await modernPost('tools/call', { name: 'math__add', arguments: { a: 1, b: 1 } }, env.NOTES_TOKEN);
    expect(((await hidden.json()) as { error?: { code: number } }).error?.code).toBe(-32602);
    const discover = await modernPost('server/discover', {}, env.CALC_TOKEN);
    expect(discover.status).toBe(200);
    expect(await discover.json()).toMatchObject({ result: { supportedVersions: [MODERN] } });
  });

  it("a listen stream hears only its token's servers", async () => {
    // notes sees plug only: fx's update (sent first) must not reach its stream, plug's must.
    const listen = await modernPost('subscriptions/listen', { notifications: { resourceSubscriptions: ['fx://counter', 'plug://notes/readme'] } }, env.NOTES_TOKEN, 9);
    expect(listen.status).toBe(200);
    const messages = sseMessages(listen);
    expect((await messages.next()).value).toMatchObject({ method: 'notifications/subscriptions/acknowledged' });
    const admin = await connect(gateway.url, env.ADMIN_TOKEN);
    // Each call answers after its server's notification has been published to the streams.
    await admin.callTool({ name: 'fx__touch', arguments: {} });
    await admin.callTool({ name: 'plug__touch', arguments: {} });
    const next: unknown = (await messages.next()).value;
    expect(next).toMatchObject({ method: 'notifications/resources/updated', params: { uri: 'plug://notes/readme' } });
    await messages.return(undefined);
  });
});
