/**
 * @module gateway/client-requests
 * Requests the gateway sends to its client on behalf of an external server (sampling,
 * elicitation), and the client's responses matched back to them by id. One per session.
 *
 * The request travels on the stream of the tool call that caused it (the POST's SSE stream over
 * HTTP, stdout over stdio), as the specification asks for messages related to a request. A
 * request the server gives up on is cancelled on the client with `notifications/cancelled`.
 */
import { RelayError } from '../servers/external/server-requests.js';
import type { ServerRequest } from '../wire/mcp-types.js';
import type { Notify } from './messages.js';
import { RpcCode } from './errors.js';

/** A JSON-RPC response from the client. */
export interface ClientResponse {
  id: string | number;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
}

/** The client capability each relayed method needs. */
export const CAPABILITY: Record<ServerRequest['method'], string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/** Outstanding requests to one client. */
export class ClientRequests {
  /** What the client declared at `initialize`. */
  capabilities: Record<string, unknown> = {};
  readonly #pending = new Map<string, Pending>();
  #next = 0;

  /** Sends `request` to the client through `send` and resolves with the client's result. */
  ask(send: Notify, request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    const capability = CAPABILITY[request.method];
    if (this.capabilities[capability] === undefined) {
      return Promise.reject(new RelayError(RpcCode.INVALID_REQUEST, `the client of this gateway did not declare the "${capability}" capability, so ${request.method} cannot be relayed to it`));
    }
    if (signal.aborted) return Promise.reject(new RelayError(RpcCode.INVALID_REQUEST, 'the request was cancelled'));
    const id = `mcpool-${++this.#next}`;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.#pending.delete(id)) return;
        send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: `server "${request.server}" cancelled its request` } });
        reject(new RelayError(RpcCode.INVALID_REQUEST, 'the request was cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      try {
        send({ jsonrpc: '2.0', id, method: request.method, params: request.params });
      } catch (error) {
        // No stream to send it on: the request fails at once, and nothing waits for an answer.
        this.#pending.get(id)?.reject(error instanceof Error ? error : new Error(String(error)));
        this.#pending.delete(id);
      }
    });
  }

  /** Takes a response from the client; false when it answers nothing this gateway asked. */
  answer(response: ClientResponse): boolean {
    const id = String(response.id);
    const pending = this.#pending.get(id);
    if (pending === undefined) return false;
    this.#pending.delete(id);
    if (response.error !== undefined) {
      const { code, message } = response.error;
      pending.reject(new RelayError(typeof code === 'number' ? code : RpcCode.INTERNAL_ERROR, typeof message === 'string' ? message : 'the client answered with an error'));
    } else if (typeof response.result === 'object' && response.result !== null && !Array.isArray(response.result)) {
      pending.resolve(response.result as Record<string, unknown>);
    } else {
      pending.reject(new RelayError(RpcCode.INTERNAL_ERROR, 'the client answered with a result that is not an object'));
    }
    return true;
  }

  /** Fails every outstanding request (the session ended). */
  close(reason: string): void {
    for (const pending of this.#pending.values()) pending.reject(new RelayError(RpcCode.INTERNAL_ERROR, reason));
    this.#pending.clear();
  }
}
