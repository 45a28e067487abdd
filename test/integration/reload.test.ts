import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, type ServerNotification } from 'mcpool';
import { codeOf, fixtureModule } from '../support/helpers.js';
import { brokenModule, moduleFolder, versionModule } from '../support/versioned-module.js';
import { helloPlugin, v1Plugin } from '../support/wasm.js';

let manager: McpManager | undefined;
let folder: Awaited<ReturnType<typeof moduleFolder>> | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  await folder?.remove();
  folder = undefined;
});

async function versionOf(target: McpManager): Promise<number> {
  const result = await target.executeTool('v', 'version', {});
  return (result.structuredContent as { version: number }).version;
}

describe('reloadServer', () => {
  it('a reload in the middle of 64 calls in flight for 3 s answers every call, and later calls see the new module', async () => {
    folder = await moduleFolder();
    const module = await folder.write('server.mjs', versionModule(1));
    manager = new McpManager();
    await manager.deployServer({ name: 'v', type: 'worker', module, threads: 2 });
    const id = manager.listServers()[0]!.id;
    const target = manager;
    const seen: number[] = [];
    const failures: unknown[] = [];
    let reloadedAt = Infinity;
    const afterReload: number[] = [];
    const until = performance.now() + 3_000;
    const loop = async (): Promise<void> => {
      while (performance.now() < until) {
        const startedAt = performance.now();
        try {
          const version = await versionOf(target);
          seen.push(version);
          if (startedAt > reloadedAt) afterReload.push(version);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const loops = Array.from({ length: 64 }, loop);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await folder.write('server.mjs', versionModule(2));
    await manager.reloadServer('v');
    reloadedAt = performance.now();
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(seen).toContain(1);
    expect(afterReload.length).toBeGreaterThan(0);
    expect(new Set(afterReload)).toEqual(new Set([2]));
    expect((await manager.listTools('v')).map((tool) => tool.name)).toEqual(['version', 'v2_only']);
    expect(manager.listServers()[0]!.id).toBe(id);
  });

  it('a module that fails to load is refused (SERVER_UNAVAILABLE) and the old one keeps serving', async () => {
    folder = await moduleFolder();
    const module = await folder.write('server.mjs', versionModule(1));
    manager = new McpManager();
    await manager.deployServer({ name: 'v', type: 'worker', module, threads: 1 });
    await folder.write('server.mjs', brokenModule);
    const inFlight = Array.from({ length: 20 }, () => versionOf(manager!));
    expect(await codeOf(manager.reloadServer('v'))).toBe(ErrorCode.SERVER_UNAVAILABLE);
    expect(await Promise.all(inFlight)).toEqual(Array.from({ length: 20 }, () => 1));
    expect(await versionOf(manager)).toBe(1);
    expect(manager.getServerHealth('v').state).toBe('healthy');
  });

  it('applies new settings, refuses a changed name or type and bad settings, and tells listeners list_changed', async () => {
    folder = await moduleFolder();
    const module = await folder.write('server.mjs', versionModule(1));
    manager = new McpManager();
    await manager.deployServer({ name: 'v', type: 'worker', module, threads: 1 });
    const notifications: ServerNotification[] = [];
    manager.on('serverNotification', (notification) => notifications.push(notification));
    await manager.reloadServer('v', { threads: 2 });
    expect(manager.listServers()[0]!.threads).toBe(2);
    expect(notifications).toEqual([{ server: 'v', method: 'notifications/tools/list_changed', params: {} }]);
    expect(await codeOf(manager.reloadServer('v', { type: 'stdio' } as never))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(manager.reloadServer('v', { threads: -1 }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(manager.reloadServer('nope'))).toBe(ErrorCode.SERVER_NOT_FOUND);
    expect(await versionOf(manager)).toBe(1);
  });

  it('reloads a WebAssembly server onto another plugin', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'plug', type: 'wasm', module: helloPlugin, threads: 1 });
    const before = manager.executeBatch(Array.from({ length: 200 }, (_, i) => ({ server: 'plug', tool: 'echo', arguments: { text: String(i) } })));
    await manager.reloadServer('plug', { module: v1Plugin });
    expect((await before).every((result) => result.ok)).toBe(true);
    expect((await manager.listTools('plug')).map((tool) => tool.name)).toEqual(['shout']);
    expect((await manager.executeTool('plug', 'shout', { text: 'new' })).content).toEqual([{ type: 'text', text: 'NEW!' }]);
  });

  it('respawns an external stdio server', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'fx', type: 'stdio', command: process.execPath, args: [fixtureModule('mcp-stdio-server')] });
    const pidOf = async (): Promise<string> => {
      const block = (await manager!.executeTool('fx', 'pid', {})).content[0];
      return block?.type === 'text' ? String(block.text) : '';
    };
    const before = await pidOf();
    await manager.reloadServer('fx');
    const after = await pidOf();
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\d+$/);
  });
});
