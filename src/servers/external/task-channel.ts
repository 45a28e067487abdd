/**
 * @module servers/external/task-channel
 * The tool-call path on a connection to a server of the 2025-11-25 revision, which may run a
 * call as its own task: a call of a tool the server lists with `execution.taskSupport:
 * "required"` (which it refuses to run plainly), or `"optional"` when the caller asked for a
 * task (`ExecuteOptions.task`, as the gateway does for a call that may become one of its own
 * tasks) and the server declares `tasks.requests.tools.call`, runs as a `ServerTask`
 * (server-task.ts); every other call goes the lean way (call-channel.ts). The engine sees one
 * channel either way: calls in flight, cancellation, and failure of all when the connection is
 * lost.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from '@modelcontextprotocol/client';
import type { Call } from '../../engine/call.js';
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import { RpcCode } from '../../errors/jsonrpc.js';
import type { TaskSupport } from '../../wire/mcp-types.js';
import type { ChannelHandlers, ToolChannel } from './call-channel.js';
import { ServerTask, type ServerTaskEnd } from './server-task.js';

/** The protocol versions whose servers run tasks of the 2025-11-25 form. */
const TASK_VERSIONS = new Set(['2025-11-25']);

/** The `ttl` asked for a task of a call without a timeout or a `ttlMs` of its own: an hour. */
const DEFAULT_TTL_MS = 3_600_000;

/** Whether a connection that negotiated `version` may carry server tasks. */
export function runsServerTasks(version: string | undefined): boolean {
  return version !== undefined && TASK_VERSIONS.has(version);
}

/** Calls of one connection: the lean channel's, and those running as the server's tasks. */
export class TaskChannel implements ToolChannel {
  readonly #inner: ToolChannel;
  readonly #client: Client;
  readonly #handlers: ChannelHandlers;
  readonly #server: string;
  /** The server's own `execution.taskSupport` of a tool (not a config's override: the server decides how it must be called). */
  readonly #supportOf: (tool: string) => TaskSupport | undefined;
  readonly #tasks = new Map<Call, ServerTask>();

  constructor(server: string, inner: ToolChannel, client: Client, handlers: ChannelHandlers, supportOf: (tool: string) => TaskSupport | undefined) {
    this.#server = server;
    this.#inner = inner;
    this.#client = client;
    this.#handlers = handlers;
    this.#supportOf = supportOf;
  }

  get calls(): IterableIterator<Call> {
    return this.#all();
  }

  get size(): number {
    return this.#inner.size + this.#tasks.size;
  }

  send(call: Call): void {
    if (!this.#asTask(call)) {
      this.#inner.send(call);
      return;
    }
    const task = new ServerTask(this.#client, call, this.#ttlOf(call));
    this.#tasks.set(call, task);
    call.handle = task;
    void task.run().then((end) => {
      if (this.#tasks.get(call) !== task) return;
      this.#tasks.delete(call);
      this.#deliver(call, end);
    });
  }

  cancel(call: Call, reason: string): void {
    const task = this.#tasks.get(call);
    if (task === undefined) {
      this.#inner.cancel(call, reason);
      return;
    }
    this.#tasks.delete(call);
    task.stop(reason);
  }

  failAll(error: unknown): void {
    this.#inner.failAll(error);
    const tasks = [...this.#tasks];
    this.#tasks.clear();
    for (const [call, task] of tasks) {
      task.stop('the connection was lost', false);
      this.#handlers.failed(call, error);
    }
  }

  *#all(): IterableIterator<Call> {
    yield* this.#inner.calls;
    yield* this.#tasks.keys();
  }

  #asTask(call: Call): boolean {
    const support = this.#supportOf(call.tool);
    if (support === 'required') return true;
    if (support !== 'optional' || call.task === undefined) return false;
    const tasks = (this.#client.getServerCapabilities() as { tasks?: { requests?: { tools?: { call?: unknown } } } } | undefined)?.tasks;
    return tasks?.requests?.tools?.call !== undefined;
  }

  /** The `ttl` to ask: the caller's, else as long as the call may run, else an hour. */
  #ttlOf(call: Call): number {
    const asked = call.task?.ttlMs;
    if (asked !== undefined) return asked;
    return Number.isFinite(call.deadline) ? Math.max(1_000, Math.ceil(call.deadline - performance.now())) : DEFAULT_TTL_MS;
  }

  #deliver(call: Call, end: ServerTaskEnd): void {
    switch (end.kind) {
      case 'stopped':
        return;
      case 'result':
        if (Array.isArray((end.result as { content?: unknown } | undefined)?.content)) this.#handlers.result(call, end.result);
        else this.#handlers.rpcError(call, { code: RpcCode.INTERNAL_ERROR, message: 'the server answered tasks/result without a content array' });
        return;
      case 'failed':
        this.#handlers.failed(call, end.error);
        return;
      case 'task': {
        const data = { taskStatus: end.status, ...(end.result === undefined ? {} : { result: end.result }) };
        // A task the server cancelled is ABORTED (the gateway shows it cancelled); one that failed is the server's failure.
        const code = end.status === 'cancelled' ? ErrorCode.ABORTED : ErrorCode.TRANSPORT_ERROR;
        const what = end.status === 'cancelled' ? 'was cancelled by the server' : 'failed';
        this.#handlers.error(call, new McpoolError(code, `the task of server "${this.#server}" for tool "${call.tool}" ${what}: ${end.message}`, { server: this.#server, tool: call.tool, data }));
        return;
      }
    }
  }
}
