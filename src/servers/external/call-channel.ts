/**
 * @module servers/external/call-channel
 * The lean path of `tools/call` on an external server's connection. The SDK's `Client` does
 * the handshake, tool lists, notifications, resources and prompts; tool calls are written
 * straight onto its transport and their answers taken off it before the SDK sees them,
 * because the SDK's per-request machinery (a timer, an abort listener and a schema parse of
 * every result) cost more CPU per call than the server behind it (measured: ~400 ms of CPU
 * per 1,000 calls fronting a stdio server through `Client.request`). Ids of these requests are
 * strings (`mcpool-1`, ...) and never collide with the SDK's numeric ids.
 */
import type { Transport } from '@modelcontextprotocol/client';
import type { Call } from '../../engine/call.js';
import type { McpoolError } from '../../errors/mcpool-error.js';
import { RpcCode } from '../../errors/jsonrpc.js';
import { traceparentOf } from '../../engine/tracing.js';
import { ChurnMap } from '../../engine/churn.js';
import type { CallToolResult, ProgressUpdate } from '../../wire/mcp-types.js';

/** A `notifications/progress` message's params as the engine's progress update. */
export function progressUpdateOf(params: Record<string, unknown>): ProgressUpdate {
  const update: ProgressUpdate = { progress: Number(params.progress) };
  if (typeof params.total === 'number') update.total = params.total;
  if (typeof params.message === 'string') update.message = params.message;
  return update;
}

/** A JSON-RPC error object from the server. */
export interface WireRpcError {
  code: number;
  message: string;
  data?: unknown;
}

/** How a call sent on the channel ended. */
export interface ChannelHandlers {
  result(call: Call, result: CallToolResult): void;
  /** The server answered with a JSON-RPC error, or a result that is not a `CallToolResult`. */
  rpcError(call: Call, error: WireRpcError): void;
  progress(call: Call, update: ProgressUpdate): void;
  /** The request could not be sent or the connection went away. */
  failed(call: Call, error: unknown): void;
  /** The call ended in this engine error (a server's own task that failed or that it cancelled). */
  error(call: Call, error: McpoolError): void;
}

/** How the actor sends tool calls on a connection, whatever the era (modern-call-channel.ts is the other). */
export interface ToolChannel {
  /** Calls in flight. */
  readonly calls: IterableIterator<Call>;
  readonly size: number;
  /** Sends a call; its answer comes through the handlers. */
  send(call: Call): void;
  /** Forgets a call and tells the server to stop it. */
  cancel(call: Call, reason: string): void;
  /** Fails every call in flight (the connection is gone). */
  failAll(error: unknown): void;
}

type Message = { id?: unknown; method?: unknown; params?: Record<string, unknown>; result?: unknown; error?: WireRpcError };

/** The request ids (and progress tokens) of this channel's calls: `mcpool-<n>`. */
const ID_PREFIX = 'mcpool-';

/** The `n` of an id `mcpool-<n>` (NaN, which no call has, for anything else after the prefix). */
function numberOf(id: string): number {
  return Number(id.slice(ID_PREFIX.length));
}

/** Tool calls in flight on one transport. */
export class CallChannel implements ToolChannel {
  readonly #transport: Transport;
  readonly #handlers: ChannelHandlers;
  /** Calls in flight by the number in their request id (`mcpool-<n>`): one entry per call, engine/churn. */
  readonly #pending = new ChurnMap<number, Call>();
  #next = 0;

  constructor(transport: Transport, handlers: ChannelHandlers) {
    this.#transport = transport;
    this.#handlers = handlers;
    // Installed after the SDK client connected: it set onmessage, and gets what is not ours.
    const sdk = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (!this.#take(message as Message)) sdk?.(message, extra);
    };
  }

  /** Calls in flight. */
  get calls(): IterableIterator<Call> {
    return this.#pending.values();
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Sends a call; its answer comes through the handlers. */
  send(call: Call): void {
    const n = ++this.#next;
    const id = `${ID_PREFIX}${n}`;
    this.#pending.set(n, call);
    call.handle = n;
    const params: Record<string, unknown> = { name: call.tool, arguments: call.args };
    if (call.onProgress) params._meta = { progressToken: id };
    // The call's trace goes on to the server (W3C trace context in _meta, as MCP carries it).
    if (call.span !== undefined) params._meta = { ...(params._meta as object | undefined), traceparent: traceparentOf(call.span) };
    this.#transport.send({ jsonrpc: '2.0', id, method: 'tools/call', params }).catch((error: unknown) => {
      if (this.#pending.delete(n)) this.#handlers.failed(call, error);
    });
  }

  /** Forgets a call and tells the server to stop it (`notifications/cancelled`). */
  cancel(call: Call, reason: string): void {
    // An external server's calls are carried by request ids only (the handle is this channel's to set: the id's number).
    const n = call.handle as number | undefined;
    if (n === undefined || !this.#pending.delete(n)) return;
    this.#transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: `${ID_PREFIX}${n}`, reason } }).catch(() => undefined);
  }

  /** Fails every call in flight (the connection is gone). */
  failAll(error: unknown): void {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) this.#handlers.failed(call, error);
  }

  /** Handles a message if it answers or reports on one of our calls. */
  #take(message: Message): boolean {
    const { id } = message;
    if (typeof id === 'string' && message.method === undefined) {
      // An id of ours whose call is gone (cancelled, failed) is answered late: it is dropped.
      if (!id.startsWith(ID_PREFIX)) return false;
      const n = numberOf(id);
      const call = this.#pending.get(n);
      if (call === undefined) return true;
      this.#pending.delete(n);
      const result = message.result as CallToolResult | undefined;
      if (message.error !== undefined) this.#handlers.rpcError(call, message.error);
      else if (typeof result === 'object' && result !== null && Array.isArray(result.content)) this.#handlers.result(call, result);
      else this.#handlers.rpcError(call, { code: RpcCode.INTERNAL_ERROR, message: 'the server answered tools/call without a content array' });
      return true;
    }
    if (message.method === 'notifications/progress') {
      const params = message.params ?? {};
      const token = params.progressToken;
      const call = typeof token === 'string' && token.startsWith(ID_PREFIX) ? this.#pending.get(numberOf(token)) : undefined;
      if (call === undefined) return false;
      this.#handlers.progress(call, progressUpdateOf(params));
      return true;
    }
    return false;
  }
}
