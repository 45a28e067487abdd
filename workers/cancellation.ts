/**
 * @module workers/cancellation
 * The cancellations of one thread's calls: the abort controllers of running calls whose
 * handler asked for `ctx.signal` (made only then), and cancellations of calls that had not
 * started when the manager sent them, so those never start.
 */
import type { CancelMessage } from '../src/wire/protocol.js';

/** Abort controllers of running calls whose handler asked for `ctx.signal`, by call key. */
const controllers = new Map<number, AbortController>();
/** Calls cancelled by the manager before they started, by call key. */
const cancelledBeforeStart = new Set<number>();

/** Calls a frame may hold in a call key (frames hold at most a few hundred). */
const KEY_CALLS_PER_FRAME = 0x100000;

/** A key naming one call of one frame. */
function callKey(frameId: number, index: number): number {
  return frameId * KEY_CALLS_PER_FRAME + index;
}

/** Fires the signal of a running call, or marks a call not started yet so it never starts. */
export function cancel({ f, i, reason }: CancelMessage): void {
  const key = callKey(f, i);
  const controller = controllers.get(key);
  if (controller) controller.abort(new Error(`call ${reason === 'timeout' ? 'timed out' : reason}`));
  else cancelledBeforeStart.add(key);
}

/** The abort signal of a running call, made on first use. */
export function signalOf(frameId: number, index: number): AbortSignal {
  const key = callKey(frameId, index);
  let controller = controllers.get(key);
  if (!controller) {
    controller = new AbortController();
    controllers.set(key, controller);
  }
  return controller.signal;
}

/** Forgets the abort controller of a call that finished. */
export function callFinished(frameId: number, index: number): void {
  controllers.delete(callKey(frameId, index));
}

/** True (once) when a call was cancelled before it started: it must not start. */
export function takeCancelledBeforeStart(frameId: number, index: number): boolean {
  return cancelledBeforeStart.size > 0 && cancelledBeforeStart.delete(callKey(frameId, index));
}

/** Drops cancellations of calls that never arrived before their frame ended. */
export function forgetCancellations(frameId: number): void {
  if (cancelledBeforeStart.size === 0) return;
  for (const key of cancelledBeforeStart) if (Math.floor(key / KEY_CALLS_PER_FRAME) === frameId) cancelledBeforeStart.delete(key);
}
