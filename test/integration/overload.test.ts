/**
 * Overload: ten times what the manager can hold, again and again. Excess calls are refused at
 * once with OVERLOADED, every accepted call completes, and memory does not grow round after round.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, type BatchCall } from 'mcpool';
import { fixtureModule, heapUsedAfterGc } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('overload at 10x capacity', () => {
  it('refuses the excess with OVERLOADED, completes what it accepted, and keeps memory bounded', async () => {
    const admitted = 256;
    const queued = 2_000;
    manager = new McpManager({ maxConcurrentOperations: admitted, maxQueuedOperations: queued });
    await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2 });
    const capacity = admitted + queued;
    const calls: BatchCall[] = Array.from({ length: capacity * 10 }, (_, i) => ({ server: 'faulty', tool: 'echo', arguments: { value: i } }));
    const heapAfterRound: number[] = [];
    for (let round = 0; round < 12; round++) {
      const results = await manager.executeBatch(calls);
      let accepted = 0;
      results.forEach((result, i) => {
        if (result.ok) {
          accepted++;
          expect(result.result.structuredContent).toEqual({ value: i });
        } else {
          expect(result.error.code).toBe(ErrorCode.OVERLOADED);
        }
      });
      // Exactly what fits is accepted: admitted plus queued, in submission order.
      expect(accepted).toBe(capacity);
      expect(results.slice(0, capacity).every((result) => result.ok)).toBe(true);
      heapAfterRound.push(heapUsedAfterGc());
    }
    expect(manager.getMetrics()).toMatchObject({ inFlight: 0, queued: 0 });
    // No growth from round to round: after a full collection the last rounds hold no more heap
    // than the early ones plus slack. A round is 22,560 calls, so a leak of even 100 bytes a call
    // would add 2 MB a round and 16 MB over the eight rounds between the two.
    const early = Math.max(...heapAfterRound.slice(0, 4));
    const late = Math.max(...heapAfterRound.slice(-4));
    expect(late - early).toBeLessThan(8 * 1024 * 1024);
  });
});
