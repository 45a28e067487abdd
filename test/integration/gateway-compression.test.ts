/**
 * Compression of the HTTP gateway's answers: a big answer (a tools/list of hundreds of tools) is
 * compressed with br or gzip when the client accepts it, never a small one, and never when the
 * client does not ask. Raw node:http requests, so the bytes on the wire are seen as sent.
 */
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpManager, startGateway, type RunningGateway } from 'mcpool';

const bigServer = fileURLToPath(new URL('../../dist/bench/gateway/big-server.js', import.meta.url));
let manager: McpManager;
let gateway: RunningGateway;
let session: string;

function post(body: unknown, encoding: string | undefined): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(gateway.url!), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(encoding === undefined ? {} : { 'accept-encoding': encoding }),
        ...(session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

beforeAll(async () => {
  manager = new McpManager();
  await manager.deployServer({ name: 'big', type: 'worker', module: bigServer, threads: 1 });
  gateway = await startGateway(manager, { http: { port: 0 } });
  const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'zip', version: '1' } } }, undefined);
  session = String(init.headers['mcp-session-id']);
});
afterAll(async () => {
  await gateway?.close();
  await manager?.shutdown();
});

const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

describe('compression of HTTP answers', () => {
  it('compresses a big answer with br or gzip when accepted, and the content is the same', async () => {
    const plain = await post(list, undefined);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await post(list, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    const gz = await post(list, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 4);
    expect(gz.bytes.length).toBeLessThan(plain.bytes.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString())).toEqual(JSON.parse(plain.bytes.toString()));
    expect(JSON.parse(gunzipSync(gz.bytes).toString())).toEqual(JSON.parse(plain.bytes.toString()));
    const tools = (JSON.parse(plain.bytes.toString()) as { result: { tools: unknown[] } }).result.tools;
    expect(tools.length).toBe(401);
  });

  it('never compresses a small answer, nor one the client did not ask to (identity, br;q=0)', async () => {
    const small = await post({ jsonrpc: '2.0', id: 2, method: 'ping' }, 'br, gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.bytes.toString())).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    expect((await post(list, 'identity')).headers['content-encoding']).toBeUndefined();
    expect((await post(list, 'br;q=0, gzip;q=0')).headers['content-encoding']).toBeUndefined();
    expect((await post(list, 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
  });
});
