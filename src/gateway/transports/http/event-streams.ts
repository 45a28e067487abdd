/**
 * @module gateway/transports/http/event-streams
 * The HTTP gateway's GET streams, one or more per session: where messages not tied to a request
 * go (logs, resource updates, list changes), and the session's relay for requests an external
 * server sends its client.
 */
import type { ServerResponse } from 'node:http';
import { RelayError } from '../../../servers/external/server-requests.js';
import type { Notify } from '../../dispatcher.js';
import { RpcCode } from '../../errors.js';
import { SSE_HEADERS, sseEvent } from './http-io.js';
import type { ClientSession } from '../../client-session.js';

/** The open GET streams, by response. */
export class EventStreams {
  readonly #streams = new Map<ServerResponse, ClientSession>();

  /** Opens `res` as an SSE stream of `session`; it is forgotten when it closes. */
  open(res: ServerResponse, session: ClientSession): void {
    res.writeHead(200, SSE_HEADERS);
    res.write(': mcpool\n\n');
    this.#streams.set(res, session);
    res.on('close', () => this.#streams.delete(res));
  }

  /** Sends a message on the streams of the sessions `wants` picks. */
  broadcast(message: object, wants: (session: ClientSession) => boolean): void {
    let event: string | undefined;
    for (const [stream, session] of this.#streams) {
      if (!wants(session)) continue;
      event ??= sseEvent(message);
      stream.write(event);
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
        for (const [stream, owner] of this.#streams) {
          if (owner === session && !stream.writableEnded) {
            stream.write(sseEvent(message));
            return;
          }
        }
      }
      const first = calls.values().next();
      if (first.done === true) throw new RelayError(RpcCode.INVALID_REQUEST, 'no stream to the client is open to send the request on (the client does not accept text/event-stream)');
      first.value(message);
    };
  }

  /** Ends every stream (the gateway is closing). */
  endAll(): void {
    for (const stream of this.#streams.keys()) stream.end();
  }
}
