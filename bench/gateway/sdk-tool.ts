/**
 * The benchmark's trivial tool on the official MCP TypeScript SDK (v2 `McpServer`), with the
 * same result mcpool's math example gives for `add` (a JSON text block plus structuredContent).
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

/** A new SDK server with the `add` tool. */
export function createAddServer(): McpServer {
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool('add', { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => {
    const value = { sum: a + b };
    return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
  });
  return server;
}
