/**
 * @module servers/worker/frame-slots
 * The slots of a worker server's frames in flight and the progress table shared with its
 * threads. Each frame holds a slot while it is on a thread; the slot's row in the table says
 * which call of the frame runs and how many have started, so when a thread dies the actor
 * knows which call killed it and which never started (those are sent again).
 */
import { PROGRESS_STRIDE } from '../../wire/protocol.js';

/** Free frame slots and the shared progress table, `[running call index + 1, calls started]` per slot. */
export class FrameSlots {
  /** The table's memory, handed to every thread in its `workerData`. */
  readonly buffer: SharedArrayBuffer;
  readonly #table: Int32Array;
  readonly #free: number[] = [];

  constructor(slots: number) {
    for (let slot = slots - 1; slot >= 0; slot--) this.#free.push(slot);
    this.buffer = new SharedArrayBuffer(slots * PROGRESS_STRIDE * Int32Array.BYTES_PER_ELEMENT);
    this.#table = new Int32Array(this.buffer);
  }

  /** Free slots left (parked frames can use up the spare ones). */
  get free(): number {
    return this.#free.length;
  }

  /** Takes a free slot (check `free` first: parked frames may hold the spare ones) and clears its row. */
  take(): number {
    const slot = this.#free.pop()!;
    const base = slot * PROGRESS_STRIDE;
    this.#table[base] = 0;
    this.#table[base + 1] = 0;
    return slot;
  }

  /** Gives a slot back once its frame left its thread. */
  release(slot: number): void {
    this.#free.push(slot);
  }

  /** Index of the call of the slot's frame running synchronously now, or -1. */
  running(slot: number): number {
    return this.#table[slot * PROGRESS_STRIDE]! - 1;
  }

  /** Calls of the slot's frame that the thread has started (or skipped). */
  started(slot: number): number {
    return this.#table[slot * PROGRESS_STRIDE + 1]!;
  }
}
