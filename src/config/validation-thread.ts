/**
 * @module config/validation-thread
 * The thread that validates configs for the main thread (config/validate): it alone loads zod
 * and the schemas, answers each request on its port, and exits after `idleMs` without one, so
 * a long-running gateway's main thread never holds zod (about 6 MB of RSS). Protocol: the main
 * thread sets the shared state word to `PENDING` and posts a request; this thread posts the
 * reply, then sets `ANSWERED` and wakes it. It leaves only from `IDLE` (compare-and-swap to
 * `CLOSED`), so a request is never posted to a thread that is leaving.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { ErrorCode, McpoolError, messageOf, type WireError } from '../errors/mcpool-error.js';
import { ValidationState, type ValidationReply, type ValidationRequest } from './validation-protocol.js';

const { port, state, idleMs } = workerData as { port: MessagePort; state: Int32Array; idleMs: number };

/** Sets the state word and wakes the main thread. */
function settle(to: ValidationState): void {
  Atomics.store(state, 0, to);
  Atomics.notify(state, 0);
}

// A thread that dies (a load error) says so: the main thread is blocked waiting for it.
process.on('exit', () => settle(ValidationState.CLOSED));

const [schemas, configFile] = await Promise.all([import('./schemas.js'), import('./config-file.js')]);

/** Runs one request; a thrown error becomes the reply's error. */
function run(request: ValidationRequest): unknown {
  switch (request.op) {
    case 'manager':
      return schemas.resolveManagerOptions(request.input);
    case 'worker':
      return schemas.resolveWorkerConfig(request.input);
    case 'stdio': {
      const config = schemas.resolveStdioConfig(request.input);
      return { config, resilience: schemas.resilienceOf(config) };
    }
    case 'http': {
      const config = schemas.resolveHttpConfig(request.input);
      return { config, resilience: schemas.resilienceOf(config) };
    }
    case 'nats': {
      const config = schemas.resolveNatsConfig(request.input);
      return { config, resilience: schemas.resilienceOf(config) };
    }
    case 'config-file':
      return configFile.parseConfig(request.raw, request.baseDir, request.path, request.env);
  }
}

function replyTo(request: ValidationRequest): ValidationReply {
  try {
    return { ok: true, value: run(request) };
  } catch (error) {
    const wire: WireError = error instanceof McpoolError ? [error.code, error.message, error.data] : [ErrorCode.INVALID_CONFIG, messageOf(error)];
    return { ok: false, error: wire };
  }
}

let idle: NodeJS.Timeout | undefined;
/** Leaves after `idleMs` without a request, unless one is being posted right now. */
function leaveWhenIdle(): void {
  clearTimeout(idle);
  idle = setTimeout(() => {
    if (Atomics.compareExchange(state, 0, ValidationState.IDLE, ValidationState.CLOSED) === ValidationState.IDLE) port.close();
    else leaveWhenIdle();
  }, idleMs);
}

port.on('message', (request: ValidationRequest) => {
  const reply = replyTo(request);
  try {
    port.postMessage(reply);
  } catch {
    // An error's data that cannot be cloned (a value the config held) is left out, not the error.
    port.postMessage(reply.ok ? { ok: false, error: [ErrorCode.INVALID_CONFIG, 'the resolved config cannot cross threads'] } : { ok: false, error: reply.error.slice(0, 2) });
  }
  settle(ValidationState.ANSWERED);
  leaveWhenIdle();
});
leaveWhenIdle();
