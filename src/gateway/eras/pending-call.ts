/**
 * @module gateway/eras/pending-call
 * One tool call of a modern client that may need input from the client on the way: the
 * requests its tool (a worker tool's `ctx.elicit`, `ctx.createMessage`, `ctx.listRoots`, or an
 * external server's own sampling/elicitation/roots requests) makes while it runs are held here
 * as MRTR `inputRequests` under keys, and answered from the client's `inputResponses` of the
 * request that continues the call. The call keeps running between rounds (it is parked, never
 * re-run), so a backend of any era sees one ordinary call.
 *
 * A request for a capability the client did not declare on the current request is refused at
 * once; if the call then ends in an error, the client gets `-32021` naming that capability.
 */
import { RelayError } from '../../servers/external/server-requests.js';
import type { ProgressUpdate, ServerRequest, ServerRequestHandler } from '../../wire/mcp-types.js';
import { AbortHandle } from '../../engine/abort-handle.js';
import type { LogRecord } from '../../api/server-types.js';
import type { ServerTaskStatus } from '../../api/manager-types.js';
import { CAPABILITY } from '../client-requests.js';
import { MISSING_CAPABILITY } from './classify.js';

/** A request to the client waiting for its answer. */
interface Ask {
  key: string;
  method: ServerRequest['method'];
  params: Record<string, unknown>;
  /** The tool asked it before its call becomes a task (an MRTR round even for a task-capable call). */
  beforeTask: boolean;
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
}

/** How a call ended: a result, or an error thrown by the engine. */
export type Outcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: unknown };

/** What a round ends with: the call's outcome, or requests to put to the client. */
export type RoundEnd = { kind: 'done'; outcome: Outcome } | { kind: 'input'; inputRequests: Record<string, { method: string; params: Record<string, unknown> }> };

/** How long requests that come together are gathered into one round (a tool asking several at once). */
const GATHER_MS = 15;

const SHORT: Record<ServerRequest['method'], string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answers of a request that brought none (shared: never written, only replaced). */
const NO_ANSWERS: Map<string, Record<string, unknown>> = new Map();
/**
 * The requests of a call that asked none (shared: never written; the first ask makes the call
 * its own map). Most calls never ask, and every modern call makes a `PendingCall`.
 */
const NO_ASKS: Map<string, Ask> = new Map();

/** One call, its outstanding requests to the client and its outcome. */
export class PendingCall {
  readonly cancel = new AbortHandle();
  /** Capabilities the current request declared. */
  capabilities: Record<string, unknown> = {};
  /** Progress of the call goes to the current request's stream, when it asked for progress. */
  onProgress: ((update: ProgressUpdate) => void) | undefined;
  /** Log records of the call go to the current request's stream, at the request's `_meta` log level. */
  onLog: ((record: LogRecord) => void) | undefined;
  /** Capabilities the tool needed and the client did not declare (made on the first). */
  #missing: Set<string> | undefined;
  /** The exposed tool a `tools/call` runs (its task support decides whether it may become a task). */
  tool: string | undefined;
  /** The external server's own task the call runs as (a 2025-11-25 server's), as last read. */
  serverTask: ServerTaskStatus | undefined;
  /** The round the client is at (a state of another round is stale). */
  round = 0;
  outcome: Outcome | undefined;
  #asks = NO_ASKS;
  /** Answers the current request brought that no request has used yet. */
  #answers: Map<string, Record<string, unknown>> = NO_ANSWERS;
  #next = 0;
  /** Every key used in this call: a key is never reused, even once answered (the tasks extension asks it). */
  #used: Set<string> | undefined;
  /** Told when the call's requests or outcome change (a task's status follows them). */
  onChange: (() => void) | undefined;
  /** Who waits for the round's end (`next`). */
  #waiter: ((end: RoundEnd) => void) | undefined;
  #gather: NodeJS.Timeout | undefined;

  /** The handler the call's `onServerRequest` is. */
  readonly handler: ServerRequestHandler = (request, signal) => this.#ask(request, signal);

  /** Starts the call (`run` is given the call's options' signal, progress and request handler). */
  start(run: (call: PendingCall) => Promise<Record<string, unknown>>): void {
    run(this).then(
      (result) => this.#settle({ ok: true, result }),
      (error: unknown) => this.#settle({ ok: false, error }),
    );
  }

  /** A new request of the client continues the call: its capabilities and answers. */
  resume(capabilities: Record<string, unknown>, inputResponses: unknown): void {
    this.capabilities = capabilities;
    // The common case: a first request, no answers, nothing asked yet.
    if (inputResponses === undefined && this.#asks.size === 0) {
      if (this.#answers.size > 0) this.#answers = NO_ANSWERS;
      return;
    }
    this.#answers = new Map(isObject(inputResponses) ? Object.entries(inputResponses).filter((entry): entry is [string, Record<string, unknown>] => isObject(entry[1])) : []);
    for (const [key, ask] of [...this.#asks]) {
      const answer = this.#answers.get(key);
      if (answer === undefined) continue;
      this.#answers.delete(key);
      this.#asks.delete(key);
      ask.resolve(answer);
    }
  }

  /**
   * Waits until the call ends or has requests the client must answer. One waiter at a time; no
   * closure per call (most calls end without asking: this is on every modern call's path).
   */
  next(): Promise<RoundEnd> {
    if (this.outcome !== undefined) return Promise.resolve({ kind: 'done', outcome: this.outcome });
    return new Promise((resolve) => {
      this.#waiter = resolve;
      if (this.#asks.size > 0) this.#wake();
    });
  }

  /** Gives the waiter the call's outcome if it has one (then true). */
  #deliverOutcome(waiter: (end: RoundEnd) => void): boolean {
    if (this.outcome === undefined) return false;
    this.#waiter = undefined;
    waiter({ kind: 'done', outcome: this.outcome });
    return true;
  }

  /** The call ended or asked: the waiter hears of it (requests that come together go into one round). */
  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    if (this.#deliverOutcome(waiter)) return;
    clearTimeout(this.#gather);
    this.#gather = setTimeout(() => this.#ready(), GATHER_MS);
  }

  /** The gathering time is over: the waiter gets the requests (or the outcome, if it came meanwhile). */
  #ready(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    if (this.#deliverOutcome(waiter)) return;
    if (this.#asks.size === 0) return;
    this.#waiter = undefined;
    waiter({ kind: 'input', inputRequests: this.inputRequests() });
  }

  /**
   * Like {@link next}, but resolves `timeout` after `ms` if the call has neither ended nor asked
   * by then (the moment a task-capable call becomes a task).
   */
  nextWithin(ms: number): Promise<RoundEnd | { kind: 'timeout' }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        clearTimeout(this.#gather);
        resolve({ kind: 'timeout' });
      }, ms);
      void this.next().then((end) => {
        clearTimeout(timer);
        resolve(end);
      });
    });
  }

  /** Whether every outstanding request was asked before the task (an MRTR round, not a task). */
  asksBeforeTask(): boolean {
    for (const ask of this.#asks.values()) if (!ask.beforeTask) return false;
    return this.#asks.size > 0;
  }

  /** The outstanding requests, as MRTR `inputRequests`. */
  inputRequests(): Record<string, { method: string; params: Record<string, unknown> }> {
    const inputRequests: Record<string, { method: string; params: Record<string, unknown> }> = {};
    for (const [key, ask] of this.#asks) inputRequests[key] = { method: ask.method, params: ask.params };
    return inputRequests;
  }

  /** How many requests wait for the client. */
  get asking(): number {
    return this.#asks.size;
  }

  /**
   * Answers outstanding requests (a task's `tasks/update`): each response whose key names an
   * outstanding request resolves it; the others (unknown, already answered) are ignored.
   */
  answer(inputResponses: Record<string, unknown>): void {
    let changed = false;
    for (const [key, response] of Object.entries(inputResponses)) {
      const ask = this.#asks.get(key);
      if (ask === undefined || !isObject(response)) continue;
      this.#asks.delete(key);
      ask.resolve(response);
      changed = true;
    }
    if (changed) this.onChange?.();
  }

  /** The error a failed call answers with when it needed a capability the client lacks. */
  missingCapabilityError(): { code: number; message: string; data: { requiredCapabilities: Record<string, object> } } | undefined {
    if (this.#missing === undefined) return undefined;
    const names = [...this.#missing];
    return {
      code: MISSING_CAPABILITY,
      message: `Missing required client capability: ${names.join(', ')} (declare it in _meta["io.modelcontextprotocol/clientCapabilities"])`,
      data: { requiredCapabilities: Object.fromEntries(names.map((name) => [name, {}])) },
    };
  }

  /** The server's task changed (`ExecuteOptions.task.onStatus`): a gateway task shows it. */
  serverTaskChanged(status: ServerTaskStatus): void {
    this.serverTask = status;
    this.onChange?.();
  }

  /** Stops the call and fails what it waits for. */
  abort(reason: string): void {
    this.cancel.abort(new Error(reason));
    for (const ask of this.#asks.values()) ask.reject(new RelayError(-32600, reason));
    this.#asks.clear();
  }

  #settle(outcome: Outcome): void {
    this.outcome = outcome;
    clearTimeout(this.#gather);
    for (const ask of this.#asks.values()) ask.reject(new RelayError(-32600, 'the call ended'));
    this.#asks.clear();
    this.#wake();
    this.onChange?.();
  }

  #ask(request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    const capability = CAPABILITY[request.method];
    if (!isObject(this.capabilities[capability])) {
      (this.#missing ??= new Set()).add(capability);
      return Promise.reject(new RelayError(MISSING_CAPABILITY, `the client did not declare the "${capability}" capability on this request, so ${request.method} cannot be put to it`));
    }
    let key = request.key ?? `${SHORT[request.method]}-${++this.#next}`;
    const used = (this.#used ??= new Set());
    while (this.#asks.has(key) || used.has(key)) key = `${request.key ?? SHORT[request.method]}-${++this.#next}`;
    used.add(key);
    const answer = this.#answers.get(key);
    if (answer !== undefined) {
      // The client answered before being asked (it re-sent a call with its inputResponses).
      this.#answers.delete(key);
      return Promise.resolve(answer);
    }
    if (signal.aborted) return Promise.reject(new RelayError(-32600, 'the request was cancelled'));
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        if (this.#asks.get(key)?.resolve !== ask.resolve) return;
        this.#asks.delete(key);
        reject(new RelayError(-32600, 'the request was cancelled'));
        this.onChange?.();
      };
      const ask: Ask = {
        key,
        method: request.method,
        params: request.params,
        beforeTask: request.beforeTask === true,
        resolve: (result) => {
          finish();
          resolve(result);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.#asks === NO_ASKS) this.#asks = new Map();
      this.#asks.set(key, ask);
      this.#wake();
      this.onChange?.();
    });
  }
}
