/**
 * @module servers/external/external-errors
 * How failures of an external MCP server become engine errors, and which of them mean that
 * the connection itself is gone (so the actor reconnects or restarts its child).
 */
import { clientSdk } from './client-sdk.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import { timeoutError } from '../../errors/factories.js';
import { RpcCode } from '../../errors/jsonrpc.js';

/**
 * The engine error for a JSON-RPC error answer to `tools/call`, whether it came as a plain error
 * object (the lean call path) or as the SDK's `ProtocolError` (then also the `cause`).
 */
export function externalRpcError(server: string, tool: string, error: { code: number; message: string; data?: unknown }, cause?: unknown): McpoolError {
  const data = { jsonrpcCode: error.code, ...(error.data === undefined ? {} : { jsonrpcData: error.data }) };
  if (error.code === RpcCode.INVALID_PARAMS) {
    return new McpoolError(ErrorCode.INVALID_ARGUMENTS, `server "${server}" refused the arguments of tool "${tool}": ${error.message}`, { server, tool, data, cause });
  }
  return new McpoolError(ErrorCode.TRANSPORT_ERROR, `server "${server}" answered tool "${tool}" with JSON-RPC error ${error.code}: ${error.message}`, { server, tool, data, cause });
}

/** The engine error for a failed `tools/call` of an external server. */
export function externalCallError(server: string, tool: string, error: unknown): McpoolError {
  const { ProtocolError, SdkError, SdkErrorCode } = clientSdk();
  if (error instanceof ProtocolError) return externalRpcError(server, tool, error, error);
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) return timeoutError(server, tool, error);
  return new McpoolError(ErrorCode.TRANSPORT_ERROR, `the connection to server "${server}" failed during tool "${tool}": ${messageOf(error)}`, { server, tool, cause: error });
}

/**
 * True when an error means the connection (or session) is lost, not just one request: the
 * socket failed, or the server no longer knows our session (HTTP 404).
 */
export function isConnectionLost(error: unknown): boolean {
  const { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } = clientSdk();
  if (error instanceof ProtocolError) return false;
  if (error instanceof SdkHttpError) return error.status === 404;
  if (error instanceof SdkError) return error.code === SdkErrorCode.ConnectionClosed || error.code === SdkErrorCode.NotConnected || error.code === SdkErrorCode.SendFailed;
  // Socket-level failures (ECONNREFUSED, ECONNRESET, EPIPE, "socket hang up").
  return error instanceof Error;
}
