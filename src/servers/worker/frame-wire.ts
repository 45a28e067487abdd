/**
 * @module servers/worker/frame-wire
 * How a worker server's frames cross to a thread and their results come back: the calls of a
 * frame packed into one message, the results of a frame turned into answers, and the rare
 * search for the call whose arguments cannot cross a thread at all.
 */
import { performance } from 'node:perf_hooks';
import { CallState, type Call } from '../../engine/call.js';
import { CALL_STRIDE, PACK_MIN_CALLS, RESULT_STRIDE, encodeCalls } from '../../wire/codec.js';
import { ErrorCode, McpoolError, fromWire, messageOf, type WireError } from '../../errors/mcpool-error.js';
import { structuredResult } from '../../wire/result.js';
import type { CallToolResult } from '../../wire/mcp-types.js';
import type { ActorHost } from '../actor.js';
import type { Frame } from './thread-session.js';

/**
 * Ties each call of `frame` to it and lays the calls out flat (see `CALL_STRIDE`): deadlines
 * travel as whole milliseconds of this thread's clock, rounded up.
 */
export function flattenFrame(frame: Frame): unknown[] {
  const calls = frame.calls;
  const flat = new Array<unknown>(calls.length * CALL_STRIDE);
  for (let i = 0, j = 0; i < calls.length; i++, j += CALL_STRIDE) {
    const call = calls[i]!;
    call.handle = frame;
    call.index = i;
    flat[j] = call.toolIndex;
    flat[j + 1] = call.args;
    flat[j + 2] = call.deadline === Infinity ? 0 : Math.ceil(call.deadline);
  }
  return flat;
}

/** Answers the calls of a results frame (see `RESULT_STRIDE`). */
export function answerResults(host: ActorHost, server: string, frame: Frame, results: unknown[], now: number): void {
  const calls = frame.calls;
  for (let i = 0; i < results.length; i += RESULT_STRIDE) {
    const index = results[i] as number;
    if (index >= 0) {
      const text = results[i + 2];
      const result = typeof text === 'string' ? structuredResult(results[i + 1] as Record<string, unknown>, text) : (results[i + 1] as CallToolResult);
      host.settle(calls[index]!, result, undefined, now);
    } else {
      const call = calls[-index - 1]!;
      if (call.state !== CallState.settled) host.settle(call, undefined, fromWire(results[i + 1] as WireError, server, call.tool), now);
    }
  }
}

/**
 * A frame could not be encoded or posted: some call's arguments cannot cross a thread (a
 * symbol, a function in a small frame). Those calls fail alone with `INVALID_ARGUMENTS`; the
 * others are returned, in order, to be sent again. Only this rare path pays for checking each call.
 */
export function rejectUnsendable(host: ActorHost, server: string, calls: Call[]): Call[] {
  const now = performance.now();
  const retry: Call[] = [];
  for (const call of calls) {
    call.handle = undefined;
    try {
      structuredClone(call.args);
      encodeCalls([call.toolIndex, call.args, 0], PACK_MIN_CALLS);
      retry.push(call);
    } catch (error) {
      const failure = new McpoolError(ErrorCode.INVALID_ARGUMENTS, `the arguments of tool "${call.tool}" cannot be sent to a thread: ${messageOf(error)}`, {
        server,
        tool: call.tool,
      });
      host.settle(call, undefined, failure, now);
    }
  }
  return retry;
}

/** A thread could not read a frame (`reply.unreadable` says why): none of its calls ran, each fails `INVALID_ARGUMENTS`. */
export function rejectUnreadable(host: ActorHost, server: string, frame: Frame, reason: string, now: number): void {
  for (const call of frame.calls) {
    host.settle(call, undefined, new McpoolError(ErrorCode.INVALID_ARGUMENTS, `the thread could not read the frame of this call: ${reason}`, { server, tool: call.tool }), now);
  }
}
