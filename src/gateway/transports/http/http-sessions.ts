/**
 * @module gateway/transports/http/http-sessions
 * The HTTP gateway's session table: a session starts at `initialize` (its id goes back in
 * `Mcp-Session-Id`), is found by that header on every later request, ends on DELETE, and is
 * dropped once unused for `sessionIdleMs` with no request in flight. A session is its client's:
 * with client tool sets, another client's token does not reach it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RpcCode } from '../../../errors/jsonrpc.js';
import { ClientSession } from '../../client-session.js';
import type { ClientScope } from '../../clients.js';
import type { EventStreams } from './event-streams.js';
import type { HttpGuard } from './http-guard.js';
import { sendError } from './http-io.js';

/** The guard, made once the port is known (port 0 picks one): the allowed Host values name it. */
export interface GuardRef {
  current?: HttpGuard;
}

/** The sessions of one HTTP gateway, by id. */
export class HttpSessions {
  readonly #sessions = new Map<string, ClientSession>();
  readonly #streams: EventStreams;
  readonly #scopes: Map<string, ClientScope>;
  readonly #guard: GuardRef;

  constructor(streams: EventStreams, scopes: Map<string, ClientScope>, guard: GuardRef) {
    this.#streams = streams;
    this.#scopes = scopes;
    this.#guard = guard;
  }

  /** Starts the session of an `initialize` request, scoped by the request's token. */
  open(req: IncomingMessage): ClientSession {
    const session = new ClientSession();
    const client = this.#guard.current!.clientOf(req);
    session.scope = client === undefined ? undefined : this.#scopes.get(client);
    session.relay = this.#streams.relayOf(session);
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The session a request names (`Mcp-Session-Id`); undefined after answering 400 or 404. */
  of(req: IncomingMessage, res: ServerResponse): ClientSession | undefined {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') {
      sendError(res, 400, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
      return undefined;
    }
    const session = this.#sessions.get(id);
    // A session is its client's: another client's token does not reach it.
    if (session === undefined || (this.#scopes.size > 0 && session.scope?.name !== this.#guard.current!.clientOf(req))) {
      sendError(res, 404, 'ClientSession not found: initialize a new session', undefined, RpcCode.SESSION_NOT_FOUND);
      return undefined;
    }
    session.lastSeen = Date.now();
    return session;
  }

  /** Ends a session: its streams close and its calls are cancelled with `reason`. */
  end(session: ClientSession, reason: string): void {
    this.#sessions.delete(session.id);
    this.#streams.closeSession(session);
    session.close(reason);
  }

  /** Drops the sessions unused for `idleMs` that have no request in flight, every `min(idleMs, 1 min)`. */
  sweepEvery(idleMs: number): NodeJS.Timeout {
    const sweeper = setInterval(() => {
      const now = Date.now();
      for (const session of this.#sessions.values()) {
        if (session.inFlight.size === 0 && now - session.lastSeen > idleMs) this.end(session, 'the session expired');
      }
    }, Math.min(idleMs, 60_000));
    sweeper.unref();
    return sweeper;
  }

  /** Closes every session (the gateway is closing; its streams are ended apart). */
  closeAll(reason: string): void {
    for (const session of this.#sessions.values()) session.close(reason);
    this.#sessions.clear();
  }
}
