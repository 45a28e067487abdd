/**
 * @module servers/overdue
 * The watchdog's visit of one actor: every call it holds (queued or in a frame) whose deadline
 * has passed is stopped with `TIMEOUT`, and the nearest deadline still ahead is returned so the
 * manager can re-arm its one timer. Worker and NATS actors hold their calls the same way (a
 * queue plus frames), so they share this walk.
 */
import { CallState, type Call } from '../engine/call.js';
import type { Deque } from '../engine/deque.js';
import { timeoutError } from '../errors/factories.js';
import type { ServerActor } from './actor.js';

/**
 * Stops the overdue calls of `pending` and `frames` through `actor.stop` and returns the next
 * deadline (`Infinity`: none). `frames` is walked as given: pass a copy when `stop` may remove
 * frames from the collection it comes from.
 */
export function expireOverdueCalls(actor: ServerActor, pending: Deque<Call>, frames: Iterable<{ readonly calls: readonly Call[] }>, now: number): number {
  let next = Infinity;
  const visit = (call: Call): void => {
    if (call.state === CallState.settled) return;
    if (call.deadline <= now) actor.stop(call, timeoutError(actor.name, call.tool));
    else if (call.deadline < next) next = call.deadline;
  };
  pending.forEach(visit);
  for (const frame of frames) frame.calls.forEach(visit);
  return next;
}
