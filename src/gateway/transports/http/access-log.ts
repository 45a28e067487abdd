/**
 * @module gateway/access-log
 * One record per HTTP request the gateway answers (method, path, status, duration, client
 * address, session), given to the `onRequest` callback of the HTTP gateway when its response
 * ends; `mcpool serve` writes them as access lines at `--log-level info`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/** What the access log says of one request. */
export interface AccessRecord {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  remote: string | undefined;
  /** The request's `Mcp-Session-Id` (or the one its answer created). */
  session: string | undefined;
  /** The client the bearer token named (`gateway.clients`), if any. */
  client?: string | undefined;
}

/** Calls `onRequest` with the request's record once its response has been sent (or the client left). */
export function trackRequest(req: IncomingMessage, res: ServerResponse, onRequest: (record: AccessRecord) => void, clientOf: () => string | undefined): void {
  const start = performance.now();
  // `on`, not `once`: 'close' is emitted once, and `once` would wrap the listener per request.
  res.on('close', () => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const session = req.headers['mcp-session-id'] ?? res.getHeader('mcp-session-id');
    try {
      onRequest({
        method: req.method ?? '',
        path: query < 0 ? url : url.slice(0, query),
        status: res.statusCode,
        durationMs: Math.round((performance.now() - start) * 100) / 100,
        remote: req.socket.remoteAddress,
        session: typeof session === 'string' ? session : undefined,
        client: clientOf(),
      });
    } catch {
      // A throwing logger must not break the gateway.
    }
  });
}
