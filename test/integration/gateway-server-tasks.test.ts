/**
 * A 2025-11-25 server's own tasks behind the gateway: an SDK v1 (1.32) stdio server whose tools
 * run as its tasks (`experimental.tasks.registerToolTask`, test/fixtures/v1-task-server.ts),
 * fronted by `mcpool serve --http` (a child process). A modern client (SDK v2, 2026-07-28, the
 * tasks extension declared) gets the server's task as the gateway's, flat and renamed
 * (`ttlMs`, `pollIntervalMs`, `statusMessage` from the server's), follows it with `tasks/get`,
 * answers the server's elicitation during the task through `tasks/get` / `tasks/update`,
 * cancels it (the server hears of it), sees one fail; a legacy client (SDK v1) just gets the
 * results; the library's `executeTool` too. A server that dies mid-task fails the task and
 * nothing else.
 *
 * SDK v2 has no client side of the tasks extension (its `request` refuses `resultType: "task"`
 * as an unsupported result), so the CreateTaskResult is read off its transport as it passes;
 * `tasks/get` and `tasks/cancel` go through its `request` with a result schema.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { McpManager, type McpoolError, type ServerTaskStatus } from 'mcpool';
import { startHttpGateway, type HttpGatewayProcess } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { stopProcess } from '../support/processes.js';

const TASKS = 'io.modelcontextprotocol/tasks';
const fixture = fixtureModule('v1-task-server');
const AnyResult = z.looseObject({});

/** A task as the gateway shows it (the parts these tests read). */
type Task = Record<string, unknown> & { taskId: string; status: string; statusMessage?: string; result?: { content: { text: string }[] }; error?: { code: number; message: string } };

let gateway: HttpGatewayProcess;
let modern: Client;

beforeAll(async () => {
  gateway = await startHttpGateway({
    mcpServers: { v: { command: process.execPath, args: [fixture] } },
    gateway: { tasks: { promoteAfterMs: 100 } },
  });
  modern = new Client({ name: 'modern', version: '1.0.0' }, { capabilities: { elicitation: { form: {} }, extensions: { [TASKS]: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await modern.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
});
afterAll(async () => {
  await modern?.close();
  await stopProcess(gateway?.child);
});

/** A `tools/call` of the modern client: the gateway's CreateTaskResult (read off the transport), or the complete result. */
async function call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const transport = modern.transport!;
  const sdk = transport.onmessage;
  let created: Record<string, unknown> | undefined;
  transport.onmessage = (message, extra) => {
    const result = (message as { result?: Record<string, unknown> }).result;
    if (result?.resultType === 'task') created = result;
    sdk?.(message, extra);
  };
  try {
    return await modern.request({ method: 'tools/call', params: { name, arguments: args } }, AnyResult);
  } catch (error) {
    if (created !== undefined) return created;
    throw error;
  } finally {
    transport.onmessage = sdk;
  }
}

async function getTask(taskId: string): Promise<Task> {
  return (await modern.request({ method: 'tasks/get', params: { taskId } }, AnyResult)) as Task;
}

/** `tasks/get` every 50 ms until the task is in one of `statuses` (at most 20 s). */
async function until(taskId: string, statuses: string[]): Promise<Task> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const task = await getTask(taskId);
    if (statuses.includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is still ${task.status} after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ENDED = ['completed', 'failed', 'cancelled'];

describe('a 2025-11-25 server\'s own tasks, to a modern client', () => {
  it('lists the server\'s task support', async () => {
    // Raw: the SDK's own listTools drops execution.taskSupport in this era (the extension is not its).
    const { tools } = (await modern.request({ method: 'tools/list', params: {} }, AnyResult)) as { tools: { name: string; execution?: { taskSupport?: string } }[] };
    const support = Object.fromEntries(tools.map((tool) => [tool.name, tool.execution?.taskSupport]));
    expect(support).toMatchObject({ v__slow: 'required', v__maybe: 'optional', v__crash: 'required' });
  });

  it('shows the server\'s task as the gateway\'s, flat and renamed, until it completes with the server\'s result', async () => {
    const created = await call('v__slow', { ms: 600 });
    // The server's ttl (it keeps tasks 120 s, less than the gateway's hour) and poll interval (50 ms), under the gateway's id.
    expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 120_000, pollIntervalMs: 50 });
    expect(created.taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(created).not.toHaveProperty('task');
    const done = await until(created.taskId as string, ENDED);
    expect(done).toMatchObject({ taskId: created.taskId, status: 'completed', statusMessage: 'halfway', ttlMs: 120_000, pollIntervalMs: 50, result: { content: [{ type: 'text', text: 'slept 600 ms' }] } });
    // The server's own task id does not come through (its related-task _meta is dropped).
    expect(JSON.stringify(done)).not.toContain('related-task');
  });

  it('runs an optional tool as the server\'s task when the call becomes a task', async () => {
    const created = await call('v__maybe', { ms: 600 });
    expect(created).toMatchObject({ resultType: 'task', pollIntervalMs: 50, ttlMs: 120_000 });
    expect(await until(created.taskId as string, ENDED)).toMatchObject({ status: 'completed', result: { content: [{ text: 'slept 600 ms' }] } });
  });

  it('relays tasks/cancel: the gateway\'s task is cancelled and the server stops its own', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'mcpool-server-task-')), 'cancelled');
    const created = await call('v__slow', { ms: 20_000, marker });
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    // The acknowledgement is empty (the SDK takes its resultType off).
    expect(await modern.request({ method: 'tasks/cancel', params: { taskId: created.taskId } }, AnyResult)).toEqual({});
    expect(await getTask(created.taskId as string)).toMatchObject({ status: 'cancelled' });
    const deadline = Date.now() + 20_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(marker)).toBe(true);
  });

  it('puts the server\'s elicitation during its task to the client as the task\'s input_required, answered by tasks/update', async () => {
    const created = await call('v__ask', {});
    const asking = await until(created.taskId as string, ['input_required', ...ENDED]);
    expect(asking).toMatchObject({ status: 'input_required', statusMessage: 'waiting for a name' });
    const [key, request] = Object.entries(asking.inputRequests as Record<string, { method: string; params: { message: string } }>)[0]!;
    expect(request).toMatchObject({ method: 'elicitation/create', params: { message: 'Your name?' } });
    await modern.request({ method: 'tasks/update', params: { taskId: created.taskId, inputResponses: { [key]: { action: 'accept', content: { name: 'Ada' } } } } }, AnyResult);
    expect(await until(created.taskId as string, ENDED)).toMatchObject({ status: 'completed', result: { content: [{ text: 'Hello, Ada' }] } });
  });

  it('fails the task with a JSON-RPC error when the server\'s task fails', async () => {
    const created = await call('v__slow', { ms: 400, fail: true });
    const failed = await until(created.taskId as string, ENDED);
    expect(failed).toMatchObject({ status: 'failed', error: { code: -32000, message: expect.stringContaining('it broke') as unknown } });
    expect(failed).not.toHaveProperty('result');
  });

  it('fails the task when the server dies mid-task; the server\'s other calls go on once it is back', async () => {
    const created = await call('v__crash', {});
    expect(created).toMatchObject({ resultType: 'task' });
    expect(await until(created.taskId as string, ENDED)).toMatchObject({ status: 'failed', error: { code: -32000 } });
    // The child is started again (with backoff): the next calls work, a task included.
    const deadline = Date.now() + 30_000;
    let echoed: Record<string, unknown> | undefined;
    while (echoed === undefined) {
      echoed = await modern.callTool({ name: 'v__echo', arguments: { message: 'still here' } }).then(
        (result) => (result.isError === true ? undefined : (result as Record<string, unknown>)),
        () => undefined,
      );
      if (echoed === undefined && Date.now() > deadline) throw new Error('the server did not come back within 30 s');
      if (echoed === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(echoed).toMatchObject({ content: [{ text: 'still here' }] });
    const again = await call('v__slow', { ms: 200 });
    expect(await until(again.taskId as string, ENDED)).toMatchObject({ status: 'completed', result: { content: [{ text: 'slept 200 ms' }] } });
  });
});

describe('a 2025-11-25 server\'s own tasks, to a legacy client and the library', () => {
  it('gives a legacy client (SDK v1) the final results of plain calls, and the server\'s requests as requests', async () => {
    const client = new ClientV1({ name: 'legacy', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Grace' } }));
    await client.connect(new HttpTransportV1(new URL(gateway.url)));
    try {
      const { tools } = await client.listTools();
      expect(tools.find((tool) => tool.name === 'v__slow')?.execution?.taskSupport).toBeUndefined();
      const slow = await client.callTool({ name: 'v__slow', arguments: { ms: 200 } });
      expect(slow).toEqual({ content: [{ type: 'text', text: 'slept 200 ms' }] });
      // The server's elicitation during its task reaches a legacy client as a real request.
      expect(await client.callTool({ name: 'v__ask', arguments: {} })).toEqual({ content: [{ type: 'text', text: 'Hello, Grace' }] });
      expect(await client.callTool({ name: 'v__maybe', arguments: { ms: 200 } })).toEqual({ content: [{ type: 'text', text: 'slept 200 ms' }] });
      const failed = await client.callTool({ name: 'v__slow', arguments: { ms: 100, fail: true } }).then(
        () => undefined,
        (error: unknown) => error as { code: number; message: string },
      );
      expect(failed).toMatchObject({ code: -32000, message: expect.stringContaining('it broke') as unknown });
    } finally {
      await client.close();
    }
  });

  it('gives executeTool the final result, and its task\'s statuses to onStatus', async () => {
    const manager = new McpManager();
    try {
      await manager.deployServer({ name: 'v', type: 'stdio', command: process.execPath, args: [fixture] });
      const seen: ServerTaskStatus[] = [];
      const result = await manager.executeTool('v', 'slow', { ms: 300 }, { task: { ttlMs: 60_000, onStatus: (status) => seen.push(status) } });
      expect(result).toEqual({ content: [{ type: 'text', text: 'slept 300 ms' }] });
      expect(seen.at(0)).toMatchObject({ status: 'working', ttlMs: 60_000, pollIntervalMs: 50 });
      expect(seen.at(-1)).toMatchObject({ status: 'completed', statusMessage: 'halfway' });
      expect(new Set(seen.map((status) => status.serverTaskId)).size).toBe(1);
      // Without the option: a required tool still runs as the server's task, an optional one plainly.
      expect(await manager.executeTool('v', 'slow', { ms: 100 })).toEqual({ content: [{ type: 'text', text: 'slept 100 ms' }] });
      expect(await manager.executeTool('v', 'maybe', { ms: 100 })).toEqual({ content: [{ type: 'text', text: 'slept 100 ms' }] });
      const failure = await manager.executeTool('v', 'slow', { ms: 100, fail: true }).then(
        () => undefined,
        (error: unknown) => error as McpoolError,
      );
      expect(failure).toMatchObject({ code: 'TRANSPORT_ERROR', data: { taskStatus: 'failed' } });
      expect(failure?.message).toContain('it broke');
    } finally {
      await manager.shutdown();
    }
  });
});
