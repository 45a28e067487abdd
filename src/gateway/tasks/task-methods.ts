/**
 * @module gateway/tasks/task-methods
 * The tasks extension's methods, for a request that declared the extension (the caller checks
 * that first, `-32021`): `tasks/get` answers the task's `DetailedTask`; `tasks/update` passes
 * its `inputResponses` to the outstanding requests (partial answers allowed, unknown or answered
 * keys ignored) and acknowledges; `tasks/cancel` cancels (idempotent on an ended task) and
 * acknowledges. Every one names a task of the requesting principal, else `-32602`. The results
 * are `resultType: "complete"`; `tasks/result` and `tasks/list` do not exist (`-32601`).
 */
import { RpcCode, RpcFailure } from '../errors.js';
import type { GatewayTask } from './gateway-task.js';
import type { TaskStore } from './task-store.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `CreateTaskResult` of a new task: flat, no result, error, input requests or state. */
export function createTaskResult(task: GatewayTask): Record<string, unknown> {
  const { taskId, status, statusMessage, createdAt, lastUpdatedAt, ttlMs, pollIntervalMs } = task.detailed();
  return { resultType: 'task', taskId, status, ...(statusMessage === undefined ? {} : { statusMessage }), createdAt, lastUpdatedAt, ttlMs, pollIntervalMs };
}

/** Answers one `tasks/*` request of `principal`; throws `RpcFailure` for the JSON-RPC errors. */
export function taskMethod(store: TaskStore, method: string, params: Record<string, unknown>, principal: string): Record<string, unknown> {
  switch (method) {
    case 'tasks/get':
      return { resultType: 'complete', ...store.get(params.taskId, principal).detailed() };
    case 'tasks/update': {
      const task = store.get(params.taskId, principal);
      if (!isObject(params.inputResponses)) throw new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: 'Invalid params: tasks/update needs "inputResponses", an object of responses by inputRequests key' });
      if (!task.terminal) task.call.answer(params.inputResponses);
      return { resultType: 'complete' };
    }
    case 'tasks/cancel':
      store.get(params.taskId, principal).cancel('cancelled by the client (tasks/cancel)');
      return { resultType: 'complete' };
    default:
      throw new RpcFailure({ code: RpcCode.METHOD_NOT_FOUND, message: `Method not found: ${method}` }, 404);
  }
}
