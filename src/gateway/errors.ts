/**
 * @module gateway/errors
 * How engine failures reach MCP clients (README, "The gateway": errors): a tool error stays a
 * `CallToolResult` with `isError: true`; `INVALID_ARGUMENTS` is returned the same way, so a
 * model can correct itself; `TOOL_NOT_FOUND` and `SERVER_NOT_FOUND` are JSON-RPC `-32602`; the
 * other engine errors are JSON-RPC errors whose `data.code` is the engine's code. Over HTTP,
 * `OVERLOADED` is status 429 with `Retry-After`.
 */
import { ErrorCode, McpoolError, messageOf } from '../errors/mcpool-error.js';
import { RpcCode, type RpcError } from '../errors/jsonrpc.js';
import type { CallToolResult } from '../wire/mcp-types.js';

export { RpcCode, type RpcError };

/** Thrown inside the dispatcher to answer a request with a JSON-RPC error. */
export class RpcFailure extends Error {
  constructor(
    readonly rpc: RpcError,
    /** HTTP status to use when the response is not streamed. @default 200 */
    readonly httpStatus = 200,
  ) {
    super(rpc.message);
  }
}

/** Seconds a client is asked to wait after `OVERLOADED` when the refusal does not say. */
export const RETRY_AFTER_SECONDS = 1;

/** Whole seconds to wait after a refusal: its `data.retryAfterMs` (a rate limit's wait) rounded up, at least 1. */
export function retryAfterSecondsOf(error: McpoolError): number {
  const ms = (error.data as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof ms === 'number' && ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : RETRY_AFTER_SECONDS;
}

/** The `Retry-After` seconds a reply carries in its error data, if any. */
export function retryAfterOfReply(response: unknown): number {
  const seconds = (response as { error?: { data?: { retryAfterSeconds?: unknown } } } | undefined)?.error?.data?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : RETRY_AFTER_SECONDS;
}

/** A `tools/call` failure as the client sees it: a tool error result or a JSON-RPC error. */
export function toolCallFailure(error: unknown): CallToolResult | RpcFailure {
  // Already a JSON-RPC error (a plugin's refused prompt, parked between MRTR rounds): kept.
  if (error instanceof RpcFailure) return error;
  if (!(error instanceof McpoolError)) {
    // A JSON-RPC error of an external server (resources, prompts passed through) keeps its code.
    const { code, data } = error as { code?: unknown; data?: unknown };
    if (typeof code === 'number' && Number.isInteger(code)) return new RpcFailure({ code, message: messageOf(error), ...(data === undefined ? {} : { data }) });
    return new RpcFailure({ code: RpcCode.INTERNAL_ERROR, message: messageOf(error) });
  }
  switch (error.code) {
    case ErrorCode.INVALID_ARGUMENTS:
      return { content: [{ type: 'text', text: error.message }], isError: true };
    case ErrorCode.TOOL_NOT_FOUND:
    case ErrorCode.SERVER_NOT_FOUND:
      return new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: error.message, data: { code: error.code } });
    case ErrorCode.OVERLOADED:
      return new RpcFailure({ code: RpcCode.SERVER_ERROR, message: error.message, data: { code: error.code, retryAfterSeconds: retryAfterSecondsOf(error) } }, 429);
    default:
      return new RpcFailure({ code: RpcCode.SERVER_ERROR, message: error.message, data: { code: error.code } });
  }
}
