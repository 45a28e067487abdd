/**
 * @module servers/actor
 * The one interface every kind of server actor implements (worker-hosted, stdio, HTTP), and
 * what the manager offers back to actors. The manager owns admission, metrics and answers;
 * an actor only carries admitted calls to its server and reports how each ended.
 */
import type { Call } from '../engine/call.js';
import type { McpoolError } from '../errors/mcpool-error.js';
import type { LogRecord, NodeHealth, ServerState, ServerType } from '../api/server-types.js';
import type { CallToolResult, ProgressUpdate, ServerNotification, Tool } from '../wire/mcp-types.js';

/** What the manager gives every actor. */
export interface ActorHost {
  /** Answers a call with a result or an engine error. Safe to call for a call already answered. */
  settle(call: Call, result: CallToolResult | undefined, error: McpoolError | undefined, now: number): void;
  /** Passes a progress notification of a running call to its caller. */
  progress(call: Call, update: ProgressUpdate): void;
  /** Publishes a log record; `call` is the call that wrote it, when known (its caller gets it too). */
  log(record: LogRecord, call?: Call): void;
  /** Publishes a server's notification about resources, prompts or tools (external servers). */
  notify(notification: ServerNotification): void;
  /** Runs a nested tool call (from inside a tool) through the manager. */
  callTool(server: string, tool: string, args: unknown): Promise<CallToolResult>;
}

/** Executes the calls of one server. */
export interface ServerActor {
  readonly id: string;
  readonly name: string;
  readonly type: ServerType;
  readonly state: ServerState;
  /** Threads (worker servers) or connections (external servers) serving calls now. */
  readonly threads: number;
  /** Admitted calls not yet sent to the server. */
  readonly queued: number;
  /** Times a thread died or a connection or child process was replaced. */
  readonly restarts: number;
  /** The last failure seen, for health reports. */
  readonly lastError: string | undefined;
  /** Calls this actor can hold beyond those running (its `maxQueue` plus one per thread). */
  readonly capacity: number;

  /** Servers on other processes (`nats`): the live nodes that serve it, for health. */
  readonly nodes?: () => NodeHealth[];

  /** Starts the server and learns its tools; rejects with `SERVER_UNAVAILABLE`. */
  start(): Promise<void>;
  /** The server's tools, as MCP `Tool` objects. */
  listTools(): Tool[];
  /** Index of a tool by name, or -1. */
  toolIndex(name: string): number;
  /**
   * MCP methods beyond tools this actor runs as calls (a WebAssembly plugin's prompts, resources
   * and completion), and the call index that runs one (-1: none). Absent: tools only.
   */
  readonly requests?: readonly string[];
  requestIndex?(method: string): number;
  /** Sends an admitted call on its way; its answer comes back through `ActorHost.settle`. */
  submit(call: Call): void;
  /** Ends an admitted call early (timeout, caller abort): answers it with `error` and stops its work. */
  stop(call: Call, error: McpoolError): void;
  /** Stops every call past its deadline; returns the earliest deadline still pending. */
  expireOverdue(now: number): number;
  /** Probes the server (a ping), answering within `timeoutMs`; rejects with an `McpoolError` when it fails. */
  ping(timeoutMs?: number): Promise<void>;
  /** Restarts the server (threads, child process or connection) and clears an `unhealthy` state. */
  restart(): Promise<void>;
  /**
   * Graceful stop: queued calls answer `SHUTTING_DOWN`, calls running finish (for at most
   * `timeoutMs`, after which they answer `SHUTTING_DOWN` and are stopped), then resources go.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}
