/**
 * OpenTelemetry traces with the SDK's in-memory exporter registered (the user's part): a
 * `traceparent` sent by the client in `_meta` is the parent of the gateway's span, the
 * manager's call span is its child, and the trace goes on to an external server in the
 * request's `_meta.traceparent`. Through the library gateway over HTTP and the SDK client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpManager, startGateway, type RunningGateway } from 'mcpool';
import { exampleModule, fixtureModule } from '../support/helpers.js';

const exporter = new InMemorySpanExporter();
let manager: McpManager;
let gateway: RunningGateway;
let client: Client;

beforeAll(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  manager = new McpManager();
  await manager.deployServer({ name: 'math', type: 'worker', module: exampleModule('math'), threads: 1 });
  await manager.deployServer({ name: 'fx', type: 'stdio', command: process.execPath, args: [fixtureModule('mcp-stdio-server')] });
  gateway = await startGateway(manager, { http: { port: 0 } });
  client = new Client({ name: 'traced', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url!)));
});
afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await manager?.shutdown();
  trace.disable();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

describe('traces', () => {
  it("continues the client's traceparent: gateway span, then the manager's call span, for a worker tool", async () => {
    exporter.reset();
    const result = await client.callTool({ name: 'math__add', arguments: { a: 1, b: 2 }, _meta: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` } });
    expect(result.structuredContent).toEqual({ sum: 3 });
    const spans = exporter.getFinishedSpans();
    const gatewaySpan = spans.find((span) => span.name === 'tools/call math__add');
    const callSpan = spans.find((span) => span.name === 'mcpool.call math/add');
    expect(gatewaySpan?.spanContext().traceId).toBe(TRACE_ID);
    expect(gatewaySpan?.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    expect(callSpan?.spanContext().traceId).toBe(TRACE_ID);
    expect(callSpan?.parentSpanContext?.spanId).toBe(gatewaySpan?.spanContext().spanId);
    expect(callSpan?.attributes['mcpool.server.type']).toBe('worker');
  });

  it('passes the trace on to an external server in _meta.traceparent', async () => {
    exporter.reset();
    const result = (await client.callTool({ name: 'fx__trace', arguments: {}, _meta: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` } })) as { content: { text: string }[] };
    const callSpan = exporter.getFinishedSpans().find((span) => span.name === 'mcpool.call fx/trace');
    expect(callSpan).toBeDefined();
    expect(result.content[0]!.text).toBe(`00-${TRACE_ID}-${callSpan!.spanContext().spanId}-01`);
  });

  it('a call without a traceparent starts a new trace; a failed call ends its span with the error code', async () => {
    exporter.reset();
    await expect(manager.executeTool('math', 'add', { a: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });
    const span = exporter.getFinishedSpans().find((item) => item.name === 'mcpool.call math/add');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.attributes['mcpool.error.code']).toBe('INVALID_ARGUMENTS');
  });
});
