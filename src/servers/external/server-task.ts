/**
 * @module servers/external/server-task
 * One `tools/call` run as the external server's own task, in the 2025-11-25 form of MCP tasks:
 * the call is sent task-augmented (`params.task: { ttl }`), the server answers a
 * `CreateTaskResult` (`task: { taskId, status, ttl, pollInterval, statusMessage, ... }`), and the
 * task is then read with `tasks/get` every `pollInterval` until it ends. Its outcome is fetched
 * with `tasks/result` once it is terminal, or as soon as it is `input_required`: that request
 * blocks until the task ends, and the server sends its elicitation and sampling requests while
 * it is open (they reach the call's `onServerRequest` like any server request), so one
 * `tasks/result` serves the whole rest of the task. Cancelling sends `tasks/cancel`.
 *
 * Sent through the SDK v2 client's raw `request` with result schemas of our own: the SDK keeps
 * the 2025-11-25 task vocabulary (its methods pass its era gate) but has no task runtime of its
 * own, and its `callTool` cannot make a task-augmented call. These calls are rare and slow, so
 * the SDK's per-request cost (the reason the lean call-channel.ts exists) does not matter here.
 */
import { z } from 'zod';
import type { Client } from '@modelcontextprotocol/client';
import type { Call } from '../../engine/call.js';
import type { ServerTaskStatus } from '../../api/manager-types.js';
import { traceparentOf } from '../../engine/tracing.js';
import type { CallToolResult } from '../../wire/mcp-types.js';
import { withoutMetaKey } from './result-meta.js';

/** The SDK's own timer stays out of the way: the engine times calls out (and then cancels them). */
const NO_TIMEOUT_MS = 2_147_483_647;
/** How often a task is read when its server does not say (`pollInterval`). */
const DEFAULT_POLL_MS = 500;
/** Bounds on the server's `pollInterval`: never a busy loop, never minutes without a look. */
const MIN_POLL_MS = 10;
const MAX_POLL_MS = 30_000;
/** How long the `tasks/cancel` of a stopped call may take (nobody waits for it). */
const CANCEL_TIMEOUT_MS = 10_000;
/**
 * The `_meta` key a server ties a task's messages and result to it with: taken out of results, as
 * past mcpool tasks are the gateway's and a server's task id is never shown.
 */
const RELATED_TASK_KEY = 'io.modelcontextprotocol/related-task';

const TaskSchema = z.looseObject({
  taskId: z.string(),
  status: z.enum(['working', 'input_required', 'completed', 'failed', 'cancelled']),
  ttl: z.number().nullable(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  pollInterval: z.number().optional(),
  statusMessage: z.string().optional(),
});
type WireTask = z.infer<typeof TaskSchema>;

/** A task-augmented call's answer: the task, or (a server that ran it at once) the tool's result. */
const CreatedSchema = z.union([z.looseObject({ task: TaskSchema }), z.looseObject({ content: z.array(z.unknown()) })]);
const AnyResultSchema = z.looseObject({});

/** How a server's task ended, for the channel to report. */
export type ServerTaskEnd =
  | { kind: 'result'; result: CallToolResult }
  /** The server answered with a JSON-RPC error (the `ProtocolError` of the SDK). */
  | { kind: 'failed'; error: unknown }
  /** The task itself failed or the server cancelled it. */
  | { kind: 'task'; status: 'failed' | 'cancelled'; message: string; result: Record<string, unknown> | undefined }
  /** We cancelled it: nothing to report. */
  | { kind: 'stopped' };

type Fetched = { ok: true; value: Record<string, unknown> } | { ok: false; error: unknown };

function isTerminal(status: WireTask['status']): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** The task in the flat, millisecond form the engine reports. */
function statusOf(task: WireTask): ServerTaskStatus {
  const status: ServerTaskStatus = { serverTaskId: task.taskId, status: task.status, createdAt: task.createdAt, lastUpdatedAt: task.lastUpdatedAt, ttlMs: task.ttl };
  if (task.statusMessage !== undefined) status.statusMessage = task.statusMessage;
  if (task.pollInterval !== undefined) status.pollIntervalMs = task.pollInterval;
  return status;
}

/** The first text of a tool result, if it has one (what a failed task's result says). */
function textOf(result: Record<string, unknown> | undefined): string | undefined {
  const content = result?.content;
  if (!Array.isArray(content)) return undefined;
  const block = content.find((item): item is { type: 'text'; text: string } => (item as { type?: unknown }).type === 'text' && typeof (item as { text?: unknown }).text === 'string');
  return block?.text;
}

/** One call running as its server's task. */
export class ServerTask {
  readonly #client: Client;
  readonly #call: Call;
  readonly #ttlMs: number;
  /** Aborts the requests and waits in flight once the call is stopped or the connection is gone. */
  readonly #stop = new AbortController();
  /** Aborts the task-augmented call itself: only when a stopped call's server takes too long to say its task's id. */
  readonly #create = new AbortController();
  #taskId: string | undefined;
  /** Set once the call was stopped: then the task is cancelled on the server (once it exists). */
  #stopped: string | undefined;
  /** What was last reported (a task read again unchanged is not reported again). */
  #reported = '';

  constructor(client: Client, call: Call, ttlMs: number) {
    this.#client = client;
    this.#call = call;
    this.#ttlMs = ttlMs;
  }

  /** Runs the task to its end; never rejects. */
  async run(): Promise<ServerTaskEnd> {
    try {
      return await this.#run();
    } catch (error) {
      return this.#stopped === undefined ? { kind: 'failed', error } : { kind: 'stopped' };
    }
  }

  /**
   * Stops the call: the server's task is cancelled (`tasks/cancel`, at once or as soon as the
   * server has said its id), and polling ends. With `tell` false (the connection is gone) the
   * server is not told.
   */
  stop(reason: string, tell = true): void {
    if (this.#stopped !== undefined) return;
    this.#stopped = reason;
    this.#stop.abort(new Error(reason));
    if (this.#taskId !== undefined) {
      if (tell) this.#cancelOnServer(this.#taskId);
      return;
    }
    // Still being created: its answer (the id to cancel) is waited for a while, not forever.
    if (!tell) this.#create.abort(new Error(reason));
    else setTimeout(() => this.#create.abort(new Error(reason)), CANCEL_TIMEOUT_MS).unref();
  }

  async #run(): Promise<ServerTaskEnd> {
    const meta: Record<string, unknown> = {};
    if (this.#call.span !== undefined) meta.traceparent = traceparentOf(this.#call.span);
    const params: Record<string, unknown> = { name: this.#call.tool, arguments: this.#call.args, task: { ttl: this.#ttlMs } };
    if (Object.keys(meta).length > 0) params._meta = meta;
    // Not aborted at once when the call stops: its answer carries the task id the server must be told to cancel.
    const created = await this.#client.request({ method: 'tools/call', params }, CreatedSchema, { signal: this.#create.signal, timeout: NO_TIMEOUT_MS });
    const first = TaskSchema.safeParse(created.task);
    if (!first.success) return { kind: 'result', result: withoutMetaKey(created, RELATED_TASK_KEY) as unknown as CallToolResult };
    let task: WireTask = first.data;
    this.#taskId = task.taskId;
    if (this.#stopped !== undefined) {
      this.#cancelOnServer(task.taskId);
      return { kind: 'stopped' };
    }
    this.#report(task);
    let outcome: Promise<Fetched> | undefined;
    let fetched = false;
    for (;;) {
      // The outcome is asked for once the task ended or wants input (the server then sends its requests while tasks/result is open).
      if (outcome === undefined && (task.status === 'input_required' || task.status === 'completed' || task.status === 'failed')) {
        outcome = this.#fetch(task.taskId).then((answer) => {
          fetched = true;
          return answer;
        });
      }
      if (isTerminal(task.status)) break;
      // The next look: after the server's poll interval, or at once when tasks/result answered (the task has ended).
      const wait = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, task.pollInterval ?? DEFAULT_POLL_MS));
      await (outcome === undefined ? this.#sleep(wait) : Promise.race([this.#sleep(wait), outcome]));
      if (this.#stopped !== undefined) return { kind: 'stopped' };
      task = await this.#get(task.taskId, fetched);
      this.#report(task);
    }
    return this.#end(task, outcome === undefined ? undefined : await outcome);
  }

  /** The call's end from the task's last status and its `tasks/result` answer. */
  #end(task: WireTask, answer: Fetched | undefined): ServerTaskEnd {
    if (this.#stopped !== undefined) return { kind: 'stopped' };
    if (answer !== undefined && !answer.ok) return { kind: 'failed', error: answer.error };
    const result = answer?.value;
    if (task.status === 'completed') return { kind: 'result', result: (result === undefined ? result : withoutMetaKey(result, RELATED_TASK_KEY)) as unknown as CallToolResult };
    const status = task.status === 'cancelled' ? 'cancelled' : 'failed';
    // A failed task's result says why (its status message may still be one of its working ones).
    const message = (status === 'failed' ? textOf(result) : undefined) ?? task.statusMessage ?? (status === 'cancelled' ? 'the server cancelled the task' : 'the task failed');
    return { kind: 'task', status, message, result };
  }

  /** `tasks/get`; a task that already answered `tasks/result` but still reads as running is taken for ended. */
  async #get(taskId: string, fetched: boolean): Promise<WireTask> {
    const task = await this.#client.request({ method: 'tasks/get', params: { taskId } }, TaskSchema, { signal: this.#stop.signal, timeout: NO_TIMEOUT_MS });
    if (fetched && !isTerminal(task.status)) return { ...task, status: 'completed' };
    return task;
  }

  /** `tasks/result` (blocks on the server until the task ends); its answer or error as a value. */
  #fetch(taskId: string): Promise<Fetched> {
    return this.#client.request({ method: 'tasks/result', params: { taskId } }, AnyResultSchema, { signal: this.#stop.signal, timeout: NO_TIMEOUT_MS }).then(
      (value) => ({ ok: true, value }) as const,
      (error: unknown) => ({ ok: false, error }) as const,
    );
  }

  #cancelOnServer(taskId: string): void {
    // Best effort: the call has been answered already; a task that ended meanwhile is refused, which is fine.
    void this.#client.request({ method: 'tasks/cancel', params: { taskId } }, AnyResultSchema, { timeout: CANCEL_TIMEOUT_MS }).catch(() => undefined);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.#stop.signal;
      if (signal.aborted) return resolve();
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      timer.unref();
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #report(task: WireTask): void {
    const onStatus = this.#call.task?.onStatus;
    if (onStatus === undefined) return;
    const status = statusOf(task);
    const key = JSON.stringify(status);
    if (key === this.#reported) return;
    this.#reported = key;
    onStatus(status);
  }
}
