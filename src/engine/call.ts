/**
 * @module engine/call
 * One tool execution as the engine tracks it, from admission to its answer. A call answers
 * either a promise (`executeTool`) or a slot of a batch (`executeBatch`), so a batch of ten
 * thousand calls creates no promise per call.
 */
import type { Span } from '@opentelemetry/api';
import type { McpoolError } from '../errors/mcpool-error.js';
import type { LogRecord } from '../api/server-types.js';
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
 * One call. Fields are plain and mutable: this object lives on the hot path. `Target` is what
 * the engine keeps of the call's server (engine/server-entry.ts); actors never read it.
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
  /**
   * The NATS frame carrying the call (`nats` servers), typed loosely so this module needs no
   * import from the server kinds; `index` is its place in it.
   */
  remote: object | undefined = undefined;
  /** Times the call was sent again after the thread running its frame died. */
  resends = 0;
  resolve: ((result: CallToolResult) => void) | undefined = undefined;
  reject: ((error: McpoolError) => void) | undefined = undefined;
  batch: BatchSink | undefined = undefined;
  batchIndex = 0;
  onProgress: ((update: ProgressUpdate) => void) | undefined = undefined;
  /** Receives the log records the tool writes while the call runs. */
  onLog: ((record: LogRecord) => void) | undefined = undefined;
  /** Answers requests an external server sends its client while the call runs. */
  onServerRequest: ServerRequestHandler | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  /** The call's trace span, when an OpenTelemetry SDK is registered (src/engine/tracing.ts). */
  span: Span | undefined = undefined;

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
}
