/**
 * What compressing the gateway's HTTP answers costs and saves: a big `tools/list` (400 tools)
 * and a 1 MB tool result, each fetched with `Accept-Encoding` identity, gzip and br. Prints the
 * bytes on the wire and the median time from request to the last byte received, plus the
 * client's time to decompress (`npm run build && node dist/bench/compression.bench.js`).
 */
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { McpManager, startGateway } from 'mcpool';

const ROUNDS = Number(process.env.ROUNDS ?? 30);

function post(url: URL, body: string, encoding: string, session?: string): Promise<{ bytes: Buffer; ms: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'accept-encoding': encoding,
        ...(session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ bytes: Buffer.concat(chunks), ms: performance.now() - start, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const manager = new McpManager();
await manager.deployServer({ name: 'big', type: 'worker', module: fileURLToPath(new URL('./gateway/big-server.js', import.meta.url)), threads: 1 });
const gateway = await startGateway(manager, { http: { port: 0 } });
const url = new URL(gateway.url!);
const init = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }), 'identity');
const session = String(init.headers['mcp-session-id']);

const cases = [
  { name: 'tools/list (400 tools)', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) },
  { name: 'tools/call, 1 MB result', body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'big__blob', arguments: {} } }) },
];
console.log(`| answer | encoding | bytes on the wire | median ms to last byte | client decompress ms |`);
console.log(`|---|---|---:|---:|---:|`);
for (const { name, body } of cases) {
  for (const encoding of ['identity', 'gzip', 'br']) {
    const times: number[] = [];
    const unzip: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const answer = await post(url, body, encoding, session);
      times.push(answer.ms);
      bytes = answer.bytes.length;
      const start = performance.now();
      const got = answer.headers['content-encoding'];
      if (got === 'gzip') gunzipSync(answer.bytes);
      else if (got === 'br') brotliDecompressSync(answer.bytes);
      unzip.push(performance.now() - start);
    }
    console.log(`| ${name} | ${encoding} | ${bytes.toLocaleString('en-US')} | ${median(times).toFixed(2)} | ${median(unzip).toFixed(2)} |`);
  }
}
await gateway.close();
await manager.shutdown();
