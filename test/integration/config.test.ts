import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpManager, loadConfig, parseConfig, type McpoolError } from 'mcpool';
import { exampleModule } from '../support/helpers.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function failure(raw: unknown, env: NodeJS.ProcessEnv = {}): McpoolError {
  try {
    parseConfig(raw, '/base', 'mcpool.json', env);
  } catch (error) {
    return error as McpoolError;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('the config file', () => {
  it('reads mcpServers and servers entries: worker, stdio and Streamable HTTP, with ${env:NAME} expanded', () => {
    const config = parseConfig(
      {
        mcpServers: {
          text: { type: 'worker', module: './servers/text.js', threads: 2 },
          everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'], env: { A: '${env:A}' } },
        },
        servers: { remote: { type: 'http', url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } } },
        manager: { maxConcurrentOperations: 8, defaultTimeoutMs: 1000 },
      },
      '/base',
      'mcpool.json',
      { A: 'a-value', TOKEN: 'secret' },
    );
    expect(config.manager).toMatchObject({ maxConcurrentOperations: 8, defaultTimeoutMs: 1000 });
    expect(config.servers).toEqual([
      { name: 'text', type: 'worker', module: pathToFileURL('/base/servers/text.js').href, threads: 2 },
      { name: 'everything', type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'], env: { A: 'a-value' } },
      { name: 'remote', type: 'http', url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: 'Bearer secret' } },
    ]);
  });

  it('names the JSON path of a bad field', () => {
    const bad = failure({ mcpServers: { text: { type: 'worker', module: './x.js', threads: 'many' } } });
    expect(bad.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(bad.message).toContain('mcpServers.text.threads');
    expect(failure({ manager: { maxConcurrentOperations: 0 } }).message).toContain('manager.maxConcurrentOperations');
    expect(failure({ mcpServers: { odd: { foo: 1 } } }).message).toContain('mcpServers.odd');
    expect(failure({ mcpServers: { remote: { url: 'not a url' } } }).message).toContain('mcpServers.remote.url');
    expect(failure({ mcpServers: { 'bad name!': { type: 'worker', module: './x.js' } } }).code).toBe(ErrorCode.INVALID_CONFIG);
    expect(failure({ mcpServers: { x: { command: '${env:MISSING}' } } }).message).toContain('MISSING');
  });

  it('loads a file whose relative module paths resolve against its folder, and the servers deploy', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpool-config-'));
    const file = join(dir, 'mcpool.json');
    await writeFile(file, JSON.stringify({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } }));
    const config = await loadConfig(file);
    await using manager = new McpManager(config.manager);
    for (const server of config.servers) await manager.deployServer(server);
    expect((await manager.executeTool('math', 'add', { a: 2, b: 2 })).structuredContent).toEqual({ sum: 4 });
  });

  it('a missing file or broken JSON is INVALID_CONFIG', async () => {
    await expect(loadConfig('/definitely/not/here.json')).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    dir = await mkdtemp(join(tmpdir(), 'mcpool-config-'));
    await writeFile(join(dir, 'broken.json'), '{ "mcpServers": ');
    await expect(loadConfig(join(dir, 'broken.json'))).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });
});
