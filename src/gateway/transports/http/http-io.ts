/**
 * @module gateway/transports/http/http-io
 * The HTTP gateway's reading and writing of single messages: a request body within its size
 * limit, a JSON answer, a JSON-RPC error as an HTTP error, an SSE event, the `/metrics` text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../../dispatcher.js';
import { RpcCode, retryAfterOfReply } from '../../errors.js';

export const JSON_HEADERS = { 'content-type': 'application/json' };
export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  res.writeHead(status, headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS);
  res.end(JSON.stringify(body));
}

/** A JSON-RPC error sent as the body of an HTTP error. */
export function sendError(res: ServerResponse, status: number, message: string, headers?: Record<string, string>, code: number = RpcCode.INVALID_REQUEST): void {
  sendJson(res, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}

/** A dispatcher's reply as a JSON answer: 429 carries `Retry-After`; `headers` may gain it. */
export function writeReply(res: ServerResponse, reply: Reply, headers: Record<string, string>): void {
  if (reply.status === 429) headers['retry-after'] = String(retryAfterOfReply(reply.response));
  const hasHeaders = reply.status === 429 || 'mcp-session-id' in headers;
  res.writeHead(reply.status, hasHeaders ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS);
  res.end(JSON.stringify(reply.response));
}

/** One message as the text of an SSE event. */
export function sseEvent(message: unknown): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

/** Writes one message as an SSE event, unless the response has already ended. */
export function writeEvent(res: ServerResponse, message: unknown): void {
  if (!res.writableEnded) res.write(sseEvent(message));
}

/** Answers `/metrics`; a failure to render is a 500, never a crash. */
export function sendMetrics(res: ServerResponse, metrics: () => Promise<{ contentType: string; text: string }>): void {
  metrics().then(
    ({ contentType, text }) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(text);
    },
    (error: unknown) => sendError(res, 500, `metrics failed: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** Reads a request body of at most `maxBytes` (else answers 413) and gives it to `done` as text. */
export function readBody(req: IncomingMessage, res: ServerResponse, maxBytes: number, done: (body: string) => void): void {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) {
    sendError(res, 413, `request body larger than ${maxBytes} bytes`, { connection: 'close' });
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > maxBytes) {
      refused = true;
      sendError(res, 413, `request body larger than ${maxBytes} bytes`, { connection: 'close' });
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!refused) done(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  });
}
