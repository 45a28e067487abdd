/**
 * SSE resumability of the session era (MCP 2025-11-25, SEP-1699) on the HTTP gateway: event ids
 * and a priming event on every stream, a GET with Last-Event-ID that replays what the client
 * missed on that stream, SSE polling (the gateway closes a long call's stream, the client
 * resumes it), a dropped stream that is not resumed in time cancelling its call. Raw HTTP shows
 * the wire; the SDK v1 and v2 clients show that real clients resume on their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpManager, startGateway, type RunningGateway } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';
import { eventually } from '../support/processes.js';
import { messageOf, sseEvents, type SseEvent } from '../support/sse.js';

const CLOSE_AFTER_MS = 300;
let manager: McpManager;
/** Polls: streams of calls running past CLOSE_AFTER_MS are closed. */
let polling: RunningGateway;
/** Never closes a stream itself; a dropped stream waits 400 ms to be resumed. */
let plain: RunningGateway;

beforeAll(async () => {
  manager = new McpManager();
  await manager.deployServer({ name: 'fx', type: 'stdio', command: process.execPath, args: [fixtureModule('mcp-stdio-server')] });
  polling = await startGateway(manager, { http: { port: 0, sseCloseAfterMs: CLOSE_AFTER_MS, sseRetryMs: 50 } });
  plain = await startGateway(manager, { http: { port: 0, sseReplayMs: 400 } });
});
afterAll(async () => {
  await polling?.close();
  await plain?.close();
  await manager?.shutdown();
});

const BOTH = 'application/json, text/event-stream';

async function initialize(url: string, protocolVersion = '2025-11-25'): Promise<Record<string, string>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: BOTH },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });
  await response.text();
  return { 'mcp-session-id': response.headers.get('mcp-session-id')!, 'mcp-protocol-version': protocolVersion };
}

function post(url: string, session: Record<string, string>, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: BOTH, ...session }, body: JSON.stringify(body), signal: signal ?? null });
}

function resume(url: string, session: Record<string, string>, lastEventId: string): Promise<Response> {
  return fetch(url, { headers: { accept: 'text/event-stream', 'last-event-id': lastEventId, ...session } });
}

/** Reads a stream to its end (or until a response to `id`), then resumes it until that response comes, as a client does. */
async function untilResponse(url: string, session: Record<string, string>, first: Response, id: number): Promise<{ events: SseEvent[]; resumes: number }> {
  const events: SseEvent[] = [];
  let response = first;
  let lastId: string | undefined;
  for (let resumes = 0; ; resumes++) {
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    for await (const event of sseEvents(response)) {
      events.push(event);
      if (event.id !== undefined) lastId = event.id;
      if (messageOf(event)?.id === id) return { events, resumes };
    }
    expect(lastId).toBeDefined();
    response = await resume(url, session, lastId!);
    expect(response.status).toBe(200);
  }
}

function cancelledCount(): Promise<number> {
  return manager.executeTool('fx', 'cancelled_count', {}).then((result) => Number((result.content[0] as unknown as { text: string }).text));
}

describe('SSE streams of the session era are resumable (SEP-1699)', () => {
  it('polling: a long call gets a priming event, its stream is closed mid-call, and a GET with Last-Event-ID delivers the result', async () => {
    const session = await initialize(polling.url!);
    const response = await post(polling.url!, session, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'fx__sleep', arguments: { ms: 900 } } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const before: SseEvent[] = [];
    for await (const event of sseEvents(response)) before.push(event);
    // Only the priming event (an id, the retry, no data): the gateway closed the stream before the result.
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ data: '', retry: 50 });
    expect(before[0]!.id).toMatch(/^\d+-\d+$/);
    const { events } = await untilResponse(polling.url!, session, await resume(polling.url!, session, before[0]!.id!), 7);
    const result = messageOf(events.at(-1)!) as { result: { content: { text: string }[] } };
    expect(result.result.content[0]!.text).toBe('slept 900');
    expect(events.at(-1)!.id).toMatch(/^\d+-\d+$/);
  });

  it('a dropped stream is resumed from the last event the client saw: the rest comes once, nothing twice', async () => {
    const session = await initialize(plain.url!);
    const controller = new AbortController();
    const response = await post(plain.url!, session, { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'fx__sleep', arguments: { ms: 200, steps: 3 }, _meta: { progressToken: 'p' } } }, controller.signal);
    const seen: SseEvent[] = [];
    for await (const event of sseEvents(response)) {
      seen.push(event);
      // The priming event and the first progress notification, then the connection drops.
      if (seen.length === 2) break;
    }
    controller.abort();
    expect(messageOf(seen[1]!)).toMatchObject({ method: 'notifications/progress', params: { progress: 1 } });
    const { events } = await untilResponse(plain.url!, session, await resume(plain.url!, session, seen[1]!.id!), 8);
    const messages = events.map(messageOf);
    expect(messages.slice(0, 2)).toMatchObject([{ params: { progress: 2 } }, { params: { progress: 3 } }]);
    expect(messages.at(-1)).toMatchObject({ id: 8, result: { content: [{ text: 'slept 200' }] } });
    expect(messages).toHaveLength(3);
  });

  it('a dropped stream that is not resumed in time cancels its call; an unknown Last-Event-ID is 400', async () => {
    const session = await initialize(plain.url!);
    const before = await cancelledCount();
    const controller = new AbortController();
    const response = await post(plain.url!, session, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'fx__sleep', arguments: { ms: 60_000, steps: 1 }, _meta: { progressToken: 'p' } } }, controller.signal);
    let lastId: string | undefined;
    for await (const event of sseEvents(response)) {
      lastId = event.id;
      if (messageOf(event) !== undefined) break;
    }
    controller.abort();
    await eventually(async () => ((await cancelledCount()) > before ? true : undefined));
    const gone = await resume(plain.url!, session, lastId!);
    expect(gone.status).toBe(400);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toContain('Last-Event-ID');
    expect((await resume(plain.url!, session, 'not-an-id')).status).toBe(400);
  });

  it('clients older than 2025-11-25 get ids on their events but no priming event (they cannot read empty data)', async () => {
    const session = await initialize(plain.url!, '2025-06-18');
    const response = await post(plain.url!, session, { jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'fx__sleep', arguments: { ms: 10, steps: 1 }, _meta: { progressToken: 'p' } } });
    const events: SseEvent[] = [];
    for await (const event of sseEvents(response)) events.push(event);
    expect(events.map((event) => event.data === '')).toEqual([false, false]);
    expect(events.every((event) => /^\d+-\d+$/.test(event.id ?? ''))).toBe(true);
  });

  it('the GET stream replays the notifications the client missed while it was away', async () => {
    const session = await initialize(plain.url!);
    const controller = new AbortController();
    const stream = await fetch(plain.url!, { headers: { accept: 'text/event-stream', ...session }, signal: controller.signal });
    const events = sseEvents(stream);
    const priming = (await events.next()).value as SseEvent;
    expect(priming.data).toBe('');
    controller.abort();
    // Subscribed, then away: the resource update is kept for the stream and replayed on resume.
    await post(plain.url!, session, { jsonrpc: '2.0', id: 11, method: 'resources/subscribe', params: { uri: 'fx://counter' } }).then((r) => r.text());
    await post(plain.url!, session, { jsonrpc: '2.0', id: 12, method: 'tools/call', params: { name: 'fx__touch', arguments: {} } }).then((r) => r.text());
    const resumeController = new AbortController();
    const resumed = await fetch(plain.url!, { headers: { accept: 'text/event-stream', 'last-event-id': priming.id!, ...session }, signal: resumeController.signal });
    expect(resumed.status).toBe(200);
    for await (const event of sseEvents(resumed)) {
      const message = messageOf(event);
      if (message?.method === 'notifications/resources/updated') {
        expect(message).toMatchObject({ params: { uri: 'fx://counter' } });
        break;
      }
    }
    resumeController.abort();
  });
});

describe('the SDK clients resume polled streams on their own', () => {
  it('an SDK v2 client gets the result and the progress of a call whose stream the gateway closed', async () => {
    const client = new Client({ name: 'v2', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(polling.url!)));
    try {
      const progress: number[] = [];
      const result = await client.callTool({ name: 'fx__sleep', arguments: { ms: 800, steps: 2 } }, { onprogress: (update) => progress.push(update.progress) });
      expect(result.content).toEqual([{ type: 'text', text: 'slept 800' }]);
      expect(progress).toEqual([1, 2]);
    } finally {
      await client.close();
    }
  });

  it('an SDK v1 client too', async () => {
    const client = new ClientV1({ name: 'v1', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransportV1(new URL(polling.url!)));
    try {
      const result = await client.callTool({ name: 'fx__sleep', arguments: { ms: 800 } });
      expect(result.content).toEqual([{ type: 'text', text: 'slept 800' }]);
    } finally {
      await client.close();
    }
  });
});
