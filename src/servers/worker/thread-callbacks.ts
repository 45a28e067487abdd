/**
 * @module servers/worker/thread-callbacks
 * The manager's end of each thread's callback channel: a thread posts a port once when it
 * starts, and the callbacks that need an answer (a nested `ctx.callTool`, a tool's request to
 * its caller: `ctx.elicit`, `ctx.createMessage`, `ctx.listRoots`) are served over it
 * through comlink. Progress and logs do not come this way: they travel with the results.
 */
import type { MessagePort } from 'node:worker_threads';
import { expose, nodeEndpoint } from '../../wire/comlink.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import type { CallToolOutcome, ChannelMessage, ManagerCallbacks } from '../../wire/protocol.js';
import type { Call } from '../../engine/call.js';
import type { ServerRequest } from '../../wire/mcp-types.js';
import type { ActorHost } from '../actor.js';

/** Finds the call in flight at a frame id and index, if it is still running. */
export type CallLookup = (frameId: number, index: number) => Call | undefined;

/** An error for the tool as its wire form. */
function wireOf(error: unknown): [string, string, unknown] {
  const wire = error instanceof McpoolError ? error.toJSON() : { code: ErrorCode.TRANSPORT_ERROR, message: messageOf(error) };
  return [wire.code, wire.message, 'data' in wire ? wire.data : undefined];
}

const ASKABLE = new Set<string>(['elicitation/create', 'sampling/createMessage', 'roots/list']);

/** The callback channels of one worker server's threads. */
export class ThreadCallbacks {
  readonly #callbacks: ManagerCallbacks;
  readonly #ports: MessagePort[] = [];

  constructor(host: ActorHost, server: string, lookup: CallLookup, asking: (call: Call, delta: number) => void) {
    this.#callbacks = {
      askClient: async (frameId, index, method, params, key, beforeTask): Promise<CallToolOutcome> => {
        const call = lookup(frameId, index);
        const handler = call?.onServerRequest;
        if (call === undefined || handler === undefined || !ASKABLE.has(method)) {
          const reason = call === undefined ? 'call-ended' : handler === undefined ? 'no-client' : 'unknown-method';
          const message = reason === 'no-client' ? `no one can answer ${method}: the caller gave no onServerRequest (and no MCP client is behind this call)` : `cannot ask ${method} now (${reason})`;
          return { ok: false, error: [ErrorCode.TRANSPORT_ERROR, message, { reason }] };
        }
        const request: ServerRequest = { server, method: method as ServerRequest['method'], params: (params ?? {}) as Record<string, unknown>, ...(key === undefined ? {} : { key }), ...(beforeTask === true ? { beforeTask } : {}) };
        asking(call, 1);
        try {
          return { ok: true, result: await handler(request, call.signal ?? new AbortController().signal) };
        } catch (error) {
          if (error instanceof McpoolError) return { ok: false, error: wireOf(error) };
          // The client refused or could not be reached: the tool sees a TRANSPORT_ERROR saying why.
          const code = (error as { code?: unknown }).code;
          return { ok: false, error: [ErrorCode.TRANSPORT_ERROR, messageOf(error), { reason: 'client-error', ...(typeof code === 'number' ? { rpcCode: code } : {}) }] };
        } finally {
          asking(call, -1);
        }
      },
      callTool: async (server, tool, args): Promise<CallToolOutcome> => {
        try {
          return { ok: true, result: await host.callTool(server, tool, args) };
        } catch (error) {
          // An error does not survive postMessage intact: it goes as its wire form.
          return { ok: false, error: wireOf(error) };
        }
      },
    };
  }

  /** Serves the callbacks on a thread's channel port (a pool `message`; others are ignored). */
  accept(message: ChannelMessage): void {
    if (message.mcpool !== 'channel') return;
    expose(this.#callbacks, nodeEndpoint(message.port));
    // An idle callback channel must not keep the process alive.
    message.port.unref();
    this.#ports.push(message.port);
  }

  /** Closes every channel (the pool is gone). */
  close(): void {
    for (const port of this.#ports) port.close();
    this.#ports.length = 0;
  }
}
