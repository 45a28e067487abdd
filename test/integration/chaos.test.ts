/**
 * Fault matrix: each fault is injected while thousands of other calls are in flight on the same
 * manager and server. Every other call must be answered (none lost) with its own result (none
 * misrouted). The time until the server answers again is printed, never asserted (timings
 * belong in benchmarks). CHAOS_CALLS sets the calls in flight (default 10,000); `npm run
 * test:chaos` runs the heavy variant.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, type BatchCall } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';

const inFlight = Number(process.env.CHAOS_CALLS ?? 10_000);

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

interface Fault {
  name: string;
  /** Injects the fault; resolves when its own call has been answered (its code, if any). */
  inject: (m: McpManager) => Promise<string | undefined>;
  /** The codes the faulty call itself may end with. */
  expected: (string | undefined)[];
}

const codeOf = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );

const faults: Fault[] = [
  { name: 'a handler that throws', inject: (m) => codeOf(m.executeTool('faulty', 'throws', { message: 'boom' })), expected: [undefined] },
  { name: 'a handler that calls process.exit', inject: (m) => codeOf(m.executeTool('faulty', 'exit', {})), expected: [ErrorCode.WORKER_CRASHED] },
  { name: 'a handler that loops forever', inject: (m) => codeOf(m.executeTool('faulty', 'loop_forever', {}, { timeoutMs: 200 })), expected: [ErrorCode.TIMEOUT] },
  { name: 'a handler that exceeds its memory limit', inject: (m) => codeOf(m.executeTool('faulty', 'exhaust_memory', {})), expected: [ErrorCode.WORKER_CRASHED] },
  { name: 'a handler that leaves an unhandled rejection', inject: (m) => codeOf(m.executeTool('faulty', 'unhandled_rejection', {})), expected: [undefined, ErrorCode.WORKER_CRASHED] },
  {
    name: 'a module that fails to load',
    inject: (m) => codeOf(m.deployServer({ name: 'broken', type: 'worker', module: fixtureModule('fails-to-load'), threads: 1 })),
    expected: [ErrorCode.SERVER_UNAVAILABLE],
  },
];

describe(`fault matrix with ${inFlight.toLocaleString('en-US')} other calls in flight`, () => {
  it.each(faults)('$name: no call lost, none misrouted, the server serves again', async ({ inject, expected }) => {
    manager = new McpManager({ maxConcurrentOperations: 4096, defaultTimeoutMs: 60_000 });
    await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2, memoryLimitMb: 64, circuitBreaker: false });
    const calls: BatchCall[] = Array.from({ length: inFlight }, (_, i) => ({ server: 'faulty', tool: 'echo', arguments: { value: i } }));
    // Half the calls go ahead of the fault and half behind it, so the fault hits mid-stream.
    const half = Math.floor(inFlight / 2);
    const ahead = manager.executeBatch(calls.slice(0, half));
    const fault = inject(manager);
    // Times at which the calls behind the fault made progress: the first after it is when the server answered again.
    const progressAt: number[] = [];
    const behind = manager.executeBatch(calls.slice(half), { onProgress: () => progressAt.push(performance.now()) });
    const faultCode = await fault;
    const faultAt = performance.now();
    const results = [...(await ahead), ...(await behind)];
    expect((await manager.executeTool('faulty', 'echo', { value: 'after' })).structuredContent).toEqual({ value: 'after' });
    expect(manager.getServerHealth('faulty')).toMatchObject({ state: 'healthy', threads: 2 });
    const answeredAgain = progressAt.find((at) => at > faultAt) ?? performance.now();
    const recoveryMs = answeredAgain - faultAt;
    let lost = 0;
    let misrouted = 0;
    let failed = 0;
    results.forEach((result, i) => {
      if (result === undefined) lost++;
      else if (!result.ok) failed++;
      else if ((result.result.structuredContent as { value?: unknown } | undefined)?.value !== i) misrouted++;
    });
    console.log(`  ${String(faultCode ?? "ok")}: lost ${lost}, misrouted ${misrouted}, failed ${failed}, answering again ${recoveryMs.toFixed(1)} ms after the fault`);
    expect(expected).toContain(faultCode);
    expect({ lost, misrouted, failed }).toEqual({ lost: 0, misrouted: 0, failed: 0 });
    expect(results).toHaveLength(inFlight);
  });
});
