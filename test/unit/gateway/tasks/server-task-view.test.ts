/**
 * A call that runs as an external server's own task (a 2025-11-25 server's), as the gateway's
 * task shows it: the server's status message, `ttl` (bounded by the gateway's own) as `ttlMs`
 * and `pollInterval` as `pollIntervalMs`; the gateway's id, never the server's; a task the server
 * cancelled is `cancelled`, one that failed is `failed` with the call's JSON-RPC error.
 */
import { describe, expect, it } from 'vitest';
import { PendingCall } from '../../../../src/gateway/eras/pending-call.js';
import { McpoolError } from '../../../../src/errors/mcpool-error.js';
import { TaskStore } from '../../../../src/gateway/tasks/task-store.js';
import { createTaskResult } from '../../../../src/gateway/tasks/task-methods.js';
import type { ServerTaskStatus } from '../../../../src/api/manager-types.js';

function controlled(): { call: PendingCall; resolve: (result: Record<string, unknown>) => void; reject: (error: unknown) => void } {
  const call = new PendingCall();
  let settle!: { resolve(result: Record<string, unknown>): void; reject(error: unknown): void };
  call.start(() => new Promise<Record<string, unknown>>((resolve, reject) => (settle = { resolve, reject })));
  return { call, resolve: (result) => settle.resolve(result), reject: (error) => settle.reject(error) };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function serverTask(status: ServerTaskStatus['status'], more: Partial<ServerTaskStatus> = {}): ServerTaskStatus {
  return { serverTaskId: 'abc123', status, createdAt: '2026-01-01T00:00:00.000Z', lastUpdatedAt: '2026-01-01T00:00:00.000Z', ttlMs: 120_000, pollIntervalMs: 50, ...more };
}

describe('a server task through a gateway task', () => {
  it('shows the server\'s ttl, poll interval and status message, renamed and under the gateway\'s id', async () => {
    const store = new TaskStore({ ttlMs: 600_000, pollIntervalMs: 500 });
    const { call, resolve } = controlled();
    call.serverTaskChanged(serverTask('working'));
    const task = store.create('p', call);
    expect(createTaskResult(task)).toMatchObject({ resultType: 'task', taskId: task.id, status: 'working', ttlMs: 120_000, pollIntervalMs: 50 });
    const before = task.lastUpdatedAt;
    await new Promise((done) => setTimeout(done, 5));
    call.serverTaskChanged(serverTask('working', { statusMessage: 'halfway' }));
    expect(task.detailed()).toMatchObject({ status: 'working', statusMessage: 'halfway' });
    expect(task.lastUpdatedAt.getTime()).toBeGreaterThan(before.getTime());
    resolve({ content: [{ type: 'text', text: 'done' }] });
    await flush();
    expect(task.detailed()).toMatchObject({ status: 'completed', statusMessage: 'halfway', result: { content: [{ text: 'done' }] } });
    expect(JSON.stringify(task.detailed())).not.toContain('abc123');
    store.close();
  });

  it('bounds the ttl by the gateway\'s (and takes the gateway\'s for a server ttl of null)', () => {
    const store = new TaskStore({ ttlMs: 60_000 });
    const longer = controlled().call;
    longer.serverTaskChanged(serverTask('working', { ttlMs: 3_600_000 }));
    expect(store.create('p', longer).detailed().ttlMs).toBe(60_000);
    const unbounded = controlled().call;
    unbounded.serverTaskChanged(serverTask('working', { ttlMs: null }));
    expect(store.create('p', unbounded).detailed().ttlMs).toBe(60_000);
    store.close();
  });

  it('is cancelled when the server cancelled its task, failed with the JSON-RPC error when it failed', async () => {
    const store = new TaskStore();
    const cancelled = controlled();
    const one = store.create('p', cancelled.call);
    cancelled.call.serverTaskChanged(serverTask('cancelled', { statusMessage: 'the operator stopped it' }));
    cancelled.reject(new McpoolError('ABORTED', 'the task of server "v" for tool "t" was cancelled by the server'));
    await flush();
    expect(one.detailed()).toMatchObject({ status: 'cancelled', statusMessage: 'the operator stopped it' });
    const failed = controlled();
    const two = store.create('p', failed.call);
    failed.call.serverTaskChanged(serverTask('failed'));
    failed.reject(new McpoolError('TRANSPORT_ERROR', 'the task of server "v" for tool "t" failed: it broke'));
    await flush();
    expect(two.detailed()).toMatchObject({ status: 'failed', error: { code: -32000, message: expect.stringContaining('it broke') as unknown } });
    expect(two.detailed()).not.toHaveProperty('result');
    store.close();
  });
});
