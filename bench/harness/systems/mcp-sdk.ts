/**
 * @module bench/harness/systems/mcp-sdk
 * The official MCP TypeScript SDK (v2) as a user would run the same tools without mcpool:
 * `mcp-sdk-inmemory` (client and `McpServer` in this process, linked in-memory transports) and
 * `mcp-sdk-stdio` (the server in a child process, JSON-RPC over its stdin/stdout). The SDK has
 * no batch API, so a batch is that many concurrent `callTool`s.
 */
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
// The SDK loads in start(): a child measuring another system holds none of it (its RSS is its own).
import type { Client } from '@modelcontextprotocol/client';
import type { BenchSystem, BenchTarget } from '../registry.js';
import { stdioLoadRun } from '../stdio-load.js';

const stdioServerScript = fileURLToPath(new URL('../sdk-stdio-server.js', import.meta.url));

/** The target for a connected SDK client. */
export function clientTarget(client: Client, close: () => Promise<void>, childPids?: () => number[]): BenchTarget {
  const call = async (tool: string, args: Record<string, unknown>): Promise<unknown> => {
    const result = await client.callTool({ name: tool, arguments: args });
    if (result.isError === true) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
    return result;
  };
  return {
    call,
    batch: (tool, args, count) => Promise.all(Array.from({ length: count }, () => call(tool, args))),
    close,
    ...(childPids === undefined ? {} : { childPids }),
  };
}

/**
 * Under load the SDK's stdio client transport waits for 'drain' once per pending write, which
 * trips Node's leak warning (10 listeners) on the child's stdin; it is not a leak.
 */
export function allowDrainListeners(): void {
  EventEmitter.defaultMaxListeners = Math.max(EventEmitter.defaultMaxListeners, 100_000);
}

/** SDK client and server in one process over the in-memory transport. */
export const sdkInMemorySystem: BenchSystem = {
  name: 'mcp-sdk-inmemory',
  description: 'MCP SDK v2 Client + McpServer, in-memory transport',
  async start() {
    const [{ Client, InMemoryTransport }, { createSdkServer }] = await Promise.all([import('@modelcontextprotocol/client'), import('../sdk-server.js')]);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const server = createSdkServer();
    await server.connect(serverTransport);
    const client = new Client({ name: 'mcpool-bench', version: '1.0.0' });
    await client.connect(clientTransport);
    return clientTarget(client, async () => {
      await client.close();
      await server.close();
    });
  },
};

/** SDK client talking to an SDK server in a child process over stdio. */
export const sdkStdioSystem: BenchSystem = {
  name: 'mcp-sdk-stdio',
  description: 'MCP SDK v2 Client + McpServer in a child process, stdio transport',
  async start() {
    allowDrainListeners();
    const [{ Client }, { StdioClientTransport }] = await Promise.all([import('@modelcontextprotocol/client'), import('@modelcontextprotocol/client/stdio')]);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [stdioServerScript],
      stderr: 'inherit',
    });
    const client = new Client({ name: 'mcpool-bench', version: '1.0.0' });
    await client.connect(transport);
    return {
      ...clientTarget(
        client,
        () => client.close(),
        () => (transport.pid === null ? [] : [transport.pid]),
      ),
      // The gateway-stdio scenario loads a fresh server with the same minimal client as mcpool's.
      load: (tool, args, concurrency, durationMs) => stdioLoadRun(process.execPath, [stdioServerScript], tool, args, concurrency, durationMs),
    };
  },
};
