/**
 * The tasks extension (`io.modelcontextprotocol/tasks`) through the real gateway over HTTP on
 * 127.0.0.1, with raw JSON-RPC requests of the 2026-07-28 era (every request on a connection of
 * its own, closed after it, so no client outlives its request): a worker tool's call becomes a
 * task, its status and result are read with `tasks/get`, input goes through `tasks/update`,
 * `tasks/cancel` really aborts the tool's `ctx.signal` (the tool leaves a marker file), a task
 * belongs to the token (a `gateway.clients` client) that made it, and the store's TTL and
 * bound hold.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, parseConfig, startGateway, type McpoolError, type RunningGateway } from 'mcpool';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { fixtureModule } from '../support/helpers.js';
import { serveArgs, startHttpGateway, writeConfig } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';

const TASKS = 'io.modelcontextprotocol/tasks';

/** A message of a listen stream. */
interface Message {
  method: string;
  params: Record<string, unknown> & { status?: string; notifications?: unknown };
}

/** The parts of results these tests read (tasks, acknowledgements, listings). */
type Result = Record<string, unknown> & {
  resultType?: string;
  taskId?: string;
  status?: string;
  inputRequests?: Record<string, unknown>;
  requestState?: string;
  error?: unknown;
  capabilities?: { extensions?: unknown };
};

interface Answer {
  status: number;
  body: { result?: Result; error?: { code: number; message: string; data?: unknown } };
}

/** One 2026-07-28 request on a fresh connection (closed after it). */
function rpc(url: string, method: string, params: Record<string, unknown>, options: { token?: string | undefined; tasks?: boolean; capabilities?: Record<string, unknown> } = {}): Promise<Answer> {
  const capabilities = { ...options.capabilities, ...(options.tasks === false ? {} : { extensions: { [TASKS]: {} } }) };
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': capabilities } } });
  const name = typeof params.name === 'string' ? params.name : typeof params.taskId === 'string' ? params.taskId : undefined;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        // An SSE answer ends with the response; a JSON answer is the response.
        const json = (res.headers['content-type'] ?? '').includes('text/event-stream') ? text.split('\n').filter((line) => line.startsWith('data: ')).at(-1)!.slice(6) : text;
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(json) as Answer['body'] });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Calls `until` every 50 ms until it returns a value (at most 20 s). */
async function eventually<T>(until: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await until();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the condition was not met within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `tasks/get` until the task's status is one of `statuses`. */
async function statusOf(url: string, taskId: string, statuses: string[], token?: string): Promise<Result> {
  return eventually(async () => {
    const { result } = (await rpc(url, 'tasks/get', { taskId }, { token })).body;
    return result !== undefined && statuses.includes(result.status ?? '') ? result : undefined;
  });
}

let manager: McpManager;
let gateway: RunningGateway;
let url: string;

beforeAll(async () => {
  manager = new McpManager();
  await manager.deployServer({ name: 't', type: 'worker', module: fixtureModule('task-tools'), threads: 2, tools: { hang: { timeoutMs: 300 }, quick: { taskSupport: 'required' } } });
  gateway = await startGateway(manager, { prefixes: { t: '' }, http: { port: 0, clients: { alice: { token: 'alice-token' }, bob: { token: 'bob-token' } } }, tasks: { promoteAfterMs: 100, pollIntervalMs: 100 } });
  url = gateway.url!;
});
afterAll(async () => {
  await gateway.close();
  await manager.shutdown();
});

const alice = { token: 'alice-token' };

describe('tasks through the gateway (2026-07-28, HTTP)', () => {
  it('advertises the extension and lists each tool\'s declared task support (the config overrides it)', async () => {
    const discover = await rpc(url, 'server/discover', {}, alice);
    expect(discover.body.result!.capabilities?.extensions).toEqual({ [TASKS]: {} });
    const { tools } = (await rpc(url, 'tools/list', {}, alice)).body.result as { tools: { name: string; execution?: { taskSupport: string } }[] };
    const support = Object.fromEntries(tools.map((tool) => [tool.name, tool.execution?.taskSupport]));
    expect(support).toMatchObject({ ask_first: 'required', required: 'required', never: 'forbidden', quick: 'required', work: undefined });
  });

  it('runs a long call as a task: a flat CreateTaskResult, working, then completed with the original result', async () => {
    const created = (await rpc(url, 'tools/call', { name: 'work', arguments: { ms: 600 } }, alice)).body.result!;
    expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 3_600_000, pollIntervalMs: 100 });
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'lastUpdatedAt', 'pollIntervalMs', 'resultType', 'status', 'taskId', 'ttlMs']);
    expect(created.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(created.createdAt as string).toISOString()).toBe(created.createdAt);
    // Readable at once (the task exists before its CreateTaskResult is sent).
    const working = (await rpc(url, 'tasks/get', { taskId: created.taskId }, alice)).body.result!;
    expect(working).toMatchObject({ resultType: 'complete', taskId: created.taskId, status: 'working' });
    expect(working).not.toHaveProperty('result');
    const done = await statusOf(url, created.taskId as string, ['completed', 'failed', 'cancelled'], alice.token);
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'worked 600 ms' }] } });
    expect(done).not.toHaveProperty('error');
  });

  it('never makes a task without the extension, for a forbidden tool, or of a fast optional call', async () => {
    expect((await rpc(url, 'tools/call', { name: 'work', arguments: { ms: 400 } }, { ...alice, tasks: false })).body.result).toMatchObject({ resultType: 'complete', content: [{ text: 'worked 400 ms' }] });
    expect((await rpc(url, 'tools/call', { name: 'never', arguments: {} }, alice)).body.result).toMatchObject({ resultType: 'complete', content: [{ text: 'never a task' }] });
    expect((await rpc(url, 'tools/call', { name: 'work', arguments: { ms: 0 } }, alice)).body.result).toMatchObject({ resultType: 'complete', content: [{ text: 'worked 0 ms' }] });
    // A task-required tool is a task even when it answers at once (the config made `quick` one).
    const required = (await rpc(url, 'tools/call', { name: 'quick', arguments: {} }, alice)).body.result!;
    expect(required.resultType).toBe('task');
    expect(await statusOf(url, required.taskId as string, ['completed'], alice.token)).toMatchObject({ result: { content: [{ text: 'quick' }] } });
  });

  it('a tool error completes the task (isError); a protocol-level failure (its timeout) fails it with the JSON-RPC error', async () => {
    const toolError = (await rpc(url, 'tools/call', { name: 'tool_error', arguments: {} }, alice)).body.result!;
    expect(await statusOf(url, toolError.taskId as string, ['completed', 'failed'], alice.token)).toMatchObject({ status: 'completed', result: { isError: true, content: [{ text: 'the tool failed' }] } });
    const hang = (await rpc(url, 'tools/call', { name: 'hang', arguments: {} }, alice)).body.result!;
    const failed = await statusOf(url, hang.taskId as string, ['completed', 'failed'], alice.token);
    expect(failed).toMatchObject({ status: 'failed', error: { code: -32000, data: { code: 'TIMEOUT' } } });
    expect(failed).not.toHaveProperty('result');
  });

  it('tasks/cancel aborts the worker tool (its ctx.signal fires: the marker file appears), and is idempotent', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'mcpool-tasks-')), 'aborted');
    const created = (await rpc(url, 'tools/call', { name: 'cancellable', arguments: { marker } }, alice)).body.result!;
    expect(created.resultType).toBe('task');
    expect(existsSync(marker)).toBe(false);
    expect((await rpc(url, 'tasks/cancel', { taskId: created.taskId }, alice)).body.result).toEqual({ resultType: 'complete' });
    expect((await rpc(url, 'tasks/get', { taskId: created.taskId }, alice)).body.result).toMatchObject({ status: 'cancelled' });
    await eventually(() => Promise.resolve(existsSync(marker) ? true : undefined));
    expect((await rpc(url, 'tasks/cancel', { taskId: created.taskId }, alice)).body.result).toEqual({ resultType: 'complete' });
    expect((await rpc(url, 'tasks/get', { taskId: created.taskId }, alice)).body.result).toMatchObject({ status: 'cancelled' });
  });

  it('input during a task: input_required with every outstanding request, partial answers, unknown keys ignored', async () => {
    const created = (await rpc(url, 'tools/call', { name: 'ask_twice', arguments: {} }, { ...alice, capabilities: { elicitation: {} } })).body.result!;
    expect(created.resultType).toBe('task');
    const taskId = created.taskId as string;
    const asking = await eventually(async () => {
      const task = (await rpc(url, 'tasks/get', { taskId }, alice)).body.result!;
      return Object.keys(task.inputRequests ?? {}).length === 2 ? task : undefined;
    });
    expect(asking).toMatchObject({ status: 'input_required', inputRequests: { first: { method: 'elicitation/create', params: { message: 'First?' } }, second: { method: 'elicitation/create' } } });
    expect((await rpc(url, 'tasks/update', { taskId, inputResponses: { nope: { action: 'accept', content: { name: 'x' } } } }, alice)).body.result).toEqual({ resultType: 'complete' });
    expect((await rpc(url, 'tasks/update', { taskId, inputResponses: { first: { action: 'accept', content: { name: 'Ada' } } } }, alice)).body.result).toEqual({ resultType: 'complete' });
    const half = (await rpc(url, 'tasks/get', { taskId }, alice)).body.result!;
    expect(half.status).toBe('input_required');
    expect(Object.keys(half.inputRequests as object)).toEqual(['second']);
    // An answered key is ignored from now on.
    await rpc(url, 'tasks/update', { taskId, inputResponses: { first: { action: 'accept', content: { name: 'Eve' } }, second: { action: 'accept', content: { name: 'Lin' } } } }, alice);
    expect(await statusOf(url, taskId, ['completed', 'failed'], alice.token)).toMatchObject({ status: 'completed', result: { content: [{ text: 'Ada and Lin' }] } });
  });

  it('a request without the elicitation capability fails the task that needed it (-32021)', async () => {
    const answer = (await rpc(url, 'tools/call', { name: 'ask', arguments: {} }, alice)).body;
    // The tool asked at once, without the capability: its call failed before it could become a task (or its task failed).
    const failure = answer.result?.resultType === 'task' ? (await statusOf(url, answer.result.taskId as string, ['failed'], alice.token)).error : answer.error;
    expect(failure).toMatchObject({ code: -32021, data: { requiredCapabilities: { elicitation: {} } } });
  });

  it('MRTR rounds first, then the task: a beforeTask request is an input_required round, its answer makes the task', async () => {
    const capabilities = { elicitation: {} };
    const first = (await rpc(url, 'tools/call', { name: 'ask_first', arguments: {} }, { ...alice, capabilities })).body.result!;
    expect(first).toMatchObject({ resultType: 'input_required', inputRequests: { name: { method: 'elicitation/create' } } });
    expect(first).not.toHaveProperty('taskId');
    const second = (await rpc(url, 'tools/call', { name: 'ask_first', arguments: {}, inputResponses: { name: { action: 'accept', content: { name: 'Bo' } } }, requestState: first.requestState }, { ...alice, capabilities })).body.result!;
    expect(second).toMatchObject({ resultType: 'task' });
    expect(second).not.toHaveProperty('requestState');
    expect(await statusOf(url, second.taskId as string, ['completed', 'failed'], alice.token)).toMatchObject({ status: 'completed', result: { content: [{ text: 'Later, Bo!' }] } });
  });

  it('state outlives the client: the connection that made the task is gone, another one with the same token reads the result; another token cannot', async () => {
    // Every rpc() is its own connection, closed once answered: the creating client has gone away.
    const created = (await rpc(url, 'tools/call', { name: 'work', arguments: { ms: 300 } }, alice)).body.result!;
    const taskId = created.taskId as string;
    const refused = await rpc(url, 'tasks/get', { taskId }, { token: 'bob-token' });
    expect(refused.body.error).toMatchObject({ code: -32602 });
    expect((await rpc(url, 'tasks/cancel', { taskId }, { token: 'bob-token' })).body.error).toMatchObject({ code: -32602 });
    expect((await rpc(url, 'tasks/update', { taskId, inputResponses: {} }, { token: 'bob-token' })).body.error).toMatchObject({ code: -32602 });
    expect(await statusOf(url, taskId, ['completed'], alice.token)).toMatchObject({ result: { content: [{ text: 'worked 300 ms' }] } });
  });

  it('notifications/tasks reach a listen stream that asked for the task id (its owner only), each a full task', async () => {
    const created = (await rpc(url, 'tools/call', { name: 'work', arguments: { ms: 300 } }, alice)).body.result!;
    const taskId = created.taskId!;
    const listen = (token: string, controller: AbortController): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        signal: controller.signal,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'subscriptions/listen', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'listen-1',
          method: 'subscriptions/listen',
          params: { notifications: { taskIds: [taskId] }, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS]: {} } } } },
        }),
      });
    /** Reads SSE messages until `done` says stop. */
    async function read(response: Response, done: (messages: Message[]) => boolean): Promise<Message[]> {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      const messages: Message[] = [];
      let text = '';
      while (!done(messages)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        text += decoder.decode(value, { stream: true });
        const events = text.split('\n\n');
        text = events.pop()!;
        for (const event of events) for (const line of event.split('\n')) if (line.startsWith('data: ')) messages.push(JSON.parse(line.slice(6)) as Message);
      }
      return messages;
    }
    const mine = new AbortController();
    const theirs = new AbortController();
    try {
      const [own, other] = await Promise.all([listen('alice-token', mine), listen('bob-token', theirs)]);
      const otherAck = await read(other, (messages) => messages.length > 0);
      // Another principal's task id is not honoured.
      expect(otherAck[0]).toMatchObject({ method: 'notifications/subscriptions/acknowledged', params: { notifications: {} } });
      expect(otherAck[0]!.params.notifications).not.toHaveProperty('taskIds');
      const messages = await read(own, (got) => got.some((message) => message.params.status === 'completed'));
      expect(messages[0]).toMatchObject({ method: 'notifications/subscriptions/acknowledged', params: { notifications: { taskIds: [taskId] } } });
      const completed = messages.find((message) => message.params.status === 'completed')!;
      expect(completed).toMatchObject({ method: 'notifications/tasks', params: { taskId, status: 'completed', result: { content: [{ text: 'worked 300 ms' }] }, _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' } } });
    } finally {
      mine.abort();
      theirs.abort();
    }
  });

  it('a session (legacy) client gets no tasks: no taskSupport listed, a task-required tool is a plain call (SDK v1)', async () => {
    const client = new ClientV1({ name: 'legacy', version: '1.0.0' });
    await client.connect(new HttpTransportV1(new URL(url), { requestInit: { headers: { authorization: 'Bearer alice-token' } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.find((tool) => tool.name === 'required')).not.toHaveProperty('execution');
      expect(await client.callTool({ name: 'required', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'required done' }] });
      expect(await client.callTool({ name: 'work', arguments: { ms: 300 } })).toMatchObject({ content: [{ text: 'worked 300 ms' }] });
    } finally {
      await client.close();
    }
  });

  it('error cases: -32021 without the extension (tasks/*, task-required tools), -32602 unknown ids, -32601 tasks/result and tasks/list', async () => {
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const answer = await rpc(url, method, { taskId: 'x', inputResponses: {} }, { ...alice, tasks: false });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS]: {} } } } });
    }
    const required = await rpc(url, 'tools/call', { name: 'required', arguments: {} }, { ...alice, tasks: false });
    expect(required.body.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS]: {} } } } });
    expect((await rpc(url, 'tasks/get', { taskId: 'no-such-task' }, alice)).body.error).toMatchObject({ code: -32602 });
    expect((await rpc(url, 'tasks/cancel', { taskId: 'no-such-task' }, alice)).body.error).toMatchObject({ code: -32602 });
    expect((await rpc(url, 'tasks/result', { taskId: 'no-such-task' }, alice)).body.error).toMatchObject({ code: -32601 });
    expect((await rpc(url, 'tasks/list', {}, alice)).body.error).toMatchObject({ code: -32601 });
  });
});

describe('the task store\'s bounds through the gateway', () => {
  it('a task expires ttlMs after its creation; past maxTasks a new task is refused OVERLOADED (429)', async () => {
    const small = await startGateway(manager, { prefixes: { t: '' }, http: { port: 0 }, tasks: { ttlMs: 1_000, maxTasks: 2, promoteAfterMs: 50 } });
    const at = small.url!;
    try {
      const marker = join(mkdtempSync(join(tmpdir(), 'mcpool-tasks-')), 'aborted');
      const one = (await rpc(at, 'tools/call', { name: 'cancellable', arguments: { marker } })).body.result!;
      const two = (await rpc(at, 'tools/call', { name: 'work', arguments: { ms: 200 } })).body.result!;
      expect([one.resultType, two.resultType]).toEqual(['task', 'task']);
      expect(one.ttlMs).toBe(1_000);
      const third = await rpc(at, 'tools/call', { name: 'work', arguments: { ms: 200 } });
      expect(third.status).toBe(429);
      expect(third.body.error).toMatchObject({ data: { code: 'OVERLOADED' }, message: expect.stringContaining('maximum of 2 tasks') as string });
      // Both expire (the running one is cancelled: its tool sees ctx.signal), and the store has room again.
      await eventually(async () => ((await rpc(at, 'tasks/get', { taskId: one.taskId })).body.error?.code === -32602 ? true : undefined));
      await eventually(async () => ((await rpc(at, 'tasks/get', { taskId: two.taskId })).body.error?.code === -32602 ? true : undefined));
      await eventually(() => Promise.resolve(existsSync(marker) ? true : undefined));
      expect((await rpc(at, 'tools/call', { name: 'work', arguments: { ms: 200 } })).body.result).toMatchObject({ resultType: 'task' });
    } finally {
      await small.close();
    }
  });
});

describe('taskSupport declarations', () => {
  it('a config entry overrides per tool (validated; unknown keys still refused); a bad defineServer value fails the deployment', async () => {
    const config = parseConfig({ mcpServers: { t: { type: 'worker', module: fixtureModule('task-tools'), tools: { work: { taskSupport: 'required' } } } } }, '/');
    expect(config.servers[0]).toMatchObject({ tools: { work: { taskSupport: 'required' } } });
    expect(() => parseConfig({ mcpServers: { t: { type: 'worker', module: 'x.js', tools: { work: { taskSupport: 'always' } } } } }, '/')).toThrow(/mcpServers\.t\.tools\.work\.taskSupport/);
    expect(() => parseConfig({ mcpServers: { t: { type: 'worker', module: 'x.js', tools: { work: { taskSuport: 'required' } } } } }, '/')).toThrow(/taskSuport: unknown key/);
    const other = new McpManager();
    try {
      await other.deployServer({ name: 'o', type: 'worker', module: fixtureModule('task-tools'), threads: 1, tools: { work: { taskSupport: 'forbidden' } } });
      expect((await other.listTools('o')).find((tool) => tool.name === 'work')?.execution).toEqual({ taskSupport: 'forbidden' });
      const bad = (await other.deployServer({ name: 'bad', type: 'worker', module: fixtureModule('bad-task-support'), threads: 1 }).catch((error: unknown) => error)) as McpoolError;
      expect(bad.code).toBe(ErrorCode.SERVER_UNAVAILABLE);
      expect(bad.message).toMatch(/taskSupport must be "forbidden", "optional" or "required"/);
    } finally {
      await other.shutdown();
    }
  });
});

describe('mcpool serve', () => {
  it('reads gateway.tasks and the tools\' taskSupport from the config (unknown keys refused)', async () => {
    expect(() => parseConfig({ mcpServers: {}, gateway: { tasks: { ttl: 5 } } }, '/')).toThrow(/gateway\.tasks\.ttl: unknown key/);
    const served = await startHttpGateway({
      mcpServers: { t: { type: 'worker', module: fixtureModule('task-tools'), threads: 1, prefix: '', tools: { work: { taskSupport: 'required' } } } },
      gateway: { tasks: { ttlMs: 120_000, pollIntervalMs: 750 } },
    });
    try {
      const created = (await rpc(served.url, 'tools/call', { name: 'work', arguments: { ms: 0 } })).body.result!;
      expect(created).toMatchObject({ resultType: 'task', ttlMs: 120_000, pollIntervalMs: 750 });
      expect(await statusOf(served.url, created.taskId!, ['completed'])).toMatchObject({ result: { content: [{ text: 'worked 0 ms' }] } });
    } finally {
      await stopProcess(served.child);
    }
  });
});

describe('tasks over stdio', () => {
  it('a 2026-07-28 tools/call becomes a task and tasks/get reads its result (the stdio connection is its principal)', async () => {
    const child = spawn(process.execPath, [...serveArgs, '--stdio', '--config', writeConfig({ mcpServers: { t: { type: 'worker', module: fixtureModule('task-tools'), threads: 1, prefix: '' } } })], { stdio: ['pipe', 'pipe', 'ignore'] });
    const answers = new Map<number, (message: { result?: Result; error?: { code: number } }) => void>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { id?: number; result?: Result; error?: { code: number } };
      if (typeof message.id === 'number') answers.get(message.id)?.(message);
    });
    let next = 0;
    const send = (method: string, params: Record<string, unknown>): Promise<{ result?: Result; error?: { code: number } }> => {
      const id = ++next;
      const answer = new Promise<{ result?: Result; error?: { code: number } }>((resolve) => answers.set(id, resolve));
      const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS]: {} } } };
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } })}\n`);
      return answer;
    };
    try {
      const created = (await send('tools/call', { name: 'work', arguments: { ms: 500 } })).result!;
      expect(created).toMatchObject({ resultType: 'task', status: 'working' });
      const done = await eventually(async () => {
        const task = (await send('tasks/get', { taskId: created.taskId })).result!;
        return task.status === 'completed' ? task : undefined;
      });
      expect(done).toMatchObject({ result: { content: [{ text: 'worked 500 ms' }] } });
      expect((await send('tasks/get', { taskId: 'nope' })).error).toMatchObject({ code: -32602 });
    } finally {
      await stopProcess(child);
    }
  });
});
