/**
 * @module engine/manager
 * `Manager`: the engine behind the public `McpManager` (api/mcp-manager, which validates its
 * options and is otherwise this class), a facade over the engine's parts. The registry
 * (`registry`) finds servers by name or id; admission (`admission`) bounds what runs; one
 * watchdog timer (`watchdog`) enforces deadlines; the manager routes each call, answers it
 * exactly once and records its metrics. What it keeps per server is in `server-entry`; the
 * public API's types are in `src/api`. Beside it: what actors get from it (`actor-host`),
 * starting an actor and making its entry (`deploy`), the reload rules (`reloads`), which tools
 * callers see (`tool-lookup`) and a call's span (`call-span`).
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { ActorHost } from '../servers/actor.js';
import { createActor, prepareServer, serverNameOf } from '../servers/create-actor.js';
import { RetiringServers } from './retiring.js';
import { Admission } from './admission.js';
import { Batch } from './batch.js';
import type { BatchResult } from '../api/batch-types.js';
import { Call, CallState } from './call.js';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import { abortedError, serverNotFoundError, shuttingDownError, toolNotFoundError } from '../errors/factories.js';
import type { Metrics } from '../metrics/server-stats.js';
import type { ResolvedManagerOptions } from '../config/manager-options.js';
import type { ServerConfig } from '../config/server-config.js';
import { ServerRegistry } from './registry.js';
import { healthOf, metricsOf, type EngineCall, type ServerEntry } from './server-entry.js';
import type { CallToolResult, Tool } from '../wire/mcp-types.js';
import { Watchdog } from './watchdog.js';
import { activeTracer, endSpan } from './tracing.js';
import { createActorHost } from './actor-host.js';
import { callSpan } from './call-span.js';
import { entryOf, startWithin } from './deploy.js';
import { ReloadQueue, reloadedConfig } from './reloads.js';
import { toolIndexOf, visibleTools } from './tool-lookup.js';
import type { BatchCall, BatchOptions, ExecuteOptions, McpManagerEvents, ServerHealth, ServerInfo, ShutdownOptions } from '../api/manager-types.js';

/**
 * Deploys MCP servers as isolated actors and executes their tools. It takes its options
 * resolved: users construct `McpManager`, which validates them; `mcpool serve` resolves them in a
 * thread with its config file, so its main thread never loads the schemas (zod).
 */
export class Manager extends EventEmitter<McpManagerEvents> {
  readonly #options: ResolvedManagerOptions;
  readonly #startedAt = performance.now();
  /**
   * The deployed servers. Internal (stripped from the published types): the Prometheus
   * exporter and the gateway read their snapshots here.
   * @internal
   */
  readonly registry = new ServerRegistry();
  readonly #admission: Admission;
  /** Servers replaced by a reload, draining. */
  readonly #retiring = new RetiringServers();
  /** Reloads of one server run in turn. */
  readonly #reloads = new ReloadQueue();
  /** The last deployment's validation and load of its server kind's code (`deployServer`). */
  #preparing: Promise<unknown> = Promise.resolve();
  #initialized = false;
  #shutdown: Promise<void> | undefined;
  readonly #watchdog = new Watchdog(() => this.#expireOverdue());
  readonly #host: ActorHost = createActorHost(
    this,
    (call, result, error, now) => this.#settle(call, result, error, now),
    (server, tool, args) => this.executeTool(server, tool, args as Record<string, unknown>),
  );

  /** Creates a manager with resolved options (`McpManager` validates them). */
  constructor(options: ResolvedManagerOptions) {
    super();
    this.#options = options;
    this.#admission = new Admission(this.#options, (call, error, now) => this.#settle(call, undefined, error, now));
  }

  /** Prepares the manager. Idempotent; `deployServer` calls it for you. */
  async initialize(): Promise<void> {
    if (this.#shutdown) throw shuttingDownError(undefined, undefined);
    this.#initialized = true;
    return Promise.resolve();
  }

  /** True once `initialize` ran and until `shutdown`. */
  get initialized(): boolean {
    return this.#initialized && this.#shutdown === undefined;
  }

  /**
   * Deploys a server and resolves with its id once it serves. Rejects with `INVALID_CONFIG`,
   * `SERVER_EXISTS`, `SERVER_UNAVAILABLE` (failed to start, naming the cause) or `SHUTTING_DOWN`.
   */
  async deployServer(config: ServerConfig): Promise<string> {
    await this.initialize();
    // The config is validated and its kind's code loaded before the checks below, so that from
    // them to the name's reservation nothing waits. These steps are chained so that deployments
    // resume in the order they were asked for: that is the order their names are reserved, and
    // servers listed, in. A name already deployed is reported before a bad field.
    const prepared = this.#preparing.then(() => prepareServer(config));
    this.#preparing = prepared.catch(() => undefined);
    const outcome = await prepared.then(
      (server) => ({ server }),
      (error: unknown) => ({ error }),
    );
    const requested = serverNameOf(config);
    if (typeof requested === 'string' && this.registry.lookup(requested) !== undefined) this.registry.reserve(requested);
    if ('error' in outcome) throw outcome.error;
    const created = createActor(outcome.server, this.#host, this.#options);
    const name = created.actor.name;
    this.registry.reserve(name);
    try {
      await startWithin(created.actor, this.#options.connectionTimeoutMs);
      if (this.#shutdown) {
        await created.actor.shutdown();
        throw shuttingDownError(undefined, undefined);
      }
      const entry = entryOf(created, config, created.actor.id);
      this.registry.add(entry);
      return entry.id;
    } finally {
      this.registry.release(name);
    }
  }

  /**
   * Reloads a server: a new actor starts from its config (with `settings` over it: fresh
   * threads load the module anew; an external server is respawned or reconnected), new calls go
   * to it once it serves, and the calls the old one holds finish there before it stops. No call
   * fails because of a reload. If the new one fails to start, the old one keeps serving and this
   * rejects `SERVER_UNAVAILABLE`; bad settings reject `INVALID_CONFIG`. Reloads of one server
   * run one after another. Clients of the gateway are told `notifications/tools/list_changed`.
   */
  async reloadServer(nameOrId: string, settings: Partial<ServerConfig> = {}): Promise<void> {
    const entry = this.registry.lookup(nameOrId);
    if (entry === undefined) throw serverNotFoundError(nameOrId);
    const name = entry.name;
    await this.#reloads.run(name, () => this.#reload(name, settings));
  }

  async #reload(name: string, settings: Partial<ServerConfig>): Promise<void> {
    const old = this.registry.lookup(name);
    if (old === undefined) throw serverNotFoundError(name);
    const config = reloadedConfig(old, settings);
    const created = createActor(await prepareServer(config), this.#host, this.#options);
    await startWithin(created.actor, this.#options.connectionTimeoutMs);
    if (this.#shutdown || this.registry.lookup(name) !== old) {
      await created.actor.shutdown();
      throw this.#shutdown ? shuttingDownError(name, undefined) : serverNotFoundError(name);
    }
    const entry = entryOf(created, config, old.id);
    this.registry.replace(old, entry);
    old.probe?.stop();
    this.#retiring.retire(old);
    this.emit('serverNotification', { server: name, method: 'notifications/tools/list_changed', params: {} });
  }

  /**
   * Calls one tool and resolves with its MCP `CallToolResult` (a tool that throws resolves with
   * `isError: true`). Engine failures reject with an `McpoolError` carrying a stable code.
   */
  executeTool(server: string, tool: string, args: Record<string, unknown> = {}, options?: ExecuteOptions): Promise<CallToolResult> {
    if (this.#shutdown) return Promise.reject(shuttingDownError(undefined, undefined));
    const entry = this.registry.lookup(server);
    if (entry === undefined) return Promise.reject(serverNotFoundError(server));
    const toolIndex = toolIndexOf(entry, tool);
    if (toolIndex < 0) return Promise.reject(toolNotFoundError(entry.name, tool));
    return this.#execute(entry, toolIndex, tool, args, options);
  }

  /**
   * Sends an MCP request other than a tool call to a server whose threads answer it: a
   * WebAssembly plugin's `prompts/list`, `prompts/get`, `resources/list`,
   * `resources/templates/list`, `resources/read` or `completion/complete` (hyper-mcp v2's
   * optional exports; `listServerRequests` says which). It runs as a call does (admission,
   * timeout, frames, `onServerRequest`) and resolves with the MCP result; a request the plugin
   * refuses (an unknown prompt or URI) rejects `INVALID_ARGUMENTS`, one the server does not
   * answer too (`data.method`).
   */
  async serverRequest(server: string, method: string, params: Record<string, unknown> = {}, options?: ExecuteOptions): Promise<Record<string, unknown>> {
    if (this.#shutdown) throw shuttingDownError(undefined, undefined);
    const entry = this.registry.lookup(server);
    if (entry === undefined) throw serverNotFoundError(server);
    const index = entry.actor.requestIndex?.(method) ?? -1;
    if (index < 0) throw new McpoolError(ErrorCode.INVALID_ARGUMENTS, `server "${entry.name}" does not answer ${method}${entry.actor.requests?.length ? ` (it answers ${entry.actor.requests.join(', ')})` : ''}`, { server: entry.name, data: { method } });
    const result = await this.#execute(entry, index, method, params, options);
    if (result.isError === true) {
      const block = result.content[0];
      throw new McpoolError(ErrorCode.INVALID_RESULT, `server "${entry.name}" failed ${method}: ${block?.type === 'text' ? String(block.text) : 'an error'}`, { server: entry.name, data: { method } });
    }
    return result.structuredContent ?? {};
  }

  /** The MCP methods beyond tools a server answers through `serverRequest` (none for most kinds). */
  listServerRequests(server: string): readonly string[] {
    const entry = this.registry.lookup(server);
    if (entry === undefined) throw serverNotFoundError(server);
    return entry.actor.requests ?? [];
  }

  #execute(entry: ServerEntry, toolIndex: number, tool: string, args: Record<string, unknown>, options: ExecuteOptions | undefined): Promise<CallToolResult> {
    const call = this.#newCall(entry, toolIndex, tool, args, options?.timeoutMs);
    const tracer = activeTracer();
    if (tracer !== undefined) call.span = callSpan(tracer, call, options?.traceparent);
    return new Promise<CallToolResult>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
      if (options?.onProgress) call.onProgress = options.onProgress;
      if (options?.onLog) call.onLog = options.onLog;
      if (options?.onServerRequest) call.onServerRequest = options.onServerRequest;
      if (options?.task) call.task = options.task;
      if (options?.signal && !this.#watchSignal(call, options.signal)) return;
      this.#submit(call);
    });
  }

  /**
   * Runs many calls and resolves with one `BatchResult` per call, in order. Each failure stays
   * in its own slot; the batch itself only rejects if `calls` is not an array.
   */
  executeBatch(calls: readonly BatchCall[], options: BatchOptions = {}): Promise<BatchResult[]> {
    if (!Array.isArray(calls)) {
      return Promise.reject(new McpoolError(ErrorCode.INVALID_ARGUMENTS, 'executeBatch expects an array of { server, tool, arguments } calls'));
    }
    if (calls.length === 0) return Promise.resolve([]);
    return new Promise<BatchResult[]>((resolve) => {
      const batch = new Batch(calls.length, resolve, options.onProgress);
      const admitted: EngineCall[] | undefined = options.signal ? [] : undefined;
      const now = performance.now();
      // Batches usually target one server: remember the last lookup.
      let lastServer: string | undefined;
      let lastEntry: ServerEntry | undefined;
      for (let i = 0; i < calls.length; i++) {
        const spec = calls[i] as BatchCall | undefined;
        if (this.#shutdown) {
          batch.settle(i, undefined, shuttingDownError(undefined, undefined));
          continue;
        }
        if (typeof spec !== 'object' || spec === null || typeof spec.server !== 'string' || typeof spec.tool !== 'string') {
          batch.settle(i, undefined, new McpoolError(ErrorCode.INVALID_ARGUMENTS, `calls[${i}] must be an object { server: string, tool: string, arguments?: object }`));
          continue;
        }
        if (spec.server !== lastServer) {
          lastServer = spec.server;
          lastEntry = this.registry.lookup(spec.server);
        }
        const entry = lastEntry;
        if (entry === undefined) {
          batch.settle(i, undefined, serverNotFoundError(spec.server));
          continue;
        }
        const toolIndex = toolIndexOf(entry, spec.tool);
        if (toolIndex < 0) {
          batch.settle(i, undefined, toolNotFoundError(entry.name, spec.tool));
          continue;
        }
        const call = this.#newCall(entry, toolIndex, spec.tool, spec.arguments ?? {}, options.timeoutMs, now);
        const tracer = activeTracer();
        if (tracer !== undefined) call.span = callSpan(tracer, call, undefined);
        call.batch = batch;
        call.batchIndex = i;
        admitted?.push(call);
        this.#submit(call);
      }
      if (options.signal && admitted) this.#watchBatchSignal(options.signal, admitted);
    });
  }

  #newCall(entry: ServerEntry, toolIndex: number, tool: string, args: unknown, timeoutMs: number | undefined, now = performance.now()): EngineCall {
    const timeout = timeoutMs ?? entry.guards.toolTimeouts[toolIndex] ?? entry.timeoutMs ?? this.#options.defaultTimeoutMs;
    return new Call(entry, toolIndex, tool, args, now, timeout > 0 ? now + timeout : Infinity);
  }

  /** Hooks a caller's signal to a call; false if it is already aborted (the call is answered). */
  #watchSignal(call: EngineCall, signal: AbortSignal): boolean {
    if (signal.aborted) {
      call.reject?.(abortedError(call.target.name, call.tool, signal.reason));
      return false;
    }
    call.signal = signal;
    call.onAbort = () => this.#stopCall(call, abortedError(call.target.name, call.tool, signal.reason));
    signal.addEventListener('abort', call.onAbort, { once: true });
    return true;
  }

  #watchBatchSignal(signal: AbortSignal, calls: EngineCall[]): void {
    const abort = (): void => {
      for (const call of calls) {
        if (call.state !== CallState.settled) this.#stopCall(call, abortedError(call.target.name, call.tool, signal.reason));
      }
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  }

  /** Arms the call's deadline and hands it to admission. */
  #submit(call: EngineCall): void {
    if (call.deadline < this.#watchdog.at) this.#watchdog.arm(call.deadline);
    this.#admission.submit(call);
  }

  /** Ends a call early: a waiting call is answered here, an admitted one by its actor. */
  #stopCall(call: EngineCall, error: McpoolError): void {
    if (call.state === CallState.waiting) this.#settle(call, undefined, error, performance.now());
    else if (call.state === CallState.admitted) call.target.actor.stop(call, error);
  }

  /** Answers a call exactly once and records it; later answers for it are ignored. */
  #settle(call: EngineCall, result: CallToolResult | undefined, error: McpoolError | undefined, now: number): void {
    const previous = call.state;
    if (previous === CallState.settled) return;
    call.state = CallState.settled;
    this.#admission.release(call, previous, error?.code);
    const stats = call.target.stats;
    const tool = stats.tools[call.toolIndex] ?? stats.tool(call.toolIndex, call.tool);
    tool.calls++;
    stats.calls++;
    if (error !== undefined) {
      tool.errors++;
      stats.errors++;
      tool.failures.set(error.code, (tool.failures.get(error.code) ?? 0) + 1);
      if (error.code === ErrorCode.TIMEOUT) stats.timeouts++;
    } else if (result!.isError === true) {
      tool.errors++;
      stats.errors++;
      tool.toolErrors++;
    }
    if (this.#options.enableMetrics) tool.latency.record(now - call.start);
    if (call.span !== undefined) endSpan(call.span, error, result?.isError === true);
    if (call.onAbort) call.signal!.removeEventListener('abort', call.onAbort);
    if (call.batch) call.batch.settle(call.batchIndex, result, error);
    else if (error) call.reject!(error);
    else call.resolve!(result!);
    call.forgetCaller();
    if (previous === CallState.admitted && this.#admission.waitingCount > 0) this.#admission.refill();
  }

  /** Times out every overdue call and re-arms the watchdog for the next deadline. */
  #expireOverdue(): void {
    const now = performance.now();
    let next = this.#admission.expireWaiting(now);
    for (const entry of this.registry.entries()) next = Math.min(next, entry.actor.expireOverdue(now));
    for (const entry of this.#retiring.entries) next = Math.min(next, entry.actor.expireOverdue(now));
    if (next < Infinity) this.#watchdog.arm(next);
  }

  /** Every deployed server. */
  listServers(): ServerInfo[] {
    return [...this.registry.entries()].map(({ id, actor }) => ({ id, name: actor.name, type: actor.type, state: actor.state, threads: actor.threads }));
  }

  /** The tools of one server (MCP `Tool` objects). */
  listTools(server: string): Promise<Tool[]>;
  /** The tools of every server. */
  listTools(): Promise<{ server: string; tool: Tool }[]>;
  listTools(server?: string): Promise<Tool[] | { server: string; tool: Tool }[]> {
    if (server === undefined) {
      return Promise.resolve([...this.registry.entries()].flatMap((entry) => visibleTools(entry).map((tool) => ({ server: entry.name, tool }))));
    }
    const entry = this.registry.lookup(server);
    return entry ? Promise.resolve(visibleTools(entry)) : Promise.reject(serverNotFoundError(server));
  }

  /** Health of one server, by name or id; throws `SERVER_NOT_FOUND`. */
  getServerHealth(nameOrId: string): ServerHealth {
    const entry = this.registry.lookup(nameOrId);
    if (entry === undefined) throw serverNotFoundError(nameOrId);
    return healthOf(entry);
  }

  /** Counters and latency percentiles, overall and per server and tool. */
  getMetrics(): Metrics {
    return metricsOf(this.registry.entries(), this.#admission.inFlight, performance.now() - this.#startedAt);
  }

  /**
   * Restarts a server: its threads (or child process, or connection) are replaced, its circuit
   * closes and an `unhealthy` state clears. Rejects with `SERVER_NOT_FOUND`.
   */
  async restartServer(nameOrId: string): Promise<void> {
    const entry = this.registry.lookup(nameOrId);
    if (entry === undefined) throw serverNotFoundError(nameOrId);
    await entry.actor.restart();
    entry.guards.breaker?.reset();
    await entry.probe?.probe();
  }

  /**
   * Stops one server gracefully: new calls reject `SERVER_NOT_FOUND` at once, queued calls
   * reject `SHUTTING_DOWN`, calls already sent to the server finish, then its threads end.
   */
  async shutdownServer(nameOrId: string, options: ShutdownOptions = {}): Promise<void> {
    const entry = this.registry.lookup(nameOrId);
    if (entry === undefined) throw serverNotFoundError(nameOrId);
    this.registry.remove(entry);
    entry.probe?.stop();
    this.#admission.failWaiting(entry, (call) => shuttingDownError(entry.name, call.tool));
    await entry.actor.shutdown(options.timeoutMs ?? Infinity);
  }

  /**
   * Stops every server gracefully (see `shutdownServer`); new calls reject `SHUTTING_DOWN`.
   * Idempotent: a second call returns the first one's promise.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.#shutdown ??= this.#shutdownAll(options);
    return this.#shutdown;
  }

  async #shutdownAll(options: ShutdownOptions): Promise<void> {
    this.#admission.failWaiting(undefined, (call) => shuttingDownError(undefined, call.tool));
    await Promise.all(this.registry.names().map((name) => this.shutdownServer(name, options)));
    await this.#retiring.shutdown(options.timeoutMs ?? Infinity);
    this.#watchdog.clear();
  }

  /** `await using manager = new McpManager()` shuts it down at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}
