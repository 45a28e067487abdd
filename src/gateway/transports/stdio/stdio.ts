/**
 * @module gateway/transports/stdio/stdio
 * The gateway over stdio: newline-delimited JSON-RPC on stdin, responses and notifications on
 * stdout and nothing else (logs go to stderr). Responses that finish in the same turn of the
 * event loop are written together, one `write` per turn.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LogRecord } from '../../../api/server-types.js';
import type { Dispatcher, Notify, RpcRequest, RpcResponse } from '../../dispatcher.js';
import { logNotification, passes } from '../../logs.js';
import { classify, parseErrorResponse } from '../../rpc.js';
import { AbortHandle } from '../../../engine/abort-handle.js';
import { classifyMessage } from '../../eras/classify.js';
import type { ModernEra } from '../../eras/modern.js';
import { ClientSession } from '../../client-session.js';

/** A running stdio gateway. */
export interface StdioGateway {
  /** Sends a log record to the client, if its level passes the session's. */
  log(record: LogRecord): void;
  /** Sends a message to the client if `wants` picks its session. */
  broadcast(message: object, wants: (session: ClientSession) => boolean): void;
  /** Resolves when stdin ends (the client went away). */
  readonly ended: Promise<void>;
  /** Stops reading; calls in flight finish and their responses are written. */
  close(): Promise<void>;
}

/** Serves the dispatcher on a pair of streams (process.stdin/stdout by default). */
export function serveStdio(dispatcher: Dispatcher, modern: ModernEra, input: Readable = process.stdin, output: Writable = process.stdout): StdioGateway {
  const session = new ClientSession();
  let pending: string[] = [];
  let flushScheduled = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const flush = (): void => {
    flushScheduled = false;
    const text = pending.join('');
    pending = [];
    output.write(text);
  };
  const send = (message: object): void => {
    pending.push(JSON.stringify(message) + '\n');
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  const notify: Notify = (notification) => send(notification);
  session.relay = notify;

  const handle = (value: unknown, replies: RpcResponse[] | undefined): Promise<void> => {
    const incoming = classify(value);
    if (incoming.kind === 'notification') dispatcherNotification(incoming.message);
    else if (incoming.kind === 'response') session.requests.answer(incoming.message);
    else if (incoming.kind === 'invalid') {
      if (replies) replies.push(incoming.response);
      else send(incoming.response);
    } else if (incoming.kind === 'request' && replies === undefined && classifyMessage(value, undefined) === 'modern') {
      return serveModern(incoming.message);
    } else if (incoming.kind === 'request') {
      inFlight++;
      const { id } = incoming.message;
      return dispatcher.handle(incoming.message, session, notify).then(({ response }) => {
        inFlight--;
        // A request the client cancelled gets no response.
        if (session.cancelled.delete(id)) {
          // nothing
        } else if (replies) replies.push(response);
        else send(response);
        if (inFlight === 0) drained?.();
      });
    }
    return Promise.resolve();
  };
  /**
   * A request of the stateless era: no session state is used but the cancellation handle
   * (`notifications/cancelled` names the request); a listen "stream" is stdout itself, until
   * the client cancels the listen request.
   */
  const serveModern = (request: RpcRequest): Promise<void> => {
    inFlight++;
    const cancel = new AbortHandle();
    session.inFlight.set(request.id, cancel);
    return modern.handle({ request, headers: undefined, notify, cancel, principal: 'stdio' }).then((outcome) => {
      inFlight--;
      if ('listen' in outcome) {
        const stop = dispatcher.listeners.open(outcome.id, outcome.listen, send);
        session.inFlight.set(request.id, { abort: stop });
        listens.add(stop);
      } else {
        session.inFlight.delete(request.id);
        if (!session.cancelled.delete(request.id)) send(outcome.response);
      }
      if (inFlight === 0) drained?.();
    });
  };
  const listens = new Set<() => void>();
  const dispatcherNotification = (message: Parameters<Dispatcher['notification']>[0]): void => dispatcher.notification(message, session);

  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      send(parseErrorResponse);
      return;
    }
    if (Array.isArray(value)) {
      // A JSON-RPC batch (protocol versions before 2025-06-18): one array of responses.
      const replies: RpcResponse[] = [];
      void Promise.all(value.map((item) => handle(item, replies))).then(() => {
        if (replies.length > 0) send(replies);
      });
      return;
    }
    void handle(value, undefined);
  });
  // A client that goes away closes our stdout first (EPIPE): that ends the session like stdin's end.
  const ended = new Promise<void>((resolve) => {
    lines.once('close', resolve);
    output.once('error', () => {
      lines.close();
      resolve();
    });
  });

  return {
    // Session-wide messages are for a client that initialized (the session era): a stateless
    // (2026-07-28) client gets logs on its requests (_meta logLevel) and the rest on listen.
    log: (record) => {
      if (!session.closed && session.protocolVersion !== undefined && passes(record.level, session.logLevel)) send(logNotification(record));
    },
    broadcast: (message, wants) => {
      if (session.protocolVersion !== undefined && wants(session)) send(message);
    },
    ended,
    close: async () => {
      lines.close();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      if (pending.length > 0) flush();
      for (const stop of listens) stop();
      session.close('the gateway is shutting down');
    },
  };
}
