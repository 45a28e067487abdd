import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe("'mcpool' inside a server's thread", () => {
  it('resolves to the authoring entry: defineServer and the errors, not the manager', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'x', type: 'worker', module: fixtureModule('thread-exports'), threads: 1 });
    const result = await manager.executeTool('x', 'exports', {});
    expect(result.structuredContent).toEqual({ names: ['ErrorCode', 'McpoolError', 'defineServer'] });
  });

  it('threads start in a process run with V8 flags, which Node refuses in a thread execArgv', async () => {
    const script = `
      import { McpManager } from 'mcpool';
      const manager = new McpManager();
      await manager.deployServer({ name: 'x', type: 'worker', module: ${JSON.stringify(fixtureModule('thread-exports'))}, threads: 1 });
      const result = await manager.executeTool('x', 'exports', {});
      await manager.shutdown();
      process.stdout.write(JSON.stringify(result.structuredContent));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--max-semi-space-size=2', '--stack-trace-limit=30', '--input-type=module', '-e', script], { cwd: process.cwd() });
    expect(JSON.parse(stdout)).toEqual({ names: ['ErrorCode', 'McpoolError', 'defineServer'] });
  });
});
