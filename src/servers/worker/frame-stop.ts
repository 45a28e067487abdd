/**
 * @module servers/worker/frame-stop
 * How a worker server stops one call of a frame early (timeout, caller abort, shutdown), once
 * the call has been answered. A call that runs synchronously holds its thread, so only stopping
 * the thread stops it; a thread that never started its oldest frame is stuck outside any call
 * and is replaced; any other call is cancelled with a message, and its thread goes on.
 */
import type { Call } from '../../engine/call.js';
import { ErrorCode, type McpoolError } from '../../errors/mcpool-error.js';
import { SessionMessageKind, type CancelMessage } from '../../wire/protocol.js';
import type { FrameSlots } from './frame-slots.js';
import type { Frame } from './thread-session.js';

/** What `stopInFrame` needs of its actor: the name for messages, and where the last failure goes. */
export interface StoppingActor {
  readonly name: string;
  lastError: string | undefined;
}

/**
 * Stops `call`, already answered with `error`, in the live `frame` that carries it. Aborting a
 * session terminates its thread; the frame's calls that had not started are sent again when
 * the session ends (`frame-salvage`).
 */
export function stopInFrame(actor: StoppingActor, frame: Frame, call: Call, error: McpoolError, slots: FrameSlots): void {
  if (slots.running(frame.slot) === call.index && frame.stopped === undefined) {
    // The call is running synchronously and holds its thread: only stopping the thread stops it.
    frame.stopped = call;
    frame.session.abort.abort();
    return;
  }
  const oldest = frame.session.frames.first();
  if (oldest === frame && slots.started(frame.slot) === 0) {
    // The thread never started its oldest frame: it is stuck outside any call (a tool left it
    // looping). Replace it; the frame's other calls are sent again.
    actor.lastError = `a thread of server "${actor.name}" stopped taking calls and was replaced`;
    frame.session.abort.abort();
    return;
  }
  const reason = error.code === ErrorCode.TIMEOUT ? 'timeout' : error.code === ErrorCode.ABORTED ? 'aborted' : 'shutdown';
  const cancel: CancelMessage = { k: SessionMessageKind.cancel, f: frame.id, i: call.index, reason };
  frame.session.post(cancel);
}
