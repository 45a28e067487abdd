/**
 * @module servers/worker/frame-salvage
 * What becomes of a frame's calls when the thread holding it died or was stopped: the call that
 * killed the thread fails `WORKER_CRASHED`, calls that never started are sent again (a few
 * times at most, so a call that kills every thread it lands on cannot loop forever).
 */
import { CallState, type Call } from '../../engine/call.js';
import { crashedError } from '../../errors/factories.js';
import type { ActorHost } from '../actor.js';
import type { FrameSlots } from './frame-slots.js';
import type { Frame } from './thread-session.js';

/** Times a call is sent again after threads died under it before it fails `WORKER_CRASHED`. */
const MAX_RESENDS = 2;

/** Answers the call that killed a frame's thread and collects the calls to send again in `resend`. */
export function salvageFrame(frame: Frame, slots: FrameSlots, error: unknown, host: ActorHost, server: string, resend: Call[], now: number): void {
  const running = slots.running(frame.slot);
  const started = slots.started(frame.slot);
  const stopped = frame.stopped;
  const culprit = stopped ?? frame.calls[running];
  frame.calls.forEach((call, index) => {
    if (call.state === CallState.settled) return;
    // Without a named culprit, the calls that had started (async handlers) died running.
    const diedRunning = call === culprit || (frame.session.abort.aborted === false && culprit === undefined && index < started);
    if (diedRunning || call.resends >= MAX_RESENDS) {
      host.settle(call, undefined, crashedError(server, call.tool, error), now);
    } else {
      call.resends++;
      call.handle = undefined;
      resend.push(call);
    }
  });
}
