/**
 * @module servers/worker/frame-dispatch
 * Which threads get the pending calls of a worker server, and in frames of what size, using as
 * few threads as the work needs.
 *
 * Little work (by the measured time per call) goes as one frame to one thread, preferring a
 * busy thread's queue (that thread is awake) to waking an idle one: waking a sleeping thread
 * costs more than a trivial frame, and splitting a small burst over threads halves the frames
 * and doubles the wake-ups (measured: 64 trivial calls in flight ran 3x faster on one thread
 * than spread over two). More work is spread: to idle threads first, then one frame queued
 * behind each busy thread when enough calls wait; otherwise calls wait and the next frame grows.
 */
import { FRAMES_PER_THREAD, QUEUED_FRAME_MIN_CALLS, type FrameSizing } from './frame-sizing.js';
import type { ThreadSession } from './thread-session.js';

/**
 * Sends what `pending()` says waits, by calling `send(session, calls)` for each frame to make
 * (`send` takes the calls off the queue, so `pending()` shrinks as it goes).
 */
export function dispatchPending(sessions: readonly ThreadSession[], sizing: FrameSizing, pending: () => number, send: (session: ThreadSession, calls: number) => void): void {
  if (pending() === 0) return;
  if (sizing.fitsOneThread(pending())) {
    const target = sessions.find((session) => session.open && session.depth === 1) ?? sessions.find((session) => session.open && session.depth === 0);
    if (target) send(target, pending());
    return;
  }
  for (let depth = 0; depth < FRAMES_PER_THREAD && pending() > 0; depth++) {
    if (depth > 0 && pending() < QUEUED_FRAME_MIN_CALLS) return;
    const ready = sessions.filter((session) => session.open && session.depth === depth);
    for (let i = 0; i < ready.length && pending() > 0; i++) {
      // Split what is pending evenly over the threads still to serve at this depth.
      send(ready[i]!, sizing.share(pending(), ready.length - i));
    }
  }
}
