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
