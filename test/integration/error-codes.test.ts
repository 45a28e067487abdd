import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, type BatchCall } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

const faulty = { name: 'faulty', type: 'worker' as const, module: fixtureModule('faulty'), threads: 2 };

/** Each row makes the engine fail one way; the rejection must carry that code. */
const cases: { code: ErrorCode; trigger: (m: McpManager) => Promise<unknown> }[] = [
  { code: ErrorCode.INVALID_CONFIG, trigger: (m) => m.deployServer({ ...faulty, name: 'bad-threads', threads: 0 }) },
  { code: ErrorCode.SERVER_EXISTS, trigger: (m) => m.deployServer(faulty) },
  { code: ErrorCode.SERVER_NOT_FOUND, trigger: (m) => m.executeTool('nope', 'echo', {}) },
  { code: ErrorCode.TOOL_NOT_FOUND, trigger: (m) => m.executeTool('faulty', 'nope', {}) },
  { code: ErrorCode.INVALID_ARGUMENTS, trigger: (m) => m.executeTool('faulty', 'sleep', { ms: 'soon' }) },
  { code: ErrorCode.INVALID_RESULT, trigger: (m) => m.executeTool('faulty', 'bad_output', {}) },
  { code: ErrorCode.TIMEOUT, trigger: (m) => m.executeTool('faulty', 'sleep', { ms: 5_000 }, { timeoutMs: 50 }) },
  { code: ErrorCode.ABORTED, trigger: (m) => m.executeTool('faulty', 'sleep', { ms: 5_000 }, { signal: AbortSignal.timeout(50) }) },
  {
    code: ErrorCode.OVERLOADED,
    trigger: async (m) => {
      // 4 admitted, 4 queued, the rest refused; wait for all, then surface the first refusal.
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => m.executeTool('faulty', 'sleep', { ms: 100 })));
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      if (refused) throw refused.reason;
    },
  },
  { code: ErrorCode.WORKER_CRASHED, trigger: (m) => m.executeTool('faulty', 'exit', {}) },
  { code: ErrorCode.SERVER_UNAVAILABLE, trigger: (m) => m.deployServer({ ...faulty, name: 'broken', module: fixtureModule('fails-to-load') }) },
  {
    code: ErrorCode.SHUTTING_DOWN,
    trigger: async (m) => {
      await m.shutdown();
      return m.executeTool('faulty', 'echo', { value: 1 });
    },
  },
];

describe('every engine failure of a worker server rejects with its own code', () => {
  it.each(cases)('$code', async ({ code, trigger }) => {
    manager = new McpManager({ maxConcurrentOperations: 4, maxQueuedOperations: 4 });
    await manager.deployServer(faulty);
    const error = await trigger(manager).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpoolError);
    expect(error).toBeInstanceOf(Error);
    expect((error as McpoolError).code).toBe(code);
    expect((error as McpoolError).message.length).toBeGreaterThan(10);
    // The server is still usable after the failure (unless the failure was the shutdown).
    if (code !== ErrorCode.SHUTTING_DOWN) {
      expect((await manager.executeTool('faulty', 'echo', { value: 'still here' })).structuredContent).toEqual({ value: 'still here' });
    }
  });

  it('bad manager options are INVALID_CONFIG naming the option', () => {
    const thrown = (make: () => unknown): McpoolError => {
      try {
        make();
      } catch (error) {
        return error as McpoolError;
      }
      throw new Error('expected a throw');
    };
    const negative = thrown(() => new McpManager({ maxConcurrentOperations: -1 }));
    expect(negative.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(negative.message).toContain('maxConcurrentOperations');
    expect(thrown(() => new McpManager({ bogus: 1 } as never)).code).toBe(ErrorCode.INVALID_CONFIG);
  });

  it('a bad stdio or http server config, or an unknown server type, is INVALID_CONFIG', async () => {
    manager = new McpManager();
    await expect(manager.deployServer({ name: 'x', type: 'stdio', command: '' })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    await expect(manager.deployServer({ name: 'x', type: 'http', url: 'ftp://example' })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    await expect(manager.deployServer({ name: 'x', type: 'sse' } as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });
});

describe('a 10,000-call batch mixing successes, tool errors, unknown tools and invalid arguments', () => {
  it('answers every slot in order, each failure in its own slot', async () => {
    manager = new McpManager();
    await manager.deployServer(faulty);
    const kinds = ['ok', 'tool-error', 'unknown-tool', 'invalid-args', 'unknown-server'] as const;
    const calls: BatchCall[] = Array.from({ length: 10_000 }, (_, i) => {
      switch (kinds[i % kinds.length]) {
        case 'ok':
          return { server: 'faulty', tool: 'echo', arguments: { value: i } };
        case 'tool-error':
          return { server: 'faulty', tool: 'throws', arguments: { message: `failure ${i}` } };
        case 'unknown-tool':
          return { server: 'faulty', tool: 'missing', arguments: {} };
        case 'invalid-args':
          return { server: 'faulty', tool: 'throws', arguments: { message: i } };
        default:
          return { server: 'elsewhere', tool: 'echo', arguments: {} };
      }
    });
    const progress: number[] = [];
    const results = await manager.executeBatch(calls, { onProgress: ({ done, total }) => progress.push(done / total) });
    expect(results).toHaveLength(10_000);
    results.forEach((result, i) => {
      switch (kinds[i % kinds.length]) {
        case 'ok':
          expect(result).toEqual({ ok: true, result: { content: [{ type: 'text', text: `{"value":${i}}` }], structuredContent: { value: i } } });
          break;
        case 'tool-error':
          expect(result).toEqual({ ok: true, result: { isError: true, content: [{ type: 'text', text: `failure ${i}` }] } });
          break;
        case 'unknown-tool':
          expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.TOOL_NOT_FOUND } });
          break;
        case 'invalid-args':
          expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_ARGUMENTS, data: [expect.objectContaining({ path: ['message'] })] } });
          break;
        default:
          expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.SERVER_NOT_FOUND } });
      }
    });
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const metrics = manager.getMetrics().servers.faulty!;
    expect(metrics.tools.echo!.calls).toBe(2_000);
    expect(metrics.tools.throws).toMatchObject({ calls: 4_000, errors: 4_000 });
  });

  it('a batch that is not an array rejects with INVALID_ARGUMENTS, a malformed entry fails its slot only', async () => {
    manager = new McpManager();
    await manager.deployServer(faulty);
    await expect(manager.executeBatch('nope' as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS });
    const results = await manager.executeBatch([null, { server: 'faulty', tool: 'echo', arguments: { value: 1 } }] as never);
    expect(results[0]).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_ARGUMENTS } });
    expect(results[1]).toMatchObject({ ok: true });
    expect(await manager.executeBatch([])).toEqual([]);
  });
});
