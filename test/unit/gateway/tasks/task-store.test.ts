/**
 * The tasks extension's store and task status, as a library: real `PendingCall`s (the gateway's
 * call holder) run plain functions, and the store makes tasks of them: ids, owners, status
 * transitions, input, cancellation, expiry and the bound.
 */
import { describe, expect, it } from 'vitest';
import { PendingCall } from '../../../../src/gateway/eras/pending-call.js';
import { RpcFailure } from '../../../../src/gateway/errors.js';
import { McpoolError } from '../../../../src/errors/mcpool-error.js';
import { TaskStore } from '../../../../src/gateway/tasks/task-store.js';
import { createTaskResult, taskMethod } from '../../../../src/gateway/tasks/task-methods.js';

/** A call whose outcome the test decides. */
function controlled(): { call: PendingCall; resolve(result: Record<string, unknown>): void; reject(error: unknown): void } {
  const call = new PendingCall();
  let settle!: { resolve(result: Record<string, unknown>): void; reject(error: unknown): void };
  call.start(() => new Promise<Record<string, unknown>>((resolve, reject) => (settle = { resolve, reject })));
  return { call, resolve: (result) => settle.resolve(result), reject: (error) => settle.reject(error) };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TaskStore', () => {
  it('makes tasks with random ids, owned by their principal; unknown and foreign ids are -32602', () => {
    const store = new TaskStore();
    const a = store.create('Bearer a', controlled().call);
    const b = store.create('Bearer a', controlled().call);
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.get(a.id, 'Bearer a')).toBe(a);
    expect(store.owns(a.id, 'Bearer a')).toBe(true);
    expect(store.owns(a.id, 'Bearer b')).toBe(false);
    for (const [id, principal] of [[a.id, 'Bearer b'], ['nope', 'Bearer a'], [42, 'Bearer a']] as const) {
      const error = (() => {
        try {
          store.get(id, principal);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(RpcFailure);
      expect((error as RpcFailure).rpc.code).toBe(-32602);
    }
    store.close();
  });

  it('follows its call: working, input_required with the outstanding requests, then completed with the result', async () => {
    const store = new TaskStore({ ttlMs: 60_000, pollIntervalMs: 250 });
    const call = new PendingCall();
    call.resume({ elicitation: {} }, undefined);
    call.start(async (pending) => {
      const answer = await pending.handler({ server: 's', method: 'elicitation/create', params: { message: 'name?' }, key: 'name' }, new AbortController().signal);
      return { content: [{ type: 'text', text: `hi ${String((answer.content as { name: string }).name)}` }] };
    });
    const task = store.create('p', call);
    const changes: string[] = [];
    store.onChange = (changed) => changes.push(changed.status);
    await flush();
    expect(createTaskResult(task)).toMatchObject({ resultType: 'task', taskId: task.id, ttlMs: 60_000, pollIntervalMs: 250 });
    expect(taskMethod(store, 'tasks/get', { taskId: task.id }, 'p')).toMatchObject({ resultType: 'complete', status: 'input_required', inputRequests: { name: { method: 'elicitation/create', params: { message: 'name?' } } } });
    expect(taskMethod(store, 'tasks/update', { taskId: task.id, inputResponses: { other: { action: 'accept' } } }, 'p')).toEqual({ resultType: 'complete' });
    expect(task.status).toBe('input_required');
    taskMethod(store, 'tasks/update', { taskId: task.id, inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } } }, 'p');
    await flush();
    expect(taskMethod(store, 'tasks/get', { taskId: task.id }, 'p')).toMatchObject({ status: 'completed', result: { content: [{ text: 'hi Ada' }] } });
    expect(changes).toEqual(['working', 'completed']);
    store.close();
  });

  it('a tool error (isError, INVALID_ARGUMENTS) completes; an engine error fails with the JSON-RPC error; cancel wins and aborts the call', async () => {
    const store = new TaskStore();
    const toolError = controlled();
    const failed = controlled();
    const invalid = controlled();
    const cancelled = controlled();
    const [t1, t2, t3, t4] = [toolError, failed, invalid, cancelled].map(({ call }) => store.create('p', call));
    toolError.resolve({ content: [{ type: 'text', text: 'no' }], isError: true });
    failed.reject(new McpoolError('TIMEOUT', 'too slow'));
    invalid.reject(new McpoolError('INVALID_ARGUMENTS', 'bad args'));
    await flush();
    expect(t1!.detailed()).toMatchObject({ status: 'completed', result: { isError: true } });
    expect(t2!.detailed()).toMatchObject({ status: 'failed', error: { code: -32000, message: 'too slow', data: { code: 'TIMEOUT' } }, statusMessage: 'too slow' });
    expect(t2!.detailed()).not.toHaveProperty('result');
    expect(t3!.detailed()).toMatchObject({ status: 'completed', result: { isError: true, content: [{ text: 'bad args' }] } });
    taskMethod(store, 'tasks/cancel', { taskId: t4!.id }, 'p');
    expect(cancelled.call.cancel.aborted).toBe(true);
    cancelled.resolve({ content: [] });
    await flush();
    expect(t4!.status).toBe('cancelled');
    // Cancelling an ended task is an acknowledged no-op.
    expect(taskMethod(store, 'tasks/cancel', { taskId: t1!.id }, 'p')).toEqual({ resultType: 'complete' });
    expect(t1!.status).toBe('completed');
    store.close();
  });

  it('expires a task ttlMs after its creation (cancelling it if it still runs) and refuses tasks past maxTasks', async () => {
    const store = new TaskStore({ ttlMs: 50, maxTasks: 1 });
    const running = controlled();
    const task = store.create('p', running.call);
    expect(() => store.create('p', controlled().call)).toThrow(expect.objectContaining({ code: 'OVERLOADED' }) as Error);
    // Waits for the expiry (however late a busy machine fires its timer).
    while (store.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running.call.cancel.aborted).toBe(true);
    expect(() => store.get(task.id, 'p')).toThrow(RpcFailure);
    expect(store.size).toBe(0);
    store.create('p', controlled().call);
    store.close();
  });
});
