/**
 * @module gateway/eras/envelope
 * The per-request `_meta` envelope of the stateless era (MCP 2026-07-28): the protocol version
 * and client capabilities every request carries (required), the client's name and log level
 * (optional), and the keys the gateway writes into results and notifications.
 */
import type { LogLevel } from '../../wire/mcp-types.js';
import { isLogLevel } from '../logs.js';

export const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
export const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
export const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';
export const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';
export const SUBSCRIPTION_ID_KEY = 'io.modelcontextprotocol/subscriptionId';
/** The tasks extension's identifier (in `capabilities.extensions`). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** What one modern request says about its client. */
export interface Envelope {
  version: string;
  capabilities: Record<string, unknown>;
  /** Logs go to the request's stream only at or above this level; none without it. */
  logLevel: LogLevel | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request's `_meta`, when it is an object. */
export function metaOf(params: unknown): Record<string, unknown> | undefined {
  if (!isObject(params)) return undefined;
  const meta = params._meta;
  return isObject(meta) ? meta : undefined;
}

/** Whether the params claim the stateless era (the version key is present, valid or not). */
export function hasEnvelopeClaim(params: unknown): boolean {
  const meta = metaOf(params);
  return meta !== undefined && PROTOCOL_VERSION_KEY in meta;
}

/**
 * Reads the envelope, or says what is wrong with it (a `-32602` in the caller): `_meta`
 * missing, a required key missing or of the wrong type.
 */
export function readEnvelope(params: unknown): Envelope | string {
  const meta = metaOf(params);
  if (meta === undefined) return 'the request has no _meta (every 2026-07-28 request carries one)';
  const version = meta[PROTOCOL_VERSION_KEY];
  if (typeof version !== 'string') return `_meta["${PROTOCOL_VERSION_KEY}"] is ${version === undefined ? 'missing' : 'not a string'}`;
  const capabilities = meta[CLIENT_CAPABILITIES_KEY];
  if (!isObject(capabilities)) return `_meta["${CLIENT_CAPABILITIES_KEY}"] is ${capabilities === undefined ? 'missing' : 'not an object'}`;
  const level = meta[LOG_LEVEL_KEY];
  return { version, capabilities, logLevel: isLogLevel(level) ? level : undefined };
}

/** Whether the client declared the tasks extension on this request. */
export function declaresTasks(capabilities: Record<string, unknown>): boolean {
  const extensions = capabilities.extensions;
  return isObject(extensions) && isObject(extensions[TASKS_EXTENSION]);
}
