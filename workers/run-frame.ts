/**
 * @module workers/run-frame
 * Runs the calls of one frame on this thread: each call's deadline and cancellation are
 * checked, its arguments validated with the tool's zod schema, its handler run with its `ctx`,
 * and what it returned checked against the output schema. Before a call runs, its index goes
 * into the shared progress table, so that if this thread dies the manager knows which call was
 * running and which never started.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { CALL_STRIDE, decodeFrame } from '../src/wire/codec.js';
import { ErrorCode, messageOf } from '../src/errors/mcpool-error.js';
import { PROGRESS_STRIDE, type FrameMessage, type ThreadData } from '../src/wire/protocol.js';
import { isStructuredValue, toCallToolResult, toToolError } from '../src/wire/result.js';
import { CallContext } from './call-context.js';
import { CallFailure } from './call-failure.js';
import { callFinished, takeCancelledBeforeStart } from './cancellation.js';
import { CLONE_ABOVE_BYTES, FrameRun, type FrameOwner } from './frame-run.js';
import type { LoadedServer, LoadedTool } from './load-server.js';

/** Results that finish this long after the last send are streamed at once. */
const STREAM_AFTER_MS = 1;

const progressTable = new Int32Array((workerData as ThreadData).progress);
/** The main thread's clock less this thread's (ms): a deadline on it, in this thread's terms. */
const clockOffset = (workerData as ThreadData).mainTimeOrigin - performance.timeOrigin;

/** Records what a handler returned, checking it against the tool's output schema. */
function settle(run: FrameRun, index: number, tool: LoadedTool, value: unknown): void {
  if (tool.outputSchema) {
    const structured = isResultWithStructuredContent(value) ? value.structuredContent : value;
    const checked = tool.outputSchema.safeParse(structured);
    if (!checked.success) {
      run.fail(index, ErrorCode.INVALID_RESULT, `tool "${tool.name}" returned a value that fails its output schema`, checked.error.issues);
      return;
    }
  }
  try {
    // A structured value travels bare with its JSON; the manager builds the result around them.
    if (isStructuredValue(value)) run.succeedStructured(index, value, JSON.stringify(value));
    else run.succeed(index, toCallToolResult(value));
  } catch (error) {
    // JSON.stringify throws on a BigInt or a cycle.
    run.fail(index, ErrorCode.INVALID_RESULT, `tool "${tool.name}" returned a value that cannot be encoded: ${messageOf(error)}`);
  }
}

function isResultWithStructuredContent(value: unknown): value is { structuredContent: unknown } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content);
}

/** Runs one call; a handler that returns a promise is left running. */
function runCall(run: FrameRun, index: number, tool: LoadedTool, args: unknown): void {
  const parsed = tool.inputSchema.safeParse(args ?? {});
  if (!parsed.success) {
    run.fail(index, ErrorCode.INVALID_ARGUMENTS, `invalid arguments for tool "${tool.name}": ${parsed.error.issues.map(describeIssue).join('; ')}`, parsed.error.issues);
    return;
  }
  let value: unknown;
  try {
    value = tool.handler(parsed.data, new CallContext(run, index));
  } catch (error) {
    if (error instanceof CallFailure) run.fail(index, error.code, error.message, error.data);
    else run.succeed(index, toToolError(error));
    return;
  }
  if (!isThenable(value)) {
    settle(run, index, tool, value);
    return;
  }
  run.pending++;
  value.then(
    (resolved) => afterAsync(run, index, () => settle(run, index, tool, resolved)),
    (error: unknown) =>
      afterAsync(run, index, () => (error instanceof CallFailure ? run.fail(index, error.code, error.message, error.data) : run.succeed(index, toToolError(error)))),
  );
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Records the end of an async call: the last one ends the frame, others stream soon. */
function afterAsync(run: FrameRun, index: number, record: () => void): void {
  callFinished(run.frameId, index);
  record();
  run.pending--;
  if (run.pending === 0 && run.started) {
    run.end();
    run.session.frameEnded();
    return;
  }
  if (!run.streamScheduled) {
    // Results that finish in the same turn share one message.
    run.streamScheduled = true;
    setImmediate(() => {
      run.streamScheduled = false;
      if (run.pending > 0) run.stream();
    });
  }
}

/** Runs a frame's calls; true when all finished synchronously, else the session hears of the end. */
export function runFrame(server: LoadedServer, frame: FrameMessage, port: MessagePort, session: FrameOwner): boolean {
  const calls = decodeFrame(frame.c);
  if (!Array.isArray(calls)) throw new TypeError(`a frame must hold an array of calls, not ${typeof calls}`);
  const base = frame.s * PROGRESS_STRIDE;
  const frameId = frame.f;
  const run = new FrameRun(frameId, port, session, frame.s, progressTable);
  const tools = server.tools;
  // One clock read per call serves both the deadline check and the decision to stream results.
  let now = run.startedAt;
  for (let i = 0, index = 0; i < calls.length; i += CALL_STRIDE, index++) {
    progressTable[base + 1] = index + 1;
    const deadline = calls[i + 2] as number;
    if (deadline !== 0 && now >= deadline + clockOffset) {
      run.fail(index, ErrorCode.TIMEOUT, 'the call timed out before it started');
      continue;
    }
    if (takeCancelledBeforeStart(frameId, index)) {
      run.fail(index, ErrorCode.ABORTED, 'the call was cancelled before it started');
      continue;
    }
    const tool = tools[calls[i] as number];
    if (tool === undefined) {
      run.fail(index, ErrorCode.TOOL_NOT_FOUND, `no tool with index ${String(calls[i])}`);
      continue;
    }
    progressTable[base] = index + 1;
    runCall(run, index, tool, calls[i + 1]);
    progressTable[base] = 0;
    now = performance.now();
    // Large results go at once, each in its own message: the main thread reads one while this
    // thread makes the next, instead of one message of many megabytes at the frame's end.
    if (now - run.lastSend >= STREAM_AFTER_MS || run.textBytes >= CLONE_ABOVE_BYTES) run.stream(now);
  }
  run.started = true;
  if (run.pending === 0) {
    run.end();
    return true;
  }
  run.stream();
  return false;
}
