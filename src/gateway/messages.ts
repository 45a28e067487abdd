/**
 * @module gateway/messages
 * The JSON-RPC messages the gateway receives and sends, as the dispatcher, the client
 * sessions and the transports all name them.
 */
import type { RpcError } from '../errors/jsonrpc.js';

/** A JSON-RPC request id. */
export type RequestId = string | number;

/** A JSON-RPC request as received. */
export interface RpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

/** A JSON-RPC notification as received. */
export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

/** A JSON-RPC response. */
export type RpcResponse = { jsonrpc: '2.0'; id: RequestId | null; result: unknown } | { jsonrpc: '2.0'; id: RequestId | null; error: RpcError };

/** A response and the HTTP status to send it with (429 for `OVERLOADED`). */
export interface Reply {
  response: RpcResponse;
  status: number;
}

/**
 * Sends a message to the client that made a request, on that request's stream over HTTP: a
 * notification (progress), or a request relayed from an external server (with an `id`).
 */
export type Notify = (message: { jsonrpc: '2.0'; id?: string; method: string; params: Record<string, unknown> }) => void;
