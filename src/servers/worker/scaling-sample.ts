/**
 * @module servers/worker/scaling-sample
 * One tick of a `threads: { min, max }` pool: the threads' busy time and whether work waits,
 * read from the live sessions and handed to the policy (`thread-scaling`); and the sessions to
 * close when the policy says the pool shrinks.
 */
import { CallState } from '../../engine/call.js';
import type { MainThreadLoad, ThreadScaling } from './thread-scaling.js';
import type { ThreadSession } from './thread-session.js';

/** The thread count the pool should have after this sample, and how many threads are live now. */
export function sampleScaling(
  scaling: ThreadScaling,
  sessions: readonly ThreadSession[],
  queued: number,
  mainLoad: MainThreadLoad,
  now: number,
  elapsedMs: number,
  calls: number,
): { target: number; live: number } {
  let busyMs = 0;
  let live = 0;
  let inFlight = queued;
  for (const session of sessions) {
    if (!session.open) continue;
    live++;
    // Unanswered calls only: a frame's calls may be answered before the frame ends.
    for (const frame of session.frames) for (const call of frame.calls) if (call.state !== CallState.settled) inFlight++;
    busyMs += session.sampleBusy();
  }
    // Work waits when more calls are unanswered than there are threads to run them (a lone caller's
  // next call, queued at the sampling instant while the last one's frame ends, is not waiting).
  return { target: scaling.sample(now, busyMs, elapsedMs, live, inFlight > live, mainLoad.sample(), calls, inFlight > 1), live };
}

/**
 * Sessions to give back, to bring `live` threads down to `target`: idle ones first (newest
 * first), then busy ones, which drain (they take no more frames and close when done).
 */
export function sessionsToClose(sessions: readonly ThreadSession[], live: number, target: number): ThreadSession[] {
  const open = sessions.filter((session) => session.open).reverse();
  const idle = open.filter((session) => session.frames.size === 0);
  const busy = open.filter((session) => session.frames.size > 0);
  return [...idle, ...busy].slice(0, Math.max(0, live - target));
}
