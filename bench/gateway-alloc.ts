/**
 * Bytes the gateway's main thread allocates per HTTP `tools/call`, a 2025-11-25 session's against
 * a stateless 2026-07-28 request's (`npm run build && node --min-semi-space-size=128 --max-semi-space-size=128
 * dist/bench/gateway-alloc.js`): the heap's growth over a stretch of calls in which no garbage
 * collection ran, as `alloc-per-call` measures the engine. The gateway runs in this process with
 * one `math` thread; the load is 16 raw keep-alive sockets, each sending its next request when
 * its last answer arrived, so the client's own share is small and the same for both eras. The
 * floor is a bare `node:http` server in the same process answering the same request with one
 * `JSON.parse` and one `JSON.stringify` (the client's share is in every row).
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { McpManager, startGateway } from '../src/index.js';
import { connectSockets, loadSockets, postBytes } from './harness/raw-http-load.js';

const mathModule = fileURLToPath(new URL('../examples/math.js', import.meta.url));
const CONNECTIONS = 16;
const CALLS = 4_000;
let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/** Bytes the heap grew by per call over a stretch of `CALLS` calls with no collection in it. */
async function perCall(sockets: Socket[], bytes: Buffer): Promise<number | undefined> {
  // The same bytes every time: the client allocates nothing per call in this process.
  const request = (): Buffer => bytes;
  for (let i = 0; i < 5; i++) await loadSockets(sockets, request, CALLS);
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = collections;
    const heap = process.memoryUsage().heapUsed;
    await loadSockets(sockets, request, CALLS);
    const grown = process.memoryUsage().heapUsed - heap;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (collections === before) return grown / CALLS;
  }
  return undefined;
}

const params = { name: 'math__add', arguments: { a: 1, b: 2 } };

// The floor: node:http, the body read and parsed, a result written as JSON.
const bare = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const request = JSON.parse(Buffer.concat(chunks).toString()) as { id: number };
    const body = JSON.stringify({ jsonrpc: '2.0', id: request.id, result: { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3 } } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const barePort = (bare.address() as { port: number }).port;
const bareSockets = await connectSockets(barePort, CONNECTIONS);
const floor = await perCall(bareSockets, postBytes(barePort, {}, { jsonrpc: '2.0', id: 1, method: 'tools/call', params }));
for (const socket of bareSockets) socket.destroy();
bare.close();

const manager = new McpManager();
await manager.deployServer({ name: 'math', type: 'worker', module: mathModule, threads: 1 });
const gateway = await startGateway(manager, { http: { port: 0, host: '127.0.0.1' } });
const port = Number(new URL(gateway.url!).port);
const sockets = await connectSockets(port, CONNECTIONS);

// Session era: initialize once, then calls carrying the session id.
const init = await fetch(gateway.url!, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'alloc', version: '1' } } }) });
await init.text();
const session = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
const legacy = await perCall(sockets, postBytes(port, session, { jsonrpc: '2.0', id: 1, method: 'tools/call', params }));

const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const modernHeaders = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'math__add' };
const modern = await perCall(sockets, postBytes(port, modernHeaders, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { ...params, _meta: envelope } }));

const fmt = (bytes: number | undefined): string => (bytes === undefined ? 'n/a (a GC ran in every try)' : `${Math.round(bytes)} B/call`);
process.stdout.write(`tools/call over HTTP, main thread: node:http floor ${fmt(floor)}; gateway, 2025-11-25 session ${fmt(legacy)}, 2026-07-28 stateless ${fmt(modern)}\n`);
for (const socket of sockets) socket.destroy();
await gateway.close();
await manager.shutdown();
