/**
 * @module gateway/logs
 * Log records of tools and external servers (the manager's `log` events) as MCP
 * `notifications/message`, filtered by each session's `logging/setLevel`.
 */
import type { LogRecord } from '../api/server-types.js';
import type { LogLevel } from '../wire/mcp-types.js';

/** Syslog severities, least severe first (MCP's logging levels). */
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** The level a session starts at. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** True for a valid MCP logging level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** True when a record of `level` passes a session set to `threshold`. */
export function passes(level: LogLevel, threshold: LogLevel): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(threshold);
}

/** The `notifications/message` for a log record; `logger` names the server (and tool). */
export function logNotification(record: LogRecord): { jsonrpc: '2.0'; method: string; params: Record<string, unknown> } {
  const logger = record.tool === undefined ? record.server : `${record.server}/${record.tool}`;
  return { jsonrpc: '2.0', method: 'notifications/message', params: { level: record.level, logger, data: record.data } };
}
