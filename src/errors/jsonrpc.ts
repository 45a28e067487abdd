/**
 * @module errors/jsonrpc
 * The JSON-RPC error codes mcpool sends and reads (JSON-RPC 2.0 and MCP's own), and the error
 * object's shape: the one table for the gateway, the external servers' client and the relay of
 * server requests.
 */

/** JSON-RPC and MCP error codes. */
export const RpcCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** An engine failure (timeout, overload, crash, ...): `data.code` says which. */
  SERVER_ERROR: -32000,
  /** Streamable HTTP: the `Mcp-Session-Id` names no live session. */
  SESSION_NOT_FOUND: -32001,
  /** A resource that no server has (MCP's "resource not found"). */
  RESOURCE_NOT_FOUND: -32002,
} as const;

/** A JSON-RPC error object. */
export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}
