/**
 * @module workers/frame-run
 * One frame's results while its calls run on a thread: collected flat (see `RESULT_STRIDE`),
 * streamed ahead of the frame's end when calls finish late, and sent by structured clone or
 * MessagePack, whichever is cheaper for their size.
 */
import type { MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { RESULT_STRIDE, pack } from '../src/wire/codec.js';
import { ErrorCode, messageOf } from '../src/errors/mcpool-error.js';
import type { SessionReply } from '../src/wire/protocol.js';
import type { CallToolResult } from '../src/wire/mcp-types.js';
import { forgetCancellations } from './cancellation.js';

/** Results whose JSON is this large travel by structured clone instead of MessagePack. */
const CLONE_ABOVE_BYTES = 64 * 1024;

/** What a frame's run tells the session that gave it the frame. */
export interface FrameOwner {
  /** Every call of the frame has finished. */
  frameEnded(): void;
}

/** The state of one frame while its calls run on this thread. */
export class FrameRun {
  /** Results not sent yet, flat: see `RESULT_STRIDE`. */
  results: unknown[] = [];
  /** Size of the JSON of the structured results not sent yet: tells large results. */
  textBytes = 0;
  /** Calls whose handler returned a promise that has not settled. */
  pending = 0;
  /** The synchronous pass over the frame's calls is over. */
  started = false;
  readonly startedAt = performance.now();
  lastSend = this.startedAt;
  streamScheduled = false;

  constructor(
    readonly frameId: number,
    readonly port: MessagePort,
    readonly session: FrameOwner,
    /** The frame's row in the shared progress table. */
    readonly slot: number,
    readonly progressTable: Int32Array,
  ) {}

  succeed(index: number, result: CallToolResult): void {
    this.results.push(index, result, 0);
    for (const block of result.content) if (typeof block.text === 'string') this.textBytes += block.text.length;
  }

  /** A structured result: its `structuredContent` and that value's JSON. */
  succeedStructured(index: number, structured: Record<string, unknown>, json: string): void {
    this.results.push(index, structured, json);
    this.textBytes += json.length;
  }

  fail(index: number, code: ErrorCode, message: string, errorData?: unknown): void {
    this.results.push(-index - 1, errorData === undefined ? [code, message] : [code, message, errorData], 0);
  }

  /** Sends the unsent results now, ahead of the frame's end. */
  stream(now = performance.now()): void {
    if (this.results.length === 0) return;
    this.#send({ f: this.frameId, r: EMPTY }, now);
  }

  /** Sends the last results of the frame, marked done. */
  end(): void {
    const now = performance.now();
    this.#send({ f: this.frameId, r: EMPTY, d: 1, t: now - this.startedAt }, now);
    forgetCancellations(this.frameId);
  }

  /**
   * Sends the unsent results in `reply`. Large results (by their JSON size) travel by structured
   * clone, which copies big strings natively, several times faster than packing them; the rest
   * are packed. A packed buffer that is large is transferred, not copied.
   */
  #send(reply: SessionReply & { r: unknown }, now: number): void {
    const results = this.results;
    const large = this.textBytes >= CLONE_ABOVE_BYTES;
    this.results = [];
    this.textBytes = 0;
    this.lastSend = now;
    if (large) {
      try {
        reply.r = results;
        this.port.postMessage(reply);
        return;
      } catch {
        // Something in the results cannot be cloned: pack them, which isolates the culprit.
      }
    }
    const packed = packResults(results);
    reply.r = packed;
    if (packed.byteLength >= CLONE_ABOVE_BYTES) this.port.postMessage(reply, [packed.buffer as ArrayBuffer]);
    else this.port.postMessage(reply);
  }
}

const EMPTY: unknown[] = [];

/**
 * Packs results; if one cannot be encoded, it alone becomes `INVALID_RESULT`. The fallback
 * packs each result on its own, so the common case pays nothing for it.
 */
function packResults(results: unknown[]): Uint8Array {
  try {
    return pack(results);
  } catch {
    for (let i = 0; i < results.length; i += RESULT_STRIDE) {
      try {
        pack(results[i + 1]);
      } catch (error) {
        const index = results[i] as number;
        results[i] = index < 0 ? index : -index - 1;
        results[i + 1] = [ErrorCode.INVALID_RESULT, `the result cannot be encoded: ${messageOf(error)}`];
        results[i + 2] = 0;
      }
    }
    return pack(results);
  }
}
