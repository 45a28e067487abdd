/**
 * @module gateway/eras/mrtr
 * `tools/call` of the stateless era with multi-round-trip requests (SEP-2322): a call whose
 * tool asks the client something is parked and answered `input_required` with the open
 * requests and a sealed `requestState`; the client's next request with that state and its
 * `inputResponses` continues the same call, which then completes or asks again. Parked calls
 * expire (their tool is cancelled) and are bounded in number.
 *
 * With the tasks extension declared on the request, a call of a tool that may run as a task
 * becomes one (src/gateway/tasks/) when it runs past a short while, asks the client something
 * (unless the tool asked it `beforeTask`: that is an MRTR round first), or at once when its tool
 * requires tasks; the client then gets a `CreateTaskResult`, and the call goes on without it.
 */
import { randomUUID } from 'node:crypto';
import type { Dispatcher, Reply } from '../dispatcher.js';
import { RpcCode, RpcFailure, toolCallFailure } from '../errors.js';
import type { RequestId } from '../messages.js';
import { completeResult } from './caching.js';
import type { Envelope } from './envelope.js';
import { logNotifier, progressNotifier, type ModernRequest } from './modern-request.js';
import { PendingCall, type Outcome } from './pending-call.js';
import { digestOf, RequestStateCodec } from './request-state.js';
import { declaresTasks } from './envelope.js';
import { missingTasksError } from './missing-tasks.js';
import { createTaskResult } from '../tasks/task-methods.js';
import type { TaskStore } from '../tasks/task-store.js';
import type { TaskSupport } from '../../wire/mcp-types.js';
import type { ServerTaskStatus } from '../../api/manager-types.js';

/** How long a parked call waits for the client's next round. */
const PARK_MS = 600_000;
/** At most this many calls are parked; past it the oldest is cancelled. */
const MAX_PARKED = 10_000;

/** How a request's call may become a task: its tool's support and how long it may run before. */
interface TaskPolicy {
  support: Exclude<TaskSupport, 'forbidden'>;
  promoteAfterMs: number;
}

interface Parked {
  call: PendingCall;
  timer: NodeJS.Timeout;
}

/** The modern era's tool calls, parked between MRTR rounds. */
export class ModernToolCalls {
  readonly #dispatcher: Dispatcher;
  readonly #codec = new RequestStateCodec(PARK_MS);
  readonly #parked = new Map<string, Parked>();
  readonly #tasks: TaskStore;
  readonly #promoteAfterMs: number;

  constructor(dispatcher: Dispatcher, tasks: TaskStore, promoteAfterMs: number) {
    this.#dispatcher = dispatcher;
    this.#tasks = tasks;
    this.#promoteAfterMs = promoteAfterMs;
  }

  /** Answers a `tools/call`: its result, an `input_required` round, or an error. */
  call(incoming: ModernRequest, params: Record<string, unknown>, envelope: Envelope): Promise<Reply> {
    const name = params.name;
    if (typeof name !== 'string') throw invalidParams('tools/call needs a "name" string');
    const args = params.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw invalidParams('tools/call "arguments" must be an object');
    const tasks = declaresTasks(envelope.capabilities);
    const policy = (pending: PendingCall): TaskPolicy | undefined => {
      // Never a task for a request that did not declare the extension (nor of search_tools).
      const support = pending.tool === undefined ? 'forbidden' : this.#dispatcher.taskSupportOf(pending.tool);
      return !tasks || support === 'forbidden' ? undefined : { support, promoteAfterMs: this.#promoteAfterMs };
    };
    return this.#rounds(incoming, params, envelope, () => digestOf('tools/call', name, args), policy, () =>
      // The client's scope (gateway.clients) hides tools as the session era does; search mode's tools resolve here too.
      this.#dispatcher.toolCall(params, incoming.scope).then((call) => {
        if (call.result !== undefined) {
          const result = call.result;
          return () => Promise.resolve(result as unknown as Record<string, unknown>);
        }
        const { target, args: callArgs, name: tool } = call;
        const support = this.#dispatcher.taskSupportOf(tool);
        if (!tasks && support === 'required') throw new RpcFailure(missingTasksError(), 400);
        // A call that may become a task may run as an external server's own task too (a 2025-11-25 server's), shown as this one's.
        const task = tasks && support !== 'forbidden';
        return (pending: PendingCall) => {
          pending.tool = tool;
          return this.#dispatcher.execute(target, callArgs, {
            signal: pending.cancel.signal,
            onProgress: (update) => pending.onProgress?.(update),
            onLog: (record) => pending.onLog?.(record),
            onServerRequest: pending.handler,
            ...(task ? { task: { ttlMs: this.#tasks.ttlMs, onStatus: (status: ServerTaskStatus) => pending.serverTaskChanged(status) } } : {}),
          });
        };
      }),
    );
  }

  /** Answers a `prompts/get` (an external server's prompt may ask the client too). */
  prompt(incoming: ModernRequest, params: Record<string, unknown>, envelope: Envelope): Promise<Reply> {
    const name = params.name;
    if (typeof name !== 'string') throw invalidParams('prompts/get needs a "name" string');
    const args = params.arguments;
    if (args !== undefined && !(typeof args === 'object' && args !== null && !Array.isArray(args) && Object.values(args).every((value) => typeof value === 'string'))) {
      throw invalidParams('prompts/get "arguments" must be an object of strings');
    }
    return this.#rounds(incoming, params, envelope, () => digestOf('prompts/get', name, args ?? {}), () => undefined, () =>
      Promise.resolve((pending: PendingCall) => {
        // The SDK's client wants a real AbortSignal.
        const controller = new AbortController();
        pending.cancel.addEventListener('abort', () => controller.abort(pending.cancel.reason));
        const request = { name, ...(args === undefined ? {} : { arguments: args as Record<string, string> }) };
        return this.#dispatcher.passthrough.getPrompt(request, controller.signal, pending.handler, incoming.scope) as Promise<Record<string, unknown>>;
      }),
    );
  }

  /**
   * One round of a request that may need input: a fresh request starts its call (`prepare`
   * resolves the target first, so an unknown name fails before anything runs); one with a
   * `requestState` continues the parked call it names with its `inputResponses`.
   */
  async #rounds(
    incoming: ModernRequest,
    params: Record<string, unknown>,
    envelope: Envelope,
    /** The digest of the request a state binds (made only when a state is opened or sealed: most calls never need one). */
    digest: () => string,
    /** Whether (and how) the call may become a task; asked once the target is known. */
    taskPolicy: (call: PendingCall) => TaskPolicy | undefined,
    prepare: () => Promise<(pending: PendingCall) => Promise<Record<string, unknown>>>,
  ): Promise<Reply> {
    const { id, method } = incoming.request;
    const token = (params._meta as { progressToken?: unknown } | undefined)?.progressToken;
    let key: string | undefined;
    let call: PendingCall;
    if (params.requestState !== undefined) {
      const state = this.#codec.open(params.requestState, incoming.principal, digest());
      if (typeof state === 'string') throw invalidParams(state);
      const parked = this.#parked.get(state.call);
      if (parked === undefined || parked.call.round !== state.round) throw invalidParams('requestState names a call that is no longer waiting (it expired, ended or moved on): send the request again without it');
      this.#parked.delete(state.call);
      clearTimeout(parked.timer);
      key = state.call;
      call = parked.call;
      call.onProgress = progressNotifier(incoming.notify, token);
      call.onLog = logNotifier(incoming.notify, envelope.logLevel);
      call.resume(envelope.capabilities, params.inputResponses);
    } else {
      const run = await prepare();
      call = new PendingCall();
      call.onProgress = progressNotifier(incoming.notify, token);
      call.onLog = logNotifier(incoming.notify, envelope.logLevel);
      call.resume(envelope.capabilities, params.inputResponses);
      call.start(run);
    }
    // The client hanging up (closing the stream, notifications/cancelled) stops the call.
    incoming.cancel.addEventListener('abort', () => call.abort('the client cancelled the request'));
    try {
      const policy = taskPolicy(call);
      const end = policy === undefined ? await call.next() : await call.nextWithin(policy.promoteAfterMs);
      if (policy !== undefined && (end.kind === 'timeout' || (end.kind === 'input' && !call.asksBeforeTask()) || (end.kind === 'done' && policy.support === 'required'))) {
        return this.#task(id, call, incoming.principal);
      }
      if (end.kind === 'timeout') throw new Error('unreachable: a round without a task policy has no timeout');
      if (end.kind === 'done') return this.#done(id, method, call, end.outcome);
      call.round++;
      key ??= randomUUID();
      this.#park(key, call);
      const requestState = this.#codec.seal({ call: key, round: call.round }, incoming.principal, digest());
      return { response: { jsonrpc: '2.0', id, result: { resultType: 'input_required', inputRequests: end.inputRequests, requestState } }, status: 200 };
    } finally {
      incoming.cancel.removeEventListener();
    }
  }

  /** The call goes on as a task; the client gets its `CreateTaskResult` (or `OVERLOADED` when the store is full, and the call stops). */
  #task(id: RequestId, call: PendingCall, principal: string): Reply {
    let task;
    try {
      task = this.#tasks.create(principal, call);
    } catch (error) {
      call.abort('the gateway holds too many tasks');
      throw error;
    }
    return { response: { jsonrpc: '2.0', id, result: createTaskResult(task) }, status: 200 };
  }

  /** Cancels every parked call (the gateway is closing: no client will continue them). */
  close(): void {
    for (const { call, timer } of this.#parked.values()) {
      clearTimeout(timer);
      call.abort('the gateway is shutting down');
    }
    this.#parked.clear();
  }

  #park(key: string, call: PendingCall): void {
    if (this.#parked.size >= MAX_PARKED) {
      const [oldest, parked] = this.#parked.entries().next().value as [string, Parked];
      this.#parked.delete(oldest);
      clearTimeout(parked.timer);
      parked.call.abort('too many calls are waiting for input');
    }
    const timer = setTimeout(() => {
      this.#parked.delete(key);
      call.abort('the call waited too long for the client to answer');
    }, PARK_MS);
    timer.unref();
    this.#parked.set(key, { call, timer });
  }

  #done(id: RequestId, method: string, call: PendingCall, outcome: Outcome): Reply {
    const missing = call.missingCapabilityError();
    if (outcome.ok) {
      if (missing !== undefined && outcome.result.isError === true) return { response: { jsonrpc: '2.0', id, error: missing }, status: 400 };
      // A tool result is the engine's fresh object; a prompt's is the SDK client's: copied.
      return { response: { jsonrpc: '2.0', id, result: completeResult(method, method === 'tools/call' ? outcome.result : { ...outcome.result }) }, status: 200 };
    }
    if (missing !== undefined) return { response: { jsonrpc: '2.0', id, error: missing }, status: 400 };
    const failure = toolCallFailure(outcome.error);
    if (failure instanceof RpcFailure) return { response: { jsonrpc: '2.0', id, error: failure.rpc }, status: failure.httpStatus };
    return { response: { jsonrpc: '2.0', id, result: completeResult('tools/call', failure) }, status: 200 };
  }
}

function invalidParams(message: string): RpcFailure {
  return new RpcFailure({ code: RpcCode.INVALID_PARAMS, message });
}
