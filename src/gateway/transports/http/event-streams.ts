/**
 * @module gateway/transports/http/event-streams
 * The HTTP gateway's SSE streams of the session era, by session: the GET streams, where messages
 * not tied to a request go (logs, resource updates, list changes), the POST response streams,
 * and the session's relay for requests an external server sends its client. Every stream is
 * resumable with `Last-Event-ID` (src/gateway/transports/http/sse-streams.ts).
 */
import type { ServerResponse } from 'node:http';
import { RelayError } from '../../../servers/external/server-requests.js';
import type { Notify } from '../../dispatcher.js';
import { RpcCode } from '../../errors.js';
import type { ClientSession } from '../../client-session.js';
import { SessionStreams, type SseOptions, type SseStream } from './sse-streams.js';

/** The SSE streams of every session. */
export class EventStreams {
  readonly #options: SseOptions;
  readonly #sessions = new Map<ClientSession, SessionStreams>();

  constructor(options: SseOptions) {
    this.#options = options;
  }

  /** The streams of `session` (made at its first stream). */
  of(session: ClientSession): SessionStreams {
    let streams = this.#sessions.get(session);
    if (streams === undefined) {
      streams = new SessionStreams(this.#options, session);
      this.#sessions.set(session, streams);
    }
    return streams;
  }

  /** Opens `res` as a new GET stream of `session`. */
  open(res: ServerResponse, session: ClientSession): void {
    this.of(session).open('get').attach(res, undefined, undefined);
  }

  /** Sends a message on the GET streams of the sessions `wants` picks (kept for replay when one is dropped). */
  broadcast(message: object, wants: (session: ClientSession) => boolean): void {
    for (const [session, streams] of this.#sessions) {
      let picked: boolean | undefined;
      for (const stream of streams.getStreams()) {
        picked ??= wants(session);
        if (!picked) break;
        stream.write(message);
      }
    }
  }

  /**
   * A session's relay: a request an external server sends the client goes on the stream of the
   * session's one POST in flight when there is one (the stream of the call that caused it), else
   * on the session's GET stream (MCP lets a server send requests there), else on any of its POST
   * streams; with no stream open it cannot be sent.
   */
  relayOf(session: ClientSession): Notify {
    return (message) => {
      const calls = session.callStreams;
      if (calls.size !== 1) {
        const get = this.#getStream(session);
        if (get !== undefined) {
          get.write(message);
          return;
        }
      }
      const first = calls.first();
      if (first === undefined) throw new RelayError(RpcCode.INVALID_REQUEST, 'no stream to the client is open to send the request on (the client does not accept text/event-stream)');
      first(message);
    };
  }

  /** The session's GET stream that a connection carries, else one waiting to be resumed. */
  #getStream(session: ClientSession): SseStream | undefined {
    const streams = this.#sessions.get(session);
    if (streams === undefined) return undefined;
    let waiting: SseStream | undefined;
    for (const stream of streams.getStreams()) {
      if (stream.attached) return stream;
      waiting ??= stream;
    }
    return waiting;
  }

  /** Forgets a session's streams (it ended). */
  closeSession(session: ClientSession): void {
    this.#sessions.get(session)?.close();
    this.#sessions.delete(session);
  }

  /** Ends every stream (the gateway is closing). */
  endAll(): void {
    for (const streams of this.#sessions.values()) streams.close();
    this.#sessions.clear();
  }
}
