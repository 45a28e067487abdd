import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError } from 'mcpool';
import { exampleModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

async function deployMath(threads = 2): Promise<McpManager> {
  manager = new McpManager();
  await manager.deployServer({ name: 'math', type: 'worker', module: exampleModule('math'), threads });
  return manager;
}

describe('worker servers', () => {
  it('a plain object result becomes structuredContent plus a JSON text block', async () => {
    const m = await deployMath();
    const result = await m.executeTool('math', 'add', { a: 2, b: 3 });
    expect(result).toEqual({ content: [{ type: 'text', text: '{"sum":5}' }], structuredContent: { sum: 5 } });
  });

  it('lists tools with JSON Schema made from the zod schemas', async () => {
    const m = await deployMath();
    const tools = await m.listTools('math');
    const add = tools.find((tool) => tool.name === 'add');
    expect(add?.inputSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    expect(add?.outputSchema).toMatchObject({ type: 'object', properties: { sum: { type: 'number' } } });
  });

  it('rejects invalid arguments with INVALID_ARGUMENTS and the schema issues in data', async () => {
    const m = await deployMath();
    const error = await m.executeTool('math', 'add', { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpoolError);
    expect((error as McpoolError).code).toBe(ErrorCode.INVALID_ARGUMENTS);
    expect((error as McpoolError).data).toEqual([expect.objectContaining({ path: ['b'] })]);
  });

  it('answers a 10,000-call batch in order', async () => {
    const m = await deployMath();
    const calls = Array.from({ length: 10_000 }, (_, i) => ({ server: 'math', tool: 'add', arguments: { a: i, b: 1 } }));
    const results = await m.executeBatch(calls);
    results.forEach((result, i) => {
      expect(result).toEqual({ ok: true, result: { content: [{ type: 'text', text: `{"sum":${i + 1}}` }], structuredContent: { sum: i + 1 } } });
    });
  });
});
