/**
 * @module gateway/transports/http/http
 * The gateway over Streamable HTTP on `node:http`: `/mcp` takes POST (JSON-RPC in, a JSON or
 * SSE response out), GET (an SSE stream for the session) and DELETE (ends the session);
 * `/health` answers with the servers' states. Sessions start at `initialize`
 * (`Mcp-Session-Id`). Every request passes the guard (token, Host, Origin) and a body size
 * limit; `OVERLOADED` is 429 with `Retry-After`.
 *
 * A POST is answered as plain JSON unless the client asked for progress (a progress token)
 * and accepts SSE, or accepts only SSE: JSON is the cheap path and the common one. A JSON
 * answer still turns into an SSE stream when an external server sends the client a request
 * (sampling, elicitation) during the call; the client's answer comes back as a POST.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../../versions.js';
import type { LogRecord } from '../../../api/server-types.js';
import type { Dispatcher, Notify, RpcRequest, RpcResponse } from '../../dispatcher.js';
import { logNotification, passes } from '../../logs.js';
import { RETRY_AFTER_SECONDS, retryAfterOfReply } from '../../errors.js';
import { RpcCode } from '../../../errors/jsonrpc.js';
import { EventStreams } from './event-streams.js';
import type { SseStream } from './sse-streams.js';
import { readBody, sendError, sendJson, sendMetrics, writeReply } from './http-io.js';
import { HttpGuard, type Refusal } from './http-guard.js';
import { classify, parseErrorResponse } from '../../rpc.js';
import { classifyMessage } from '../../eras/classify.js';
import { serveModernPost, type ModernTracker } from '../../eras/modern-http.js';
import type { ModernEra } from '../../eras/modern.js';
import { ClientSession } from '../../client-session.js';
import { trackRequest, type AccessRecord } from './access-log.js';
import { scopesOf, type GatewayClient } from '../../clients.js';

/** Options of the HTTP gateway. */
export interface HttpGatewayOptions {
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @default 3000 */
  port?: number;
  /** Bearer token every request must carry. @default none */
  token?: string | undefined;
  /** Largest request body accepted, in bytes; larger ones get 413. @default 4 MiB */
  maxBodyBytes?: number;
  /** Extra `Host` header values accepted. */
  allowedHosts?: string[] | undefined;
  /** Extra `Origin` values accepted (loopback origins always are). */
  allowedOrigins?: string[] | undefined;
  /** Sessions unused this long are dropped. @default 1 hour */
  sessionIdleMs?: number;
  /** What `/health` answers. */
  health: () => unknown;
  /** What `/metrics` answers: Prometheus text and its content type (no `/metrics` when absent). */
  metrics?: (() => Promise<{ contentType: string; text: string }>) | undefined;
  /**
   * Client tool sets, by client name: each token sees and calls only its servers and tools; with
   * any set, a request without a known token (`token` or a client's) is 401, `/health` included.
   */
  clients?: Readonly<Record<string, GatewayClient>> | undefined;
  /** Called once per request when its response ends (the access log). */
  onRequest?: ((record: AccessRecord) => void) | undefined;
  /**
   * SSE polling (SEP-1699): a session-era call still running after this long, from a client of
   * 2025-11-25 or later that accepts SSE, is answered on an SSE stream that the gateway then
   * closes; the call goes on and the client gets the rest by resuming with `Last-Event-ID`.
   * Frees connections held by long calls (proxies with idle timeouts). @default never
   */
  sseCloseAfterMs?: number | undefined;
  /** The `retry` (ms) the gateway's SSE streams announce: how soon a client reconnects. @default 1000 */
  sseRetryMs?: number | undefined;
  /** How long a dropped SSE stream waits to be resumed before its calls are cancelled. @default 60 s */
  sseReplayMs?: number | undefined;
}

/** A running HTTP gateway. */
export interface HttpGateway {
  readonly host: string;
  readonly port: number;
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string;
  /** Sends a log record on the GET streams of the sessions whose level it passes. */
  log(record: LogRecord): void;
  /** Sends a message on the GET streams of the sessions `wants` picks. */
  broadcast(message: object, wants: (session: ClientSession) => boolean): void;
  /** Stops accepting requests; requests in flight finish; then every connection closes. */
  close(): Promise<void>;
}

const VERSIONS = new Set(SUPPORTED_PROTOCOL_VERSIONS);
function refuse(res: ServerResponse, refusal: Refusal): void {
  sendError(res, refusal.status, refusal.message, refusal.headers);
}

/** Starts the HTTP gateway and resolves once it listens. */
export async function serveHttp(dispatcher: Dispatcher, modern: ModernEra, options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sessions = new Map<string, ClientSession>();
  /** The sessions' SSE streams (GET and POST), resumable with Last-Event-ID. */
  const streams = new EventStreams({ retryMs: options.sseRetryMs ?? 1_000, replayMs: options.sseReplayMs ?? 60_000 });
  const closeAfterMs = options.sseCloseAfterMs;
  // Made once the port is known (port 0 picks one): the allowed Host values name it.
  const guard: { current?: HttpGuard } = {};
  const scopes = scopesOf(options.clients);
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

  const sessionOf = (req: IncomingMessage, res: ServerResponse): ClientSession | undefined => {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') {
      sendError(res, 400, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
      return undefined;
    }
    const session = sessions.get(id);
    // A session is its client's: another client's token does not reach it.
    if (session === undefined || (scopes.size > 0 && session.scope?.name !== guard.current!.clientOf(req))) {
      sendError(res, 404, 'ClientSession not found: initialize a new session', undefined, RpcCode.SESSION_NOT_FOUND);
      return undefined;
    }
    session.lastSeen = Date.now();
    return session;
  };

  const onPost = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      sendJson(res, 400, parseErrorResponse);
      return;
    }
    const batch = Array.isArray(value);
    if (!batch) {
      // Each message picks its era (src/gateway/eras/classify.ts): the stateless one has no session.
      const era = classifyMessage(value, req.headers);
      if (era === 'modern') {
        // No session: each stateless (2026-07-28) request is scoped by its own bearer token,
        // exactly as a session is by the token that opened it (an unknown token was 401 already).
        const client = scopes.size > 0 ? guard.current!.clientOf(req) : undefined;
        serveModernPost(dispatcher, modern, req, res, value, tracker, client === undefined ? undefined : scopes.get(client));
        return;
      }
      if (era !== 'legacy') {
        const id = (value as { id?: unknown } | null)?.id;
        sendJson(res, era.status, { jsonrpc: '2.0', id: typeof id === 'string' || typeof id === 'number' ? id : null, error: era.error });
        return;
      }
    }
    const items = batch ? (value as unknown[]) : [value];
    if (items.length === 0) {
      sendError(res, 400, 'an empty JSON-RPC batch');
      return;
    }
    const initialize = items.some((item) => (item as { method?: unknown } | null)?.method === 'initialize');
    let session: ClientSession | undefined;
    const headers: Record<string, string> = {};
    if (initialize) {
      if (items.length > 1) {
        sendError(res, 400, 'initialize must be sent alone');
        return;
      }
      session = new ClientSession();
      const client = guard.current!.clientOf(req);
      session.scope = client === undefined ? undefined : scopes.get(client);
      session.relay = streams.relayOf(session);
      sessions.set(session.id, session);
      headers['mcp-session-id'] = session.id;
    } else {
      const version = req.headers['mcp-protocol-version'];
      if (typeof version === 'string' && !VERSIONS.has(version)) {
        sendError(res, 400, `unsupported MCP-Protocol-Version: ${version}`);
        return;
      }
      session = sessionOf(req, res);
      if (session === undefined) return;
    }
    const requests: RpcRequest[] = [];
    const invalid: RpcResponse[] = [];
    for (const item of items) {
      const incoming = classify(item);
      if (incoming.kind === 'request') requests.push(incoming.message);
      else if (incoming.kind === 'notification') dispatcher.notification(incoming.message, session);
      else if (incoming.kind === 'response') session.requests.answer(incoming.message);
      else if (incoming.kind === 'invalid') invalid.push(incoming.response);
    }
    if (requests.length === 0) {
      if (invalid.length > 0) sendJson(res, 400, batch ? invalid : invalid[0]);
      else {
        res.writeHead(202);
        res.end();
      }
      return;
    }
    const accept = req.headers.accept ?? '';
    const acceptsJson = accept.includes('application/json') || accept.includes('*/*');
    const acceptsSse = accept.includes('text/event-stream');
    if (!acceptsJson && !acceptsSse) {
      sendError(res, 406, 'Not Acceptable: the client must accept application/json or text/event-stream');
      return;
    }
    const wantsProgress = requests.some((request) => (request.params?._meta as { progressToken?: unknown } | undefined)?.progressToken !== undefined);
    const sse = acceptsSse && (wantsProgress || !acceptsJson);
    const current = session;
    const stop = (): void => {
      for (const request of requests) current.inFlight.get(request.id)?.abort(new Error('the client closed the connection'));
    };
    // The client hanging up stops its calls, unless it can resume their stream (then the stream
    // does, when the client does not come back in time).
    let stream: SseStream | undefined;
    res.on('close', () => {
      if (!res.writableFinished && stream === undefined) stop();
    });
    const openStream = (): SseStream => {
      stream = streams.of(current).open('post');
      stream.onExpire = stop;
      stream.attach(res, headers, undefined);
      return stream;
    };
    // SSE polling: a call that outlives sseCloseAfterMs gets its stream closed (the client resumes).
    const poll =
      closeAfterMs !== undefined && acceptsSse && streams.of(current).priming
        ? setTimeout(() => (stream ?? openStream()).close(), closeAfterMs)
        : undefined;
    if (sse) {
      const open = openStream();
      const notify: Notify = (notification) => open.write(notification);
      for (const response of invalid) open.write(response);
      active++;
      current.callStreams.add(notify);
      let left = requests.length;
      for (const request of requests) {
        void dispatcher.handle(request, current, notify).then(({ response }) => {
          open.write(response);
          if (--left === 0) {
            clearTimeout(poll);
            current.callStreams.delete(notify);
            open.end();
            finished();
          }
        });
      }
      return;
    }
    active++;
    if (!batch) {
      // Plain JSON, unless an external server sends the client a request while the call runs
      // (or SSE polling closes it): then the response becomes an SSE stream.
      const upgrade: Notify | undefined = acceptsSse ? (message) => (stream ?? openStream()).write(message) : undefined;
      if (upgrade !== undefined) current.callStreams.add(upgrade);
      void dispatcher.handle(requests[0]!, current, upgrade).then((reply) => {
        clearTimeout(poll);
        if (upgrade !== undefined) current.callStreams.delete(upgrade);
        if (stream === undefined) writeReply(res, reply, headers);
        else {
          stream.write(reply.response);
          stream.end();
        }
        finished();
      });
      return;
    }
    clearTimeout(poll);
    void Promise.all(requests.map((request) => dispatcher.handle(request, current, undefined))).then((replies) => {
      const status = replies.every((reply) => reply.status === 429) ? 429 : 200;
      if (status === 429) headers['retry-after'] = String(Math.max(...replies.map((reply) => retryAfterOfReply(reply.response))));
      sendJson(res, status, [...invalid, ...replies.map((reply) => reply.response)], headers);
      finished();
    });
  };

  const onMcp = (req: IncomingMessage, res: ServerResponse): void => {
    switch (req.method) {
      case 'POST': {
        const type = req.headers['content-type'] ?? '';
        if (!type.includes('application/json')) {
          sendError(res, 415, 'Unsupported Media Type: Content-Type must be application/json');
          req.resume();
          return;
        }
        readBody(req, res, maxBody, (body) => onPost(req, res, body));
        return;
      }
      case 'GET': {
        if (!(req.headers.accept ?? '').includes('text/event-stream')) {
          sendError(res, 406, 'Not Acceptable: GET /mcp opens an SSE stream (Accept: text/event-stream)');
          return;
        }
        const session = sessionOf(req, res);
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
        const session = sessionOf(req, res);
        if (session === undefined) return;
        sessions.delete(session.id);
        streams.closeSession(session);
        session.close('the client ended the session');
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
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, session] of sessions) {
      if (session.inFlight.size === 0 && now - session.lastSeen > idleMs) {
        sessions.delete(id);
        streams.closeSession(session);
        session.close('the session expired');
      }
    }
  }, Math.min(idleMs, 60_000));
  sweeper.unref();

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
      for (const session of sessions.values()) session.close('the gateway is shutting down');
      sessions.clear();
      server.closeAllConnections();
      await stopped;
    },
  };
}
