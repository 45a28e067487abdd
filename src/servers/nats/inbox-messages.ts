/**
 * @module servers/nats/inbox-messages
 * Reading what nodes send a caller's `nats` actor: a frame's replies and heartbeats on its
 * inbox, an engine error of a node's manager, and the log records on the server's logs subject.
 * A message that cannot be read is dropped (a node of another version, a stray publisher): it
 * must not break the calls of the frames that can.
 */
import type { Msg } from '@nats-io/transport-node';
import type { Call } from '../../engine/call.js';
import { ErrorCode, McpoolError, type McpoolErrorDetails } from '../../errors/mcpool-error.js';
import type { LogRecord } from '../../api/server-types.js';
import type { LogLevel } from '../../wire/mcp-types.js';
import { decode, type NodeReply, type WireLog } from './wire.js';

/** A node's reply or heartbeat, or undefined when the message is not one. */
export function decodeReply(msg: Msg): NodeReply | undefined {
  try {
    const reply = decode(msg.data) as NodeReply;
    return Array.isArray(reply) ? reply : undefined;
  } catch {
    return undefined;
  }
}

/** An engine error from the node's manager, as this caller's (an unknown code is `TRANSPORT_ERROR`). */
export function remoteError(server: string, call: Call, error: { code: string; message: string; data?: unknown }): McpoolError {
  const details: McpoolErrorDetails = { server, tool: call.tool };
  if (error.data !== undefined) details.data = error.data;
  const code = (Object.values(ErrorCode) as string[]).includes(error.code) ? (error.code as ErrorCode) : ErrorCode.TRANSPORT_ERROR;
  return new McpoolError(code, error.message, details);
}

/** A log record a node published for `server`'s tools, or undefined when the message is not one. */
export function logRecordOf(server: string, msg: Msg): LogRecord | undefined {
  let record: WireLog;
  try {
    record = decode(msg.data) as WireLog;
  } catch {
    return undefined;
  }
  if (!Array.isArray(record)) return undefined;
  const [tool, level, data] = record;
  return { server, ...(typeof tool === 'string' ? { tool } : {}), level: level as LogLevel, data };
}
