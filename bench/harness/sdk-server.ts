/**
 * @module bench/harness/sdk-server
 * The benchmark's tools on the official MCP TypeScript SDK (v2 `McpServer`), registered as the
 * SDK's documentation shows: zod input schemas, handlers returning a `CallToolResult`.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { add, hash, payload } from './tools.js';

/** A JSON text block plus structuredContent: what mcpool returns for a plain object, so results match. */
function structured<T extends Record<string, unknown>>(value: T): { content: { type: 'text'; text: string }[]; structuredContent: T } {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A new SDK server with the `add`, `hash` and `payload` tools. */
export function createSdkServer(): McpServer {
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool('add', { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) }, (args) => structured(add(args)));
  server.registerTool(
    'hash',
    { description: 'SHA-256 hashed `rounds` times over', inputSchema: z.object({ text: z.string(), rounds: z.number().int().min(1) }) },
    (args) => structured(hash(args)),
  );
  server.registerTool('payload', { description: 'A text result of `bytes` bytes', inputSchema: z.object({ bytes: z.number().int().min(0) }) }, (args) => payload(args));
  return server;
}
