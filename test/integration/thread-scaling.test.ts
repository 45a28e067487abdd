/**
 * Threads that follow the load (`threads: { min, max, idleTimeoutMs }`), observed through
 * `listServers()`: a pool grows while its threads are busy with work waiting, and shrinks back to
 * `min` after `idleTimeoutMs` of low use; a lone caller never grows it. No timing is asserted:
 * each test waits (with a generous bound) for the state it expects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager, type BatchCall } from 'mcpool';
import { exampleModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

const threadsOf = (m: McpManager, name: string): number => m.listServers().find((server) => server.name === name)!.threads;

/** Polls `check` until it holds or `withinMs` passes; returns whether it held. */
async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('threads: { min, max, idleTimeoutMs }', () => {
  it('grows to max under CPU-bound load and shrinks back to min after idleTimeoutMs of low use', async () => {
    manager = new McpManager({ defaultTimeoutMs: 60_000 });
    await manager.deployServer({ name: 'hash', type: 'worker', module: exampleModule('hash'), threads: { min: 1, max: 2, idleTimeoutMs: 500 } });
    const m = manager;
    expect(threadsOf(m, 'hash')).toBe(1);

    // Keep CPU-bound work waiting until the pool has grown (or a generous bound passes).
    let grown = false;
    const calls: BatchCall[] = Array.from({ length: 16 }, (_, i) => ({ server: 'hash', tool: 'sha256', arguments: { text: `t${i}`, rounds: 2_000 } }));
    const end = Date.now() + 30_000;
    while (!grown && Date.now() < end) {
      const results = await m.executeBatch(calls);
      expect(results.every((result) => result.ok)).toBe(true);
      grown = threadsOf(m, 'hash') === 2;
    }
    expect(grown).toBe(true);

    // Idle now: back to one thread, and the server still answers.
    expect(await eventually(() => threadsOf(m, 'hash') === 1, 30_000)).toBe(true);
    const result = await m.executeTool('hash', 'sha256', { text: 'after' });
    expect(result.isError).toBeUndefined();
  });

  it('a lone caller (one call at a time) never grows the pool', async () => {
    manager = new McpManager({ defaultTimeoutMs: 60_000 });
    await manager.deployServer({ name: 'hash', type: 'worker', module: exampleModule('hash'), threads: { min: 1, max: 2, idleTimeoutMs: 500 } });
    const end = Date.now() + 1_500;
    let calls = 0;
    while (Date.now() < end) {
      await manager.executeTool('hash', 'sha256', { text: `t${calls}`, rounds: 500 });
      calls++;
    }
    expect(calls).toBeGreaterThan(0);
    expect(threadsOf(manager, 'hash')).toBe(1);
  });

  it('rejects idleTimeoutMs that is not a non-negative integer, and an unknown key, with INVALID_CONFIG', async () => {
    manager = new McpManager();
    for (const threads of [{ min: 1, max: 2, idleTimeoutMs: -1 }, { min: 1, max: 2, idle: 5 }]) {
      await expect(manager.deployServer({ name: 'hash', type: 'worker', module: exampleModule('hash'), threads: threads as { min: number; max: number } })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    }
  });
});
