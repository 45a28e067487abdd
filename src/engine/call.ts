/**
 * @module engine/call
 * One tool execution as the engine tracks it, from admission to its answer. A call answers
 * either a promise (`executeTool`) or a slot of a batch (`executeBatch`), so a batch of ten
 * thousand calls creates no promise per call.
 */
import type { Span } from '@opentelemetry/api';
import type { McpoolError } from '../errors/mcpool-error.js';
import type { LogRecord } from '../api/server-types.js';
import type { ServerTaskOptions } from '../api/manager-types.js';
import type { CallToolResult, ProgressUpdate, ServerRequestHandler } from '../wire/mcp-types.js';

/** Where a call stands. */
export const CallState = {
  /** Just made: not yet admitted or queued. */
  arriving: 0,
  /** Waiting in the manager's queue for a concurrency slot. */
  waiting: 1,
  /** Admitted: in its server's queue or in a frame. */
  admitted: 2,
  /** Answered; late results for it are ignored. */
  settled: 3,
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

/** Receives the answers of a batch's calls. */
export interface BatchSink {
  settle(index: number, result: CallToolResult | undefined, error: McpoolError | undefined): void;
}

/**
 * What few calls have: a progress callback, a server-request handler, an abort signal, a trace
 * span, a NATS frame, resends. Kept out of {@link Call} itself, so the calls of a batch (which
 * have none of these) are 56 bytes smaller each: allocation is most of a batch's main-thread cost.
 */
class CallExtras {
  resends = 0;
  onProgress: ((update: ProgressUpdate) => void) | undefined = undefined;
  onLog: ((record: LogRecord) => void) | undefined = undefined;
  onServerRequest: ServerRequestHandler | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  span: Span | undefined = undefined;
  remote: object | undefined = undefined;
  task: ServerTaskOptions | undefined = undefined;
}

/**
 * One call. Fields are plain and mutable: this object lives on the hot path. `Target` is what
 * the engine keeps of the call's server (engine/server-entry.ts); actors never read it. The
 * rarely set fields are accessors over a {@link CallExtras} made on the first write.
 */
export class Call<Target = unknown> {
  state: CallState = CallState.arriving;
  /**
   * What carries the call to its server now, owned by its actor and opaque to the engine: a
   * worker server's frame (`index` is the call's place in it) or an external server's request
   * id; undefined while the call waits to be sent.
   */
  handle: unknown = undefined;
  index = -1;
  resolve: ((result: CallToolResult) => void) | undefined = undefined;
  reject: ((error: McpoolError) => void) | undefined = undefined;
  batch: BatchSink | undefined = undefined;
  batchIndex = 0;
  #extras: CallExtras | undefined = undefined;

  constructor(
    /** The server the call goes to, as the engine keeps it. */
    readonly target: Target,
    readonly toolIndex: number,
    readonly tool: string,
    readonly args: unknown,
    /** `performance.now()` at submission. */
    readonly start: number,
    /** `performance.now()` past which the call times out (`Infinity`: never). */
    readonly deadline: number,
  ) {}

  /**
   * The call was answered: drops what points back into the caller's world (its promise's
   * settlers, its progress, log, request and task callbacks, whose closures can hold a whole
   * HTTP request). Whatever still holds the settled call for a while (a frame, a stale queue
   * slot) then keeps a few hundred bytes alive instead: measured on the gateway, a stateless
   * request's callbacks made each settled call keep its request and response objects through
   * young-generation collections, promoting 4.7 KB per call against 0.2 KB for a session's.
   */
  forgetCaller(): void {
    this.resolve = undefined;
    this.reject = undefined;
    const extras = this.#extras;
    if (extras === undefined) return;
    extras.onProgress = undefined;
    extras.onLog = undefined;
    extras.onServerRequest = undefined;
    extras.task = undefined;
  }

  #more(): CallExtras {
    return (this.#extras ??= new CallExtras());
  }

  /** Times the call was sent again after the thread running its frame died. */
  get resends(): number {
    return this.#extras?.resends ?? 0;
  }
  set resends(value: number) {
    this.#more().resends = value;
  }

  get onProgress(): ((update: ProgressUpdate) => void) | undefined {
    return this.#extras?.onProgress;
  }
  set onProgress(value: ((update: ProgressUpdate) => void) | undefined) {
    this.#more().onProgress = value;
  }

  /** Receives the log records the tool writes while the call runs. */
  get onLog(): ((record: LogRecord) => void) | undefined {
    return this.#extras?.onLog;
  }
  set onLog(value: ((record: LogRecord) => void) | undefined) {
    this.#more().onLog = value;
  }

  /** Answers requests an external server sends its client while the call runs. */
  get onServerRequest(): ServerRequestHandler | undefined {
    return this.#extras?.onServerRequest;
  }
  set onServerRequest(value: ServerRequestHandler | undefined) {
    this.#more().onServerRequest = value;
  }

  get signal(): AbortSignal | undefined {
    return this.#extras?.signal;
  }
  set signal(value: AbortSignal | undefined) {
    this.#more().signal = value;
  }

  get onAbort(): (() => void) | undefined {
    return this.#extras?.onAbort;
  }
  set onAbort(value: (() => void) | undefined) {
    this.#more().onAbort = value;
  }

  /** The call's trace span, when an OpenTelemetry SDK is registered (src/engine/tracing.ts). */
  get span(): Span | undefined {
    return this.#extras?.span;
  }
  set span(value: Span | undefined) {
    this.#more().span = value;
  }

  /**
   * The NATS frame carrying the call (`nats` servers), typed loosely so this module needs no
   * import from the server kinds; `index` is its place in it.
   */
  get remote(): object | undefined {
    return this.#extras?.remote;
  }
  set remote(value: object | undefined) {
    this.#more().remote = value;
  }

  /** How the call may run as its external server's own task (`ExecuteOptions.task`). */
  get task(): ServerTaskOptions | undefined {
    return this.#extras?.task;
  }
  set task(value: ServerTaskOptions | undefined) {
    this.#more().task = value;
  }
}
