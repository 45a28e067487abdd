/**
 * Property tests (fast-check) at the engine's boundaries: whatever arguments a caller sends and
 * whatever a config file holds, the answer is a result or a typed error, never a crash.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, parseConfig } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';

const codes = new Set<string>(Object.values(ErrorCode));
let manager: McpManager;

beforeAll(async () => {
  manager = new McpManager();
  await manager.deployServer({ name: 'faulty', type: 'worker', module: fixtureModule('faulty'), threads: 2, circuitBreaker: false });
});
afterAll(async () => {
  await manager.shutdown();
});

describe('tool arguments', () => {
  it('any value as arguments gets a result or a typed error, and the server keeps serving', async () => {
    const tools = ['echo', 'sleep', 'text', 'throws', 'progress', 'missing'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...tools), fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), async (tool, args) => {
        try {
          const result = await manager.executeTool('faulty', tool, args as Record<string, unknown>, { timeoutMs: 5_000 });
          expect(Array.isArray(result.content)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(McpoolError);
          expect(codes.has((error as McpoolError).code)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect((await manager.executeTool('faulty', 'echo', { value: 'alive' })).structuredContent).toEqual({ value: 'alive' });
  });

  it('any batch entries get one answer each, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.anything(), fc.record({ server: fc.constant('faulty'), tool: fc.constantFrom('echo', 'nope'), arguments: fc.anything() })), { maxLength: 50 }), async (calls) => {
        const results = await manager.executeBatch(calls as never);
        expect(results).toHaveLength(calls.length);
        for (const result of results) {
          if (!result.ok) expect(codes.has(result.error.code)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('config files', () => {
  it('any JSON value as a config file parses or fails with INVALID_CONFIG', () => {
    const entry = fc.record({ type: fc.constantFrom('worker', 'stdio', 'http', 'bogus', undefined), module: fc.string(), command: fc.string(), url: fc.string(), threads: fc.anything() }, { requiredKeys: [] });
    const config = fc.oneof(fc.jsonValue(), fc.record({ mcpServers: fc.dictionary(fc.string(), fc.oneof(entry, fc.jsonValue())), manager: fc.jsonValue() }, { requiredKeys: [] }));
    fc.assert(
      fc.property(config, (raw) => {
        try {
          parseConfig(raw, '/base', 'mcpool.json', {});
        } catch (error) {
          expect(error).toBeInstanceOf(McpoolError);
          expect((error as McpoolError).code).toBe(ErrorCode.INVALID_CONFIG);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
