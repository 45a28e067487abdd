import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ErrorCode, McpManager, startGateway, type McpoolError, type RunningGateway } from 'mcpool';
import { exampleModule, fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await manager?.shutdown();
  manager = undefined;
});

describe('startGateway (the library entry point)', () => {
  it('serves an in-process manager over HTTP on a free port, with a session SSE stream on GET /mcp', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'calc', type: 'worker', module: exampleModule('math'), threads: 1 });
    gateway = await startGateway(manager, { prefixes: { calc: 'c.' }, http: { port: 0 } });
    const url = gateway.url!;
    const client = new Client({ name: 'lib', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('c.add');
      expect((await client.callTool({ name: 'c.add', arguments: { a: 1, b: 1 } })).structuredContent).toEqual({ sum: 2 });
      const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
      const controller = new AbortController();
      const stream = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId }, signal: controller.signal });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      controller.abort();
      const wrongMethod = await fetch(url, { method: 'PUT' });
      expect(wrongMethod.status).toBe(405);
    } finally {
      await client.close();
    }
  });

  it('relays a tool\'s log records to the session\'s GET stream as notifications/message', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'noisy', type: 'worker', module: fixtureModule('noisy'), threads: 1 });
    gateway = await startGateway(manager, { http: { port: 0 } });
    const url = gateway.url!;
    const client = new Client({ name: 'lib', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const controller = new AbortController();
    try {
      const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
      const stream = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId }, signal: controller.signal });
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      await client.callTool({ name: 'noisy__shout', arguments: { text: 'over http' } });
      let text = '';
      while (!text.includes('notifications/message')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain('"logger":"noisy/shout"');
      expect(text).toContain('"said":"over http"');
    } finally {
      controller.abort();
      await client.close();
    }
  });
  it('refuses to start (INVALID_CONFIG) when two servers would expose one tool, prompt or resource name', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'one', type: 'worker', module: exampleModule('math'), threads: 1 });
    await manager.deployServer({ name: 'two', type: 'worker', module: exampleModule('math'), threads: 1 });
    const tools = (await startGateway(manager, { prefixes: { one: '', two: '' }, http: { port: 0 } }).catch((e: unknown) => e)) as McpoolError;
    expect(tools).toMatchObject({ code: ErrorCode.INVALID_CONFIG, message: expect.stringContaining('tool name "add" is exposed by both') as string });
    await manager.shutdown();
    // Two copies of a server whose tool names differ but whose resource names are the same.
    manager = new McpManager();
    const fixture = (name: string, toolPrefix: string) =>
      manager!.deployServer({ name, type: 'stdio', command: process.execPath, args: [fixtureModule('mcp-stdio-server')], env: { FIXTURE_TOOL_PREFIX: toolPrefix } });
    await Promise.all([fixture('left', 'l_'), fixture('right', 'r_')]);
    const resources = (await startGateway(manager, { prefixes: { left: '', right: '' }, http: { port: 0 } }).catch((e: unknown) => e)) as McpoolError;
    expect(resources).toMatchObject({ code: ErrorCode.INVALID_CONFIG, message: expect.stringContaining('resource name "counter" is exposed by both') as string });
    // With a prefix on one of them, the same servers are served.
    gateway = await startGateway(manager, { prefixes: { left: '' }, http: { port: 0 } });
    expect(gateway.url).toBeDefined();
  });
});
