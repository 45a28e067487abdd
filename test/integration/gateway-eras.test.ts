/**
 * Both MCP eras from one gateway endpoint: an SDK v2 client pinned to 2026-07-28 (stateless,
 * MRTR) and SDK v1 / v2 legacy clients (sessions, server-to-client requests), over HTTP and
 * stdio, against the same `mcpool serve`. The worker tools are the conformance fixtures
 * (bench/gateway/conformance-tools.ts), which ask their caller with `ctx.elicit`,
 * `ctx.createMessage` and `ctx.listRoots`; the library's `onServerRequest` answers them too.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpManager, type ServerRequest } from 'mcpool';
import { serveArgs, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';

const toolsModule = fileURLToPath(new URL('../../dist/bench/gateway/conformance-tools.js', import.meta.url));
const config = { mcpServers: { conformance: { type: 'worker', module: toolsModule, threads: 1, prefix: '' } } };

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0] ?? { text: '' }).text;
}

/** An SDK v2 client that speaks 2026-07-28 only, answering elicitation with a name. */
function modernClient(): Client {
  const client = new Client({ name: 'modern', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
  return client;
}

describe('the gateway over HTTP, both eras at one endpoint', () => {
  let gateway: HttpGatewayProcess;
  beforeAll(async () => {
    gateway = await startHttpGateway(config);
  });
  afterAll(async () => {
    await stopProcess(gateway.child);
  });

  it('an SDK v2 client pinned to 2026-07-28 lists tools and answers an MRTR round of a worker tool', async () => {
    const client = modernClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('test_input_required_result_elicitation');
    const simple = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(textOf(simple)).toBe('This is a simple text response for testing.');
    // The tool's ctx.elicit comes back as input_required; the client answers and retries.
    const elicited = await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} });
    expect(textOf(elicited)).toBe('Hello, {"name":"Ada"}');
    await client.close();
  });

  it('raw: a modern request without its envelope is -32602, an unsupported version -32022 with data, initialize 404', async () => {
    const post = (body: unknown, headers: Record<string, string>): Promise<Response> =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
    const meta = (version: string): Record<string, unknown> => ({ 'io.modelcontextprotocol/protocolVersion': version, 'io.modelcontextprotocol/clientCapabilities': {} });
    const noEnvelope = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
    expect(noEnvelope.status).toBe(400);
    expect(await noEnvelope.json()).toMatchObject({ id: 1, error: { code: -32602 } });
    const unsupported = await post({ jsonrpc: '2.0', id: 2, method: 'server/discover', params: { _meta: meta('2099-01-01') } }, { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'server/discover' });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toMatchObject({ id: 2, error: { code: -32022, data: { supported: ['2026-07-28'], requested: '2099-01-01' } } });
    const initialize = await post({ jsonrpc: '2.0', id: 3, method: 'initialize', params: { _meta: meta('2026-07-28') } }, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'initialize' });
    expect(initialize.status).toBe(404);
    expect(await initialize.json()).toMatchObject({ id: 3, error: { code: -32601 } });
    const wrongName = await post(
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'test_simple_text', arguments: {}, _meta: meta('2026-07-28') } },
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': `=?base64?${Buffer.from('other').toString('base64')}?=` },
    );
    expect(wrongName.status).toBe(400);
    expect(await wrongName.json()).toMatchObject({ id: 4, error: { code: -32020 } });
    const discover = await post({ jsonrpc: '2.0', id: 5, method: 'server/discover', params: { _meta: meta('2026-07-28') } }, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' });
    expect(await discover.json()).toMatchObject({ result: { resultType: 'complete', supportedVersions: ['2026-07-28'], ttlMs: 0, cacheScope: 'private' } });
  });

  it('raw: a tampered requestState is refused with -32602', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'test_input_required_result_tampered_state' };
    const params = { name: 'test_input_required_result_tampered_state', arguments: {}, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } };
    const first = (await (await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }) })).json()) as { result: { resultType: string; requestState: string } };
    expect(first.result.resultType).toBe('input_required');
    const retry = { ...params, inputResponses: { confirm: { action: 'accept', content: { ok: true } } }, requestState: `${first.result.requestState}x` };
    const second = (await (await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: retry }) })).json()) as { error?: { code: number } };
    expect(second.error?.code).toBe(-32602);
  });

  it("an SDK v1 (legacy) client gets a worker tool's ctx.elicit as a real elicitation/create request", async () => {
    const client = new ClientV1({ name: 'legacy', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { name: 'Grace' } };
    });
    await client.connect(new HttpTransportV1(new URL(gateway.url)));
    const result = await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} });
    expect(textOf(result)).toBe('Hello, {"name":"Grace"}');
    expect(asked).toEqual(['What is your name?']);
    await client.close();
  });
});

describe('the gateway over stdio, both eras', () => {
  it('an SDK v2 client pinned to 2026-07-28 answers an MRTR round; a legacy SDK v2 client answers the same tool as a request', async () => {
    const params = { command: process.execPath, args: [...serveArgs, '--stdio', '--config', writeConfig(config)], stderr: 'ignore' as const };
    const modern = modernClient();
    await modern.connect(new StdioClientTransport(params));
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(textOf(await modern.callTool({ name: 'test_input_required_result_elicitation', arguments: {} }))).toBe('Hello, {"name":"Ada"}');
    await modern.close();

    const legacy = new Client({ name: 'legacy', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    legacy.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Lin' } }));
    await legacy.connect(new StdioClientTransport(params));
    expect(textOf(await legacy.callTool({ name: 'test_input_required_result_elicitation', arguments: {} }))).toBe('Hello, {"name":"Lin"}');
    await legacy.close();
  });
});

describe("a worker tool's requests to its caller in the library", () => {
  let manager: McpManager;
  beforeAll(async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'c', type: 'worker', module: toolsModule, threads: 1 });
  });
  afterAll(async () => {
    await manager.shutdown();
  });

  it("reach the call's onServerRequest, with the tool's key", async () => {
    const requests: ServerRequest[] = [];
    const onServerRequest = (request: ServerRequest): Promise<Record<string, unknown>> => {
      requests.push(request);
      return Promise.resolve({ roots: [{ uri: 'file:///srv', name: 'srv' }] });
    };
    const result = await manager.executeTool('c', 'test_input_required_result_list_roots', {}, { onServerRequest });
    expect(textOf(result)).toBe('Roots: [{"uri":"file:///srv","name":"srv"}]');
    expect(requests).toEqual([{ server: 'c', method: 'roots/list', params: {}, key: 'client_roots' }]);
  });

  it('reject TRANSPORT_ERROR (data.reason no-client) when no one can answer, and other calls go on', async () => {
    const failed = await manager.executeTool('c', 'test_input_required_result_elicitation', {});
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toContain('no one can answer elicitation/create');
    const captured = await manager.executeTool('c', 'test_input_required_result_capabilities', {});
    expect(textOf(captured)).toBe('not asked, not asked');
    expect(textOf(await manager.executeTool('c', 'test_simple_text', {}))).toBe('This is a simple text response for testing.');
    expect(ErrorCode.TRANSPORT_ERROR).toBe('TRANSPORT_ERROR');
  });

  it('many calls parked on their caller do not hold the thread', async () => {
    const waiting: (() => void)[] = [];
    const onServerRequest = (): Promise<Record<string, unknown>> => new Promise((resolve) => waiting.push(() => resolve({ action: 'accept', content: { name: 'x' } })));
    const parked = Array.from({ length: 8 }, () => manager.executeTool('c', 'test_input_required_result_elicitation', {}, { onServerRequest }));
    while (waiting.length < 8) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(textOf(await manager.executeTool('c', 'test_simple_text', {}))).toBe('This is a simple text response for testing.');
    for (const answer of waiting) answer();
    for (const result of await Promise.all(parked)) expect(textOf(result)).toBe('Hello, {"name":"x"}');
  });
});
