/**
 * @module workers/manager-channel
 * A thread's callback channel to the manager, for the callbacks that need an answer (a nested
 * `ctx.callTool`, a request to the caller). It is opened once per thread, so no channel is made per call; progress and
 * logs do not use it (they travel on the session port, ahead of the call's result).
 */
import { MessageChannel, parentPort } from 'node:worker_threads';
import { nodeEndpoint, wrap, type Remote } from '../src/wire/comlink.js';
import { fromWire } from '../src/errors/mcpool-error.js';
import type { ManagerCallbacks } from '../src/wire/protocol.js';
import type { CallToolResult } from '../src/wire/mcp-types.js';
import type { AskOptions } from '../src/api/define-server.js';

let manager: Remote<ManagerCallbacks> | undefined;

/** Opens the channel and sends its other end to the manager (through the pool's `message` event). */
export function openManagerChannel(): void {
  const channel = new MessageChannel();
  parentPort?.postMessage({ mcpool: 'channel', port: channel.port2 }, [channel.port2]);
  manager = wrap<ManagerCallbacks>(nodeEndpoint(channel.port1));
  // An idle channel must not keep the thread alive.
  channel.port1.unref();
}

/** Asks the caller of a call (frame id and index) through the manager; rejects with the engine error. */
export async function askManagerClient(frameId: number, index: number, method: string, params: unknown, options: AskOptions | undefined): Promise<Record<string, unknown>> {
  const outcome = await manager!.askClient(frameId, index, method, params, options?.key, options?.beforeTask);
  if (!outcome.ok) throw fromWire(outcome.error);
  return outcome.result as Record<string, unknown>;
}

/** Calls a tool through the manager; engine errors keep their code. */
export async function callManagerTool(serverName: string, tool: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const outcome = await manager!.callTool(serverName, tool, args);
  if (!outcome.ok) throw fromWire(outcome.error, serverName, tool);
  return outcome.result as CallToolResult;
}
