/**
 * @module bench/harness/sdk-http-server
 * The SDK's own Streamable HTTP server (v2, `@modelcontextprotocol/node`) serving the benchmark
 * tools, as a baseline: `node sdk-http-server.js PORT stateful|stateless`. Stateful: one
 * transport per session (made at initialize). Stateless: a server and transport per request, as
 * the SDK documents it. JSON responses (`enableJsonResponse`), its fastest mode.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { createSdkServer } from './sdk-server.js';

const port = Number(process.argv[2]);
const stateful = process.argv[3] !== 'stateless';

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const sessions = new Map<string, NodeStreamableHTTPServerTransport>();

const server = createServer((req, res) => {
  void (async () => {
    const parsed = req.method === 'POST' ? await body(req) : undefined;
    if (!stateful) {
      const mcp = createSdkServer();
      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await mcp.connect(transport);
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await transport.handleRequest(req, res, parsed);
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (transport === undefined) {
      const created = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, created);
        },
      });
      await createSdkServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, parsed);
  })().catch((error: unknown) => {
    res.statusCode = 500;
    res.end(String(error));
  });
});
server.listen(port, '127.0.0.1');
