/**
 * @module gateway/rpc
 * Sorting incoming JSON-RPC messages: requests (answered), notifications (acted on) and
 * responses (to requests the gateway relayed to the client) and anything else (an `Invalid
 * Request` error).
 */
import type { RpcNotification, RpcRequest, RpcResponse } from './messages.js';
import type { ClientResponse } from './client-requests.js';
import { RpcCode } from './errors.js';

/** What an incoming message is. */
export type Incoming =
  | { kind: 'request'; message: RpcRequest }
  | { kind: 'notification'; message: RpcNotification }
  | { kind: 'response'; message: ClientResponse }
  | { kind: 'invalid'; response: RpcResponse };

/** Sorts one parsed JSON-RPC message. */
export function classify(value: unknown): Incoming {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const message = value as Record<string, unknown>;
    const { id, method } = message;
    const validId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
    const validParams = message.params === undefined || (typeof message.params === 'object' && message.params !== null);
    if (message.jsonrpc === '2.0' && typeof method === 'string' && validParams) {
      if (validId) return { kind: 'request', message: message as unknown as RpcRequest };
      if (id === undefined) return { kind: 'notification', message: message as unknown as RpcNotification };
    }
    if (message.jsonrpc === '2.0' && method === undefined && validId && ('result' in message || 'error' in message)) return { kind: 'response', message: message as unknown as ClientResponse };
    const replyId = validId ? (id) : null;
    return { kind: 'invalid', response: { jsonrpc: '2.0', id: replyId, error: { code: RpcCode.INVALID_REQUEST, message: 'not a JSON-RPC 2.0 request or notification' } } };
  }
  return { kind: 'invalid', response: { jsonrpc: '2.0', id: null, error: { code: RpcCode.INVALID_REQUEST, message: 'a JSON-RPC message must be an object' } } };
}

/** The response to text that is not JSON. */
export const parseErrorResponse: RpcResponse = { jsonrpc: '2.0', id: null, error: { code: RpcCode.PARSE_ERROR, message: 'parse error: the body is not valid JSON' } };
