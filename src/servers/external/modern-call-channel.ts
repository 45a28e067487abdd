/**
 * @module servers/external/modern-call-channel
 * `tools/call` on a connection to a server of the stateless era (MCP 2026-07-28), through the
 * SDK client's `callTool`. Unlike the lean channel (call-channel.ts), which writes session-era
 * requests straight onto the transport, this era's rules are many and the SDK keeps them: the
 * per-request `_meta` envelope, the `Mcp-Method` / `Mcp-Name` / `Mcp-Param-*` headers over HTTP,
 * cancellation by closing the request's stream, and `input_required` rounds, which the SDK
 * fulfils through the client's request handlers (so a modern server's elicitation, sampling and
 * roots requests reach the call's `onServerRequest` as a legacy server's requests do).
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Call } from '../../engine/call.js';
import { traceparentOf } from '../../engine/tracing.js';
import type { CallToolResult } from '../../wire/mcp-types.js';
import { progressUpdateOf, type ChannelHandlers, type ToolChannel } from './call-channel.js';
import { withoutMetaKey } from './result-meta.js';

/** The engine times calls out itself (and then cancels them): the SDK's own timer stays out of the way. */
const NO_TIMEOUT_MS = 2_147_483_647;
const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';

/** Tool calls in flight on one modern connection. */
export class ModernCallChannel implements ToolChannel {
  readonly #client: Client;
  readonly #handlers: ChannelHandlers;
  readonly #pending = new Map<Call, AbortController>();
  readonly #progress = new Map<string, Call>();
  #next = 0;

  constructor(client: Client, handlers: ChannelHandlers) {
    this.#client = client;
    this.#handlers = handlers;
    // Installed after the SDK client connected: it set onmessage, and gets what is not ours.
    const transport = client.transport!;
    const sdk = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (!this.#take(message as { method?: unknown; params?: Record<string, unknown> })) sdk?.(message, extra);
    };
  }

  get calls(): IterableIterator<Call> {
    return this.#pending.keys();
  }

  get size(): number {
    return this.#pending.size;
  }

  send(call: Call): void {
    const controller = new AbortController();
    this.#pending.set(call, controller);
    const meta: Record<string, unknown> = {};
    // Progress under a token of ours, taken off the transport (the SDK client's own delivery of
    // a modern call's progress drops notifications that come just before the result).
    if (call.onProgress !== undefined) {
      const token = `mcpool-p-${++this.#next}`;
      meta.progressToken = token;
      this.#progress.set(token, call);
      controller.signal.addEventListener('abort', () => this.#progress.delete(token), { once: true });
    }
    if (call.span !== undefined) meta.traceparent = traceparentOf(call.span);
    const forget = (): void => {
      if (typeof meta.progressToken === 'string') this.#progress.delete(meta.progressToken);
    };
    this.#client
      .callTool({ name: call.tool, arguments: call.args as Record<string, unknown>, ...(Object.keys(meta).length === 0 ? {} : { _meta: meta }) }, { signal: controller.signal, timeout: NO_TIMEOUT_MS })
      .then(
        (result) => {
          forget();
          if (!this.#pending.delete(call)) return;
          if (Array.isArray((result as { content?: unknown }).content)) this.#handlers.result(call, withoutMetaKey(result as CallToolResult, SERVER_INFO_KEY));
          else this.#handlers.rpcError(call, { code: -32603, message: 'the server answered tools/call without a content array' });
        },
        (error: unknown) => {
          forget();
          // The server's JSON-RPC errors (ProtocolError) keep their code there (external-errors.ts).
          if (this.#pending.delete(call)) this.#handlers.failed(call, error);
        },
      );
  }

  /** Handles a progress notification of one of our calls. */
  #take(message: { method?: unknown; params?: Record<string, unknown> }): boolean {
    if (message.method !== 'notifications/progress') return false;
    const params = message.params ?? {};
    const token = params.progressToken;
    const call = typeof token === 'string' ? this.#progress.get(token) : undefined;
    if (call === undefined) return false;
    this.#handlers.progress(call, progressUpdateOf(params));
    return true;
  }

  cancel(call: Call, reason: string): void {
    const controller = this.#pending.get(call);
    if (controller === undefined) return;
    this.#pending.delete(call);
    controller.abort(new Error(reason));
  }

  failAll(error: unknown): void {
    const calls = [...this.#pending.entries()];
    this.#pending.clear();
    for (const [call, controller] of calls) {
      controller.abort(error);
      this.#handlers.failed(call, error);
    }
  }
}

