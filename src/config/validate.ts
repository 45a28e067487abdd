/**
 * @module config/validate
 * Config validation for the main thread, done in a short-lived thread (config/validation-thread)
 * so zod and the schemas never load here: on an idle `mcpool serve --http` that is about 6 MB
 * of the main thread's RSS, and a long-running gateway validates only at start and on reload.
 *
 * The calls are synchronous, as `new McpManager(options)` must be: the main thread posts the
 * request and blocks in `Atomics.wait` until the reply is in the port. The first call of a
 * burst starts the thread (a thread start and zod's load, tens of ms); later ones take tens of
 * µs. The thread leaves after `IDLE_MS` without a request and never keeps the process alive.
 *
 * Requests must cross threads: a `URL` module becomes its `href`, and a value that cannot be
 * cloned (a function, a class instance) is sent as a marker string, so the schema still rejects
 * it by its path.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ErrorCode, McpoolError, fromWire } from '../errors/mcpool-error.js';
import type { LoadedConfig } from './config-file.js';
import type { HttpServerConfig, NatsServerConfig, ResilienceConfig, ResolvedManagerOptions, StdioServerConfig, WorkerServerConfig } from './schemas.js';
import { ValidationState, type ValidationReply, type ValidationRequest } from './validation-protocol.js';

/** How long the thread waits for another request before it leaves. */
const IDLE_MS = 2_000;
/** How long a request may take, thread start included, before it fails. */
const REPLY_LIMIT_MS = 60_000;

interface ValidationThread {
  port: MessagePort;
  state: Int32Array;
}

let current: ValidationThread | undefined;

function startThread(): ValidationThread {
  const { port1, port2 } = new MessageChannel();
  const state = new Int32Array(new SharedArrayBuffer(4));
  // Not the main thread's execArgv (a user's `--import` preloads have no business here); the
  // condition only names the thread's module resolutions (test/integration/cli-loads).
  const worker = new Worker(new URL('./validation-thread.js', import.meta.url), {
    workerData: { port: port2, state, idleMs: IDLE_MS },
    transferList: [port2],
    execArgv: ['--conditions=mcpool-validation'],
  });
  worker.unref();
  port1.unref();
  return { port: port1, state };
}

/** Posts `request` to a thread that is not leaving, starting one when needed. */
function post(request: ValidationRequest): ValidationThread {
  for (;;) {
    const thread = (current ??= startThread());
    if (Atomics.compareExchange(thread.state, 0, ValidationState.IDLE, ValidationState.PENDING) === ValidationState.IDLE) {
      thread.port.postMessage(request);
      return thread;
    }
    current = undefined;
  }
}

/** Sends a request and blocks until its reply; a thread that died is replaced once. */
function ask(request: ValidationRequest, retried = false): unknown {
  const thread = post(request);
  const waited = Atomics.wait(thread.state, 0, ValidationState.PENDING, REPLY_LIMIT_MS);
  const reply = receiveMessageOnPort(thread.port)?.message as ValidationReply | undefined;
  if (reply === undefined) {
    current = undefined;
    if (waited !== 'timed-out' && !retried) return ask(request, true);
    throw new McpoolError(ErrorCode.INVALID_CONFIG, `the config validation thread ${waited === 'timed-out' ? 'did not answer' : 'stopped'}; the config was not checked`);
  }
  Atomics.store(thread.state, 0, ValidationState.IDLE);
  if (!reply.ok) throw fromWire(reply.error);
  return reply.value;
}

/** A copy of `value` that can cross threads: URLs as their `href`, uncloneable values as markers. */
function cloneable(value: unknown): unknown {
  if (value instanceof URL) return value.href;
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'symbol') return '[symbol]';
  if (Array.isArray(value)) return value.map(cloneable);
  if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return `[${value.constructor?.name ?? 'object'}]`;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneable(item)]));
  }
  return value;
}

/** Validates manager options (`new McpManager`). */
export function resolveManagerOptions(options: unknown): ResolvedManagerOptions {
  return ask({ op: 'manager', input: cloneable(options ?? {}) }) as ResolvedManagerOptions;
}

/** Validates a worker server's config. */
export function resolveWorkerConfig(config: unknown): WorkerServerConfig {
  return ask({ op: 'worker', input: cloneable(config) }) as WorkerServerConfig;
}

/** A validated external or NATS config and its resilience options. */
export interface Resolved<Config> {
  config: Config;
  resilience: ResilienceConfig;
}

/** Validates a stdio server's config. */
export function resolveStdioConfig(config: unknown): Resolved<StdioServerConfig> {
  return ask({ op: 'stdio', input: cloneable(config) }) as Resolved<StdioServerConfig>;
}

/** Validates an HTTP server's config. */
export function resolveHttpConfig(config: unknown): Resolved<HttpServerConfig> {
  return ask({ op: 'http', input: cloneable(config) }) as Resolved<HttpServerConfig>;
}

/** Validates a NATS server's config. */
export function resolveNatsConfig(config: unknown): Resolved<NatsServerConfig> {
  return ask({ op: 'nats', input: cloneable(config) }) as Resolved<NatsServerConfig>;
}

/** Validates a parsed config file (config/config-file `parseConfig`, run in the thread). */
export function parseConfigFile(raw: unknown, baseDir: string, path: string, env: NodeJS.ProcessEnv): LoadedConfig {
  return ask({ op: 'config-file', raw: cloneable(raw), baseDir, path, env: { ...env } }) as LoadedConfig;
}
