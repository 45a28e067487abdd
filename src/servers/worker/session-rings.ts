/**
 * @module servers/worker/session-rings
 * The main thread's side of a session's shared-memory path (formats and the choice of path in
 * `wire/frame-ring`): calls frames packed straight into the calls ring, and the replies read
 * from the results ring after one `Atomics.waitAsync` per burst, in the order the thread wrote
 * them (a record that says "the next reply is on the port" is answered by reading the port
 * there and then).
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { packView, unpackRange } from '../../wire/codec.js';
import { CALLS_HEADER, REPLY_HEADER, RING_BYTES, RING_RECORD_MAX, ReplyKind } from '../../wire/frame-ring.js';
import type { SessionReply } from '../../wire/protocol.js';
import { Ring } from '../../wire/ring.js';

/**
 * Whether a new worker session uses the shared rings: yes unless `MCPOOL_SHARED_FRAMES=0` (read
 * per session, so a benchmark can compare both paths in one run).
 */
export function sharedFramesEnabled(): boolean {
  return process.env.MCPOOL_SHARED_FRAMES !== '0';
}

/** A session's two rings, as the main thread uses them. */
export class SessionRings {
  readonly calls = Ring.create(RING_BYTES);
  readonly results = Ring.create(RING_BYTES);
  readonly #callsView = new DataView(this.calls.buffer, this.calls.data.byteOffset);
  readonly #resultsView = new DataView(this.results.buffer, this.results.data.byteOffset);
  #listening = false;
  #ended = false;

  constructor(
    readonly port: MessagePort,
    readonly onReply: (reply: SessionReply) => void,
  ) {}

  /**
   * Writes a calls frame into the calls ring: true when written (the caller wakes the thread).
   * Otherwise the frame takes the port: when it was packed but is too large or the ring is full,
   * this returns its packed bytes (msgpackr's reused buffer, valid only until the next pack: copy
   * them at once), so a large frame is not packed a second time for the port; when a value cannot
   * be packed, undefined (the port's clone then decides).
   */
  sendFrame(slot: number, frameId: number, flat: unknown[]): true | Uint8Array | undefined {
    let packed: Uint8Array;
    try {
      packed = packView(flat);
    } catch {
      return undefined;
    }
    const length = CALLS_HEADER + packed.length;
    if (length > RING_RECORD_MAX) return packed;
    const at = this.calls.reserve(length);
    if (at < 0) return packed;
    this.#callsView.setInt32(at, slot, true);
    this.#callsView.setInt32(at + 4, frameId, true);
    this.calls.data.set(packed, at + CALLS_HEADER);
    this.calls.commit(length);
    return true;
  }

  /** Starts reading replies: one wait for the ring's next burst at a time, until {@link end}. */
  listen(): void {
    if (this.#listening || this.#ended) return;
    for (;;) {
      this.drain();
      if (this.#ended) return;
      const waited = this.results.waitAsync();
      if (waited !== undefined) {
        this.#listening = true;
        void waited.then(this.#onDoorbell);
        return;
      }
    }
  }

  readonly #onDoorbell = (): void => {
    this.#listening = false;
    this.results.awake();
    this.listen();
  };

  /** Reads every reply the thread wrote so far, in order, and hands each to `onReply`. */
  drain(): void {
    const ring = this.results;
    const data = ring.data;
    const view = this.#resultsView;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      const length = ring.peekLength;
      const kind = view.getInt32(at, true) as ReplyKind;
      let reply: SessionReply | undefined;
      if (kind === ReplyKind.port) {
        reply = receiveMessageOnPort(this.port)?.message as SessionReply | undefined;
      } else {
        const f = view.getInt32(at + 4, true);
        let r: unknown[] | Uint8Array;
        try {
          r = unpackRange(data, at + REPLY_HEADER, at + length) as unknown[];
        } catch {
          // Undecodable: handed on as bytes, whose decoding fails again where a broken thread is stopped.
          r = data.slice(at + REPLY_HEADER, at + length);
        }
        reply = kind === ReplyKind.done ? { f, r, d: 1, t: view.getFloat64(at + 8, true) } : { f, r };
      }
      // Free the room before answering: answering sends the thread more work, which it may
      // answer into this ring at once.
      ring.skip();
      if (reply !== undefined) this.onReply(reply);
    }
  }

  /**
   * The session ended (its thread is gone): reads what the thread wrote before it went, then any
   * messages left on the port, and stops waiting for more.
   */
  end(): void {
    if (this.#ended) return;
    this.drain();
    this.#ended = true;
    for (let entry = receiveMessageOnPort(this.port); entry !== undefined; entry = receiveMessageOnPort(this.port)) this.onReply(entry.message as SessionReply);
    // Resolve the pending wait, so it does not outlive the session.
    this.results.wakeAll();
  }
}
