/**
 * `mcpool serve --watch` and SIGHUP, through the real bin as a child process and a real MCP SDK
 * client over Streamable HTTP: a changed module reloads its server, a changed config deploys,
 * removes and reloads servers and leaves the others alone; the client's session survives and it
 * is told tools/list_changed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveArgs } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { freePort, stopProcess, waitForPort } from '../support/processes.js';
import { moduleFolder, versionModule } from '../support/versioned-module.js';
import { helloPlugin } from '../support/wasm.js';

const POLL = { timeout: 20_000, interval: 100 };
const fixture = { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] };

let child: ChildProcess | undefined;
let client: Client | undefined;
let folder: Awaited<ReturnType<typeof moduleFolder>> | undefined;
afterEach(async () => {
  await client?.close().catch(() => undefined);
  client = undefined;
  await stopProcess(child);
  child = undefined;
  await folder?.remove();
  folder = undefined;
});

/** Starts `mcpool serve --http` on the config file and connects a client that counts list changes. */
async function serveAndConnect(configFile: string, extraArgs: string[]): Promise<{ listChanges: () => number; transport: StreamableHTTPClientTransport }> {
  const port = await freePort();
  child = spawn(process.execPath, [...serveArgs, '--http', '--port', String(port), '--config', configFile, ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`))));
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port, 30_000), exited]);
  let changes = 0;
  client = new Client({ name: 'reload-test', version: '1.0.0' });
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    changes++;
  });
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
  await client.connect(transport);
  // Notifications travel on the session's GET stream, which the client opens on its own: wait
  // until one arrives (the stdio fixture's add_tool sends one).
  await expect
    .poll(async () => {
      await client!.callTool({ name: 'fx__add_tool', arguments: {} });
      return changes;
    }, POLL)
    .toBeGreaterThan(0);
  return { listChanges: () => changes, transport };
}

async function text(name: string): Promise<string> {
  const result = await client!.callTool({ name, arguments: {} });
  const block = (result.content as { type: string; text?: string }[])[0];
  return block?.text ?? '';
}

async function toolNames(): Promise<string[]> {
  return (await client!.listTools()).tools.map((tool) => tool.name);
}

describe('mcpool serve reloads', () => {
  it('--watch reloads a worker server whose module file changes; the session survives and hears list_changed', async () => {
    folder = await moduleFolder();
    const module = await folder.write('v.mjs', versionModule(1));
    const plug = { type: 'wasm', module: helloPlugin, threads: 1 };
    const configFile = await folder.write('mcpool.json', JSON.stringify({ mcpServers: { v: { type: 'worker', module, threads: 1 }, fx: fixture, plug } }));
    const { listChanges, transport } = await serveAndConnect(configFile, ['--watch']);
    const session = transport.sessionId;
    expect(await text('v__version')).toBe('{"version":1}');
    // A WebAssembly server behind the gateway, as any other.
    const echoed = await client!.callTool({ name: 'plug__echo', arguments: { text: 'through the gateway' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'through the gateway' }]);
    const before = listChanges();
    await writeFile(module, versionModule(2));
    await expect.poll(() => text('v__version'), POLL).toBe('{"version":2}');
    await expect.poll(listChanges, POLL).toBeGreaterThan(before);
    expect(await toolNames()).toContain('v__v2_only');
    expect(transport.sessionId).toBe(session);
  });

  it('SIGHUP re-reads the config: added deployed, removed shut down, changed reloaded, unchanged untouched', async () => {
    folder = await moduleFolder();
    const v = await folder.write('v.mjs', versionModule(1));
    const gone = await folder.write('gone.mjs', versionModule(3));
    const added = await folder.write('added.mjs', versionModule(7));
    const configFile = join(folder.dir, 'mcpool.json');
    await writeFile(configFile, JSON.stringify({ mcpServers: { v: { type: 'worker', module: v, threads: 1 }, gone: { type: 'worker', module: gone, threads: 1 }, fx: fixture } }));
    const { listChanges, transport } = await serveAndConnect(configFile, []);
    const session = transport.sessionId;
    const fxPid = await text('fx__pid');
    expect(await toolNames()).toEqual(expect.arrayContaining(['v__version', 'gone__version']));
    // v's module changes too, but without --watch only a config change reloads it: its entry changes.
    await writeFile(v, versionModule(2));
    expect(await text('v__version')).toBe('{"version":1}');
    await writeFile(configFile, JSON.stringify({ mcpServers: { v: { type: 'worker', module: v, threads: 2 }, added: { type: 'worker', module: added, threads: 1 }, fx: fixture } }));
    const before = listChanges();
    child!.kill('SIGHUP');
    await expect.poll(toolNames, POLL).toEqual(expect.arrayContaining(['added__version']));
    await expect.poll(async () => (await toolNames()).includes('gone__version'), POLL).toBe(false);
    await expect.poll(() => text('v__version'), POLL).toBe('{"version":2}');
    expect(await text('added__version')).toBe('{"version":7}');
    expect(await text('fx__pid')).toBe(fxPid);
    await expect.poll(listChanges, POLL).toBeGreaterThan(before);
    expect(transport.sessionId).toBe(session);
    expect(child!.exitCode).toBeNull();
  });
});
