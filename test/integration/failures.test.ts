import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, type BatchCall } from 'mcpool';
import { codeOf, fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

async function deployFaulty(options: Record<string, unknown> = {}, managerOptions: ConstructorParameters<typeof McpManager>[0] = {}): Promise<McpManager> {
  manager = new McpManager(managerOptions);
  await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2, ...options });
  return manager;
}

function echoCalls(count: number, offset = 0): BatchCall[] {
  return Array.from({ length: count }, (_, i) => ({ server: 'faulty', tool: 'echo', arguments: { value: offset + i } }));
}

function expectEchoes(results: Awaited<ReturnType<McpManager['executeBatch']>>, offset = 0): void {
  results.forEach((result, i) => {
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.result.structuredContent).toEqual({ value: offset + i });
  });
}

describe('failure semantics of worker servers', () => {
  it('a tool that loops forever is stopped at its timeout, the calls that shared its frame are sent again, and the server keeps serving', async () => {
    const m = await deployFaulty({ threads: 1 });
    // One thread and one turn: the looping call and the echoes travel in the same frame.
    const looping = m.executeTool('faulty', 'loop_forever', {}, { timeoutMs: 300 });
    const echoes = Array.from({ length: 20 }, (_, i) => m.executeTool('faulty', 'echo', { value: i }, { timeoutMs: 20_000 }));
    expect(await codeOf(looping)).toBe(ErrorCode.TIMEOUT);
    const results = await Promise.all(echoes);
    results.forEach((result, i) => expect(result.structuredContent).toEqual({ value: i }));
    expect((await m.executeTool('faulty', 'echo', { value: 'after' })).structuredContent).toEqual({ value: 'after' });
    const health = m.getServerHealth('faulty');
    expect(health.timeouts).toBe(1);
    expect(health.restarts).toBeGreaterThanOrEqual(1);
    expect(health.state).toBe('healthy');
  });

  it('a tool that calls process.exit fails only its own call with WORKER_CRASHED while thousands of others succeed', async () => {
    const m = await deployFaulty();
    const batch = m.executeBatch(echoCalls(5_000));
    const crash = m.executeTool('faulty', 'exit', {});
    const more = m.executeBatch(echoCalls(5_000, 5_000));
    expect(await codeOf(crash)).toBe(ErrorCode.WORKER_CRASHED);
    expectEchoes(await batch);
    expectEchoes(await more, 5_000);
    expect(m.getServerHealth('faulty').restarts).toBeGreaterThanOrEqual(1);
    expect((await m.executeTool('faulty', 'echo', { value: 1 })).structuredContent).toEqual({ value: 1 });
  });

  it('a tool that blows its memory limit fails with WORKER_CRASHED and the pool respawns', async () => {
    const m = await deployFaulty({ memoryLimitMb: 64 });
    expect(await codeOf(m.executeTool('faulty', 'exhaust_memory', {}))).toBe(ErrorCode.WORKER_CRASHED);
    expect(m.getServerHealth('faulty').lastError).toBeTruthy();
    expectEchoes(await m.executeBatch(echoCalls(1_000)));
  });

  it('an unhandled rejection inside a tool does not take the server down', async () => {
    const m = await deployFaulty();
    await m.executeTool('faulty', 'unhandled_rejection', {}).catch(() => undefined);
    expectEchoes(await m.executeBatch(echoCalls(500)));
  });

  it('a server module that fails to load makes deployServer reject with SERVER_UNAVAILABLE naming the module and the cause', async () => {
    manager = new McpManager();
    const error = (await manager.deployServer({ name: 'broken', type: 'worker', module: fixtureModule('fails-to-load'), threads: 1 }).catch((e: unknown) => e)) as McpoolError;
    expect(error.code).toBe(ErrorCode.SERVER_UNAVAILABLE);
    expect(error.message).toContain('fails-to-load');
    expect(error.message).toContain('broken on purpose');
    const notServer = (await manager.deployServer({ name: 'nope', type: 'worker', module: fixtureModule('not-a-server'), threads: 1 }).catch((e: unknown) => e)) as McpoolError;
    expect(notServer.code).toBe(ErrorCode.SERVER_UNAVAILABLE);
    expect(notServer.message).toContain('defineServer');
    expect(manager.listServers()).toEqual([]);
  });

  it('past maxConcurrentOperations calls wait, and past maxQueuedOperations they reject at once with OVERLOADED', async () => {
    const m = await deployFaulty({}, { maxConcurrentOperations: 2, maxQueuedOperations: 3 });
    // The sleeps outlast any stall of a busy machine between here and the health check below.
    const running = [m.executeTool('faulty', 'sleep', { ms: 1_000 }), m.executeTool('faulty', 'sleep', { ms: 1_000 })];
    const waiting = [1, 2, 3].map((value) => m.executeTool('faulty', 'echo', { value }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(m.getServerHealth('faulty')).toMatchObject({ inFlight: 2, queued: 3 });
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 4 }))).toBe(ErrorCode.OVERLOADED);
    await Promise.all(running);
    expect((await Promise.all(waiting)).map((r) => r.structuredContent)).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }]);
  });

  it("past a server's maxQueue calls reject at once with OVERLOADED and nothing else is lost", async () => {
    const m = await deployFaulty({ threads: 1, maxQueue: 2 });
    const accepted = [m.executeTool('faulty', 'sleep', { ms: 200 }), m.executeTool('faulty', 'echo', { value: 1 }), m.executeTool('faulty', 'echo', { value: 2 })];
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 3 }))).toBe(ErrorCode.OVERLOADED);
    expect((await Promise.all(accepted)).map((r) => r.structuredContent)).toEqual([{ slept: 200 }, { value: 1 }, { value: 2 }]);
  });

  it("a caller's abort answers ABORTED and fires the handler's ctx.signal", async () => {
    const m = await deployFaulty({ threads: 1 });
    const controller = new AbortController();
    const call = m.executeTool('faulty', 'wait_for_abort', {}, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await codeOf(call)).toBe(ErrorCode.ABORTED);
    await expect.poll(async () => (await m.executeTool('faulty', 'aborts_seen', {})).structuredContent).toEqual({ abortsSeen: 1 });
  });

  it('aborting a call that holds its thread stops the thread, and the server serves on', async () => {
    const m = await deployFaulty({ threads: 1 });
    const controller = new AbortController();
    const call = m.executeTool('faulty', 'spin', { ms: 60_000 }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await codeOf(call)).toBe(ErrorCode.ABORTED);
    expect((await m.executeTool('faulty', 'echo', { value: 'next' })).structuredContent).toEqual({ value: 'next' });
  });

  it('an already aborted signal answers ABORTED without running the tool', async () => {
    const m = await deployFaulty();
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 1 }, { signal: AbortSignal.abort() }))).toBe(ErrorCode.ABORTED);
    expect(m.getServerHealth('faulty').calls).toBe(0);
  });

  it('a batch abort answers every unfinished call ABORTED and keeps finished ones', async () => {
    const m = await deployFaulty({ threads: 1 });
    const controller = new AbortController();
    const calls: BatchCall[] = [{ server: 'faulty', tool: 'echo', arguments: { value: 0 } }, ...Array.from({ length: 5 }, () => ({ server: 'faulty', tool: 'sleep', arguments: { ms: 10_000 } }))];
    const batch = m.executeBatch(calls, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    const results = await batch;
    expect(results[0]).toMatchObject({ ok: true });
    for (const result of results.slice(1)) expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.ABORTED } });
  });

  it('shutdownServer lets calls in flight finish, rejects queued ones with SHUTTING_DOWN and new ones with SERVER_NOT_FOUND', async () => {
    const m = await deployFaulty({ threads: 1 }, { maxConcurrentOperations: 1 });
    const inFlight = m.executeTool('faulty', 'sleep', { ms: 300 });
    const queued = m.executeTool('faulty', 'echo', { value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopping = m.shutdownServer('faulty');
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 2 }))).toBe(ErrorCode.SERVER_NOT_FOUND);
    expect(await codeOf(queued)).toBe(ErrorCode.SHUTTING_DOWN);
    expect((await inFlight).structuredContent).toEqual({ slept: 300 });
    await stopping;
    expect(m.listServers()).toEqual([]);
  });

  it('after shutdown new calls and deployments reject with SHUTTING_DOWN', async () => {
    const m = await deployFaulty();
    await m.shutdown();
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 1 }))).toBe(ErrorCode.SHUTTING_DOWN);
    expect(await codeOf(m.deployServer({ name: 'again', type: 'worker', module: fixtureModule('faulty') }))).toBe(ErrorCode.SHUTTING_DOWN);
    const [result] = await m.executeBatch(echoCalls(1));
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.SHUTTING_DOWN } });
  });
});

describe('graceful drain with a deadline', () => {
  it('shutdown({ timeoutMs }) lets quick calls finish, answers the rest SHUTTING_DOWN and stops their threads', async () => {
    const m = await deployFaulty({ threads: 1 });
    await m.deployServer({ name: 'other', type: 'worker', module: fixtureModule('faulty'), threads: 1 });
    const quick = m.executeTool('other', 'sleep', { ms: 50 });
    const stuck = codeOf(m.executeTool('faulty', 'spin', { ms: 60_000 }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await m.shutdown({ timeoutMs: 1_000 });
    expect((await quick).structuredContent).toEqual({ slept: 50 });
    expect(await stuck).toBe(ErrorCode.SHUTTING_DOWN);
  });
});
