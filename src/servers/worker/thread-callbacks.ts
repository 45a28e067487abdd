/**
 * @module servers/worker/thread-callbacks
 * The manager's end of each thread's callback channel: a thread posts a port once when it
 * starts, and the callbacks that need an answer (a nested `ctx.callTool`) are served over it
 * through comlink. Progress and logs do not come this way: they travel with the results.
 */
import type { MessagePort } from 'node:worker_threads';
import { expose, nodeEndpoint } from '../../wire/comlink.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import type { CallToolOutcome, ChannelMessage, ManagerCallbacks } from '../../wire/protocol.js';
import type { ActorHost } from '../actor.js';

/** The callback channels of one worker server's threads. */
export class ThreadCallbacks {
  readonly #callbacks: ManagerCallbacks;
  readonly #ports: MessagePort[] = [];

  constructor(host: ActorHost) {
    this.#callbacks = {
      callTool: async (server, tool, args): Promise<CallToolOutcome> => {
        try {
          return { ok: true, result: await host.callTool(server, tool, args) };
        } catch (error) {
          // An error does not survive postMessage intact: it goes as its wire form.
          const wire = error instanceof McpoolError ? error.toJSON() : { code: ErrorCode.TRANSPORT_ERROR, message: messageOf(error) };
          return { ok: false, error: [wire.code, wire.message, 'data' in wire ? wire.data : undefined] };
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
