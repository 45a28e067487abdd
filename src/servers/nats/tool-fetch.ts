/**
 * @module servers/nats/tool-fetch
 * How a caller's `nats` actor learns its server's tools: any node of the queue group answers
 * the control subject. Nodes may start after the caller, so it asks again until one answers;
 * the manager's `connectionTimeoutMs` bounds the wait, and a shutdown ends it.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import type { Tool } from '../../wire/mcp-types.js';
import { decode, encode } from './wire.js';

/** Pause between attempts to fetch the tools while no node serves the server yet. */
const TOOLS_RETRY_MS = 200;

/** What a node answers to `['tools']`: the tools, and the node's id and name. */
export type ToolsAnswer = [tools: Tool[], nodeId: string, nodeName: string];

/**
 * Asks on `control` until a node answers. `missed` hears each failed attempt (the actor keeps
 * it as its last error); once `closing` says so, rejects `SHUTTING_DOWN`.
 */
export async function fetchTools(nc: NatsConnection, control: string, server: string, closing: () => boolean, missed: (error: unknown) => void): Promise<ToolsAnswer> {
  const request = encode(['tools']);
  for (;;) {
    if (closing()) throw new McpoolError(ErrorCode.SHUTTING_DOWN, `server "${server}" was shut down while starting`, { server });
    try {
      const reply = await nc.request(control, request, { timeout: 2_000 });
      return decode(reply.data) as ToolsAnswer;
    } catch (error) {
      missed(error);
    }
    await new Promise((resolve) => setTimeout(resolve, TOOLS_RETRY_MS));
  }
}
