/**
 * @module servers/worker/thread-callbacks
 * The manager's end of each thread's callback channel: a thread posts a port once when it
 * starts, and the callbacks that need an answer (a nested `ctx.callTool`, a tool's request to
 * its caller: `ctx.elicit`, `ctx.createMessage`, `ctx.listRoots`) are served over it
 * through comlink. Progress and logs do not come this way: they travel with the results. A
 * WebAssembly server's thread also posts a blocking channel, on which its plugin's requests to
 * the caller are answered while the thread waits (its host functions are synchronous).
 */
import type { MessagePort } from 'node:worker_threads';
import { expose, nodeEndpoint } from '../../wire/comlink.js';
import { ErrorCode, McpoolError, messageOf, toWire } from '../../errors/mcpool-error.js';
import type { BlockingAnswer, BlockingAsk, CallToolOutcome, ChannelMessage, ManagerCallbacks } from '../../wire/protocol.js';
import { CallState, type Call } from '../../engine/call.js';
import type { ServerRequest } from '../../wire/mcp-types.js';
import type { ActorHost } from '../actor.js';

/** Finds the call in flight at a frame id and index, if it is still running. */
export type CallLookup = (frameId: number, index: number) => Call | undefined;

const ASKABLE = new Set<string>(['elicitation/create', 'sampling/createMessage', 'roots/list']);

/**
 * A signal that aborts when either `call` or `withdrawn` does. Not `AbortSignal.any`: a call's
 * signal may be the engine's AbortHandle (an `AbortSignal` in shape only), which Node 22+ refuses
 * there. `release` removes the listeners once the ask is over.
 */
function eitherAborted(call: AbortSignal, withdrawn: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onCall = (): void => controller.abort(call.reason);
  const onWithdrawn = (): void => controller.abort(withdrawn.reason);
  if (call.aborted) onCall();
  else if (withdrawn.aborted) onWithdrawn();
  else {
    call.addEventListener('abort', onCall);
    withdrawn.addEventListener('abort', onWithdrawn);
  }
  return {
    signal: controller.signal,
    release: () => {
      call.removeEventListener('abort', onCall);
      withdrawn.removeEventListener('abort', onWithdrawn);
    },
  };
}

/** The callback channels of one worker server's threads. */
export class ThreadCallbacks {
  readonly #callbacks: ManagerCallbacks;
  readonly #ask: (frameId: number, index: number, method: string, params: unknown, key: string | undefined, park: boolean, withdrawn: AbortSignal | undefined, beforeTask?: boolean) => Promise<CallToolOutcome>;
  readonly #ports: MessagePort[] = [];

  constructor(host: ActorHost, server: string, lookup: CallLookup, asking: (call: Call, delta: number) => void) {
    this.#ask = async (frameId, index, method, params, key, park, withdrawn, beforeTask): Promise<CallToolOutcome> => {
      // A call already answered (it timed out while its tool ran on) has ended, and has dropped
      // its caller's handler with its other callbacks (`Call.forgetCaller`).
      const found = lookup(frameId, index);
      const call = found?.state === CallState.settled ? undefined : found;
      const handler = call?.onServerRequest;
      if (call === undefined || handler === undefined || !ASKABLE.has(method)) {
        const reason = call === undefined ? 'call-ended' : handler === undefined ? 'no-client' : 'unknown-method';
        const message = reason === 'no-client' ? `no one can answer ${method}: the caller gave no onServerRequest (and no MCP client is behind this call)` : `cannot ask ${method} now (${reason})`;
        return { ok: false, error: [ErrorCode.TRANSPORT_ERROR, message, { reason }] };
      }
      const request: ServerRequest = { server, method: method as ServerRequest['method'], params: (params ?? {}) as Record<string, unknown>, ...(key === undefined ? {} : { key }), ...(beforeTask === true ? { beforeTask } : {}) };
      const callSignal = call.signal ?? new AbortController().signal;
      const either = withdrawn === undefined ? undefined : eitherAborted(callSignal, withdrawn);
      const signal = either?.signal ?? callSignal;
      // A frame whose calls all wait is parked so its thread takes other frames; a thread that
      // blocks until the answer comes (a WebAssembly host function) could not take them.
      if (park) asking(call, 1);
      try {
        return { ok: true, result: await handler(request, signal) };
      } catch (error) {
        if (error instanceof McpoolError) return { ok: false, error: toWire(error, ErrorCode.TRANSPORT_ERROR) };
        // The client refused or could not be reached: the tool sees a TRANSPORT_ERROR saying why.
        const code = (error as { code?: unknown }).code;
        return { ok: false, error: [ErrorCode.TRANSPORT_ERROR, messageOf(error), { reason: 'client-error', ...(typeof code === 'number' ? { rpcCode: code } : {}) }] };
      } finally {
        either?.release();
        if (park) asking(call, -1);
      }
    };
    this.#callbacks = {
      askClient: (frameId, index, method, params, key, beforeTask) => this.#ask(frameId, index, method, params, key, true, undefined, beforeTask),
      callTool: async (server, tool, args): Promise<CallToolOutcome> => {
        try {
          return { ok: true, result: await host.callTool(server, tool, args) };
        } catch (error) {
          // An error does not survive postMessage intact: it goes as its wire form.
          return { ok: false, error: toWire(error, ErrorCode.TRANSPORT_ERROR) };
        }
      },
    };
  }

  /** Serves the callbacks on a thread's channel port (a pool `message`; others are ignored). */
  accept(message: ChannelMessage): void {
    if (message.mcpool === 'blocking-channel') {
      this.#serveBlocking(message.port, new Int32Array(message.flag));
    } else if (message.mcpool === 'channel') {
      expose(this.#callbacks, nodeEndpoint(message.port));
    } else {
      return;
    }
    // An idle callback channel must not keep the process alive.
    message.port.unref();
    this.#ports.push(message.port);
  }

  /**
   * Serves a thread's blocking channel: each answer is posted, then `flag` is set and notified,
   * which wakes the thread blocked in `Atomics.wait` (workers/blocking-ask).
   */
  #serveBlocking(port: MessagePort, flag: Int32Array): void {
    const withdrawn = new Map<number, AbortController>();
    port.on('message', (ask: BlockingAsk) => {
      if (ask.cancel !== undefined) {
        withdrawn.get(ask.cancel)?.abort();
        return;
      }
      const controller = new AbortController();
      withdrawn.set(ask.id, controller);
      const asked = this.#ask(ask.frameId, ask.index, ask.method, ask.params, undefined, false, controller.signal).catch(
        // Whatever went wrong, the blocked thread must get an answer, or it would wait until the call's timeout.
        (error: unknown): CallToolOutcome => ({ ok: false, error: [ErrorCode.TRANSPORT_ERROR, messageOf(error), { reason: 'client-error' }] }),
      );
      void asked.then((outcome) => {
        withdrawn.delete(ask.id);
        const answer: BlockingAnswer = { id: ask.id, outcome };
        port.postMessage(answer);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
    });
  }

  /** Closes every channel (the pool is gone). */
  close(): void {
    for (const port of this.#ports) port.close();
    this.#ports.length = 0;
  }
}
