/**
 * @module gateway/tasks/gateway-task
 * One task of the tasks extension (`io.modelcontextprotocol/tasks`): a `tools/call` the gateway
 * runs on after answering it with a `CreateTaskResult`. Its status follows the call: `working`
 * while it runs, `input_required` while its tool waits for the client (the outstanding
 * requests are its `inputRequests`, answered by `tasks/update`), then `completed` with the
 * call's result (a tool error, `isError: true`, included), `failed` with the JSON-RPC error of
 * a protocol-level failure (crash, timeout, missing capability), or `cancelled`.
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
  #terminal: { status: 'completed'; result: Record<string, unknown> } | { status: 'failed'; error: RpcError } | { status: 'cancelled' } | undefined;
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
    this.#terminal = { status: 'cancelled' };
    this.call.onChange = undefined;
    this.call.abort(reason);
    this.#touch();
  }

  /** The task as `tasks/get` and `notifications/tasks` show it. */
  detailed(): DetailedTask {
    const task: DetailedTask = {
      taskId: this.id,
      status: this.status,
      createdAt: this.createdAt.toISOString(),
      lastUpdatedAt: this.lastUpdatedAt.toISOString(),
      ttlMs: this.times.ttlMs,
      pollIntervalMs: this.times.pollIntervalMs,
    };
    const terminal = this.#terminal;
    if (terminal === undefined) {
      if (task.status === 'input_required') task.inputRequests = this.call.inputRequests();
    } else if (terminal.status === 'completed') task.result = terminal.result;
    else if (terminal.status === 'failed') {
      task.error = terminal.error;
      task.statusMessage = terminal.error.message;
    } else task.statusMessage = 'the task was cancelled';
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
    const failure = toolCallFailure(outcome.error);
    // An engine error a client sees as a tool result (INVALID_ARGUMENTS) completes the task; a JSON-RPC error fails it.
    this.#terminal = failure instanceof RpcFailure ? { status: 'failed', error: failure.rpc } : { status: 'completed', result: failure };
  }

  #touch(): void {
    this.lastUpdatedAt = new Date();
    this.onChange?.(this);
  }
}
