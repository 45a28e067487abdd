/**
 * @module servers/worker/frame-sizing
 * The rule that sizes a worker server's frames: how many frames a thread holds, when pending
 * calls go to one thread and when they spread, and how large a frame may grow. Frame sizes
 * follow the measured time per call, so a burst of trivial calls rides one frame while slow,
 * CPU-bound calls spread over every thread instead of queueing behind each other.
 */

/** Frames in flight per thread: one running and one waiting behind it. */
export const FRAMES_PER_THREAD = 2;
/** Pending work (ms, from the measured time per call) below which it all goes to one thread. */
const SPREAD_WORK_MS = 0.5;
/** Time per call assumed until frames are measured: enough that two calls of an unknown tool spread over two threads. */
const INITIAL_CALL_MS = 0.25;
/** Calls that must be waiting before a frame is queued behind a busy thread's running one. */
export const QUEUED_FRAME_MIN_CALLS = 32;
/**
 * The largest frame; bigger bursts are split. A 10k batch of trivial calls takes 12 frames of
 * 1,024 instead of 40 of 256: fewer wake-ups and records (measured on Node 24, same runs: the
 * process's CPU per batch call 1.25-1.49 µs against 1.32-1.98 µs at 256). 1,024 trivial calls
 * and their results stay well under a ring record (`RING_RECORD_MAX`); bigger frames take the port.
 */
const MAX_FRAME_CALLS = 1024;
/**
 * Frames are cut to about this much work (from the measured time per call), so that slow,
 * CPU-bound calls spread over every thread instead of queueing behind each other in one frame.
 */
const TARGET_FRAME_MS = 2;

/** Calls per frame at most for a time per call (ms). */
function capFor(callMs: number): number {
  return Math.max(1, Math.min(MAX_FRAME_CALLS, Math.floor(TARGET_FRAME_MS / callMs)));
}

/** The measured time per call of one server, and the frame sizes that follow from it. */
export class FrameSizing {
  /** Moving average of the time a call takes on a thread (ms). */
  #callMs = INITIAL_CALL_MS;
  /**
   * Calls per frame at most, from `#callMs`. Until a frame is measured it follows the assumed
   * time too (8 calls): starting at the largest frame put a first batch of slow calls into
   * frames of 1,024 (4,000 gzip calls of 17 KB each went as 2 frames of 1,024 and then frames of
   * about 20), fixing which thread runs them before any was measured.
   */
  #cap = capFor(INITIAL_CALL_MS);

  /** True when `pending` calls are little enough work to go as one frame to one thread. */
  fitsOneThread(pending: number): boolean {
    return pending <= this.#cap && pending * this.#callMs < SPREAD_WORK_MS;
  }

  /** The size of the next frame when `pending` calls are split evenly over `threads` threads. */
  share(pending: number, threads: number): number {
    return Math.min(this.#cap, Math.ceil(pending / threads));
  }

  /**
   * Updates the time per call from a finished frame, and the frame size cap from it: a moving
   * average, except that a frame whose calls took under half the estimate sets it outright, so
   * trivial calls reach full frames after their first frame instead of after twenty (a cold
   * first frame runs slower than the next, never faster, so a low figure is not a fluke).
   */
  learn(frameMs: number, calls: number): void {
    const measured = frameMs / calls;
    this.#callMs = measured < this.#callMs / 2 ? measured : this.#callMs * 0.8 + measured * 0.2;
    this.#cap = capFor(this.#callMs);
  }
}
