/**
 * @module gateway/transports/http/http
 * The gateway over Streamable HTTP on `node:http`: `/mcp` takes POST (JSON-RPC in, a JSON or
 * SSE response out: `http-post`), GET (an SSE stream for the session) and DELETE (ends the
 * session); `/health` answers with the servers' states, `/metrics` with Prometheus text.
 * Sessions start at `initialize` (`Mcp-Session-Id`, `http-sessions`). Every request passes the
 * guard (token, Host, Origin) and a body size limit; `OVERLOADED` is 429 with `Retry-After`.
 * The options and the handle are in `http-options`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from '../../dispatcher.js';
import { logNotification, passes } from '../../logs.js';
import { RETRY_AFTER_SECONDS } from '../../errors.js';
import type { ModernTracker } from '../../eras/modern-http.js';
import type { ModernEra } from '../../eras/modern.js';
import { EventStreams } from './event-streams.js';
import { readBody, sendError, sendJson, sendMetrics } from './http-io.js';
import { HttpGuard, type Refusal } from './http-guard.js';
import { trackRequest } from './access-log.js';
import { scopesOf } from '../../clients.js';
import type { HttpGateway, HttpGatewayOptions } from './http-options.js';
import { servePost, type PostContext } from './http-post.js';
import { HttpSessions, type GuardRef } from './http-sessions.js';

function refuse(res: ServerResponse, refusal: Refusal): void {
  sendError(res, refusal.status, refusal.message, refusal.headers);
}

/** Starts the HTTP gateway and resolves once it listens. */
export async function serveHttp(dispatcher: Dispatcher, modern: ModernEra, options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  /** The sessions' SSE streams (GET and POST), resumable with Last-Event-ID. */
  const streams = new EventStreams({ retryMs: options.sseRetryMs ?? 1_000, replayMs: options.sseReplayMs ?? 60_000 });
  // Made once the port is known (port 0 picks one): the allowed Host values name it.
  const guard: GuardRef = {};
  const scopes = scopesOf(options.clients);
  const sessions = new HttpSessions(streams, scopes, guard);
  const onRequest = options.onRequest;
  let active = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const finished = (): void => {
    active--;
    if (closing && active === 0) drained?.();
  };
  const tracker: ModernTracker = {
    started: () => active++,
    finished,
    listens: new Set(),
  };

  const post: PostContext = { dispatcher, modern, sessions, streams, scopes, guard, closeAfterMs: options.sseCloseAfterMs, tracker };

  const onMcp = (req: IncomingMessage, res: ServerResponse): void => {
    switch (req.method) {
      case 'POST': {
        const type = req.headers['content-type'] ?? '';
        if (!type.includes('application/json')) {
          sendError(res, 415, 'Unsupported Media Type: Content-Type must be application/json');
          req.resume();
          return;
        }
        readBody(req, res, maxBody, (body) => servePost(post, req, res, body));
        return;
      }
      case 'GET': {
        if (!(req.headers.accept ?? '').includes('text/event-stream')) {
          sendError(res, 406, 'Not Acceptable: GET /mcp opens an SSE stream (Accept: text/event-stream)');
          return;
        }
        const session = sessions.of(req, res);
        if (session === undefined) return;
        const lastEventId = req.headers['last-event-id'];
        if (typeof lastEventId === 'string' && lastEventId !== '') {
          const resumed = streams.of(session).resume(lastEventId);
          if (resumed === undefined) {
            sendError(res, 400, `Bad Request: Last-Event-ID ${lastEventId} names no stream of this session that can be resumed (it ended, or was not resumed within ${(options.sseReplayMs ?? 60_000) / 1000} s): open a new stream without it`);
            return;
          }
          resumed.stream.attach(res, undefined, resumed.seq);
          return;
        }
        streams.open(res, session);
        return;
      }
      case 'DELETE': {
        const session = sessions.of(req, res);
        if (session === undefined) return;
        sessions.end(session, 'the client ended the session');
        res.writeHead(200);
        res.end();
        return;
      }
      default:
        sendError(res, 405, 'Method Not Allowed', { allow: 'GET, POST, DELETE' });
    }
  };

  /** `/metrics` is for the all-seeing token (or an open gateway) and the clients allowed it. */
  const mayReadMetrics = (req: IncomingMessage): boolean => {
    if (scopes.size === 0) return true;
    const client = guard.current!.clientOf(req);
    return client === undefined || scopes.get(client)?.metrics === true;
  };

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    if (onRequest !== undefined) trackRequest(req, res, onRequest, () => guard.current!.clientOf(req));
    const refusal = guard.current!.check(req);
    if (refusal !== undefined) {
      refuse(res, refusal);
      req.resume();
      return;
    }
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (closing) {
      sendError(res, 503, 'the gateway is shutting down', { connection: 'close', 'retry-after': String(RETRY_AFTER_SECONDS) });
      req.resume();
      return;
    }
    if (path === '/mcp') onMcp(req, res);
    else if (path === '/health' && req.method === 'GET') sendJson(res, 200, options.health());
    else if (path === '/metrics' && req.method === 'GET' && options.metrics) {
      if (mayReadMetrics(req)) sendMetrics(res, options.metrics);
      else sendError(res, 403, 'this client may not read /metrics ("metrics": true in its gateway.clients entry allows it)');
    }
    else sendError(res, 404, `not found: ${path} (the MCP endpoint is /mcp)`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const clientTokens = Object.fromEntries(Object.entries(options.clients ?? {}).map(([name, client]) => [name, client.token]));
  guard.current = new HttpGuard({ host, port, token: options.token, clients: clientTokens, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins });

  const idleMs = options.sessionIdleMs ?? 3_600_000;
  const sweeper = sessions.sweepEvery(idleMs);

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    url: `http://${urlHost}:${port}/mcp`,
    log: (record) => streams.broadcast(logNotification(record), (session) => !session.closed && passes(record.level, session.logLevel)),
    broadcast: (message, wants) => streams.broadcast(message, wants),
    close: async () => {
      closing = true;
      clearInterval(sweeper);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active > 0) await new Promise<void>((resolve) => (drained = resolve));
      streams.endAll();
      for (const listen of tracker.listens) listen.end();
      sessions.closeAll('the gateway is shutting down');
      server.closeAllConnections();
      await stopped;
    },
  };
}
