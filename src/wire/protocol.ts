/**
 * @module wire/protocol
 * The messages between a worker actor (main thread) and its server threads. Internal: both
 * sides import it, nothing outside mcpool does.
 */
import type { Encoded } from './codec.js';
import type { MessagePort } from 'node:worker_threads';
import type { Tool } from './mcp-types.js';
import type { WireError } from '../errors/mcpool-error.js';

/** Kinds of piscina task a server thread runs. */
export const TaskKind = { session: 0, describe: 1 } as const;

/**
 * Opens a session: the thread serves frames over `port` until the port closes. The task stays
 * running for the session's whole life, so piscina keeps one session per thread and rejects
 * the task if the thread dies or is terminated.
 */
export interface SessionTask {
  k: typeof TaskKind.session;
  port: MessagePort;
  /** `[message counter, blocked flag]` (Int32): the manager bumps the counter after each message and notifies a blocked thread. */
  wake: SharedArrayBuffer;
  /** `[calls ring, results ring]` (see `frame-ring`); absent: frames and replies take the port. */
  rings?: [calls: SharedArrayBuffer, results: SharedArrayBuffer];
  /** One Float64: the thread's busy time so far (ms), which the manager samples to size the pool. */
  busy: SharedArrayBuffer;
}

/** Asks a thread for the server's name, version and tools. */
export interface DescribeTask {
  k: typeof TaskKind.describe;
}

export type ServerTask = SessionTask | DescribeTask;

/** Kinds of message the manager sends on a session port. */
export const SessionMessageKind = { frame: 0, cancel: 1, ping: 2, close: 3 } as const;

/** Runs the calls of one frame. */
export interface FrameMessage {
  k: typeof SessionMessageKind.frame;
  /** Frame slot: its row in the shared progress table. */
  s: number;
  /** Frame id, unique per server: addresses results, progress and cancellations. */
  f: number;
  /** Calls, flat: see `CALL_STRIDE`. (From a ring: decoded already, or its bytes if they could not be.) */
  c: Encoded;
}

/** Cancels one call of a frame (timeout, caller abort): fires its `ctx.signal`. */
export interface CancelMessage {
  k: typeof SessionMessageKind.cancel;
  f: number;
  i: number;
  reason: 'timeout' | 'aborted' | 'shutdown';
}

/** A liveness probe: the thread answers `{ pong: id }`. */
export interface PingMessage {
  k: typeof SessionMessageKind.ping;
  id: number;
}

/** Ends the session: the thread closes the port and its session task returns. */
export interface CloseMessage {
  k: typeof SessionMessageKind.close;
}

export type SessionMessage = FrameMessage | CancelMessage | PingMessage | CloseMessage;

/**
 * What a thread sends on a session port: results of frame `f` (packed, see codec), with
 * `d: 1` and the frame's running time `t` (ms) on the last message of the frame; or the
 * answer to a ping.
 */
export type SessionReply =
  | { f: number; r: Encoded; d?: 1; t?: number; unreadable?: undefined }
  | { pong: number }
  /** Frame `f` could not be read (a broken frame); none of its calls ran. */
  | { f: number; unreadable: string }
  /** `ctx.progress` of call `[frame id, index]`. */
  | { progress: [frameId: number, index: number, progress: number, total: number | undefined, message: string | undefined] }
  /** `ctx.log` of call `[frame id, index]`. */
  | { log: [frameId: number, index: number, level: string, data: unknown] }
  /** A server notification sent by a running call (a WebAssembly plugin's `notify_*_list_changed`). */
  | { notify: [method: ServerNotificationMethod, params: Record<string, unknown>] };

/** Methods of the notifications a thread may send for its server. */
export type ServerNotificationMethod =
  | 'notifications/resources/updated'
  | 'notifications/resources/list_changed'
  | 'notifications/prompts/list_changed'
  | 'notifications/tools/list_changed';

/** What a describe task answers. */
export interface ServerDescription {
  name: string;
  version: string;
  description?: string;
  tools: Tool[];
  /**
   * MCP methods beyond tools the server answers (a WebAssembly plugin's prompts, resources and
   * completion exports), in order: method `i` runs as the call of index `tools.length + i`, on
   * the same frame path as the tools.
   */
  requests?: PluginRequestMethod[];
}

/** The MCP methods a WebAssembly plugin may answer besides tools (hyper-mcp v2's optional exports). */
export type PluginRequestMethod = 'prompts/list' | 'prompts/get' | 'resources/list' | 'resources/templates/list' | 'resources/read' | 'completion/complete';

/** Data every server thread starts with (piscina `workerData`). */
export interface ThreadData {
  /** URL of the server module. */
  moduleUrl: string;
  /** Deployed name of the server, for error messages. */
  serverName: string;
  /** Progress table: per slot, `[running call index + 1, calls started]`. */
  progress: SharedArrayBuffer;
  /**
   * The main thread's `performance.timeOrigin`: call deadlines travel as whole milliseconds of
   * the main thread's clock (see `CALL_STRIDE`), which the thread turns into its own.
   */
  mainTimeOrigin: number;
  /** Set for a WebAssembly server: what its plugin may reach (`moduleUrl` is the `.wasm` file). */
  wasm?: WasmThreadOptions;
}

/** What a WebAssembly server's threads need beyond the module (see the `wasm` server config). */
export interface WasmThreadOptions {
  /** Cap on the plugin's linear memory (and on the host memory it allocates per call), in MB. */
  memoryLimitMb: number | undefined;
  /** Host name globs the plugin's HTTP requests may reach; none when empty. */
  allowedHosts: string[];
  /** Plugin directory -> host directory (WASI preopens); none when empty. */
  preopens: Record<string, string>;
  /** What the plugin reads with `config_get` (`${env:...}` already expanded). */
  config: Record<string, string>;
}

/** Int32 fields per slot in the progress table. */
export const PROGRESS_STRIDE = 2;

/**
 * A message a thread posts to the pool: its end of the callback channel (when it starts), or of
 * its blocking channel (`blocking-channel`, on first use: a WebAssembly plugin's host functions
 * are synchronous, so the thread blocks on `flag` until the manager has posted the answer).
 */
export type ChannelMessage = { mcpool: 'channel'; port: MessagePort } | { mcpool: 'blocking-channel'; port: MessagePort; flag: SharedArrayBuffer };

/** A request to a call's caller on the blocking channel; `cancel` withdraws request `id`. */
export type BlockingAsk = { id: number; frameId: number; index: number; method: string; params: unknown; cancel?: undefined } | { cancel: number; id?: undefined };

/** The manager's answer on the blocking channel to request `id`. */
export interface BlockingAnswer {
  id: number;
  outcome: CallToolOutcome;
}

/**
 * The manager's side of a thread's callback channel, called through comlink: the callbacks
 * that need an answer. (Progress and logs need none and must arrive before the call's result,
 * so they travel on the session port with the results.)
 */
export interface ManagerCallbacks {
  callTool(server: string, tool: string, args: unknown): Promise<CallToolOutcome>;
  /**
   * A tool's request to whoever called it (`ctx.elicit`, `ctx.createMessage`, `ctx.listRoots`):
   * the call is named by its frame id and index in the frame.
   */
  askClient(frameId: number, index: number, method: string, params: unknown, key: string | undefined, beforeTask?: boolean): Promise<CallToolOutcome>;
}

/** A nested `callTool` outcome: results pass as values, engine errors as their wire form. */
export type CallToolOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };
