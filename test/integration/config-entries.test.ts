/**
 * Config entries of every type, through the CLI as a child process and the gateway with the
 * SDK client: `disabled`, unknown keys, `toolFilter`, a stdio entry's relative paths, config
 * order, and a child's start-up failure that keeps its "Cannot find module" line.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mcpool, tempDir } from '../support/cli-helpers.js';
import { exampleModule, fixtureModule } from '../support/helpers.js';
import { serveArgs } from '../support/gateway-process.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function configIn(config: unknown, sub = ''): Promise<{ dir: string; file: string }> {
  const temp = await tempDir();
  cleanup = temp.remove;
  const folder = join(temp.dir, sub);
  await mkdir(folder, { recursive: true });
  const file = join(folder, 'mcpool.json');
  await writeFile(file, JSON.stringify(config));
  return { dir: temp.dir, file };
}

describe('config entries', () => {
  it('skips a "disabled": true entry (even one whose ${env:...} is unset) and lists servers in config order', async () => {
    const { file } = await configIn({
      mcpServers: {
        fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] },
        off: { command: 'definitely-not-a-command', env: { A: '${env:MCPOOL_TEST_UNSET}' }, disabled: true },
        text: { type: 'worker', module: exampleModule('text'), threads: 1 },
        math: { type: 'worker', module: exampleModule('math'), threads: 1 },
      },
    });
    const run = await mcpool(['tools', '--config', file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const servers = (JSON.parse(run.stdout) as { server: string }[]).map((tool) => tool.server);
    expect([...new Set(servers)]).toEqual(['fx', 'text', 'math']);
  });

  it('an unknown key in any entry type is INVALID_CONFIG naming it (exit 2)', async () => {
    const entries = {
      stdio: { command: process.execPath, arg: ['x.js'] },
      http: { url: 'http://127.0.0.1:9/mcp', header: {} },
      worker: { type: 'worker', module: exampleModule('math'), thread: 1 },
    };
    for (const [name, entry] of Object.entries(entries)) {
      const { file } = await configIn({ mcpServers: { [name]: entry } });
      const run = await mcpool(['tools', '--config', file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('INVALID_CONFIG');
      expect(run.stderr).toContain(`mcpServers.${name}.${Object.keys(entry).find((key) => ['arg', 'header', 'thread'].includes(key))}: unknown key`);
      await cleanup?.();
    }
  });

  it('toolFilter hides tools from listings and calls (TOOL_NOT_FOUND), for worker and stdio servers', async () => {
    const { file } = await configIn({
      mcpServers: {
        math: { type: 'worker', module: exampleModule('math'), threads: 1, toolFilter: { allow: ['ad*'] } },
        fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')], toolFilter: { deny: ['c*', 'ask_*', 'add_tool'] } },
      },
    });
    const tools = await mcpool(['tools', '--config', file, '--json']);
    expect(tools.code).toBe(0);
    const names = (JSON.parse(tools.stdout) as { server: string; name: string }[]).map(({ server, name }) => `${server}/${name}`);
    expect(names).toContain('math/add');
    expect(names).not.toContain('math/count_primes');
    expect(names).toContain('fx/echo');
    expect(names.filter((name) => /^fx\/(c|ask_|add_tool)/.test(name))).toEqual([]);
    const hidden = await mcpool(['call', 'math/count_primes', '{"limit":10}', '--config', file]);
    expect(hidden.code).not.toBe(0);
    expect(hidden.stderr).toContain('TOOL_NOT_FOUND');
    const hiddenExternal = await mcpool(['call', 'fx/crash', '{}', '--config', file]);
    expect(hiddenExternal.stderr).toContain('TOOL_NOT_FOUND');
    expect((await mcpool(['call', 'math/add', '{"a":1,"b":2}', '--config', file])).stdout).toContain('"sum": 3');
  });

  it("resolves a stdio entry's relative command, args and cwd against the config file's folder", async () => {
    const { dir, file } = await configIn(
      {
        mcpServers: {
          rel: { command: process.execPath, args: ['./server.mjs'], cwd: '.' },
          rel2: { command: process.execPath, args: ['server.mjs'], env: { FIXTURE_TOOL_PREFIX: 'two_' } },
        },
      },
      'conf',
    );
    await writeFile(join(dir, 'conf', 'server.mjs'), `import ${JSON.stringify(fixtureModule('mcp-stdio-server'))};\n`);
    // Run from another folder, as an IDE launching the gateway would.
    const run = await mcpool(['call', 'rel2/two_echo', '{"message":"hi"}', '--config', file], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('hi');
    expect((await mcpool(['call', 'rel/echo', '{"message":"yo"}', '--config', file], { cwd: dir })).stdout).toContain('yo');
  });

  it('a child that fails to start reports its "Cannot find module" line', async () => {
    const { file } = await configIn({ mcpServers: { broken: { command: process.execPath, args: ['./missing-server.js'] } } });
    const run = await mcpool(['tools', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot find module');
    expect(run.stderr).toContain('missing-server.js');
  });

  it("the gateway's tools/list follows config order, whichever server starts first", async () => {
    const { file } = await configIn({
      mcpServers: {
        everything: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] },
        math: { type: 'worker', module: exampleModule('math'), threads: 1 },
        hash: { type: 'worker', module: exampleModule('hash'), threads: 1 },
      },
    });
    const client = new Client({ name: 'order', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', file], stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      const servers = [...new Set(tools.map((tool) => tool.name.split('__')[0]))];
      expect(servers).toEqual(['everything', 'math', 'hash']);
    } finally {
      await client.close();
    }
  });
});
