/**
 * @module gateway/tasks/task-store
 * The gateway's tasks, in memory: ids from `crypto.randomUUID()` (unguessable), each owned by
 * the principal (bearer token) that created it, kept after the client goes away until its TTL
 * from creation ends (a task still running then is cancelled), and bounded in number: when the
 * store is full, a new task is refused with `OVERLOADED` (never an early expiry of another's).
 * Unknown ids and other principals' tasks look the same: `-32602`.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import { RpcCode, RpcFailure } from '../errors.js';
import { digestOf } from '../eras/request-state.js';
import type { PendingCall } from '../eras/pending-call.js';
import { GatewayTask, type TaskTimes } from './gateway-task.js';

/** The limits of the task store. */
export interface TaskLimits extends TaskTimes {
  /** Tasks kept at once (running and ended, until their TTL ends). */
  maxTasks: number;
}

/** The default limits: an hour of life, polls every half second, 10 000 tasks. */
export const DEFAULT_TASK_LIMITS: TaskLimits = { ttlMs: 3_600_000, pollIntervalMs: 500, maxTasks: 10_000 };

interface Entry {
  task: GatewayTask;
  timer: NodeJS.Timeout;
}

/** Every task of one gateway. */
export class TaskStore {
  readonly #limits: TaskLimits;
  readonly #tasks = new Map<string, Entry>();
  /** Told when a task changes (for `notifications/tasks`). */
  onChange: ((task: GatewayTask) => void) | undefined;

  constructor(limits: { [Key in keyof TaskLimits]?: TaskLimits[Key] | undefined } = {}) {
    this.#limits = {
      ttlMs: limits.ttlMs ?? DEFAULT_TASK_LIMITS.ttlMs,
      pollIntervalMs: limits.pollIntervalMs ?? DEFAULT_TASK_LIMITS.pollIntervalMs,
      maxTasks: limits.maxTasks ?? DEFAULT_TASK_LIMITS.maxTasks,
    };
  }

  /** How long a task is kept from its creation (what the gateway asks of a server that runs a call as its own task). */
  get ttlMs(): number {
    return this.#limits.ttlMs;
  }

  /** Tasks held. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Makes `call` a task of `principal`; `OVERLOADED` when the store is full. */
  create(principal: string, call: PendingCall): GatewayTask {
    const { maxTasks, ttlMs, pollIntervalMs } = this.#limits;
    if (this.#tasks.size >= maxTasks) {
      throw new McpoolError(ErrorCode.OVERLOADED, `the gateway holds its maximum of ${maxTasks} tasks (each kept ${ttlMs} ms from its creation): try again when some have expired`, {
        data: { maxTasks, retryAfterMs: Math.min(ttlMs, 60_000) },
      });
    }
    const task = new GatewayTask(randomUUID(), digestOf(principal), { ttlMs, pollIntervalMs }, call);
    task.onChange = (changed) => this.onChange?.(changed);
    const timer = setTimeout(() => this.#expire(task.id), ttlMs);
    timer.unref();
    this.#tasks.set(task.id, { task, timer });
    return task;
  }

  /** The task `principal` owns under `taskId`; `-32602` when there is none (or it is another's). */
  get(taskId: unknown, principal: string): GatewayTask {
    if (typeof taskId !== 'string') throw new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: 'Invalid params: "taskId" must be a string' });
    const task = this.#tasks.get(taskId)?.task;
    if (task === undefined || task.owner !== digestOf(principal)) throw new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: `Failed to retrieve task: Task not found (${taskId}: unknown, expired or not yours)` });
    return task;
  }

  /** Whether `principal` owns the task `taskId`. */
  owns(taskId: string, principal: string): boolean {
    return this.#tasks.get(taskId)?.task.owner === digestOf(principal);
  }

  /** Cancels every running task and forgets all (the gateway is closing). */
  close(): void {
    for (const { task, timer } of this.#tasks.values()) {
      clearTimeout(timer);
      task.onChange = undefined;
      task.cancel('the gateway is shutting down');
    }
    this.#tasks.clear();
  }

  #expire(taskId: string): void {
    const entry = this.#tasks.get(taskId);
    if (entry === undefined) return;
    this.#tasks.delete(taskId);
    entry.task.onChange = undefined;
    entry.task.cancel('the task outlived its ttlMs');
  }
}
