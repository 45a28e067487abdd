/**
 * HTTP bodies to the gateway, fuzzed (fast-check): any bytes, any JSON, JSON-RPC shapes with
 * wrong fields. Every request gets an HTTP answer with a status the Streamable HTTP transport
 * defines, never a dropped connection, and the gateway keeps serving.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpManager, startGateway, type RunningGateway } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';

let manager: McpManager;
let gateway: RunningGateway;
let url: string;
let sessionId: string;
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

beforeAll(async () => {
  manager = new McpManager();
  await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2 });
  gateway = await startGateway(manager, { http: { port: 0 } });
  url = gateway.url!;
  const init = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }),
  });
  sessionId = init.headers.get('mcp-session-id')!;
});

afterAll(async () => {
  await gateway.close();
  await manager.shutdown();
});

const statuses = new Set([200, 202, 400, 404, 405, 406, 413, 415, 429]);

describe('HTTP bodies to the gateway', () => {
  it('any body gets a defined HTTP answer and the gateway keeps serving', async () => {
    const methods = fc.constantFrom('tools/call', 'tools/list', 'ping', 'initialize', 'resources/read', 'prompts/get', 'nope', '');
    const rpc = fc.record(
      { jsonrpc: fc.oneof(fc.constant('2.0'), fc.string()), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.object()), method: fc.oneof(methods, fc.anything()), params: fc.oneof(fc.record({ name: fc.constantFrom('faulty__echo', 'faulty__nope', 'x'), arguments: fc.anything() }), fc.anything()) },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      rpc.map((value) => JSON.stringify(value)),
      fc.array(rpc, { maxLength: 5 }).map((batch) => JSON.stringify(batch)),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (text, withSession) => {
        const response = await fetch(url, { method: 'POST', headers: withSession ? { ...headers, 'mcp-session-id': sessionId } : headers, body: text });
        await response.arrayBuffer();
        expect(statuses.has(response.status)).toBe(true);
      }),
      { numRuns: 400 },
    );
    const call = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'tools/call', params: { name: 'faulty__echo', arguments: { value: 'alive' } } }),
    });
    expect(call.status).toBe(200);
    expect(await call.text()).toContain('alive');
  });
});
