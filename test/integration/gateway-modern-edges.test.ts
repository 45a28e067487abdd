/**
 * Edges of the stateless era (MCP 2026-07-28) on `mcpool serve`: custom parameter headers
 * (`x-mcp-header` / `Mcp-Param-*`, SEP-2243) checked against the body of a worker tool's call,
 * and logs that follow the request's `_meta` log level (none without one), over HTTP and stdio.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveArgs, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { stopProcess } from '../support/processes.js';
import { messageOf, sseEvents } from '../support/sse.js';

const config = { mcpServers: { edge: { type: 'worker', module: fixtureModule('edge-tools'), threads: 1, prefix: '' } } };
const VERSION = '2026-07-28';

function meta(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': {}, ...extra };
}

let gateway: HttpGatewayProcess;
beforeAll(async () => {
  gateway = await startHttpGateway(config);
});
afterAll(async () => {
  await stopProcess(gateway?.child);
});

/** A modern tools/call as raw HTTP, with the standard headers and `extra` ones. */
function call(name: string, args: Record<string, unknown>, extra: Record<string, string>, metaExtra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': name, ...extra },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: meta(metaExtra) } }),
  });
}

describe('Mcp-Param-* headers (x-mcp-header) of a worker tool', () => {
  it('the tool lists its x-mcp-header declarations, and an SDK v2 client that mirrors them is served', async () => {
    const client = new Client({ name: 'modern', version: '1.0.0' }, { versionNegotiation: { mode: { pin: VERSION } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      const { tools } = await client.listTools();
      const routed = tools.find((tool) => tool.name === 'routed')!;
      expect(routed.inputSchema.properties).toMatchObject({ region: { 'x-mcp-header': 'Region' }, count: { 'x-mcp-header': 'Count' } });
      const result = await client.callTool({ name: 'routed', arguments: { region: 'eu-west-1', count: 3 } });
      expect(result.structuredContent).toEqual({ region: 'eu-west-1', count: 3 });
    } finally {
      await client.close();
    }
  });

  it('raw: matching headers (plain, base64, a number as text) are accepted; a missing, mismatched or broken one is -32020 / 400', async () => {
    const ok = await call('routed', { region: 'Hello', count: 42 }, { 'mcp-param-region': `=?base64?${Buffer.from('Hello').toString('base64')}?=`, 'mcp-param-count': '42' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { structuredContent: unknown } }).result.structuredContent).toEqual({ region: 'Hello', count: 42 });
    // Without the optional argument, its header is not expected.
    expect((await call('routed', { region: 'x' }, { 'mcp-param-region': 'x' })).status).toBe(200);
    for (const headers of [{}, { 'mcp-param-region': 'elsewhere' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' }, { 'mcp-param-region': 'Hello', 'mcp-param-count': '41' }]) {
      const refused = await call('routed', { region: 'Hello', count: 42 }, headers);
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { id: unknown; error: { code: number; message: string } };
      expect(body.id).toBe(1);
      expect(body.error.code).toBe(-32020);
      expect(body.error.message).toContain('Mcp-Param-');
    }
  });
});

describe('logs of a modern request follow its _meta log level', () => {
  it('over HTTP: the records at or above the level come on the request stream before the result; none without a level', async () => {
    const response = await call('chatty', {}, {}, { 'io.modelcontextprotocol/logLevel': 'info' });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const messages: Record<string, unknown>[] = [];
    for await (const event of sseEvents(response)) {
      const message = messageOf(event);
      if (message !== undefined) messages.push(message);
    }
    expect(messages.map((message) => message.method ?? 'result')).toEqual(['notifications/message', 'notifications/message', 'result']);
    expect(messages.slice(0, 2).map((message) => (message.params as { level: string }).level)).toEqual(['info', 'error']);
    expect(messages[0]).toMatchObject({ params: { logger: 'edge/chatty', data: 'an info record' } });
    const quiet = await call('chatty', {}, {});
    expect(quiet.headers.get('content-type')).toContain('application/json');
    expect(await quiet.json()).toMatchObject({ result: { content: [{ text: 'logged' }] } });
  });

  it('over stdio: the same, and a modern client gets no session-wide logs', async () => {
    const child = spawn(process.execPath, [...serveArgs, '--stdio', '--config', writeConfig(config)], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const received: Record<string, unknown>[] = [];
      const waiters: (() => void)[] = [];
      lines.on('line', (line) => {
        received.push(JSON.parse(line) as Record<string, unknown>);
        for (const wake of waiters.splice(0)) wake();
      });
      const responseTo = async (id: number): Promise<void> => {
        while (!received.some((message) => message.id === id)) await new Promise<void>((resolve) => waiters.push(resolve));
      };
      const send = (id: number, logLevel?: string): void => {
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'chatty', arguments: {}, _meta: meta(logLevel === undefined ? {} : { 'io.modelcontextprotocol/logLevel': logLevel }) } })}\n`);
      };
      send(1);
      await responseTo(1);
      send(2, 'error');
      await responseTo(2);
      // The first call logged nothing to this client; the second only its error record, before its result.
      expect(received.map((message) => message.method ?? `result ${String(message.id)}`)).toEqual(['result 1', 'notifications/message', 'result 2']);
      expect(received[1]).toMatchObject({ params: { level: 'error', data: 'an error record' } });
    } finally {
      child.stdin.end();
      await stopProcess(child);
    }
  });
});
