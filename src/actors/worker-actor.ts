/**
 * @module actors/worker-actor
 * A worker server: one piscina pool of threads owned by this server alone, and the frame path
 * that carries its calls.
 *
 * Calls that arrive in the same turn of the event loop are packed into one frame, one piscina
 * task; a burst is split so that every thread gets work, and at most `FRAMES_PER_THREAD` frames
 * per thread are in flight, so while all threads are busy new calls wait and the next frame
 * grows. A lone call goes at once. When a frame ends, the next frame is sent before the results
 * of the last one are answered, so threads never wait on the main thread's callbacks.
 *
 * A timeout or abort of a call that is running synchronously stops its thread (piscina
 * terminates it); the thread's other calls that had not started are sent again. The shared
 * progress table tells which call of a frame was running when its thread died.
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { Call, CallState } from '../call.js';
import { CALL_STRIDE, RESULT_STRIDE, decodeFrame, encodeCalls } from '../codec.js';
import { expose, nodeEndpoint } from '../comlink.js';
import { ErrorCode, McpoolError, fromWire, messageOf, type WireError } from '../errors.js';
import { crashedError, shuttingDownError, timeoutError } from '../failures.js';
import { Deque } from '../deque.js';
import type { WorkerServerConfig } from '../options.js';
import {
  PROGRESS_STRIDE,
  TaskKind,
  type CallToolOutcome,
  type CancelMessage,
  type ManagerCallbacks,
  type ServerDescription,
  type ThreadData,
  type ThreadMessage,
} from '../protocol.js';
import type { CallToolResult, LogLevel, Tool } from '../types.js';
import type { ActorHost, ServerActor, ServerState } from './actor.js';

/** Frames in flight per thread: one running and one waiting, so a thread never idles between frames. */
const FRAMES_PER_THREAD = 2;
/** The largest frame; bigger bursts are split. */
const MAX_FRAME_CALLS = 256;
/** Times a call is sent again after threads died under it before it fails `WORKER_CRASHED`. */
const MAX_RESENDS = 2;

const workerEntry = new URL('../../workers/server-actor.js', import.meta.url);

/**
 * The abort handle piscina gets for a frame: piscina accepts any object with `aborted` and
 * `addEventListener`, so no AbortController is made per frame.
 */
class FrameAbort {
  aborted = false;
  reason: unknown = undefined;
  #listener: (() => void) | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    this.#listener = listener;
  }

  removeEventListener(): void {
    this.#listener = undefined;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.#listener?.();
  }
}

/** A group of calls sent to a thread as one task. */
class Frame {
  readonly abort = new FrameAbort();
  /** Results not yet received. */
  remaining: number;
  /** The running call this actor stopped (its thread was terminated on purpose). */
  stopped: Call | undefined = undefined;
  /** The frame's task ended; results streamed before its end may still be on their way. */
  taskDone = false;

  constructor(
    readonly id: number,
    readonly slot: number,
    readonly calls: Call[],
  ) {
    this.remaining = calls.length;
  }
}

/** A worker server's actor. */
export class WorkerActor implements ServerActor {
  readonly id = randomUUID();
  readonly type = 'worker' as const;
  readonly name: string;
  state: ServerState = 'starting';
  restarts = 0;
  lastError: string | undefined;
  readonly capacity: number;

  readonly #host: ActorHost;
  readonly #moduleUrl: string;
  readonly #pool: Piscina;
  readonly #maxThreads: number;
  readonly #pending = new Deque<Call>();
  readonly #frames = new Map<number, Frame>();
  readonly #freeSlots: number[] = [];
  readonly #progressTable: Int32Array;
  readonly #cancels: BroadcastChannel;
  readonly #channels: MessagePort[] = [];
  readonly #callbacks: ManagerCallbacks;
  #description: ServerDescription | undefined;
  #toolIndex = new Map<string, number>();
  #nextFrameId = 1;
  #flushScheduled = false;
  #closing = false;
  #drained: (() => void) | undefined;
  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.#dispatch();
  };

  constructor(config: WorkerServerConfig, host: ActorHost) {
    this.name = config.name;
    this.#host = host;
    this.#moduleUrl = config.moduleUrl;
    const threads = config.threads;
    const minThreads = typeof threads === 'number' ? threads : threads.min;
    this.#maxThreads = typeof threads === 'number' ? threads : threads.max;
    this.capacity = this.#maxThreads + (config.maxQueue ?? Infinity);

    const slots = this.#maxThreads * FRAMES_PER_THREAD;
    for (let slot = slots - 1; slot >= 0; slot--) this.#freeSlots.push(slot);
    const progress = new SharedArrayBuffer(slots * PROGRESS_STRIDE * Int32Array.BYTES_PER_ELEMENT);
    this.#progressTable = new Int32Array(progress);
    const cancelChannel = `mcpool:cancel:${this.id}`;
    this.#cancels = new BroadcastChannel(cancelChannel);
    this.#cancels.unref();
    this.#callbacks = this.#makeCallbacks();

    const workerData: ThreadData = { moduleUrl: config.moduleUrl, serverName: config.name, progress, cancelChannel };
    this.#pool = new Piscina({
      filename: workerEntry.href,
      minThreads,
      maxThreads: this.#maxThreads,
      concurrentTasksPerWorker: FRAMES_PER_THREAD,
      recordTiming: false,
      workerData,
      ...(config.memoryLimitMb === undefined
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: config.memoryLimitMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, config.memoryLimitMb / 8)) } }),
    });
    this.#pool.on('message', (message: ThreadMessage) => this.#onThreadMessage(message));
    // A thread that dies between tasks is reported here; calls are handled by their task's rejection.
    this.#pool.on('error', (error: unknown) => {
      this.lastError = messageOf(error);
    });
  }

  get threads(): number {
    return this.#pool.threads.length;
  }

  get queued(): number {
    return this.#pending.size;
  }

  async start(): Promise<void> {
    try {
      this.#description = (await this.#pool.run({ k: TaskKind.describe })) as ServerDescription;
    } catch (error) {
      this.state = 'stopped';
      await this.#pool.destroy();
      this.#closeChannels();
      throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" (module ${this.#moduleUrl}) failed to start: ${messageOf(error)}`, {
        server: this.name,
        cause: error,
      });
    }
    this.#description.tools.forEach((tool, index) => this.#toolIndex.set(tool.name, index));
    this.state = 'healthy';
  }

  listTools(): Tool[] {
    return this.#description?.tools ?? [];
  }

  toolIndex(name: string): number {
    return this.#toolIndex.get(name) ?? -1;
  }

  submit(call: Call): void {
    this.#pending.push(call);
    if (!this.#flushScheduled && this.#freeSlots.length > 0) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  stop(call: Call, error: McpoolError): void {
    const frame = call.frame as Frame | undefined;
    const now = performance.now();
    if (frame === undefined) {
      // Still in this actor's queue: answering it is enough, dispatch skips answered calls.
      this.#host.settle(call, undefined, error, now);
      return;
    }
    const base = frame.slot * PROGRESS_STRIDE;
    if (this.#progressTable[base] === call.index + 1 && frame.stopped === undefined) {
      // The call is running synchronously and holds its thread: only stopping the thread stops it.
      frame.stopped = call;
      this.#host.settle(call, undefined, error, now);
      frame.abort.abort();
      return;
    }
    this.#host.settle(call, undefined, error, now);
    const reason = error.code === ErrorCode.TIMEOUT ? 'timeout' : error.code === ErrorCode.ABORTED ? 'aborted' : 'shutdown';
    const cancel: CancelMessage = { f: frame.id, i: call.index, reason };
    this.#cancels.postMessage(cancel);
  }

  expireOverdue(now: number): number {
    let next = Infinity;
    const visit = (call: Call): void => {
      if (call.state === CallState.settled) return;
      if (call.deadline <= now) this.stop(call, timeoutError(this.name, call.tool));
      else if (call.deadline < next) next = call.deadline;
    };
    this.#pending.forEach(visit);
    for (const frame of this.#frames.values()) frame.calls.forEach(visit);
    return next;
  }

  async ping(): Promise<void> {
    await this.#pool.run({ k: TaskKind.ping });
  }

  async shutdown(): Promise<void> {
    this.#closing = true;
    this.state = 'stopped';
    const now = performance.now();
    for (const call of this.#pending.drain()) {
      this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool), now);
    }
    if (this.#frames.size > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
    }
    await this.#pool.destroy();
    this.#closeChannels();
  }

  #closeChannels(): void {
    this.#cancels.close();
    for (const port of this.#channels) port.close();
    this.#channels.length = 0;
  }

  /** Sends pending calls in frames while there are free frame slots. */
  #dispatch(): void {
    const pending = this.#pending;
    while (pending.size > 0 && this.#freeSlots.length > 0) {
      // Split a burst evenly over the free slots, so every thread gets work.
      const size = Math.min(MAX_FRAME_CALLS, Math.ceil(pending.size / this.#freeSlots.length));
      const calls: Call[] = [];
      while (calls.length < size && pending.size > 0) {
        const call = pending.shift()!;
        if (call.state !== CallState.settled) calls.push(call);
      }
      if (calls.length > 0) this.#send(calls);
    }
  }

  #send(calls: Call[]): void {
    const slot = this.#freeSlots.pop()!;
    const frame = new Frame(this.#nextFrameId++, slot, calls);
    const base = slot * PROGRESS_STRIDE;
    this.#progressTable[base] = 0;
    this.#progressTable[base + 1] = 0;
    const flat = new Array<unknown>(calls.length * CALL_STRIDE);
    const timeOrigin = performance.timeOrigin;
    for (let i = 0, j = 0; i < calls.length; i++, j += CALL_STRIDE) {
      const call = calls[i]!;
      call.frame = frame;
      call.index = i;
      flat[j] = call.toolIndex;
      flat[j + 1] = call.args;
      flat[j + 2] = call.deadline === Infinity ? 0 : timeOrigin + call.deadline;
    }
    this.#frames.set(frame.id, frame);
    this.#pool.run({ k: TaskKind.frame, s: slot, f: frame.id, c: encodeCalls(flat, calls.length) }, { signal: frame.abort }).then(
      (results: Uint8Array) => this.#onFrameDone(frame, results),
      (error: unknown) => this.#onFrameFailed(frame, error),
    );
  }

  #onThreadMessage(message: ThreadMessage): void {
    if (message.mcpool === 'results') {
      const frame = this.#frames.get(message.f);
      // A frame whose thread died ignores results that were still on their way: its calls were sent again.
      if (frame === undefined) return;
      this.#receive(frame, decodeFrame(message.r), performance.now());
      if (frame.taskDone && frame.remaining === 0) this.#forget(frame);
    } else if (message.mcpool === 'channel') {
      expose(this.#callbacks, nodeEndpoint(message.port));
      message.port.unref();
      this.#channels.push(message.port);
    }
  }

  #onFrameDone(frame: Frame, packed: Uint8Array): void {
    const results = decodeFrame(packed);
    const now = performance.now();
    frame.taskDone = true;
    this.#freeSlots.push(frame.slot);
    // Send the thread its next frame before answering the last one's calls.
    this.#dispatch();
    this.#receive(frame, results, now);
    // Results streamed earlier travel on another port and may arrive after the task's end.
    if (frame.remaining === 0) this.#forget(frame);
  }

  /** Answers the calls of a results frame. */
  #receive(frame: Frame, results: unknown[], now: number): void {
    const calls = frame.calls;
    const host = this.#host;
    for (let i = 0; i < results.length; i += RESULT_STRIDE) {
      const index = results[i] as number;
      frame.remaining--;
      if (index >= 0) {
        host.settle(calls[index]!, results[i + 1] as CallToolResult, undefined, now);
      } else {
        const call = calls[-index - 1]!;
        if (call.state !== CallState.settled) host.settle(call, undefined, fromWire(results[i + 1] as WireError, this.name, call.tool), now);
      }
    }
  }

  #forget(frame: Frame): void {
    this.#frames.delete(frame.id);
    if (this.#closing && this.#frames.size === 0) this.#drained?.();
  }

  /** A frame's thread died or was stopped: answer the call that killed it, send the others again. */
  #onFrameFailed(frame: Frame, error: unknown): void {
    const base = frame.slot * PROGRESS_STRIDE;
    const running = this.#progressTable[base]! - 1;
    const started = this.#progressTable[base + 1]!;
    this.#freeSlots.push(frame.slot);
    this.#forget(frame);
    this.restarts++;
    const stopped = frame.stopped;
    const culprit = stopped ?? frame.calls[running];
    if (stopped === undefined) this.lastError = messageOf(error);
    const now = performance.now();
    const resend: Call[] = [];
    frame.calls.forEach((call, index) => {
      if (call.state === CallState.settled) return;
      const diedRunning = call === culprit || (stopped === undefined && culprit === undefined && index < started);
      if (diedRunning || call.resends >= MAX_RESENDS) {
        this.#host.settle(call, undefined, crashedError(this.name, call.tool, error), now);
      } else {
        call.resends++;
        call.frame = undefined;
        resend.push(call);
      }
    });
    // Calls sent again go first: they were admitted before anything still pending.
    for (let i = resend.length - 1; i >= 0; i--) this.#pending.unshift(resend[i]!);
    if (this.#closing) {
      for (const call of this.#pending.drain()) this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool), now);
    }
    this.#dispatch();
  }

  #callFor(frameId: number, index: number): Call | undefined {
    const call = this.#frames.get(frameId)?.calls[index];
    return call && call.state !== CallState.settled ? call : undefined;
  }

  #makeCallbacks(): ManagerCallbacks {
    return {
      progress: (frameId, index, progress, total, message) => {
        const call = this.#callFor(frameId, index);
        if (call) this.#host.progress(call, { progress, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) });
      },
      log: (frameId, index, level, data) => {
        const tool = this.#frames.get(frameId)?.calls[index]?.tool;
        this.#host.log({ server: this.name, ...(tool === undefined ? {} : { tool }), level: level as LogLevel, data });
      },
      callTool: async (server, tool, args): Promise<CallToolOutcome> => {
        try {
          return { ok: true, result: await this.#host.callTool(server, tool, args) };
        } catch (error) {
          const wire = error instanceof McpoolError ? error.toJSON() : { code: ErrorCode.TRANSPORT_ERROR, message: messageOf(error) };
          return { ok: false, error: [wire.code, wire.message, 'data' in wire ? wire.data : undefined] };
        }
      },
    };
  }
}
