/**
 * @module gateway/tasks/gateway-task
 * One task of the tasks extension (`io.modelcontextprotocol/tasks`): a `tools/call` the gateway
 * runs on after answering it with a `CreateTaskResult`. Its status follows the call: `working`
 * while it runs, `input_required` while its tool waits for the client (the outstanding
 * requests are its `inputRequests`, answered by `tasks/update`), then `completed` with the
 * call's result (a tool error, `isError: true`, included), `failed` with the JSON-RPC error of
 * a protocol-level failure (crash, timeout, missing capability), or `cancelled`.
 *
 * A call an external server runs as its own task (a 2025-11-25 server's: nested `task`, `ttl`,
 * `pollInterval`) shows through it flattened and renamed: the server's `statusMessage`, its
 * `ttl` as `ttlMs` (at most the gateway's own, which bounds how long the task is kept here) and
 * its `pollInterval` as `pollIntervalMs`. The id stays the gateway's (unguessable, owned by the
 * creating token); the server's id never reaches the client. A server task that failed fails
 * this one with the JSON-RPC error of the call; one the server cancelled is `cancelled`.
 */
import { RpcFailure, toolCallFailure, type RpcError } from '../errors.js';
import type { PendingCall } from '../eras/pending-call.js';

/** The statuses of a task. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** The wire form of a task (`DetailedTask`, without `resultType`). */
export interface DetailedTask {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs?: number;
  inputRequests?: Record<string, { method: string; params: Record<string, unknown> }>;
  result?: Record<string, unknown>;
  error?: RpcError;
}

/** How long a task lives and how often its client should poll it. */
export interface TaskTimes {
  ttlMs: number;
  pollIntervalMs: number;
}

/** A task: its call and, once it ended, its outcome. */
export class GatewayTask {
  readonly createdAt = new Date();
  lastUpdatedAt = this.createdAt;
  /** Set once terminal: the outcome the task keeps until it expires. */
  #terminal: { status: 'completed'; result: Record<string, unknown> } | { status: 'failed'; error: RpcError } | { status: 'cancelled'; message: string } | undefined;
  /** Told when the status (or the outstanding requests) changed. */
  onChange: ((task: GatewayTask) => void) | undefined;

  constructor(
    readonly id: string,
    /** Digest of the principal (token) that created it: only it may read, update or cancel it. */
    readonly owner: string,
    readonly times: TaskTimes,
    readonly call: PendingCall,
  ) {
    call.onProgress = undefined;
    call.onChange = () => this.#changed();
    if (call.outcome !== undefined) this.#end();
  }

  /** Whether the task has ended (its outcome is kept until it expires). */
  get terminal(): boolean {
    return this.#terminal !== undefined;
  }

  /** The current status. */
  get status(): TaskStatus {
    if (this.#terminal !== undefined) return this.#terminal.status;
    return this.call.asking > 0 ? 'input_required' : 'working';
  }

  /** Stops the call (`tasks/cancel`, cooperative: a worker tool's `ctx.signal` aborts); the task is `cancelled` at once. */
  cancel(reason: string): void {
    if (this.#terminal !== undefined) return;
    this.#terminal = { status: 'cancelled', message: 'the task was cancelled' };
    this.call.onChange = undefined;
    this.call.abort(reason);
    this.#touch();
  }

  /** The task as `tasks/get` and `notifications/tasks` show it. */
  detailed(): DetailedTask {
    const server = this.call.serverTask;
    const task: DetailedTask = {
      taskId: this.id,
      status: this.status,
      createdAt: this.createdAt.toISOString(),
      lastUpdatedAt: this.lastUpdatedAt.toISOString(),
      // A server's own task: its ttl (bounded by how long the gateway keeps the task) and poll interval, renamed.
      ttlMs: server === undefined || server.ttlMs === null ? this.times.ttlMs : Math.min(server.ttlMs, this.times.ttlMs),
      pollIntervalMs: server?.pollIntervalMs ?? this.times.pollIntervalMs,
    };
    const terminal = this.#terminal;
    if (terminal === undefined) {
      if (server?.statusMessage !== undefined) task.statusMessage = server.statusMessage;
      if (task.status === 'input_required') task.inputRequests = this.call.inputRequests();
    } else if (terminal.status === 'completed') {
      task.result = terminal.result;
      if (server?.statusMessage !== undefined) task.statusMessage = server.statusMessage;
    } else if (terminal.status === 'failed') {
      task.error = terminal.error;
      task.statusMessage = terminal.error.message;
    } else task.statusMessage = terminal.message;
    return task;
  }

  #changed(): void {
    if (this.#terminal !== undefined) return;
    if (this.call.outcome !== undefined) this.#end();
    this.#touch();
  }

  /** Keeps the call's outcome as the task's. */
  #end(): void {
    const outcome = this.call.outcome!;
    this.call.onChange = undefined;
    const missing = this.call.missingCapabilityError();
    if (outcome.ok) {
      this.#terminal = missing !== undefined && outcome.result.isError === true ? { status: 'failed', error: missing } : { status: 'completed', result: outcome.result };
      return;
    }
    if (missing !== undefined) {
      this.#terminal = { status: 'failed', error: missing };
      return;
    }
    if (this.call.serverTask?.status === 'cancelled') {
      // The server cancelled its own task: so is this one.
      this.#terminal = { status: 'cancelled', message: this.call.serverTask.statusMessage ?? 'the server cancelled the task' };
      return;
    }
    const failure = toolCallFailure(outcome.error);
    // An engine error a client sees as a tool result (INVALID_ARGUMENTS) completes the task; a JSON-RPC error fails it.
    this.#terminal = failure instanceof RpcFailure ? { status: 'failed', error: failure.rpc } : { status: 'completed', result: failure };
  }

  #touch(): void {
    this.lastUpdatedAt = new Date();
    this.onChange?.(this);
  }
}
