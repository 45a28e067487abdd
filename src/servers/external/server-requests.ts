/**
 * @module servers/external/server-requests
 * Requests an external server sends to its client while a tool runs (`sampling/createMessage`,
 * `elicitation/create`), handed to the caller that can answer them: the `onServerRequest` of
 * the call in flight on that connection.
 *
 * MCP does not say which request a server-to-client request belongs to (over stdio it is a bare
 * JSON-RPC request), and one connection carries the calls of every caller. So the request goes
 * to the one handler among the calls in flight; with none, or with calls of different handlers
 * in flight, it is refused with an error the server sees, rather than guessed at: asking the
 * wrong user for input is worse than failing the tool.
 */
import type { Call } from '../../engine/call.js';
import { RpcCode } from '../../errors/jsonrpc.js';
import type { ServerRequest, ServerRequestHandler } from '../../wire/mcp-types.js';

/** An error the SDK turns into a JSON-RPC error response with this code. */
export class RelayError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

/** What can answer a server's request: a tool call in flight, or a passed-through request (a prompt). */
export type RequestScope = Pick<Call, 'onServerRequest'>;

/** The one handler of the calls in flight, or an error saying why there is none. */
export function handlerFor(server: string, method: string, calls: Iterable<RequestScope>): ServerRequestHandler {
  let handler: ServerRequestHandler | undefined;
  let inFlight = 0;
  for (const call of calls) {
    inFlight++;
    const own = call.onServerRequest;
    if (own === undefined) continue;
    if (handler !== undefined && handler !== own) {
      throw new RelayError(RpcCode.INVALID_REQUEST, `mcpool cannot relay ${method} from "${server}": calls of several clients are in flight on this connection and MCP does not say which one asked`);
    }
    handler = own;
  }
  if (handler === undefined) {
    const why = inFlight === 0 ? 'no tool call is in flight' : 'the calls in flight have no client that can answer it';
    throw new RelayError(RpcCode.INVALID_REQUEST, `mcpool cannot relay ${method} from "${server}": ${why}`);
  }
  return handler;
}

/** Relays one server request to the handler of the calls in flight; resolves with its result. */
export async function relayServerRequest(
  server: string,
  method: ServerRequest['method'],
  params: Record<string, unknown> | undefined,
  calls: Iterable<RequestScope>,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const handler = handlerFor(server, method, calls);
  return handler({ server, method, params: params ?? {} }, signal);
}
