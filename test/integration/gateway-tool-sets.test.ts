/**
 * Client tool sets (`gateway.clients`) and search mode (`gateway.toolSearch`), through
 * `mcpool serve --http` as a child process and the SDK client: each token sees and calls only
 * its servers and tools, a hidden tool answers as an unknown one (-32602), `/metrics` only for
 * a client allowed it, and without a known token everything is 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exampleModule, fixtureModule } from '../support/helpers.js';
import { startHttpGateway, type HttpGatewayProcess } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';

const servers = {
  math: { type: 'worker', module: exampleModule('math'), threads: 1 },
  fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] },
};
const env = { CALC_TOKEN: 'calc-token-1', OPS_TOKEN: 'ops-token-2' };

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

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'tool-sets', version: '1.0.0' });
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

  it('a 2026-07-28 stateless request with a known token is refused while client tool sets are on, never shown every tool', async () => {
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${env.CALC_TOKEN}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: meta } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { id: unknown; result?: unknown; error?: { code: number } };
    expect(body.id).toBe(7);
    expect(body.result).toBeUndefined();
    expect(body.error?.code).toBe(-32600);
  });
});
