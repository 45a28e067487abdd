/**
 * @module gateway/eras/modern-request
 * One request of the stateless era as a transport hands it to the modern path, and the progress
 * and log notifiers of a request's stream.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AbortHandle } from '../../engine/abort-handle.js';
import type { LogLevel, ProgressUpdate } from '../../wire/mcp-types.js';
import type { LogRecord } from '../../api/server-types.js';
import { logNotification, passes } from '../logs.js';
import type { Notify, RpcRequest } from '../messages.js';
import type { ClientScope } from '../clients.js';

/** One modern request as a transport received it. */
export interface ModernRequest {
  request: RpcRequest;
  /** The HTTP headers (none over stdio). */
  headers: IncomingHttpHeaders | undefined;
  /** Where notifications related to the request go (progress); none when the client accepts only JSON. */
  notify: Notify | undefined;
  /** Aborted when the client cancels the request or goes away. */
  cancel: AbortHandle;
  /** Who is asking (the bearer token's client, or the stdio connection): bound into `requestState`. */
  principal: string;
  /** What the bearer token's client may see (`gateway.clients`); none: everything. */
  scope?: ClientScope | undefined;
}

/**
 * The request's stream for the log records its call writes, at or above the request's
 * `_meta` log level; none without one (the stateless era sends no logs unasked).
 */
export function logNotifier(notify: Notify | undefined, level: LogLevel | undefined): ((record: LogRecord) => void) | undefined {
  if (notify === undefined || level === undefined) return undefined;
  return (record) => {
    if (passes(record.level, level)) notify(logNotification(record));
  };
}

/** A progress notification for a progress token. */
export function progressNotifier(notify: Notify | undefined, token: unknown): ((update: ProgressUpdate) => void) | undefined {
  if (notify === undefined || (typeof token !== 'string' && typeof token !== 'number')) return undefined;
  return (update) => notify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, ...update } });
}

