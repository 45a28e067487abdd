/**
 * @module servers/nats/frame-packing
 * Sizes and encodes the caller's frames: how many calls a frame takes (from the time per call
 * the nodes report, so a burst of trivial calls rides few large frames while slow calls spread
 * over the nodes), and the encoding under the NATS server's `max_payload`: a frame too big is
 * split, a single call too big for any message fails alone with `INVALID_ARGUMENTS`, as does a
 * call whose arguments cannot be encoded.
 */
import type { Call } from '../../engine/call.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import { CALL_STRIDE, encode, type WireFrame } from './wire.js';

/** The largest frame; bigger bursts are split. */
const MAX_FRAME_CALLS = 256;
/** Time per call assumed until nodes report one (ms), as for threads: two dozen calls of an unknown tool spread. */
const INITIAL_CALL_MS = 0.25;
/** Frames are cut to about this much work on a node (ms), so slow calls spread over the nodes. */
const TARGET_FRAME_MS = 50;
/** Pending work (ms) below which it all goes as one frame. */
const SPREAD_WORK_MS = 5;

/** The time per call the nodes report, and the frame sizes that follow from it. */
export class NatsFrameSizing {
  #callMs = INITIAL_CALL_MS;
  #cap = MAX_FRAME_CALLS;

  /** Calls for the next frame, with `pending` calls waiting and `free` frame slots. */
  next(pending: number, free: number): number {
    if (pending * this.#callMs < SPREAD_WORK_MS) return Math.min(pending, this.#cap);
    return Math.min(this.#cap, Math.ceil(pending / Math.max(1, free)));
  }

  /** Learns from a frame a node ran in `frameMs` (its wall time there, queueing included). */
  learn(frameMs: number, calls: number): void {
    if (calls === 0 || !(frameMs >= 0)) return;
    this.#callMs = this.#callMs * 0.8 + (frameMs / calls) * 0.2;
    this.#cap = Math.max(1, Math.min(MAX_FRAME_CALLS, Math.floor(TARGET_FRAME_MS / this.#callMs)));
  }
}

/** A frame ready to publish: its calls and bytes. */
export interface PackedFrame {
  calls: Call[];
  bytes: Uint8Array;
}

/**
 * Encodes `calls` as one frame or, past `maxPayload`, as several; calls that cannot travel are
 * passed to `reject` with their error.
 */
export function packFrames(calls: Call[], maxPayload: number, now: number, server: string, reject: (call: Call, error: McpoolError) => void): PackedFrame[] {
  const out: PackedFrame[] = [];
  const pack = (part: Call[]): void => {
    let bytes: Uint8Array | undefined;
    let failure: unknown;
    try {
      bytes = encode(wireFrame(part, now));
    } catch (error) {
      failure = error;
    }
    if (bytes !== undefined && bytes.length <= maxPayload) {
      out.push({ calls: part, bytes });
      return;
    }
    if (part.length > 1) {
      const middle = Math.ceil(part.length / 2);
      pack(part.slice(0, middle));
      pack(part.slice(middle));
      return;
    }
    const call = part[0]!;
    const why =
      bytes === undefined
        ? `its arguments cannot be encoded as MessagePack (${messageOf(failure)})`
        : `its arguments are ${bytes.length} bytes encoded, over the NATS server's max_payload of ${maxPayload} bytes; send less per call or raise max_payload`;
    reject(call, new McpoolError(ErrorCode.INVALID_ARGUMENTS, `the call to tool "${call.tool}" of server "${server}" cannot travel over NATS: ${why}`, { server, tool: call.tool }));
  };
  pack(calls);
  return out;
}

/** The wire form of a frame: the longest time left of its calls (0: none), the calls, who wants progress. */
function wireFrame(calls: Call[], now: number): WireFrame {
  const flat = new Array<unknown>(calls.length * CALL_STRIDE);
  const progress: number[] = [];
  let timeoutMs = 0;
  let unbounded = false;
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]!;
    flat[i * CALL_STRIDE] = call.tool;
    flat[i * CALL_STRIDE + 1] = call.args;
    if (call.onProgress !== undefined) progress.push(i);
    if (call.deadline === Infinity) unbounded = true;
    else timeoutMs = Math.max(timeoutMs, Math.ceil(call.deadline - now));
  }
  return [unbounded ? 0 : Math.max(1, timeoutMs), flat, progress];
}
