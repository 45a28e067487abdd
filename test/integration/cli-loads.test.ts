/**
 * Each command loads only what it runs (README, "Architecture"): the modules the bin's main
 * thread resolves, read with a module resolve hook (registered through `NODE_OPTIONS`) that writes
 * each URL to stderr. `--help` loads neither the engine nor zod; a command on worker servers loads
 * none of the other server kinds' code; a gateway's main thread never loads zod (its config is
 * validated in a thread of its own, cli/serve-config).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { mcpool, tempDir, writeFixtureConfig } from '../support/cli-helpers.js';
import { startHttpGateway } from '../support/gateway-process.js';
import { exampleModule } from '../support/helpers.js';
import { stopProcess } from '../support/processes.js';

const MARK = 'mcpool-test-resolved ';

/**
 * A hooks module noting every URL the main thread resolves: a server thread's resolutions carry
 * the `mcpool-thread` condition, those of `serve`'s config thread `mcpool-serve-config`.
 */
const hooks = `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!context.conditions.includes('mcpool-thread') && !context.conditions.includes('mcpool-serve-config')) writeSync(2, ${JSON.stringify(MARK)} + result.url + '\\n');
  return result;
}`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
const nodeOptions = `--import="data:text/javascript,${encodeURIComponent(register)}"`;

/** The URLs in a run's stderr. */
function urlsIn(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith(MARK))
    .map((line) => line.slice(MARK.length));
}

/** The URLs the bin's main thread resolved for `args`, and the run. */
async function resolvedBy(args: string[]): Promise<{ urls: string[]; code: number | null; stderr: string }> {
  const run = await mcpool(args, { env: { NODE_OPTIONS: nodeOptions } });
  return { urls: urlsIn(run.stderr), code: run.code, stderr: run.stderr };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('what a command loads', () => {
  it('--help loads neither the engine, the config schemas, zod nor the NATS code', async () => {
    const { urls, code } = await resolvedBy(['--help']);
    expect(code).toBe(0);
    expect(urls.some((url) => url.endsWith('/cli/main.js'))).toBe(true);
    // '/src/config/': every config module (schemas, each kind's schema, the config-file loader).
    for (const part of ['/node_modules/zod/', '/src/config/', '/engine/manager.js', '/servers/nats/']) {
      expect(urls.filter((url) => url.includes(part))).toEqual([]);
    }
  });

  it('a command on worker servers loads no stdio, HTTP, WebAssembly or NATS server code', async () => {
    const { dir, remove } = await tempDir();
    cleanup = remove;
    const config = await writeFixtureConfig(dir);
    const { urls, code, stderr } = await resolvedBy(['tools', '--config', config]);
    expect(code, stderr).toBe(0);
    expect(urls.some((url) => url.includes('/servers/worker/worker-actor.js'))).toBe(true);
    for (const part of ['/servers/external/stdio-actor.js', '/servers/external/http-actor.js', '/servers/wasm/', '/servers/nats/']) {
      expect(urls.filter((url) => url.includes(part))).toEqual([]);
    }
  });

  it('a gateway of worker servers loads no external server code, nor the MCP client, nor zod, while it serves', async () => {
    const gateway = await startHttpGateway({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } }, [], { NODE_OPTIONS: nodeOptions });
    cleanup = () => stopProcess(gateway.child);
    const client = new Client({ name: 'cli-loads', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    // Listing resources and prompts walks the servers that could pass them through.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.listResources().catch(() => undefined);
    await client.listPrompts().catch(() => undefined);
    await client.close();
    const urls = urlsIn(gateway.stderr());
    expect(urls.some((url) => url.includes('/gateway/passthrough.js'))).toBe(true);
    for (const part of ['/node_modules/zod/', '/src/config/config-file.js', '/src/config/worker-schema.js', '/servers/external/external-actor.js', '/servers/external/stdio-actor.js', '/servers/external/http-actor.js', '/node_modules/@modelcontextprotocol/client/', '/servers/wasm/', '/servers/nats/']) {
      expect(urls.filter((url) => url.includes(part))).toEqual([]);
    }
  });
});
