/**
 * @module errors/factories
 * The engine's errors, made in one place so every path words and codes them the same way.
 */
import { ErrorCode, McpoolError, messageOf } from './mcpool-error.js';

export function serverNotFoundError(server: string): McpoolError {
  return new McpoolError(ErrorCode.SERVER_NOT_FOUND, `no server named or with id "${server}"; deploy it first (listServers() shows what is deployed)`, { server });
}

export function toolNotFoundError(server: string, tool: string): McpoolError {
  return new McpoolError(ErrorCode.TOOL_NOT_FOUND, `server "${server}" has no tool "${tool}" (listTools("${server}") shows its tools)`, { server, tool });
}

export function timeoutError(server: string, tool: string, cause?: unknown): McpoolError {
  return new McpoolError(ErrorCode.TIMEOUT, `tool "${tool}" of server "${server}" timed out; raise timeoutMs if it needs longer`, { server, tool, cause });
}

export function abortedError(server: string, tool: string, reason?: unknown): McpoolError {
  return new McpoolError(ErrorCode.ABORTED, `the call to tool "${tool}" of server "${server}" was aborted by its caller`, { server, tool, cause: reason });
}

export function shuttingDownError(server: string | undefined, tool: string | undefined, started = false): McpoolError {
  const what = server === undefined ? 'the manager is shutting down' : `server "${server}" is shutting down`;
  const fate = started ? 'the call did not finish before the shutdown deadline and was stopped' : 'the call was not started';
  return new McpoolError(ErrorCode.SHUTTING_DOWN, `${what}; ${fate}`, { server, tool });
}

export function crashedError(server: string, tool: string, cause: unknown): McpoolError {
  return new McpoolError(ErrorCode.WORKER_CRASHED, `the thread running tool "${tool}" of server "${server}" died: ${messageOf(cause)}`, { server, tool, cause });
}

export function overloadedError(server: string, tool: string, bound: string): McpoolError {
  return new McpoolError(ErrorCode.OVERLOADED, `call to tool "${tool}" of server "${server}" rejected: ${bound} is full; retry later or raise it`, { server, tool, data: { bound } });
}

/** A call refused by a guard of its server: an open circuit, a rate or concurrency limit. */
export function refusedError(server: string, tool: string, refusal: { code: typeof ErrorCode.CIRCUIT_OPEN | typeof ErrorCode.OVERLOADED; bound: string; retryAfterMs: number }): McpoolError {
  const what =
    refusal.code === ErrorCode.CIRCUIT_OPEN
      ? `the circuit breaker of server "${server}" is open after repeated failures; retry in ${refusal.retryAfterMs} ms`
      : `call to tool "${tool}" of server "${server}" rejected: ${refusal.bound} is reached; retry later or raise it`;
  return new McpoolError(refusal.code, what, { server, tool, data: { bound: refusal.bound, retryAfterMs: refusal.retryAfterMs } });
}
