/**
 * Cases every frame path must pass (the shared rings and the port: see
 * test/integration/shared-frames.test.ts and port-frames.test.ts): mixed frame and result sizes on
 * both sides of the ring's record limit, progress and logs in order with results, and failures
 * (a thread that exits, a running call that times out) with nothing lost or misrouted, and
 * calls to a thread that went idle and waits in its event loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchCall, McpManager as Manager, McpoolError } from 'mcpool';
import { fixtureModule } from './helpers.js';
import { timerFiredAfterIdle } from './idle-thread.js';

type ManagerClass = new (options?: ConstructorParameters<typeof Manager>[0]) => Manager;

/** Declares the cases for a manager class loaded with the frame path under test. */
export function framePathCases(path: string, McpManager: ManagerClass): void {
  let manager: Manager | undefined;
  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
  });

  async function deploy(threads = 2): Promise<Manager> {
    manager = new McpManager({ defaultTimeoutMs: 60_000 });
    await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads, circuitBreaker: false });
    return manager;
  }

  describe(`frames over ${path}`, () => {
    it('answers a mixed batch (small and large arguments, small and large results) each with its own result', async () => {
      const m = await deploy();
      const large = 'a'.repeat(100_000);
      const calls: BatchCall[] = [];
      for (let i = 0; i < 3_000; i++) {
        if (i % 500 === 7) calls.push({ server: 'faulty', tool: 'echo', arguments: { value: `${i}:${large}` } });
        else if (i % 400 === 3) calls.push({ server: 'faulty', tool: 'big', arguments: { bytes: 200_000 + i } });
        else if (i % 300 === 5) calls.push({ server: 'faulty', tool: 'big', arguments: { bytes: 30_000 + i } });
        else if (i % 100 === 9) calls.push({ server: 'faulty', tool: 'log', arguments: { message: `m${i}` } });
        else calls.push({ server: 'faulty', tool: 'echo', arguments: { value: { i, bytes: new Uint8Array([i & 255, 1, 2]) } } });
      }
      const results = await m.executeBatch(calls);
      results.forEach((answer, i) => {
        expect(answer.ok).toBe(true);
        if (!answer.ok) return;
        const structured = answer.result.structuredContent as Record<string, unknown>;
        const call = calls[i]!;
        if (call.tool === 'big') expect((structured.data as string).length).toBe((call.arguments as { bytes: number }).bytes);
        else if (call.tool === 'log') expect(structured).toEqual({ logged: true });
        else expect(structured.value).toEqual((call.arguments as { value: unknown }).value);
      });
    });

    it('delivers every progress update of a call before its result, with other calls in flight', async () => {
      const m = await deploy();
      const runs = Array.from({ length: 20 }, async (_, i) => {
        const seen: number[] = [];
        const result = await m.executeTool('faulty', 'progress', { steps: 5 }, { onProgress: ({ progress }) => seen.push(progress) });
        return { i, seen, result };
      });
      const filler = m.executeBatch(Array.from({ length: 2_000 }, (_, i) => ({ server: 'faulty', tool: 'echo', arguments: { value: i } })));
      for (const { seen, result } of await Promise.all(runs)) {
        expect(result.structuredContent).toEqual({ steps: 5 });
        expect(seen).toEqual([1, 2, 3, 4, 5]);
      }
      expect((await filler).every((answer) => answer.ok)).toBe(true);
    });

    it('a thread that exits mid-burst fails only its own call; every other call gets its own result', async () => {
      const m = await deploy();
      const calls: BatchCall[] = Array.from({ length: 4_000 }, (_, i) => (i === 1_234 ? { server: 'faulty', tool: 'exit', arguments: {} } : { server: 'faulty', tool: 'echo', arguments: { value: i } }));
      const results = await m.executeBatch(calls);
      results.forEach((answer, i) => {
        if (i === 1_234) {
          expect(answer.ok).toBe(false);
          if (!answer.ok) expect(answer.error.code).toBe('WORKER_CRASHED');
        } else {
          expect(answer.ok).toBe(true);
          if (answer.ok) expect(answer.result.structuredContent).toEqual({ value: i });
        }
      });
    });

    it('a running call that times out stops its thread; the calls that shared its frame get their own results', async () => {
      const m = await deploy(1);
      const spin = m.executeTool('faulty', 'spin', { ms: 60_000 }, { timeoutMs: 300 });
      const echoes = Array.from({ length: 200 }, (_, i) => m.executeTool('faulty', 'echo', { value: i }));
      await expect(spin).rejects.toMatchObject({ code: 'TIMEOUT' } satisfies Partial<McpoolError>);
      const answers = await Promise.all(echoes);
      answers.forEach((result, i) => expect(result.structuredContent).toEqual({ value: i }));
      expect((await m.executeTool('faulty', 'echo', { value: 'after' })).structuredContent).toEqual({ value: 'after' });
    });

    it('a thread idle long enough to wait in its event loop answers a burst and a batch whole', async () => {
      manager = new McpManager();
      await manager.deployServer({ name: 'timers', type: 'worker', module: fixtureModule('idle-timers'), threads: 1 });
      await manager.executeTool('timers', 'arm', {});
      expect(await timerFiredAfterIdle(manager, 'timers')).toBe(true);
      const burst = await Promise.all(Array.from({ length: 200 }, () => manager!.executeTool('timers', 'fired', {})));
      expect(burst.map((result) => result.structuredContent)).toEqual(burst.map(() => ({ fired: true })));
      const batch = await manager.executeBatch(Array.from({ length: 2000 }, () => ({ server: 'timers', tool: 'fired', arguments: {} })));
      expect(batch.filter((entry) => entry.ok)).toHaveLength(2000);
    });
  });
}
