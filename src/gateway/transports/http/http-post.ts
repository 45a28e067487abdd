/**
 * @module gateway/transports/http/http-post
 * A POST to `/mcp`: JSON-RPC in (one message or a batch), a JSON or SSE response out. Each
 * message picks its era: a stateless (2026-07-28) request goes to `eras/modern-http`; the
 * session era needs `initialize` first (alone), then the session's `Mcp-Session-Id`.
 *
 * The answer is plain JSON unless the client asked for progress (a progress token) and accepts
 * SSE, or accepts only SSE: JSON is the cheap path and the common one. A JSON answer still turns
 * into an SSE stream when an external server sends the client a request (sampling, elicitation)
 * during the call, or when SSE polling (`sseCloseAfterMs`) closes a long call's stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../../versions.js';
import type { Dispatcher, Notify, RpcRequest, RpcResponse } from '../../dispatcher.js';
import { retryAfterOfReply } from '../../errors.js';
import { classify, parseErrorResponse } from '../../rpc.js';
import { classifyMessage } from '../../eras/classify.js';
import { serveModernPost, type ModernTracker } from '../../eras/modern-http.js';
import type { ModernEra } from '../../eras/modern.js';
import type { ClientSession } from '../../client-session.js';
import type { ClientScope } from '../../clients.js';
import type { EventStreams } from './event-streams.js';
import type { SseStream } from './sse-streams.js';
import { sendError, sendJson, writeReply } from './http-io.js';
import type { GuardRef, HttpSessions } from './http-sessions.js';

const VERSIONS = new Set(SUPPORTED_PROTOCOL_VERSIONS);

/** What a POST needs of its gateway (made once by `serveHttp`). */
export interface PostContext {
  readonly dispatcher: Dispatcher;
  readonly modern: ModernEra;
  readonly sessions: HttpSessions;
  /** The sessions' SSE streams (GET and POST), resumable with Last-Event-ID. */
  readonly streams: EventStreams;
  /** Client tool sets by client name (empty: an open or single-token gateway). */
  readonly scopes: Map<string, ClientScope>;
  readonly guard: GuardRef;
  /** SSE polling: a call still running after this long gets its stream closed (`sseCloseAfterMs`). */
  readonly closeAfterMs: number | undefined;
  /** Counts responses in progress, so `close` waits for them. */
  readonly tracker: ModernTracker;
}

/** Serves one POST whose body has been read (within the size limit). */
export function servePost(context: PostContext, req: IncomingMessage, res: ServerResponse, body: string): void {
  const { dispatcher, modern, sessions, streams, scopes, guard, closeAfterMs, tracker } = context;
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
    session = sessions.open(req);
    headers['mcp-session-id'] = session.id;
  } else {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !VERSIONS.has(version)) {
      sendError(res, 400, `unsupported MCP-Protocol-Version: ${version}`);
      return;
    }
    session = sessions.of(req, res);
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
    tracker.started();
    current.callStreams.add(notify);
    let left = requests.length;
    for (const request of requests) {
      void dispatcher.handle(request, current, notify).then(({ response }) => {
        open.write(response);
        if (--left === 0) {
          clearTimeout(poll);
          current.callStreams.delete(notify);
          open.end();
          tracker.finished();
        }
      });
    }
    return;
  }
  tracker.started();
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
      tracker.finished();
    });
    return;
  }
  clearTimeout(poll);
  void Promise.all(requests.map((request) => dispatcher.handle(request, current, undefined))).then((replies) => {
    const status = replies.every((reply) => reply.status === 429) ? 429 : 200;
    if (status === 429) headers['retry-after'] = String(Math.max(...replies.map((reply) => retryAfterOfReply(reply.response))));
    sendJson(res, status, [...invalid, ...replies.map((reply) => reply.response)], headers);
    tracker.finished();
  });
}
