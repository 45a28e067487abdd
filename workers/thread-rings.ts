/**
 * @module workers/thread-rings
 * A server thread's side of its session's shared-memory path (formats and the choice of path in
 * `src/wire/frame-ring`): calls frames read in place from the calls ring, and replies written
 * to the results ring in the order they happen. A reply that takes the port (progress, a log, a
 * pong, a large result) is followed by a record saying so, so the main thread reads it in order.
 */
import type { MessagePort, Transferable } from 'node:worker_threads';
import { unpackRange } from '../src/wire/codec.js';
import { CALLS_HEADER, REPLY_HEADER, RING_RECORD_MAX, ReplyKind } from '../src/wire/frame-ring.js';
import { SessionMessageKind, type FrameMessage, type SessionReply } from '../src/wire/protocol.js';
import { Ring } from '../src/wire/ring.js';

/** Something to block on for a moment while the main thread frees room in a full ring. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** A session's two rings, as its thread uses them. */
export class ThreadRings {
  readonly #calls: Ring;
  readonly #results: Ring;
  readonly #callsView: DataView;
  readonly #resultsView: DataView;
  readonly #port: MessagePort;

  constructor(calls: SharedArrayBuffer, results: SharedArrayBuffer, port: MessagePort) {
    this.#calls = new Ring(calls);
    this.#results = new Ring(results);
    this.#callsView = new DataView(calls, this.#calls.data.byteOffset);
    this.#resultsView = new DataView(results, this.#results.data.byteOffset);
    this.#port = port;
  }

  /**
   * The next calls frame in the ring, decoded, or undefined when there is none. A frame that
   * cannot be decoded comes back with its bytes, whose decoding fails again where the session
   * reports a frame unreadable.
   */
  nextFrame(): FrameMessage | undefined {
    const ring = this.#calls;
    const at = ring.peek();
    if (at < 0) return undefined;
    const view = this.#callsView;
    const s = view.getInt32(at, true);
    const f = view.getInt32(at + 4, true);
    let c: unknown[] | Uint8Array;
    try {
      c = unpackRange(ring.data, at + CALLS_HEADER, at + ring.peekLength) as unknown[];
    } catch {
      c = ring.data.slice(at + CALLS_HEADER, at + ring.peekLength);
    }
    ring.skip();
    return { k: SessionMessageKind.frame, s, f, c };
  }

  /**
   * Writes packed results (`packed`, valid until the next pack) as the next reply; false when
   * they are too large for the ring (the caller sends them on the port with {@link post}).
   */
  results(frameId: number, packed: Uint8Array, done: boolean, frameMs: number): boolean {
    const length = REPLY_HEADER + packed.length;
    if (length > RING_RECORD_MAX) return false;
    const at = this.#reserve(length);
    const view = this.#resultsView;
    view.setInt32(at, done ? ReplyKind.done : ReplyKind.results, true);
    view.setInt32(at + 4, frameId, true);
    view.setFloat64(at + 8, frameMs, true);
    this.#results.data.set(packed, at + REPLY_HEADER);
    this.#results.commit(length);
    this.#results.wake();
    return true;
  }

  /** Sends a reply on the port, in order with the ring's (throws as `postMessage` does). */
  post(reply: SessionReply, transfer?: Transferable[]): void {
    if (transfer === undefined) this.#port.postMessage(reply);
    else this.#port.postMessage(reply, transfer);
    const at = this.#reserve(4);
    this.#resultsView.setInt32(at, ReplyKind.port, true);
    this.#results.commit(4);
    this.#results.wake();
  }

  /** Room for a reply record; while the ring is full, wakes the main thread and waits for it to read. */
  #reserve(length: number): number {
    let at = this.#results.reserve(length);
    while (at < 0) {
      this.#results.wake();
      Atomics.wait(pause, 0, 0, 0.1);
      at = this.#results.reserve(length);
    }
    return at;
  }
}
