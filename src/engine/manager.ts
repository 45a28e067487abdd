/**
 * @module engine/manager
 * `McpManager`: the public entry point. It owns every server actor, routes calls to them by
 * server name or id, admits calls (a global concurrency bound, a bounded waiting queue, each
 * server's own bound), enforces timeouts with one watchdog timer, keeps metrics, and answers
 * every call exactly once.
 *
 * What it keeps per server and the health and metrics read from it are in `server-entry`; the
 * deadline timer is `watchdog`; the public API's types are in `manager-types`.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { ActorHost, ServerActor } from '../servers/actor.js';
import { createActor, serverNameOf } from '../servers/create-actor.js';
import { Batch, type BatchResult } from './batch.js';
import { Call, CallState } from './call.js';
import { Deque } from './deque.js';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import {
  abortedError,
  overloadedError,
  refusedError,
  serverNotFoundError,
  shuttingDownError,
  timeoutError,
  toolNotFoundError,
} from '../errors/factories.js';
import { ServerStats, type Metrics } from '../metrics/server-stats.js';
import { ServerGuards } from '../resilience/guards.js';
import { HealthProbe } from '../resilience/health-probe.js';
import { resolveManagerOptions, type ManagerOptions, type ResolvedManagerOptions, type ServerConfig } from '../config/schemas.js';
import { healthOf, metricsOf, type ServerEntry } from './server-entry.js';
import type { CallToolResult, Tool } from '../wire/mcp-types.js';
import { Watchdog } from './watchdog.js';
import type { BatchCall, BatchOptions, ExecuteOptions, McpManagerEvents, ServerHealth, ServerInfo, ShutdownOptions } from '../api/manager-types.js';

export type { BatchCall, BatchOptions, ExecuteOptions, McpManagerEvents, ServerHealth, ServerInfo, ShutdownOptions } from '../api/manager-types.js';

/** What a metrics exporter reads of one server: its actor, counters and guards. */
export interface ServerSnapshot {
  readonly name: string;
  readonly actor: ServerActor;
  readonly stats: ServerStats;
  readonly guards: ServerGuards;
}

/** Reads the servers of a manager, for exporters inside mcpool (not part of the public API). */
export function serversOf(manager: McpManager): ServerSnapshot[] {
  return readServers(manager);
}

let readServers: (manager: McpManager) => ServerSnapshot[];

/** Deploys MCP servers as isolated actors and executes their tools. */
export class McpManager extends EventEmitter<McpManagerEvents> {
  readonly #options: ResolvedManagerOptions;
  readonly #startedAt = performance.now();
  readonly #byName = new Map<string, ServerEntry>();
  readonly #byId = new Map<string, ServerEntry>();
  /** Names being deployed, so two deployments of one name cannot race. */
  readonly #starting = new Set<string>();
  readonly #waiting = new Deque<Call>();
  #inFlight = 0;
  #initialized = false;
  #shutdown: Promise<void> | undefined;
  readonly #watchdog = new Watchdog(() => this.#expireOverdue());
  readonly #host: ActorHost = {
    settle: (call, result, error, now) => this.#settle(call, result, error, now),
    progress: (call, update) => {
      try {
        call.onProgress?.(update);
      } catch {
        // A throwing progress callback must not break the call it reports on.
      }
    },
    log: (record) => {
      this.emit('log', record);
    },
    notify: (notification) => {
      this.emit('serverNotification', notification);
    },
    callTool: (server, tool, args) => this.executeTool(server, tool, args as Record<string, unknown>),
  };

  static {
    readServers = (manager) => [...manager.#byName.values()];
  }

  /** Creates a manager; options are validated at once (`INVALID_CONFIG`). */
  constructor(options: ManagerOptions = {}) {
    super();
    this.#options = resolveManagerOptions(options);
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
    const requested = serverNameOf(config);
    if (typeof requested === 'string' && (this.#byName.has(requested) || this.#starting.has(requested))) {
      throw new McpoolError(ErrorCode.SERVER_EXISTS, `a server named "${requested}" is already deployed; shut it down first or pick another name`, { server: requested });
    }
    // Validates the config (INVALID_CONFIG) before anything starts.
    const { actor, timeoutMs, resilience } = createActor(config, this.#host, this.#options);
    const name = actor.name;
    this.#starting.add(name);
    try {
      await this.#startWithin(actor, this.#options.connectionTimeoutMs);
      if (this.#shutdown) {
        await actor.shutdown();
        throw shuttingDownError(undefined, undefined);
      }
      const toolNames = actor.listTools().map((tool) => tool.name);
      const probe = resilience.healthCheck === false ? undefined : new HealthProbe((ms) => actor.ping(ms), resilience.healthCheck);
      const entry: ServerEntry = { name, actor, stats: new ServerStats(toolNames), timeoutMs, guards: new ServerGuards(resilience, toolNames), probe };
      probe?.start();
      this.#byName.set(name, entry);
      this.#byId.set(actor.id, entry);
      return actor.id;
    } finally {
      this.#starting.delete(name);
    }
  }

  async #startWithin(actor: ServerActor, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${actor.name}" did not start within ${timeoutMs} ms (connectionTimeoutMs)`, { server: actor.name }));
      }, timeoutMs);
    });
    try {
      await Promise.race([actor.start(), timedOut]);
    } catch (error) {
      await actor.shutdown().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Calls one tool and resolves with its MCP `CallToolResult` (a tool that throws resolves with
   * `isError: true`). Engine failures reject with an `McpoolError` carrying a stable code.
   */
  executeTool(server: string, tool: string, args: Record<string, unknown> = {}, options?: ExecuteOptions): Promise<CallToolResult> {
    if (this.#shutdown) return Promise.reject(shuttingDownError(undefined, undefined));
    const entry = this.#lookup(server);
    if (entry === undefined) return Promise.reject(serverNotFoundError(server));
    const toolIndex = entry.actor.toolIndex(tool);
    if (toolIndex < 0) return Promise.reject(toolNotFoundError(entry.name, tool));
    const call = this.#newCall(entry, toolIndex, tool, args, options?.timeoutMs);
    return new Promise<CallToolResult>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
      if (options?.onProgress) call.onProgress = options.onProgress;
      if (options?.onServerRequest) call.onServerRequest = options.onServerRequest;
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
      const admitted: Call[] | undefined = options.signal ? [] : undefined;
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
          lastEntry = this.#lookup(spec.server);
        }
        const entry = lastEntry;
        if (entry === undefined) {
          batch.settle(i, undefined, serverNotFoundError(spec.server));
          continue;
        }
        const toolIndex = entry.actor.toolIndex(spec.tool);
        if (toolIndex < 0) {
          batch.settle(i, undefined, toolNotFoundError(entry.name, spec.tool));
          continue;
        }
        const call = this.#newCall(entry, toolIndex, spec.tool, spec.arguments ?? {}, options.timeoutMs, now);
        call.batch = batch;
        call.batchIndex = i;
        admitted?.push(call);
        this.#submit(call);
      }
      if (options.signal && admitted) this.#watchBatchSignal(options.signal, admitted);
    });
  }

  #newCall(entry: ServerEntry, toolIndex: number, tool: string, args: unknown, timeoutMs: number | undefined, now = performance.now()): Call {
    const timeout = timeoutMs ?? entry.guards.toolTimeouts[toolIndex] ?? entry.timeoutMs ?? this.#options.defaultTimeoutMs;
    return new Call(entry, toolIndex, tool, args, now, timeout > 0 ? now + timeout : Infinity);
  }

  /** Hooks a caller's signal to a call; false if it is already aborted (the call is answered). */
  #watchSignal(call: Call, signal: AbortSignal): boolean {
    if (signal.aborted) {
      call.reject?.(abortedError(call.target.name, call.tool, signal.reason));
      return false;
    }
    call.signal = signal;
    call.onAbort = () => this.#stopCall(call, abortedError(call.target.name, call.tool, signal.reason));
    signal.addEventListener('abort', call.onAbort, { once: true });
    return true;
  }

  #watchBatchSignal(signal: AbortSignal, calls: Call[]): void {
    const abort = (): void => {
      for (const call of calls) {
        if (call.state !== CallState.settled) this.#stopCall(call, abortedError(call.target.name, call.tool, signal.reason));
      }
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  }

  /** Admits a call, queues it, or rejects it when a bound is reached. */
  #submit(call: Call): void {
    const entry = call.target;
    const refusal = entry.guards.onArrival(call.toolIndex);
    if (refusal !== undefined) {
      this.#settle(call, undefined, refusedError(entry.name, call.tool, refusal), performance.now());
      return;
    }
    if (call.deadline < this.#watchdog.at) this.#watchdog.arm(call.deadline);
    if (this.#inFlight < this.#options.maxConcurrentOperations && this.#waiting.size === 0) {
      this.#admit(call);
    } else if (this.#waiting.size >= this.#options.maxQueuedOperations) {
      this.#settle(call, undefined, overloadedError(call.target.name, call.tool, 'the manager queue (maxQueuedOperations)'), performance.now());
    } else {
      call.state = CallState.waiting;
      entry.stats.waiting++;
      this.#waiting.push(call);
    }
  }

  #admit(call: Call): void {
    const entry = call.target;
    const stats = entry.stats;
    if (stats.admitted >= entry.actor.capacity) {
      this.#settle(call, undefined, overloadedError(entry.name, call.tool, `the server queue (maxQueue)`), performance.now());
      return;
    }
    const tool = stats.tools[call.toolIndex] ?? stats.tool(call.toolIndex, call.tool);
    const refusal = entry.guards.onAdmission(call.toolIndex, stats.admitted, tool.admitted);
    if (refusal !== undefined) {
      this.#settle(call, undefined, refusedError(entry.name, call.tool, refusal), performance.now());
      return;
    }
    call.state = CallState.admitted;
    this.#inFlight++;
    stats.admitted++;
    tool.admitted++;
    entry.actor.submit(call);
  }

  #admitWaiting(): void {
    const waiting = this.#waiting;
    while (waiting.size > 0 && this.#inFlight < this.#options.maxConcurrentOperations) {
      const call = waiting.shift()!;
      if (call.state !== CallState.waiting) continue;
      call.target.stats.waiting--;
      call.state = CallState.arriving;
      this.#admit(call);
    }
  }

  /** Ends a call early: a waiting call is answered here, an admitted one by its actor. */
  #stopCall(call: Call, error: McpoolError): void {
    if (call.state === CallState.waiting) this.#settle(call, undefined, error, performance.now());
    else if (call.state === CallState.admitted) call.target.actor.stop(call, error);
  }

  /** Answers a call exactly once and records it; later answers for it are ignored. */
  #settle(call: Call, result: CallToolResult | undefined, error: McpoolError | undefined, now: number): void {
    const previous = call.state;
    if (previous === CallState.settled) return;
    call.state = CallState.settled;
    const entry = call.target;
    const stats = entry.stats;
    const tool = stats.tools[call.toolIndex] ?? stats.tool(call.toolIndex, call.tool);
    if (previous === CallState.admitted) {
      this.#inFlight--;
      stats.admitted--;
      tool.admitted--;
      entry.guards.onAnswer(error?.code);
    } else if (previous === CallState.waiting) {
      stats.waiting--;
    }
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
    if (call.onAbort) call.signal!.removeEventListener('abort', call.onAbort);
    if (call.batch) call.batch.settle(call.batchIndex, result, error);
    else if (error) call.reject!(error);
    else call.resolve!(result!);
    if (previous === CallState.admitted && this.#waiting.size > 0) this.#admitWaiting();
  }

  /** Times out every overdue call and re-arms the watchdog for the next deadline. */
  #expireOverdue(): void {
    const now = performance.now();
    let next = Infinity;
    this.#waiting.forEach((call) => {
      if (call.state !== CallState.waiting) return;
      if (call.deadline <= now) this.#settle(call, undefined, timeoutError(call.target.name, call.tool), now);
      else if (call.deadline < next) next = call.deadline;
    });
    for (const entry of this.#byName.values()) next = Math.min(next, entry.actor.expireOverdue(now));
    if (next < Infinity) this.#watchdog.arm(next);
  }

  /** A deployed server by name or id. */
  #lookup(nameOrId: string): ServerEntry | undefined {
    return this.#byName.get(nameOrId) ?? this.#byId.get(nameOrId);
  }

  /** Every deployed server. */
  listServers(): ServerInfo[] {
    return [...this.#byName.values()].map(({ actor }) => ({ id: actor.id, name: actor.name, type: actor.type, state: actor.state, threads: actor.threads }));
  }

  /** The tools of one server (MCP `Tool` objects). */
  listTools(server: string): Promise<Tool[]>;
  /** The tools of every server. */
  listTools(): Promise<{ server: string; tool: Tool }[]>;
  listTools(server?: string): Promise<Tool[] | { server: string; tool: Tool }[]> {
    if (server === undefined) {
      return Promise.resolve([...this.#byName.values()].flatMap(({ name, actor }) => actor.listTools().map((tool) => ({ server: name, tool }))));
    }
    const entry = this.#lookup(server);
    return entry ? Promise.resolve(entry.actor.listTools()) : Promise.reject(serverNotFoundError(server));
  }

  /** Health of one server, by name or id; throws `SERVER_NOT_FOUND`. */
  getServerHealth(nameOrId: string): ServerHealth {
    const entry = this.#lookup(nameOrId);
    if (entry === undefined) throw serverNotFoundError(nameOrId);
    return healthOf(entry);
  }

  /** Counters and latency percentiles, overall and per server and tool. */
  getMetrics(): Metrics {
    return metricsOf(this.#byName.values(), this.#inFlight, performance.now() - this.#startedAt);
  }

  /**
   * Restarts a server: its threads (or child process, or connection) are replaced, its circuit
   * closes and an `unhealthy` state clears. Rejects with `SERVER_NOT_FOUND`.
   */
  async restartServer(nameOrId: string): Promise<void> {
    const entry = this.#lookup(nameOrId);
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
    const entry = this.#lookup(nameOrId);
    if (entry === undefined) throw serverNotFoundError(nameOrId);
    this.#byName.delete(entry.name);
    this.#byId.delete(entry.actor.id);
    entry.probe?.stop();
    const now = performance.now();
    this.#waiting.forEach((call) => {
      if (call.state === CallState.waiting && call.target === entry) this.#settle(call, undefined, shuttingDownError(entry.name, call.tool), now);
    });
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
    const now = performance.now();
    this.#waiting.forEach((call) => {
      if (call.state === CallState.waiting) this.#settle(call, undefined, shuttingDownError(undefined, call.tool), now);
    });
    await Promise.all([...this.#byName.keys()].map((name) => this.shutdownServer(name, options)));
    this.#watchdog.clear();
  }

  /** `await using manager = new McpManager()` shuts it down at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}
