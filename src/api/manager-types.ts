/**
 * @module api/manager-types
 * The shapes of the manager's public API: call and batch options, server info and health, and
 * the manager's events.
 */
import type { BatchProgress } from './batch-types.js';
import type { CircuitState, LogRecord, NodeHealth, ServerState, ServerType } from './server-types.js';
import type { ProbeOutcome } from '../resilience/health-probe.js';
import type { ProgressUpdate, ServerNotification, ServerRequestHandler } from '../wire/mcp-types.js';

/** Options of one `executeTool` call. */
export interface ExecuteOptions {
  /** Timeout of this call in ms (0: none). @default the server's timeoutMs, else the manager's defaultTimeoutMs */
  timeoutMs?: number;
  /** Aborting it answers the call with `ABORTED` and stops the handler. */
  signal?: AbortSignal;
  /** Receives the tool's progress notifications. */
  onProgress?: (update: ProgressUpdate) => void;
  /**
   * Receives the log records the tool writes while this call runs (`ctx.log` of a worker tool),
   * besides the manager's `log` event, which still gets every record.
   */
  onLog?: ((record: LogRecord) => void) | undefined;
  /**
   * Answers what an external server asks its client while this call runs (sampling,
   * elicitation). Without one, such a request gets an MCP error. A server request is given to
   * the handler of the call in flight on that server's connection; when calls with different
   * handlers are in flight, MCP does not say which call asked, and the request gets an error.
   */
  onServerRequest?: ServerRequestHandler | undefined;
  /**
   * A W3C `traceparent` (`00-<trace id>-<span id>-<flags>`): with an OpenTelemetry SDK
   * registered, the call's span is its child (the gateway passes the one its client sent).
   */
  traceparent?: string | undefined;
  /**
   * Lets an external server of the 2025-11-25 revision run this call as its own task when the
   * tool's `execution.taskSupport` is `optional` (and the server declares
   * `tasks.requests.tools.call`); a `required` tool's call always runs as the server's task,
   * with or without this. Either way the call resolves with the task's final result (a task
   * that failed or was cancelled by the server rejects); `onStatus` sees the task meanwhile.
   * Other servers ignore it.
   */
  task?: ServerTaskOptions | undefined;
}

/** The statuses of a server's task (MCP 2025-11-25 tasks). */
export type ServerTaskState = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A server's own task as mcpool last read it, with its fields in milliseconds (`ttl` as `ttlMs`, `pollInterval` as `pollIntervalMs`). */
export interface ServerTaskStatus {
  /** The server's id of the task (the gateway never shows it to its clients). */
  serverTaskId: string;
  status: ServerTaskState;
  statusMessage?: string;
  /** ISO-8601, as the server gave them. */
  createdAt: string;
  lastUpdatedAt: string;
  /** How long the server keeps the task from its creation; null: as long as it likes. */
  ttlMs: number | null;
  /** How often the server wants to be polled. */
  pollIntervalMs?: number;
}

/** How a call runs as an external server's own task (see {@link ExecuteOptions.task}). */
export interface ServerTaskOptions {
  /** The `ttl` asked of the server. @default the call's timeout, else an hour */
  ttlMs?: number | undefined;
  /** Receives the server's task each time it is read and has changed. */
  onStatus?: ((task: ServerTaskStatus) => void) | undefined;
}

/** One call of a batch. */
export interface BatchCall {
  server: string;
  tool: string;
  arguments?: Record<string, unknown>;
}

/** Options of `executeBatch`. */
export interface BatchOptions {
  /** Timeout of each call in ms. */
  timeoutMs?: number;
  /** Aborting it answers every unfinished call with `ABORTED`. */
  signal?: AbortSignal;
  /** Called as calls finish (at most once per event-loop turn) and once at the end. */
  onProgress?: (progress: BatchProgress) => void;
}

/** Options of `shutdown` and `shutdownServer`. */
export interface ShutdownOptions {
  /**
   * How long calls already running may take to finish; past it they answer `SHUTTING_DOWN` and
   * their threads are stopped. @default no limit
   */
  timeoutMs?: number;
}

/** A deployed server, as `listServers()` reports it. */
export interface ServerInfo {
  id: string;
  name: string;
  type: ServerType;
  state: ServerState;
  threads: number;
}

/** A server's health, as `getServerHealth()` reports it. */
export interface ServerHealth extends ServerInfo {
  /** Calls sent to the server and not answered. */
  inFlight: number;
  /** Calls waiting: in the manager's queue or in the server's. */
  queued: number;
  calls: number;
  errors: number;
  timeouts: number;
  restarts: number;
  uptimeMs: number;
  circuit: CircuitState;
  lastError?: string;
  /** The outcome of the last health probe (see the server's `healthCheck` option). */
  lastProbe?: ProbeOutcome;
  /** `nats` servers: the live nodes that serve it. */
  nodes?: NodeHealth[];
}

/** Events of the manager. */
export interface McpManagerEvents {
  /** A tool or an external server logged something. */
  log: [record: LogRecord];
  /** An external server said a watched resource changed, or its resources, prompts or tools did. */
  serverNotification: [notification: ServerNotification];
}
