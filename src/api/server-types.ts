/**
 * @module api/server-types
 * The public vocabulary of a deployed server: its kind, its life-cycle state, its circuit and
 * the log records it emits. Types only, so every layer (engine, servers, gateway) can name them
 * without importing each other.
 */
import type { LogLevel } from '../wire/mcp-types.js';

/** Kinds of server. */
export type ServerType = 'worker' | 'wasm' | 'stdio' | 'http' | 'nats';

/** Life-cycle states of a server, as reported by health. */
export type ServerState = 'starting' | 'healthy' | 'degraded' | 'unhealthy' | 'stopped';

/** States of a server's circuit breaker. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A node serving a `nats` server, as its caller sees it: calls this caller sent it. */
export interface NodeHealth {
  /** The node's instance id (its NATS service id). */
  id: string;
  /** Its name (`mcpool node --name`). */
  name: string;
  /** Calls it accepted and has not answered. */
  inFlight: number;
  /** Calls it answered, and those that ended with an engine error (its death included). */
  calls: number;
  errors: number;
}

/** A log record sent by a tool or an external server. */
export interface LogRecord {
  server: string;
  tool?: string;
  level: LogLevel;
  data: unknown;
}
