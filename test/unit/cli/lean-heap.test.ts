/**
 * The heap policies of `mcpool serve` (src/cli/lean-heap): the young generation stops growing at
 * its cap while the policy runs and grows again once it is stopped; `--heap` takes lean or node
 * and nothing else. In-process: the flags are this test process's own.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { leanHeap, startHeapPolicy } from '../../../src/cli/lean-heap.js';
import { ErrorCode, McpoolError } from '../../../src/errors/mcpool-error.js';

const MB = 1_048_576;

function youngMb(): number {
  return (v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0) / MB;
}

/**
 * Allocates in small turns, as a server does, keeping a rolling window of objects alive so that
 * collections see survivors (what makes V8 grow the young generation); the largest size seen.
 */
async function churn(): Promise<number> {
  let kept: { i: number; text: string }[] = [];
  let largest = 0;
  for (let turn = 0; turn < 2_000; turn++) {
    for (let i = 0; i < 2_000; i++) kept.push({ i, text: `item ${i}` });
    if (kept.length > 60_000) kept = kept.slice(2_000);
    largest = Math.max(largest, youngMb());
    await nextTurn();
  }
  return largest;
}

describe('the heap policy', () => {
  it('holds the young generation near its cap, and lets it grow again once stopped', async () => {
    // A cap stops growth; it does not shrink what the test runner's start already grew.
    const cap = Math.max(2, Math.ceil(youngMb()));
    const policy = leanHeap({ youngCapMb: cap, oldGrowthPercent: 30 });
    const capped = await churn();
    policy.stop();
    const free = await churn();
    // Node 24 sizes its young generation in steps other than powers of two (4.5 MB for a 2 MB cap).
    expect(capped).toBeLessThanOrEqual(cap * 2.5);
    expect(free).toBeGreaterThan(capped * 1.5);
  });

  it('--heap takes lean or node; anything else is INVALID_CONFIG', () => {
    expect(startHeapPolicy('node')).toBeUndefined();
    // lean is the default.
    const byDefault = startHeapPolicy(undefined);
    expect(byDefault).toBeDefined();
    byDefault?.stop();
    startHeapPolicy('lean')?.stop();
    for (const bad of ['small', 'toString', '']) {
      let error: unknown;
      try {
        startHeapPolicy(bad);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(McpoolError);
      expect((error as McpoolError).code).toBe(ErrorCode.INVALID_CONFIG);
      expect((error as McpoolError).message).toContain('--heap must be lean or node');
    }
  });
});
