import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, startGateway, type WorkerServerInput } from 'mcpool';
import { codeOf, fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

async function deployFaulty(options: Partial<WorkerServerInput> = {}): Promise<McpManager> {
  manager = new McpManager();
  await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 1, ...options });
  return manager;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('circuit breaker', () => {
  it('opens after consecutive server failures, fails fast with CIRCUIT_OPEN, and a successful probe closes it', async () => {
    const m = await deployFaulty({ circuitBreaker: { failureThreshold: 3, resetTimeoutMs: 1_000 } });
    for (let i = 0; i < 3; i++) expect(await codeOf(m.executeTool('faulty', 'sleep', { ms: 2_000 }, { timeoutMs: 20 }))).toBe(ErrorCode.TIMEOUT);
    const refused = await m.executeTool('faulty', 'echo', { value: 1 }).catch((e: unknown) => e as McpoolError);
    expect(refused).toMatchObject({ code: ErrorCode.CIRCUIT_OPEN, data: { retryAfterMs: expect.any(Number) as number } });
    expect(m.getServerHealth('faulty')).toMatchObject({ circuit: 'open', state: 'degraded' });
    expect(m.getMetrics().servers.faulty!.circuit).toBe('open');
    await sleep(1_050);
    expect(m.getServerHealth('faulty').circuit).toBe('half-open');
    expect((await m.executeTool('faulty', 'echo', { value: 'probe' })).structuredContent).toEqual({ value: 'probe' });
    expect(m.getServerHealth('faulty')).toMatchObject({ circuit: 'closed', state: 'healthy' });
  });

  it('tool errors and invalid arguments do not count as server failures', async () => {
    const m = await deployFaulty({ circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 10_000 } });
    for (let i = 0; i < 5; i++) {
      await m.executeTool('faulty', 'throws', { message: 'tool error' });
      await m.executeTool('faulty', 'echo', {}).catch(() => undefined);
    }
    expect(m.getServerHealth('faulty').circuit).toBe('closed');
  });

  it('circuitBreaker: false never opens', async () => {
    const m = await deployFaulty({ circuitBreaker: false });
    for (let i = 0; i < 7; i++) await m.executeTool('faulty', 'sleep', { ms: 2_000 }, { timeoutMs: 10 }).catch(() => undefined);
    expect((await m.executeTool('faulty', 'echo', { value: 1 })).structuredContent).toEqual({ value: 1 });
  });
});

describe('limits per server and per tool', () => {
  it('past maxConcurrency a call is refused with OVERLOADED, and accepted calls complete', async () => {
    const m = await deployFaulty({ threads: 2, maxConcurrency: 2 });
    const accepted = [m.executeTool('faulty', 'sleep', { ms: 100 }), m.executeTool('faulty', 'sleep', { ms: 100 })];
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 1 }))).toBe(ErrorCode.OVERLOADED);
    expect((await Promise.all(accepted)).map((r) => r.structuredContent)).toEqual([{ slept: 100 }, { slept: 100 }]);
    expect((await m.executeTool('faulty', 'echo', { value: 2 })).structuredContent).toEqual({ value: 2 });
  });

  it('a tool concurrency limit refuses only that tool', async () => {
    const m = await deployFaulty({ threads: 2, tools: { sleep: { maxConcurrency: 1 } } });
    const first = m.executeTool('faulty', 'sleep', { ms: 100 });
    expect(await codeOf(m.executeTool('faulty', 'sleep', { ms: 1 }))).toBe(ErrorCode.OVERLOADED);
    expect((await m.executeTool('faulty', 'echo', { value: 'other tool' })).structuredContent).toEqual({ value: 'other tool' });
    await first;
  });

  it('a rate limit refuses calls past its burst with OVERLOADED and the wait until the next token', async () => {
    const m = await deployFaulty({ rateLimit: { perSecond: 5, burst: 3 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => m.executeTool('faulty', 'echo', { value: i })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused).toMatchObject({ reason: { code: ErrorCode.OVERLOADED, data: { retryAfterMs: expect.any(Number) as number } } });
    expect(((refused as PromiseRejectedResult).reason as McpoolError & { data: { retryAfterMs: number } }).data.retryAfterMs).toBeGreaterThan(0);
  });

  it('over HTTP a rate-limited call is 429 with Retry-After the wait for the next token', async () => {
    const m = await deployFaulty({ rateLimit: { perSecond: 0.2, burst: 1 } });
    const gateway = await startGateway(m, { http: { port: 0 } });
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await fetch(gateway.url!, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'rate', version: '1' } } }),
      });
      const session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')! };
      const call = (id: number): Promise<Response> =>
        fetch(gateway.url!, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'faulty__echo', arguments: { value: id } } }) });
      expect((await call(1)).status).toBe(200);
      const refused = await call(2);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    } finally {
      await gateway.close();
    }
  });

  it('a per-tool timeout applies to that tool only', async () => {
    const m = await deployFaulty({ threads: 2, tools: { sleep: { timeoutMs: 50 } } });
    expect(await codeOf(m.executeTool('faulty', 'sleep', { ms: 2_000 }))).toBe(ErrorCode.TIMEOUT);
    expect((await m.executeTool('faulty', 'progress', { steps: 2 })).structuredContent).toEqual({ steps: 2 });
  });
});

describe('supervision', () => {
  it('threads that die more than maxRestarts times within the window mark the server unhealthy until restartServer', async () => {
    const m = await deployFaulty({ restart: { maxRestarts: 1, withinMs: 60_000, backoffMs: { initial: 10, max: 50 } }, circuitBreaker: false });
    expect(await codeOf(m.executeTool('faulty', 'exit', {}))).toBe(ErrorCode.WORKER_CRASHED);
    expect(await codeOf(m.executeTool('faulty', 'exit', {}))).toBe(ErrorCode.WORKER_CRASHED);
    expect(m.getServerHealth('faulty').state).toBe('unhealthy');
    expect(m.getServerHealth('faulty').lastError).toContain('more than 1 times');
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 1 }))).toBe(ErrorCode.SERVER_UNAVAILABLE);
    await m.restartServer('faulty');
    expect(m.getServerHealth('faulty').state).toBe('healthy');
    expect((await m.executeTool('faulty', 'echo', { value: 'back' })).structuredContent).toEqual({ value: 'back' });
  });

  it('restartServer of an unknown server is SERVER_NOT_FOUND', async () => {
    const m = await deployFaulty();
    expect(await codeOf(m.restartServer('nope'))).toBe(ErrorCode.SERVER_NOT_FOUND);
  });

  it('resilience options are validated, naming the field', async () => {
    manager = new McpManager();
    const error = (await manager.deployServer({ name: 'x', type: 'worker', module: fixtureModule('faulty'), rateLimit: { perSecond: -1 } }).catch((e: unknown) => e)) as McpoolError;
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('rateLimit.perSecond');
  });
});

describe('health probes', () => {
  it('a probe finds a thread stuck outside any call, replaces it, and reports the server degraded until a probe passes', async () => {
    const m = await deployFaulty({ threads: 1, healthCheck: { intervalMs: 50, timeoutMs: 100 } });
    await expect.poll(() => m.getServerHealth('faulty').lastProbe?.ok).toBe(true);
    expect((await m.executeTool('faulty', 'wedge', {})).structuredContent).toEqual({ wedged: true });
    await expect.poll(() => m.getServerHealth('faulty').lastProbe?.ok, { timeout: 5_000 }).toBe(false);
    expect(m.getServerHealth('faulty').state).toBe('degraded');
    await expect.poll(() => m.getServerHealth('faulty').lastProbe?.ok, { timeout: 5_000 }).toBe(true);
    expect(m.getServerHealth('faulty').state).toBe('healthy');
    expect((await m.executeTool('faulty', 'echo', { value: 'served' })).structuredContent).toEqual({ value: 'served' });
  });

  it('without probes, a call sent to a stuck thread times out and the thread is replaced', async () => {
    const m = await deployFaulty({ threads: 1, healthCheck: false });
    await m.executeTool('faulty', 'wedge', {});
    // The thread wedges just after answering; give it that moment.
    await sleep(100);
    expect(await codeOf(m.executeTool('faulty', 'echo', { value: 1 }, { timeoutMs: 200 }))).toBe(ErrorCode.TIMEOUT);
    expect((await m.executeTool('faulty', 'echo', { value: 2 })).structuredContent).toEqual({ value: 2 });
    expect(m.getServerHealth('faulty').lastError).toContain('stopped taking calls');
  });
});
