/**
 * @module workers/server-actor
 * The server actor inside each thread of a worker server's piscina pool.
 *
 * It loads the server module once per thread. The manager then opens one session per thread (a
 * piscina task that lasts as long as the thread serves) and sends frames of calls over the
 * session's port: the thread decodes each frame, validates each call's arguments with the
 * tool's zod schema, runs the handler with its context, and sends the results back on the same
 * port. Results of calls that finish early are sent at once (a slow call must not hold back
 * finished ones); the last message of a frame is marked done.
 *
 * Before running a call it writes the call's index into the shared progress table, so that if
 * this thread dies or is stopped, the manager knows which call was running and which never
 * started (those are sent again on another thread).
 */
import { MessageChannel, parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { CALL_STRIDE, RESULT_STRIDE, decodeFrame, pack } from '../src/codec.js';
import { nodeEndpoint, wrap } from '../src/comlink.js';
import { ErrorCode, fromWire, messageOf, type WireError } from '../src/errors.js';
import {
  PROGRESS_STRIDE,
  SessionMessageKind,
  TaskKind,
  type CancelMessage,
  type FrameMessage,
  type ManagerCallbacks,
  type ServerTask,
  type SessionMessage,
  type SessionReply,
  type ThreadData,
} from '../src/protocol.js';
import { isStructuredValue, toCallToolResult, toToolError } from '../src/result.js';
import type { CallToolResult, LogLevel } from '../src/types.js';
import { loadServerModule, type LoadedServer, type LoadedTool } from './load-server.js';

/** Results whose JSON is this large travel by structured clone instead of MessagePack. */
const CLONE_ABOVE_BYTES = 64 * 1024;
/** Results that finish this long after the last send are streamed at once. */
const STREAM_AFTER_MS = 1;

const data = workerData as ThreadData;
const progressTable = new Int32Array(data.progress);
// A module that fails to load does not kill the thread: every task answers with the load error,
// so deployServer can report it (naming the module and the cause) instead of waiting for a
// thread that never becomes ready.
const loaded = await loadServerModule(data.moduleUrl, data.serverName).then(
  (server) => ({ server, error: undefined }),
  (error: unknown) => ({ server: undefined, error }),
);

// One callback channel per thread, opened once: progress, logs and nested tool calls go to the
// manager over it, so no channel is created per call.
const channel = new MessageChannel();
parentPort?.postMessage({ mcpool: 'channel', port: channel.port2 }, [channel.port2]);
const manager = wrap<ManagerCallbacks>(nodeEndpoint(channel.port1));
channel.port1.unref();

/** Abort controllers of running calls whose handler asked for `ctx.signal`, by call key. */
const controllers = new Map<number, AbortController>();
/** Calls cancelled by the manager before they started, by call key. */
const cancelledBeforeStart = new Set<number>();

/** Fires the signal of a running call, or marks a call not started yet so it never starts. */
function cancel({ f, i, reason }: CancelMessage): void {
  const key = callKey(f, i);
  const controller = controllers.get(key);
  if (controller) controller.abort(new Error(`call ${reason === 'timeout' ? 'timed out' : reason}`));
  else cancelledBeforeStart.add(key);
}

/** Calls a frame may hold in a call key (frames hold at most a few hundred). */
const KEY_CALLS_PER_FRAME = 0x100000;

/** A key naming one call of one frame. */
function callKey(frameId: number, index: number): number {
  return frameId * KEY_CALLS_PER_FRAME + index;
}

/** The `ctx` a handler gets; the abort signal is made only if the handler asks for it. */
class CallContext {
  readonly #run: FrameRun;
  readonly #index: number;

  constructor(run: FrameRun, index: number) {
    this.#run = run;
    this.#index = index;
  }

  get signal(): AbortSignal {
    const key = callKey(this.#run.frameId, this.#index);
    let controller = controllers.get(key);
    if (!controller) {
      controller = new AbortController();
      controllers.set(key, controller);
    }
    return controller.signal;
  }

  // Progress and logs travel on the session port, like results, so they reach the manager
  // before the result of the call that sent them.
  progress(progress: number, total?: number, message?: string): void {
    const reply: SessionReply = { progress: [this.#run.frameId, this.#index, progress, total, message] };
    this.#run.port.postMessage(reply);
  }

  log(level: LogLevel, data: unknown): void {
    const reply: SessionReply = { log: [this.#run.frameId, this.#index, level, data] };
    try {
      this.#run.port.postMessage(reply);
    } catch (error) {
      reply.log[3] = `(log data that cannot be sent: ${messageOf(error)})`;
      this.#run.port.postMessage(reply);
    }
  }

  async callTool(serverName: string, tool: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    const outcome = await manager.callTool(serverName, tool, args);
    if (!outcome.ok) throw fromWire(outcome.error as WireError, serverName, tool);
    return outcome.result as CallToolResult;
  }
}

/** The state of one frame while its calls run on this thread. */
class FrameRun {
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
    readonly session: Session,
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
    if (cancelledBeforeStart.size > 0) forgetCancellations(this.frameId);
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

/** Records what a handler returned, checking it against the tool's output schema. */
function settle(run: FrameRun, index: number, tool: LoadedTool, value: unknown): void {
  if (tool.outputSchema) {
    const structured = isResultWithStructuredContent(value) ? value.structuredContent : value;
    const checked = tool.outputSchema.safeParse(structured);
    if (!checked.success) {
      run.fail(index, ErrorCode.INVALID_RESULT, `tool "${tool.name}" returned a value that fails its output schema`, checked.error.issues);
      return;
    }
  }
  try {
    // A structured value travels bare with its JSON; the manager builds the result around them.
    if (isStructuredValue(value)) run.succeedStructured(index, value, JSON.stringify(value));
    else run.succeed(index, toCallToolResult(value));
  } catch (error) {
    // JSON.stringify throws on a BigInt or a cycle.
    run.fail(index, ErrorCode.INVALID_RESULT, `tool "${tool.name}" returned a value that cannot be encoded: ${messageOf(error)}`);
  }
}

function isResultWithStructuredContent(value: unknown): value is { structuredContent: unknown } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content);
}

/** Runs one call; a handler that returns a promise is left running. */
function runCall(run: FrameRun, index: number, tool: LoadedTool, args: unknown): void {
  const parsed = tool.inputSchema.safeParse(args ?? {});
  if (!parsed.success) {
    run.fail(index, ErrorCode.INVALID_ARGUMENTS, `invalid arguments for tool "${tool.name}": ${parsed.error.issues.map(describeIssue).join('; ')}`, parsed.error.issues);
    return;
  }
  let value: unknown;
  try {
    value = tool.handler(parsed.data, new CallContext(run, index));
  } catch (error) {
    run.succeed(index, toToolError(error));
    return;
  }
  if (!isThenable(value)) {
    settle(run, index, tool, value);
    return;
  }
  run.pending++;
  value.then(
    (resolved) => afterAsync(run, index, () => settle(run, index, tool, resolved)),
    (error: unknown) => afterAsync(run, index, () => run.succeed(index, toToolError(error))),
  );
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Records the end of an async call: the last one ends the frame, others stream soon. */
function afterAsync(run: FrameRun, index: number, record: () => void): void {
  controllers.delete(callKey(run.frameId, index));
  record();
  run.pending--;
  if (run.pending === 0 && run.started) {
    run.end();
    run.session.frameEnded();
    return;
  }
  if (!run.streamScheduled) {
    // Results that finish in the same turn share one message.
    run.streamScheduled = true;
    setImmediate(() => {
      run.streamScheduled = false;
      if (run.pending > 0) run.stream();
    });
  }
}

/** Drops cancellations of calls that never arrived before their frame ended. */
function forgetCancellations(frameId: number): void {
  for (const key of cancelledBeforeStart) if (Math.floor(key / KEY_CALLS_PER_FRAME) === frameId) cancelledBeforeStart.delete(key);
}

/** Runs a frame's calls; true when all finished synchronously, else the session hears of the end. */
function runFrame(server: LoadedServer, frame: FrameMessage, port: MessagePort, session: Session): boolean {
  const calls = decodeFrame(frame.c);
  if (!Array.isArray(calls)) throw new TypeError(`a frame must hold an array of calls, not ${typeof calls}`);
  const base = frame.s * PROGRESS_STRIDE;
  const frameId = frame.f;
  const run = new FrameRun(frameId, port, session);
  const tools = server.tools;
  // One clock read per call serves both the deadline check and the decision to stream results.
  const timeOrigin = performance.timeOrigin;
  let now = run.startedAt;
  for (let i = 0, index = 0; i < calls.length; i += CALL_STRIDE, index++) {
    progressTable[base + 1] = index + 1;
    const deadline = calls[i + 2] as number;
    if (deadline !== 0 && timeOrigin + now >= deadline) {
      run.fail(index, ErrorCode.TIMEOUT, 'the call timed out before it started');
      continue;
    }
    if (cancelledBeforeStart.size > 0 && cancelledBeforeStart.delete(callKey(frameId, index))) {
      run.fail(index, ErrorCode.ABORTED, 'the call was cancelled before it started');
      continue;
    }
    const tool = tools[calls[i] as number];
    if (tool === undefined) {
      run.fail(index, ErrorCode.TOOL_NOT_FOUND, `no tool with index ${String(calls[i])}`);
      continue;
    }
    progressTable[base] = index + 1;
    runCall(run, index, tool, calls[i + 1]);
    progressTable[base] = 0;
    now = performance.now();
    if (now - run.lastSend >= STREAM_AFTER_MS) run.stream(now);
  }
  run.started = true;
  if (run.pending === 0) {
    run.end();
    return true;
  }
  run.stream();
  return false;
}

/**
 * Serves frames on a session port until the manager closes it.
 *
 * While no call is running, the thread blocks in `Atomics.wait` on the session's wake-up
 * counter and reads messages with `receiveMessageOnPort`: a futex wake-up is much quicker than
 * waking an event loop, which is what a lone call's latency is made of (piscina does the same
 * between tasks). While an async handler is pending the thread stays in its event loop, so its
 * timers, I/O and callbacks run, and messages arrive as events.
 */
class Session {
  readonly #server: LoadedServer;
  readonly #port: MessagePort;
  readonly #wake: Int32Array;
  #seen = 0;
  #open = true;
  /** Frames whose calls have not all finished. */
  #active = 0;
  readonly ended: Promise<void>;
  #end!: () => void;

  constructor(server: LoadedServer, port: MessagePort, wake: SharedArrayBuffer) {
    this.#server = server;
    this.#port = port;
    this.#wake = new Int32Array(wake);
    this.ended = new Promise<void>((resolve) => {
      this.#end = resolve;
    });
    port.on('message', (message: SessionMessage) => this.#handle(message));
    port.on('close', () => this.#close());
  }

  /** Blocks for messages while idle; returns to the event loop when a call is pending or the session ended. */
  serveWhileIdle(): void {
    while (this.#open && this.#active === 0) {
      // Flag the wait first: the manager only notifies a thread that says it sleeps.
      Atomics.store(this.#wake, 1, 1);
      Atomics.wait(this.#wake, 0, this.#seen);
      Atomics.store(this.#wake, 1, 0);
      this.#seen = Atomics.load(this.#wake, 0);
      for (let entry = receiveMessageOnPort(this.#port); entry !== undefined && this.#open; entry = receiveMessageOnPort(this.#port)) {
        this.#handle(entry.message as SessionMessage);
      }
    }
  }

  /** A frame ended; if nothing else runs, go back to blocking. */
  frameEnded(): void {
    this.#active--;
    // Leave the event loop's current callback first, so the frame's last message is flushed.
    if (this.#active === 0) setImmediate(() => this.serveWhileIdle());
  }

  #handle(message: SessionMessage): void {
    switch (message.k) {
      case SessionMessageKind.frame:
        this.#active++;
        try {
          if (runFrame(this.#server, message, this.#port, this)) this.#active--;
        } catch (error) {
          // Only a frame that cannot be read gets here (each call's own failures are caught):
          // say so for the whole frame, and keep serving.
          this.#active--;
          const reply: SessionReply = { f: message.f, unreadable: messageOf(error) };
          this.#port.postMessage(reply);
        }
        break;
      case SessionMessageKind.cancel:
        cancel(message);
        break;
      case SessionMessageKind.ping: {
        const reply: SessionReply = { pong: message.id };
        this.#port.postMessage(reply);
        break;
      }
      case SessionMessageKind.close:
        this.#close();
        break;
    }
  }

  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#port.close();
    this.#end();
  }
}

/** Serves a session; the task ends when the manager closes it. */
function runSession(server: LoadedServer, port: MessagePort, wake: SharedArrayBuffer): Promise<void> {
  const session = new Session(server, port, wake);
  session.serveWhileIdle();
  return session.ended;
}

/** The piscina task entry: a session serving frames, or a describe request. */
export default function runTask(task: ServerTask): unknown {
  const server = loaded.server;
  if (server === undefined) throw loaded.error;
  switch (task.k) {
    case TaskKind.session:
      return runSession(server, task.port, task.wake);
    case TaskKind.describe:
      return server.description;
  }
}
