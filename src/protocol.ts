/**
 * @module protocol
 * The messages between a worker actor (main thread) and its server threads. Internal: both
 * sides import it, nothing outside mcpool does.
 */
import type { Encoded } from './codec.js';
import type { MessagePort } from 'node:worker_threads';
import type { Tool } from './types.js';

/** Kinds of piscina task a server thread runs. */
export const TaskKind = { frame: 0, describe: 1, ping: 2 } as const;

/** Runs the calls of one frame; resolves with the results not already streamed. */
export interface FrameTask {
  k: typeof TaskKind.frame;
  /** Frame slot: its row in the shared progress table. */
  s: number;
  /** Frame id, unique per server: addresses streamed results, progress and cancellations. */
  f: number;
  /** Calls, flat: see `CALL_STRIDE`. */
  c: Encoded;
}

/** Asks a thread for the server's name, version and tools. */
export interface DescribeTask {
  k: typeof TaskKind.describe;
}

/** A liveness probe: a thread answers `true`. */
export interface PingTask {
  k: typeof TaskKind.ping;
}

export type ServerTask = FrameTask | DescribeTask | PingTask;

/** What a describe task answers. */
export interface ServerDescription {
  name: string;
  version: string;
  description?: string;
  tools: Tool[];
}

/** Data every server thread starts with (piscina `workerData`). */
export interface ThreadData {
  /** URL of the server module. */
  moduleUrl: string;
  /** Deployed name of the server, for error messages. */
  serverName: string;
  /** Progress table: per slot, `[running call index + 1, calls started]`. */
  progress: SharedArrayBuffer;
  /** Name of the BroadcastChannel on which the manager sends cancellations. */
  cancelChannel: string;
}

/** Int32 fields per slot in the progress table. */
export const PROGRESS_STRIDE = 2;

/** A message a thread posts to the pool outside of task results. */
export type ThreadMessage =
  /** Results streamed before the frame's task ends. */
  | { mcpool: 'results'; f: number; r: Uint8Array }
  /** The thread's end of its callback channel (comlink). */
  | { mcpool: 'channel'; port: MessagePort };

/** A cancellation sent on the cancel channel: frame id and call index. */
export interface CancelMessage {
  f: number;
  i: number;
  reason: 'timeout' | 'aborted' | 'shutdown';
}

/** The manager's side of a thread's callback channel, called through comlink. */
export interface ManagerCallbacks {
  progress(frameId: number, index: number, progress: number, total?: number, message?: string): void;
  log(frameId: number, index: number, level: string, data: unknown): void;
  callTool(server: string, tool: string, args: unknown): Promise<CallToolOutcome>;
}

/** A nested `callTool` outcome: results pass as values, engine errors as their wire form. */
export type CallToolOutcome = { ok: true; result: unknown } | { ok: false; error: [string, string, unknown] };
