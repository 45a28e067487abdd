/**
 * @module config/validation-protocol
 * What the main thread and the validation thread (config/validation-thread) exchange: a request
 * per config to validate, a reply with the resolved value or the `INVALID_CONFIG` error, and the
 * shared state word that lets the main thread wait for the reply synchronously.
 */
import type { WireError } from '../errors/mcpool-error.js';

/** Values of the shared state word (`Int32Array` of one element). */
export const ValidationState = {
  /** No request; the thread may leave. */
  IDLE: 0,
  /** The main thread posted a request and waits. */
  PENDING: 1,
  /** The reply is in the port. */
  ANSWERED: 2,
  /** The thread left (idle, or it died): start another. */
  CLOSED: 3,
} as const;
/** One value of the state word. */
export type ValidationState = (typeof ValidationState)[keyof typeof ValidationState];

/** One thing to validate. */
export type ValidationRequest =
  | { op: 'manager' | 'worker' | 'stdio' | 'http' | 'nats'; input: unknown }
  | { op: 'config-file'; raw: unknown; baseDir: string; path: string; env: Record<string, string | undefined> };

/** The resolved value, or the error. */
export type ValidationReply = { ok: true; value: unknown } | { ok: false; error: WireError };
