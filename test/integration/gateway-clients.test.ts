import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fixtureModule } from '../support/helpers.js';
import { serveArgs, standardConfig, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';

const run = promisify(execFile);
const configFile = writeConfig(standardConfig());
const noisyConfig = standardConfig() as { mcpServers: Record<string, unknown> };
noisyConfig.mcpServers.noisy = { type: 'worker', module: fixtureModule('noisy'), threads: 1 };
const noisyConfigFile = writeConfig(noisyConfig);

describe('the stdio gateway with the official SDK clients', () => {
  it('an SDK v2 client over stdio lists namespaced tools and calls worker and external tools', async () => {
    const client = new Client({ name: 'test-v2', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', configFile], stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['math__add', 'fx__sleep', 'everything__echo']));
      expect((await client.callTool({ name: 'math__add', arguments: { a: 1, b: 2 } })).structuredContent).toEqual({ sum: 3 });
      const updates: unknown[] = [];
      await client.callTool({ name: 'fx__sleep', arguments: { ms: 300, steps: 2 } }, { onprogress: (update) => updates.push(update) });
      expect(updates).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('an SDK v1 client over stdio calls a tool and pings', async () => {
    const client = new ClientV1({ name: 'test-v1', version: '1.0.0' });
    await client.connect(new StdioClientTransportV1({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', configFile], stderr: 'ignore' }));
    try {
      expect((await client.callTool({ name: 'math__add', arguments: { a: 20, b: 22 } })).structuredContent).toEqual({ sum: 42 });
      await client.ping();
    } finally {
      await client.close();
    }
  });

  it('writes nothing but JSON-RPC to stdout, even when a tool logs to stdout, and exits 0 when stdin ends', async () => {
    const child = spawn(process.execPath, [...serveArgs, '--stdio', '--config', noisyConfigFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'math__add', arguments: { a: 1, b: 1 } } },
      { jsonrpc: '2.0', id: 3, method: 'no/such/method' },
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'noisy__shout', arguments: { text: 'hello' } } },
    ];
    child.stdin.write(lines.map((line) => JSON.stringify(line)).join('\n') + '\nnot json\n');
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    while ((stdout.match(/\n/g) ?? []).length < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    child.stdin.end();
    expect(await exit).toBe(0);
    const messages = stdout.trim().split('\n').map((line) => JSON.parse(line) as { jsonrpc: string; id: unknown; result?: unknown; error?: { code: number } });
    expect(messages.every((message) => message.jsonrpc === '2.0')).toBe(true);
    const byId = new Map(messages.map((message) => [message.id, message]));
    expect(byId.get(1)?.result).toMatchObject({ protocolVersion: '2025-03-26' });
    expect(byId.get(2)?.result).toMatchObject({ structuredContent: { sum: 2 } });
    expect(byId.get(3)?.error?.code).toBe(-32601);
    expect(byId.get(null)?.error?.code).toBe(-32700);
    expect(byId.get(4)?.result).toMatchObject({ structuredContent: { said: 'hello' } });
    const log = messages.find((message) => (message as { method?: string }).method === 'notifications/message') as { params?: unknown } | undefined;
    expect(log?.params).toEqual({ level: 'warning', logger: 'noisy/shout', data: { said: 'hello' } });
    expect(stderr).toContain('noisy tool says hello');
  });
});

describe('the HTTP gateway with other real clients', () => {
  let gateway: HttpGatewayProcess;
  const token = 'clients-token';
  beforeAll(async () => {
    gateway = await startHttpGateway(standardConfig(), [], { MCPOOL_TOKEN: token });
  });
  afterAll(async () => {
    await stopProcess(gateway?.child);
  });

  it('the MCP Inspector CLI lists and calls tools through the gateway', { timeout: 240_000 }, async () => {
    const inspector = ['-y', '@modelcontextprotocol/inspector@2.12.0', '--cli', gateway.url, '--header', `Authorization: Bearer ${token}`];
    const listed = await run('npx', [...inspector, '--method', 'tools/list'], { timeout: 200_000 });
    const names = (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['math__add', 'everything__echo']));
    const called = await run('npx', [...inspector, '--method', 'tools/call', '--tool-name', 'math__add', '--tool-arg', 'a=4', '--tool-arg', 'b=5'], { timeout: 200_000 });
    expect((JSON.parse(called.stdout) as { structuredContent: unknown }).structuredContent).toEqual({ sum: 9 });
  });

  it('the official Python MCP SDK calls a tool through the HTTP gateway', { timeout: 300_000 }, async (context) => {
    // A virtual environment made here once per machine (pip install mcp), reused by later runs.
    const venv = join(tmpdir(), 'mcpool-test-python-venv');
    const python = join(venv, 'bin', 'python');
    const ready = async (): Promise<boolean> =>
      existsSync(python) &&
      (await run(python, ['-c', 'import mcp.client.streamable_http, httpx2']).then(
        () => true,
        () => false,
      ));
    if (!(await ready())) {
      const made = await run('python3', ['-m', 'venv', venv]).then(
        () => run(join(venv, 'bin', 'pip'), ['install', '-q', '--retries', '0', '--timeout', '5', 'mcp'], { timeout: 280_000 }),
      ).then(
        () => true,
        (error: unknown) => {
          context.skip(`python3 -m venv / pip install mcp failed here, so the Python client cannot run: ${String(error).slice(0, 300)}`);
          return false;
        },
      );
      if (!made || !(await ready())) context.skip('pip install mcp did not give a usable mcp 2.x package (mcp.client.streamable_http with httpx2)');
    }
    const script = fileURLToPath(new URL('../fixtures/python_client.py', import.meta.url));
    const { stdout } = await run(python, [script, gateway.url, token, 'math__add', JSON.stringify({ a: 7, b: 8 })], { timeout: 60_000 });
    const output = JSON.parse(stdout) as { tools: string[]; is_error: boolean; structured: unknown };
    expect(output.tools).toContain('math__add');
    expect(output.is_error).toBe(false);
    expect(output.structured).toEqual({ sum: 15 });
  });
});
