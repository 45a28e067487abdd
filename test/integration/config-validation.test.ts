/**
 * Configs are validated in a short-lived thread (src/config/validate), synchronously for the
 * caller: what crosses to it (a `URL` module, a function where data belongs) and what happens
 * once the thread has left after its idle time (the next call starts another).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, McpoolError, parseConfig } from 'mcpool';
import { exampleModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

/** The `McpoolError` `run` throws. */
function thrownBy(run: () => unknown): McpoolError {
  try {
    run();
  } catch (error) {
    if (error instanceof McpoolError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('config validation', () => {
  it('takes a URL module and answers its calls', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'math', type: 'worker', module: pathToFileURL(exampleModule('math')), threads: 1 });
    const result = await manager.executeTool('math', 'add', { a: 2, b: 3 });
    expect(result.structuredContent).toEqual({ sum: 5 });
  });

  it('rejects a function where data belongs, naming the field', async () => {
    const options = { defaultTimeoutMs: () => 5 } as unknown as ConstructorParameters<typeof McpManager>[0];
    const error = thrownBy(() => new McpManager(options));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('defaultTimeoutMs');
    manager = new McpManager();
    const config = { name: 'math', type: 'worker', module: exampleModule('math'), threads: () => 2 } as unknown as Parameters<McpManager['deployServer']>[0];
    await expect(manager.deployServer(config)).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG, message: expect.stringContaining('threads') as unknown });
    expect(manager.listServers()).toEqual([]);
  });

  it('still validates after the thread has left (a new one starts)', async () => {
    expect(parseConfig({ mcpServers: { math: { type: 'worker', module: './math.js' } } }, '/base').servers).toHaveLength(1);
    await sleep(2_500);
    const error = thrownBy(() => parseConfig({ mcpServers: { math: { type: 'worker', module: './math.js', thread: 2 } } }, '/base'));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('mcpServers.math.thread: unknown key');
    expect(parseConfig({ mcpServers: { math: { type: 'worker', module: './math.js' } } }, '/base').servers[0]?.name).toBe('math');
  });
});
