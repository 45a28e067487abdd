/**
 * `mcpool serve` as operators run it, through the CLI as a child process and the SDK clients: a
 * server that fails to start does not stop the others (stdio and HTTP) and is retried,
 * `--strict`, `mcpool health --url`, logs (levels, JSON lines, access lines), the loopback rule,
 * SIGHUP, and the 401 that says a token is needed.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mcpool, tempDir } from '../support/cli-helpers.js';
import { exampleModule, fixtureModule } from '../support/helpers.js';
import { runServe, serveArgs, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { eventually, freePort, stopProcess, waitForPort } from '../support/processes.js';

const running: HttpGatewayProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((gateway) => stopProcess(gateway.child)));
});

async function gatewayOf(config: unknown, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<HttpGatewayProcess> {
  const gateway = await startHttpGateway(config, args, env);
  running.push(gateway);
  return gateway;
}

/** math (worker) first, then a stdio server whose module does not exist. */
function secondFails(later = '/nonexistent/mcpool-missing-server.js'): Record<string, unknown> {
  return {
    mcpServers: {
      math: { type: 'worker', module: exampleModule('math'), threads: 1 },
      broken: { command: process.execPath, args: [later] },
    },
  };
}

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0] ?? { text: '' }).text;
}

describe('a server that fails to start', () => {
  it('does not stop serve --stdio: the first server is served', async () => {
    const client = new Client({ name: 'stays-up', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', writeConfig(secondFails())], stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('math__add');
      expect(tools.some((tool) => tool.name.startsWith('broken__'))).toBe(false);
      expect((await client.callTool({ name: 'math__add', arguments: { a: 2, b: 3 } })).structuredContent).toEqual({ sum: 5 });
    } finally {
      await client.close();
    }
  });

  it('does not stop serve --http: the first is served, the failed one is unhealthy in /health and in mcpool health --url', async () => {
    const gateway = await gatewayOf(secondFails());
    const client = new Client({ name: 'stays-up', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    expect((await client.callTool({ name: 'math__add', arguments: { a: 1, b: 1 } })).structuredContent).toEqual({ sum: 2 });
    await client.close();
    const health = (await (await fetch(`http://127.0.0.1:${gateway.port}/health`)).json()) as { status: string; servers: { name: string; state: string; lastError?: string }[] };
    expect(health.status).toBe('degraded');
    expect(health.servers.map((server) => server.name)).toEqual(['math', 'broken']);
    expect(health.servers[1]).toMatchObject({ state: 'unhealthy' });
    expect(health.servers[1]!.lastError).toContain('Cannot find module');
    const table = await mcpool(['health', '--url', `http://127.0.0.1:${gateway.port}`]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/broken\s+stdio\s+unhealthy/);
    expect(table.stdout.trim().split('\n')).toHaveLength(3);
    const json = await mcpool(['health', '--url', gateway.url, '--json']);
    expect((JSON.parse(json.stdout) as { servers: unknown[] }).servers).toHaveLength(2);
  });

  it('is retried with backoff and joins the gateway once it can start', async () => {
    const { dir, remove } = await tempDir();
    try {
      const later = join(dir, 'later.mjs');
      const gateway = await gatewayOf(secondFails(later));
      const client = new Client({ name: 'later', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
      expect((await client.listTools()).tools.some((tool) => tool.name === 'broken__echo')).toBe(false);
      writeFileSync(later, `import ${JSON.stringify(fixtureModule('mcp-stdio-server'))};\n`);
      await eventually(async () => ((await client.listTools()).tools.some((tool) => tool.name === 'broken__echo') ? true : undefined), 200);
      expect(textOf(await client.callTool({ name: 'broken__echo', arguments: { message: 'back' } }))).toContain('back');
      await client.close();
      expect(gateway.stderr()).toContain('server "broken" started after');
    } finally {
      await remove();
    }
  });

  it('with --strict is fatal: exit 2', async () => {
    const { code, stderr } = await runServe(['--http', '--port', '0', '--strict', '--config', writeConfig(secondFails())]);
    expect(code).toBe(2);
    expect(stderr).toContain('error SERVER_UNAVAILABLE');
  });
});

describe('mcpool health', () => {
  it('--url exits 1 when nothing listens there, or when the gateway refuses the token', async () => {
    const port = await freePort();
    const down = await mcpool(['health', '--url', `http://127.0.0.1:${port}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('UNREACHABLE');
    const gateway = await gatewayOf({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } }, ['--token', 's3cret']);
    const refused = await mcpool(['health', '--url', gateway.url, '--token', 'wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('UNAUTHORIZED');
    const ok = await mcpool(['health', '--url', gateway.url], { env: { MCPOOL_TOKEN: 's3cret' } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/math\s+worker\s+healthy/);
  });

  it("does not show a healthy stdio server's stderr banner as LAST ERROR", async () => {
    const file = writeConfig({ mcpServers: { fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] } } });
    const json = await mcpool(['health', '--config', file, '--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { lastError?: string }[])[0]!.lastError).toBeUndefined();
    const table = await mcpool(['health', '--config', file]);
    expect(table.stdout).not.toContain('fixture: started');
    expect(table.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('operating the gateway', () => {
  it('--log-format json writes one JSON object per stderr line, with an access line per request at info', async () => {
    const gateway = await gatewayOf({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } }, ['--log-format', 'json']);
    await fetch(`http://127.0.0.1:${gateway.port}/health`);
    const lines = await eventually(() => {
      const all = gateway.stderr().trim().split('\n');
      return all.some((line) => line.includes('/health')) ? all : undefined;
    });
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.every((record) => typeof record.time === 'string' && typeof record.level === 'string' && typeof record.msg === 'string')).toBe(true);
    expect(records.find((record) => record.path === '/health')).toMatchObject({ level: 'info', msg: 'request', method: 'GET', status: 200 });
  });

  it('--log-level warn writes no access lines', async () => {
    const gateway = await gatewayOf({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } }, ['--log-level', 'warn']);
    await fetch(`http://127.0.0.1:${gateway.port}/health`);
    await fetch(`http://127.0.0.1:${gateway.port}/nothing-here`);
    // Stopped first, so every line it would write is in.
    await stopProcess(gateway.child);
    expect(gateway.stderr()).not.toContain('request');
    expect(gateway.stderr()).not.toContain('serving');
  });

  it('refuses to bind beyond loopback without a token (exit 2) unless --insecure', async () => {
    const config = writeConfig({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } });
    const refused = await runServe(['--http', '--host', '0.0.0.0', '--port', '0', '--config', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--insecure');
    const port = await freePort();
    const child = spawn(process.execPath, [...serveArgs, '--http', '--host', '0.0.0.0', '--port', String(port), '--insecure', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForPort(port);
      // The port can open before the warning's chunk reaches this process.
      await eventually(() => (stderr.includes('without a token') ? true : undefined));
      expect(stderr).toContain('without a token');
    } finally {
      await stopProcess(child);
    }
  });

  it('SIGHUP does not stop it: it logs and goes on serving', async () => {
    const gateway = await gatewayOf({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } });
    gateway.child.kill('SIGHUP');
    await eventually(() => (gateway.stderr().includes('SIGHUP') ? true : undefined));
    expect((await fetch(`http://127.0.0.1:${gateway.port}/health`)).status).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
  });

  it('a missing or wrong token is 401 with WWW-Authenticate: Bearer and a JSON-RPC error that says a token is needed', async () => {
    const gateway = await gatewayOf({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } }, ['--token', 't0ken']);
    for (const authorization of [undefined, 'Bearer nope']) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(authorization === undefined ? {} : { authorization }) },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { jsonrpc: string; error: { message: string } };
      expect(body.jsonrpc).toBe('2.0');
      expect(body.error.message).toContain('needs a bearer token');
    }
  });

  it('a port in use exits 2 with the error CODE: form', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { code, stderr } = await runServe(['--http', '--port', String(port), '--config', writeConfig({ mcpServers: {} })]);
      expect(code).toBe(2);
      expect(stderr).toContain('error EADDRINUSE:');
    } finally {
      blocker.close();
    }
  });
});
