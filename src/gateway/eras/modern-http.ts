/**
 * @module gateway/eras/modern-http
 * The stateless era over Streamable HTTP: one POST per message, no session. A request is
 * answered as JSON, or as an SSE stream when notifications related to it (progress) come first;
 * `subscriptions/listen` is a long-lived SSE stream (acknowledgement first, then the
 * notifications it asked for, `:` keep-alives between). Closing the response cancels the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AbortHandle } from '../../engine/abort-handle.js';
import type { Dispatcher, Notify, RpcRequest } from '../dispatcher.js';
import { SSE_HEADERS, sendJson, sseEvent, writeEvent, writeReply } from '../transports/http/http-io.js';
import { classify } from '../rpc.js';
import type { ModernEra } from './modern.js';
import type { ClientScope } from '../clients.js';

/** Keep-alive comments on a listen stream, so proxies do not close it. */
const KEEP_ALIVE_MS = 15_000;

const LISTEN_HEADERS = { ...SSE_HEADERS, 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

/** What the HTTP transport tracks of modern requests: those in flight and the listen streams. */
export interface ModernTracker {
  started(): void;
  finished(): void;
  /** Listen streams, ended when the gateway closes. */
  readonly listens: Set<ServerResponse>;
}

/** Serves one parsed modern message (not a batch). */
export function serveModernPost(dispatcher: Dispatcher, modern: ModernEra, req: IncomingMessage, res: ServerResponse, value: unknown, tracker: ModernTracker, scope?: ClientScope): void {
  const incoming = classify(value);
  if (incoming.kind === 'invalid') {
    sendJson(res, 400, incoming.response);
    return;
  }
  if (incoming.kind !== 'request') {
    // Notifications (and stray responses): accepted. Over HTTP a client cancels by closing its stream.
    res.writeHead(202);
    res.end();
    return;
  }
  const request: RpcRequest = incoming.message;
  const accept = req.headers.accept ?? '';
  const acceptsSse = accept.includes('text/event-stream');
  if (!acceptsSse && !accept.includes('application/json') && !accept.includes('*/*')) {
    sendJson(res, 406, { jsonrpc: '2.0', id: request.id, error: { code: -32600, message: 'Not Acceptable: the client must accept application/json and text/event-stream' } });
    return;
  }
  const cancel = new AbortHandle();
  res.on('close', () => {
    if (!res.writableFinished) cancel.abort(new Error('the client closed the connection'));
  });
  // JSON unless something related to the request must go first: then the answer becomes SSE.
  let upgraded = false;
  const notify: Notify | undefined = acceptsSse
    ? (message) => {
        if (!upgraded) {
          res.writeHead(200, SSE_HEADERS);
          upgraded = true;
        }
        writeEvent(res, message);
      }
    : undefined;
  tracker.started();
  const principal = req.headers.authorization ?? '';
  void modern.handle({ request, headers: req.headers, notify, cancel, principal, scope }).then((outcome) => {
    tracker.finished();
    if ('listen' in outcome) {
      if (!acceptsSse) {
        sendJson(res, 406, { jsonrpc: '2.0', id: request.id, error: { code: -32600, message: 'Not Acceptable: subscriptions/listen answers with text/event-stream' } });
        return;
      }
      if (!upgraded) res.writeHead(200, LISTEN_HEADERS);
      const stop = dispatcher.listeners.open(outcome.id, outcome.listen, (message) => writeEvent(res, message), outcome.scope);
      const keepAlive = setInterval(() => {
        if (!res.writableEnded) res.write(': keepalive\n\n');
      }, KEEP_ALIVE_MS);
      keepAlive.unref();
      tracker.listens.add(res);
      res.on('close', () => {
        stop();
        clearInterval(keepAlive);
        tracker.listens.delete(res);
      });
      return;
    }
    if (upgraded) {
      if (!res.writableEnded) res.end(sseEvent(outcome.response));
    } else writeReply(res, outcome, {});
  });
}
