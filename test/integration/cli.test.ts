import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpool, tempDir, writeFixtureConfig } from '../support/cli-helpers.js';

let dir: string;
let removeDir: () => Promise<void>;
let fixtureConfig: string;

beforeAll(async () => {
  ({ dir, remove: removeDir } = await tempDir());
  fixtureConfig = await writeFixtureConfig(dir);
});
afterAll(async () => {
  await removeDir();
});

describe('mcpool help and usage', () => {
  it('mcpool --help lists every command and exits 0', async () => {
    const run = await mcpool(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['call', 'tools', 'health', 'batch', 'bench']) expect(run.stdout).toContain(`  ${name}`);
  });

  it.each(['call', 'tools', 'health', 'batch', 'bench'])('mcpool %s --help prints its usage and options and exits 0', async (name) => {
    const run = await mcpool([name, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: mcpool ${name}`);
    expect(run.stdout).toContain('--help');
    if (name !== 'bench') expect(run.stdout).toContain('--config');
  });

  it('mcpool without a command prints the help on stderr and exits 2', async () => {
    const run = await mcpool([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: mcpool');
  });

  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['tools', '--bogus']],
    ['a missing argument', ['call']],
    ['an extra argument', ['tools', 'extra']],
    ['a target without a slash', ['call', 'math', '{}']],
    ['arguments that are not JSON', ['call', 'math/add', '{a:1}']],
    ['arguments that are not an object', ['call', 'math/add', '[1,2]']],
    ['a timeout that is not a number', ['call', 'math/add', '{}', '--timeout', 'soon']],
    ['a missing batch input file', ['batch', 'no-such-file.jsonl']],
    ['a batch output in a missing folder', ['batch', '-', '--out', 'no/such/folder/out.jsonl']],
    ['an unknown bench scenario', ['bench', '--scenario', 'nope']],
    ['an unknown bench system', ['bench', '--system', 'nope']],
  ])('bad usage (%s) exits 2 with an error on stderr and nothing on stdout', async (_, args) => {
    const run = await mcpool(args, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error/);
  });
});

describe('mcpool call', () => {
  it('prints the CallToolResult of a built-in example tool as JSON and exits 0', async () => {
    const run = await mcpool(['call', 'math/add', '{"a":2,"b":3}']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ content: [{ type: 'text', text: '{"sum":5}' }], structuredContent: { sum: 5 } });
  });

  it('reads the arguments from stdin when they are given as -', async () => {
    const run = await mcpool(['call', 'text/word_count', '-'], { input: '{"text":"one two three"}' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ structuredContent: { words: 3 } });
  });

  it('uses the servers of --config', async () => {
    const run = await mcpool(['call', 'fixture/echo', '{"text":"hi"}', '--config', fixtureConfig]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ structuredContent: { text: 'hi' } });
  });

  it('reads ./mcpool.json when --config is not given', async () => {
    const run = await mcpool(['call', 'fixture/echo', '{"text":"from cwd"}'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ structuredContent: { text: 'from cwd' } });
  });

  it('prints a tool error as a result with isError and exits 1', async () => {
    const run = await mcpool(['call', 'fixture/fail', '{}', '--config', fixtureConfig]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ content: [{ type: 'text', text: 'this tool always fails' }], isError: true });
  });

  it.each([
    ['invalid arguments', ['math/add', '{"a":1}'], 'INVALID_ARGUMENTS'],
    ['an unknown tool', ['math/nope', '{}'], 'TOOL_NOT_FOUND'],
    ['an unknown server', ['nope/add', '{}'], 'SERVER_NOT_FOUND'],
  ])('a failed call (%s) exits 1 with its error code on stderr', async (_, args, code) => {
    const run = await mcpool(['call', ...args]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(code);
  });

  it('a call past --timeout fails with TIMEOUT and exits 1', async () => {
    const run = await mcpool(['call', 'fixture/sleep', '{"ms":1500}', '--timeout', '50', '--config', fixtureConfig]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TIMEOUT');
  });
});

describe('bad config', () => {
  it.each([
    ['a missing file', null],
    ['a file that is not JSON', '{ not json'],
    ['a wrong field type', JSON.stringify({ mcpServers: { math: { type: 'worker', module: './x.js', threads: 'two' } } })],
    ['an entry of no known kind', JSON.stringify({ mcpServers: { odd: { foo: 1 } } })],
    ['a server module that does not exist', JSON.stringify({ mcpServers: { gone: { type: 'worker', module: './no-such-module.js' } } })],
  ])('%s exits 2 with a config error on stderr', async (name, content) => {
    const path = join(dir, `bad-${name.replace(/\W+/g, '-')}.json`);
    if (content !== null) await writeFile(path, content);
    for (const command of [['tools'], ['health'], ['call', 'math/add', '{}']]) {
      const run = await mcpool([...command, '--config', path]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/INVALID_CONFIG|SERVER_UNAVAILABLE/);
    }
  });
});

describe('mcpool tools', () => {
  it('--json prints every tool of the example servers with its server and input schema', async () => {
    const run = await mcpool(['tools', '--json']);
    expect(run.code).toBe(0);
    const tools = JSON.parse(run.stdout) as { server: string; name: string; description?: string; inputSchema: unknown }[];
    expect(tools.map((tool) => `${tool.server}/${tool.name}`)).toEqual(
      expect.arrayContaining(['math/add', 'math/count_primes', 'hash/sha256', 'text/word_count', 'text/text_stats', 'text/gzip_size']),
    );
    const add = tools.find((tool) => tool.name === 'add');
    expect(add).toMatchObject({ server: 'math', description: 'Add two numbers', inputSchema: { type: 'object', required: ['a', 'b'] } });
  });

  it('prints a table with name, server and description', async () => {
    const run = await mcpool(['tools', '--config', fixtureConfig]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SERVER\s+DESCRIPTION$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
      ['echo', 'fixture', 'Returns its text'],
      ['fail', 'fixture', 'Always fails with a tool error'],
      ['sleep', 'fixture', 'Waits ms milliseconds'],
    ]);
  });
});

describe('mcpool health', () => {
  it('--json prints a healthy ServerHealth for each example server and exits 0', async () => {
    const run = await mcpool(['health', '--json']);
    expect(run.code).toBe(0);
    const health = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(health.map((server) => server.name)).toEqual(['math', 'hash', 'text']);
    for (const server of health) {
      expect(server).toMatchObject({ type: 'worker', state: 'healthy', inFlight: 0, queued: 0, calls: 0, errors: 0, circuit: 'closed' });
      expect(server.threads).toBeGreaterThan(0);
      expect(typeof server.id).toBe('string');
    }
  });

  it('prints a table with one row per server', async () => {
    const run = await mcpool(['health', '--config', fixtureConfig]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SERVER\s+TYPE\s+STATE\s+THREADS/);
    expect(lines[1]).toMatch(/^fixture\s+worker\s+healthy\s+1\s/);
  });
});
