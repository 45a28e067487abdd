/**
 * @module workers/blocking-ask
 * Requests to a call's caller (elicitation, sampling, roots) that block the thread until the
 * answer comes: a WebAssembly plugin's host functions are synchronous, so `ctx.elicit`'s
 * promise could not be awaited there. The thread opens a second channel to the manager on first
 * use (`blocking-channel`, with a shared flag), posts the request, and waits with `Atomics.wait`
 * until the manager has posted the answer and set the flag; `receiveMessageOnPort` then reads it
 * without the event loop, as `workers/wasm/http-bridge` does for HTTP.
 *
 * The answer is the same the manager gives `ctx.elicit` (the library's `onServerRequest`, the
 * gateway's client in its era's form), and the frame is not parked meanwhile: this thread could
 * not run another frame while it waits.
 */
import { MessageChannel, parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ErrorCode, McpoolError, fromWire } from '../src/errors/mcpool-error.js';
import type { BlockingAnswer, BlockingAsk, ChannelMessage } from '../src/wire/protocol.js';

let channel: { port: MessagePort; flag: Int32Array } | undefined;
let nextId = 1;

function open(): { port: MessagePort; flag: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const message: ChannelMessage = { mcpool: 'blocking-channel', port: port2, flag: flag.buffer };
  parentPort?.postMessage(message, [port2]);
  // Answers are read with receiveMessageOnPort only: the port needs no listener and must not keep the thread alive.
  port1.unref();
  channel = { port: port1, flag };
  return channel;
}

/**
 * Asks the caller of a call (frame id and index) and blocks until the answer; throws the engine
 * error (`TRANSPORT_ERROR` with `data.reason` when no one can answer, or after `timeoutMs`).
 */
export function askManagerClientBlocking(frameId: number, index: number, method: string, params: unknown, timeoutMs?: number): Record<string, unknown> {
  const { port, flag } = channel ?? open();
  const id = nextId++;
  Atomics.store(flag, 0, 0);
  const ask: BlockingAsk = { id, frameId, index, method, params };
  port.postMessage(ask);
  const until = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    const left = until - performance.now();
    if (left <= 0 || Atomics.wait(flag, 0, 0, left === Infinity ? undefined : left) === 'timed-out') {
      const cancel: BlockingAsk = { cancel: id };
      port.postMessage(cancel);
      throw new McpoolError(ErrorCode.TRANSPORT_ERROR, `${method} got no answer within ${timeoutMs} ms`, { data: { reason: 'timeout' } });
    }
    // Cleared before reading, so an answer posted after the read sets it again and wakes the wait.
    Atomics.store(flag, 0, 0);
    for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
      const answer = received.message as BlockingAnswer;
      // An answer to a request given up on (timed out) is dropped.
      if (answer.id !== id) continue;
      if (!answer.outcome.ok) throw fromWire(answer.outcome.error);
      return answer.outcome.result as Record<string, unknown>;
    }
  }
}
