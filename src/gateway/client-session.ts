/**
 * @module gateway/client-session
 * One connected MCP client: its negotiated protocol version, the requests it has in flight (so
 * `notifications/cancelled` can stop them), its log level and resource subscriptions. Over stdio there is one session for
 * the process; over HTTP one per `Mcp-Session-Id`.
 */
import { randomUUID } from 'node:crypto';
import type { LogLevel, ServerRequestHandler } from '../wire/mcp-types.js';
import type { Abortable } from '../engine/abort-handle.js';
import type { ClientScope } from './clients.js';
import { ChurnMap, ChurnSet } from '../engine/churn.js';
import { ClientRequests } from './client-requests.js';
import type { Notify, RequestId } from './messages.js';
import { DEFAULT_LOG_LEVEL } from './logs.js';

/** A JSON-RPC request id. */
export type { RequestId } from './messages.js';

/** A client session. */
export class ClientSession {
  readonly id: string = randomUUID();
  /** Set by `initialize`. */
  protocolVersion: string | undefined;
  /** Requests running, by id: aborting one cancels the call behind it (a `ChurnMap`: one entry per call). */
  readonly inFlight = new ChurnMap<RequestId, Abortable>();
  /** Requests the client cancelled: their responses are not sent (as the specification asks). */
  readonly cancelled = new Set<RequestId>();
  /** Requests relayed to the client for external servers (sampling, elicitation), awaiting answers. */
  readonly requests = new ClientRequests();
  /**
   * Where requests relayed to the client go, set by the transport: stdout over stdio; over HTTP a
   * choice among the session's POST streams and its GET stream. One function for the whole
   * session, so an external server may ask while several of the session's calls are in flight.
   */
  relay: Notify | undefined;
  #onServerRequest: ServerRequestHandler | undefined;
  /** The response streams of this session's requests in flight that can carry a relayed request (HTTP; one per call). */
  readonly callStreams = new ChurnSet<Notify>();
  /** URIs the client subscribed to (`resources/subscribe`): their update notifications reach it. */
  readonly subscriptions = new Set<string>();
  /** Least severe log level the client wants (`logging/setLevel`). */
  logLevel: LogLevel = DEFAULT_LOG_LEVEL;
  /** What the client may see (`gateway.clients`), set from its token; undefined: everything. */
  scope: ClientScope | undefined;
  /** Last time the client used the session (`Date.now()`), for idle expiry. */
  lastSeen = Date.now();
  closed = false;

  /** The `onServerRequest` of every call of this session (none while the transport set no relay). */
  get onServerRequest(): ServerRequestHandler | undefined {
    const relay = this.relay;
    if (relay === undefined) return undefined;
    this.#onServerRequest ??= (request, signal) => this.requests.ask(relay, request, signal);
    return this.#onServerRequest;
  }

  /** Stops every request of the session (the client left or the session ended). */
  close(reason: string): void {
    this.closed = true;
    for (const controller of this.inFlight.values()) controller.abort(new Error(reason));
    this.inFlight.clear();
    this.requests.close(reason);
  }
}
