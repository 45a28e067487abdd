/**
 * @module servers/worker/thread-session
 * The pieces of a worker server's frame path: a session (one thread's long-lived piscina task
 * and the port frames travel on) and a frame (calls sent to a thread as one message).
 */
import type { MessagePort } from 'node:worker_threads';
import { AbortHandle } from '../../engine/abort-handle.js';
import { ChurnSet } from '../../engine/churn.js';
import type { Call } from '../../engine/call.js';
import type { SessionMessage } from '../../wire/protocol.js';
import type { SessionRings } from './session-rings.js';

/** A group of calls sent to a thread as one message. */
export class Frame {
  /** The running call this actor stopped (its thread was terminated on purpose). */
  stopped: Call | undefined = undefined;
  /** Calls of the frame waiting for their caller to answer a request (`ctx.elicit`, ...). */
  asking = 0;
  /** Every unfinished call of the frame is waiting for its caller: it does not hold its thread. */
  parked = false;

  constructor(
    readonly id: number,
    readonly slot: number,
    readonly calls: Call[],
    readonly session: ThreadSession,
  ) {}
}

/** One thread's session: its port, its shared rings (unless disabled) and the frames it holds. */
export class ThreadSession {
  /** piscina's abort signal for the session's task: aborting it terminates the thread. */
  readonly abort = new AbortHandle();
  /** The frames the thread holds, oldest first (a `ChurnSet`: one entry per frame). */
  readonly frames = new ChurnSet<Frame>();
  /**
   * Frames of `frames` that are parked (every unfinished call waits for its caller, which may
   * take minutes): they do not count against the frames a thread holds, so the thread takes more.
   */
  parked = 0;
  /** `[message counter, thread waits to be woken]`: see `wakeThread`. */
  readonly wake = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  alive = true;
  /**
   * The scaling gives this thread back once its frames are done: it takes no new frames, and its
   * session closes when the last one is released (calls in it are still stopped as usual).
   */
  draining = false;
  /** The shared-memory path (`session-rings`); undefined: everything takes the port. */
  rings: SessionRings | undefined = undefined;
  /** The thread's busy time so far (ms), as it publishes it (`workers/busy-clock`). */
  readonly busy = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  /** Busy time at the last sample; -1 until the thread's first figure (its start-up is not load). */
  #sampledBusy = -1;

  constructor(readonly port: MessagePort) {}

  /** Busy time (ms) since the last call; the first figure the thread publishes only sets the base. */
  sampleBusy(): number {
    const busy = this.busy[0]!;
    if (this.#sampledBusy < 0) {
      if (busy > 0) this.#sampledBusy = busy;
      return 0;
    }
    const delta = busy - this.#sampledBusy;
    this.#sampledBusy = busy;
    return Math.max(0, delta);
  }

  /** The session takes new frames: alive and not draining. */
  get open(): boolean {
    return this.alive && !this.draining;
  }

  /** Frames that occupy the thread (held and not parked): what dispatching counts. */
  get depth(): number {
    return this.frames.size - this.parked;
  }

  /** Posts a message on the port and wakes the thread. */
  post(message: SessionMessage): void {
    this.port.postMessage(message);
    this.wakeThread();
  }

  /**
   * Wakes the thread if it waits (blocked, or awaiting in its event loop), after a message or a
   * ring record for it. The counter is bumped before the flag is read, so a thread that blocks
   * after the read sees the new count and does not wait: the (costly) notify is only paid when
   * the thread really sleeps. Every waiter is woken: a thread can hold a blocking and an async
   * wait on the counter at once.
   */
  wakeThread(): void {
    Atomics.add(this.wake, 0, 1);
    if (Atomics.load(this.wake, 1) === 1) Atomics.notify(this.wake, 0);
  }
}
