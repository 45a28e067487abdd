/**
 * The HTTP gateway's calls die young: what V8's scavenges promote to the old generation while a
 * session's calls run stays a few bytes per call. Through a long-lived `Map` or `Set` of the call
 * path, V8 promoted about 2.8 KB of every call from the first full collection on
 * (src/engine/churn.ts). The gateway runs through the bin under `--trace-gc-nvp`; the test has it
 * run one full collection (SIGUSR2) between a warm-up and the measured calls, which come over 16
 * raw keep-alive sockets (bench/harness/raw-http-load), each sending its next request when its
 * answer arrived.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { promotedBytes } from '../../bench/harness/gc-trace.js';
import { connectSockets, loadSockets, postBytes } from '../../bench/harness/raw-http-load.js';
import { exampleModule, fixtureModule } from '../support/helpers.js';
import { serveArgs, writeConfig } from '../support/gateway-process.js';
import { freePort, stopProcess, waitForPort } from '../support/processes.js';

const CONNECTIONS = 16;
const WARM_UP_CALLS = 10_000;
const CALLS = 20_000;

let child: ChildProcess | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stopProcess(child);
  child = undefined;
});

/** Resolves once `done` says so (checked every 20 ms). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the HTTP gateway under load', () => {
  it('promotes almost nothing of its calls to the old generation', async () => {
    const port = await freePort();
    const config = writeConfig({ mcpServers: { math: { type: 'worker', module: exampleModule('math'), threads: 1 } } });
    const args = ['--expose-gc', '--trace-gc-nvp', '--import', fixtureModule('full-gc-on-signal'), ...serveArgs, '--http', '--port', String(port), '--config', config, '--log-level', 'warn'];
    const gateway = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child = gateway;
    let trace = '';
    gateway.stdout.setEncoding('utf8').on('data', (text: string) => (trace += text));
    await waitForPort(port, 30_000);
    const url = `http://127.0.0.1:${port}/mcp`;
    const accept = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(url, {
      method: 'POST',
      headers: accept,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } } }),
    });
    await init.text();
    const session = init.headers.get('mcp-session-id')!;
    await (await fetch(url, { method: 'POST', headers: { ...accept, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();

    const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    // Every call has its own id (across both loads), so each is its own entry in the session.
    let nextId = 1;
    const call = (): Buffer => {
      const id = nextId++;
      return postBytes(port, headers, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'math__add', arguments: { a: id, b: 1 } } });
    };
    sockets.push(...(await connectSockets(port, CONNECTIONS)));
    // Warmed up first: compiling the call path promotes what it makes once, not per call.
    expect(await loadSockets(sockets, call, WARM_UP_CALLS)).toBe(WARM_UP_CALLS);
    const signalled = trace.length;
    gateway.kill('SIGUSR2');
    await until(() => trace.indexOf(' gc=mc ', signalled) >= 0);
    const start = trace.length;
    expect(await loadSockets(sockets, call, CALLS)).toBe(CALLS);
    const perCall = promotedBytes(trace.slice(start)) / CALLS;
    // Measured: 32-57 bytes per call on Node 20, 26-39 on Node 24; the build before this test, with
    // a Map and a Set on the call path, 2,383-2,504 and 1,688-1,733.
    expect(perCall).toBeLessThan(400);
  });
});
