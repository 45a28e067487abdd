/**
 * @module bench/harness/systems/gateway
 * The systems of the gateway scenarios, each a server in a child process serving the benchmark
 * tools:
 * - `mcp-sdk-http`: the SDK's own Streamable HTTP server (v2, stateful, JSON responses);
 * - `mcpool-gateway-http`: `mcpool serve --http` with the benchmark server on worker threads;
 * - `mcpool-gateway-stdio`: `mcpool serve --stdio`, the same (`mcp-sdk-stdio` is the stdio
 *   scenario's baseline).
 * In the gateway scenarios the HTTP ones are loaded by wrk (one load generator for all; where
 * wrk is not installed, by a lean keep-alive client in this process, `http-client.ts`) and the
 * stdio ones by one minimal JSON-RPC client (`stdio-load.ts`), so the figures are the servers'
 * rather than a client library's. `npm run bench:gateway` adds the node:http floor and the
 * proxies users run today.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpMcpClient } from '../http-client.js';
import { stdioLoadRun } from '../stdio-load.js';
import { wrkInstalled, wrkLoadRun } from '../wrk.js';
import type { BenchSystem, BenchTarget } from '../registry.js';
import { freePort, listening, stopProcessTree } from '../server-process.js';
import { allowDrainListeners, clientTarget } from './mcp-sdk.js';

/** `mcpool serve` through the bin, as users start it (the gateway benchmarks measure that process). */
const serveArgs = [fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url)), 'serve'];
const sdkHttpServer = fileURLToPath(new URL('../sdk-http-server.js', import.meta.url));
const benchServer = fileURLToPath(new URL('../bench-server.js', import.meta.url));

/**
 * A config for `mcpool serve`: the benchmark server on one thread (the trivial tool needs no
 * more: with `{ min: 1, max: 2 }` the pool grew to two threads under wrk and served 2.3x the SDK
 * at 16 connections instead of 4.8x, measured here), its tools under their own names
 * (`prefix: ""`), no call limits below the load. `npm run bench:gateway` runs it the same way.
 */
function serveConfig(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpool-bench-'));
  const file = join(dir, 'mcpool.json');
  const config = {
    manager: { maxConcurrentOperations: 100_000, defaultTimeoutMs: 0 },
    mcpServers: { bench: { type: 'worker', module: benchServer, threads: 1, prefix: '' } },
  };
  writeFileSync(file, JSON.stringify(config));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts an HTTP server process with `args` (plus its port) and connects the lean client. */
async function httpTarget(args: (port: number) => string[], cleanup?: () => void): Promise<BenchTarget> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port), { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await listening(port, child);
    const url = `http://127.0.0.1:${port}/mcp`;
    const client = new HttpMcpClient(url);
    await client.connect();
    return {
      call: (tool, args) => client.callTool(tool, args),
      ...(wrkInstalled() ? { load: (tool, args, concurrency, durationMs) => wrkLoadRun(url, client.headers, tool, args, concurrency, durationMs) } : {}),
      childPids: () => (child.pid === undefined ? [] : [child.pid]),
      close: async () => {
        client.close();
        await stopProcessTree(child);
        cleanup?.();
      },
    };
  } catch (error) {
    await stopProcessTree(child);
    cleanup?.();
    throw error;
  }
}

/** The SDK's stateful Streamable HTTP server. */
export const sdkHttpSystem: BenchSystem = {
  name: 'mcp-sdk-http',
  description: 'MCP SDK v2 McpServer behind its Streamable HTTP transport (stateful, JSON responses), in a child process',
  start: () => httpTarget((port) => [sdkHttpServer, String(port), 'stateful']),
};

/** `mcpool serve --http`. */
export const gatewayHttpSystem: BenchSystem = {
  name: 'mcpool-gateway-http',
  description: 'mcpool serve --http in a child process, the benchmark server on one worker thread',
  start: () => {
    const config = serveConfig();
    return httpTarget((port) => [...serveArgs, '--http', '--port', String(port), '--config', config.file], config.remove);
  },
};

/** `mcpool serve --stdio`, called with the SDK client. */
export const gatewayStdioSystem: BenchSystem = {
  name: 'mcpool-gateway-stdio',
  description: 'mcpool serve --stdio in a child process, called with the MCP SDK v2 client',
  async start() {
    allowDrainListeners();
    // The SDK client loads here: the mcpool-gateway-http child holds none of it.
    const [{ Client }, { StdioClientTransport }] = await Promise.all([import('@modelcontextprotocol/client'), import('@modelcontextprotocol/client/stdio')]);
    const config = serveConfig();
    const transport = new StdioClientTransport({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', config.file], stderr: 'ignore' });
    const client = new Client({ name: 'mcpool-bench', version: '1.0.0' });
    try {
      await client.connect(transport);
    } catch (error) {
      config.remove();
      throw error;
    }
    return {
      ...clientTarget(
        client,
        async () => {
          await client.close();
          config.remove();
        },
        () => (transport.pid === null ? [] : [transport.pid]),
      ),
      load: (tool, args, concurrency, durationMs) => stdioLoadRun(process.execPath, [...serveArgs, '--stdio', '--config', config.file], tool, args, concurrency, durationMs),
    };
  },
};
