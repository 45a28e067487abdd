/**
 * @module servers/external/external-actor
 * What stdio and HTTP servers share: one MCP client connection (the official SDK's `Client`)
 * that carries every call of the server at once, tools learned at connect and refreshed on
 * `notifications/tools/list_changed`, and reconnection with backoff when the connection is
 * lost. The subclasses only make the transport.
 *
 * Calls are never sent one at a time: each admitted call is a JSON-RPC request on the shared
 * connection at once, answered by id. A call stopped by the manager (timeout, abort) is
 * answered at once and its request aborted, which makes the SDK send `notifications/cancelled`.
 * When the connection is lost, every call in flight on it fails with `TRANSPORT_ERROR` (the
 * SDK rejects its pending requests on close) and calls arriving while it is replaced fail with
 * `SERVER_UNAVAILABLE`, so nothing hangs.
 *
 * When to try a lost connection again is `reconnect-backoff`; the lean tool-call path on a
 * connection is `call-channel`; how its failures become engine errors is `external-errors`; the
 * tool list and its re-listing are `external-tools`; the server's requests to its client go to
 * the callers through `server-requests`; a 2025-11-25 server's own tasks are `task-channel`.
 */
import { packageVersion } from '../../api/version.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client, PriorDiscovery, Transport } from '@modelcontextprotocol/client';
import { loadClientSdk } from './client-sdk.js';
import { CallState, type Call } from '../../engine/call.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import { timeoutError } from '../../errors/factories.js';
import type { RestartPolicy } from '../../config/resilience-schema.js';
import type { ServerRequestHandler, Tool } from '../../wire/mcp-types.js';
import type { ServerState } from '../../api/server-types.js';
import type { ActorHost, ServerActor } from '../actor.js';
import { CallChannel, type ChannelHandlers, type ToolChannel } from './call-channel.js';
import { ModernCallChannel } from './modern-call-channel.js';
import { runsServerTasks, TaskChannel } from './task-channel.js';
import { externalCallError, externalRpcError, isConnectionLost } from './external-errors.js';
import { ExternalTools } from './external-tools.js';
import { ReconnectBackoff } from '../../resilience/reconnect-backoff.js';
import { relayServerRequest, type RequestScope } from './server-requests.js';

/** What a subclass gives the shared connection logic. */
export interface ExternalActorOptions {
  name: string;
  type: 'stdio' | 'http';
  timeoutMs: number | undefined;
  maxQueue: number | undefined;
  restart: RestartPolicy;
  /** Time one connect (handshake plus tools/list) may take. */
  connectionTimeoutMs: number;
  /** Which era to speak (`auto`: the newest the server offers). @default 'auto' */
  protocol?: 'auto' | 'legacy' | 'modern' | undefined;
}

/** How long an `auto` connect waits for a stdio server to answer `server/discover` before it takes it for a legacy one. */
const STDIO_PROBE_MS = 5_000;

/** An actor for a server reached over an MCP connection. */
export abstract class ExternalActor implements ServerActor {
  readonly id = randomUUID();
  readonly name: string;
  readonly type: 'stdio' | 'http';
  state: ServerState = 'starting';
  restarts = 0;
  readonly capacity: number;
  readonly queued = 0;

  protected readonly host: ActorHost;
  readonly #options: ExternalActorOptions;
  #client: Client | undefined;
  /** The tool-call path on the current connection (lean for the session era, the SDK's for the stateless one). */
  #channel: ToolChannel | undefined;
  /** Requests passed through (a prompt) whose caller can answer the server's requests meanwhile. */
  readonly #scopes = new Set<RequestScope>();
  readonly #tools = new ExternalTools();
  readonly #backoff: ReconnectBackoff;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #closing = false;
  /** The era the last connection negotiated (`auto` only): see {@link #eraOf}. */
  #era: PriorDiscovery | undefined;
  #drained: (() => void) | undefined;
  #lastError: string | undefined;

  constructor(options: ExternalActorOptions, host: ActorHost) {
    this.#options = options;
    this.name = options.name;
    this.type = options.type;
    this.host = host;
    this.capacity = options.maxQueue ?? Infinity;
    this.#backoff = new ReconnectBackoff(options.restart);
  }

  /** Loads what `makeTransport` needs (the SDK's transport module). */
  protected abstract loadTransport(): Promise<void>;
  /** Makes a fresh transport for one connection attempt. */
  protected abstract makeTransport(): Transport;
  /** Adds detail (such as a child's stderr) to a failure message. */
  protected describeFailure(message: string): string {
    return message;
  }
  /** Releases what the last transport held beyond the client (called after each client closes). */
  protected releaseTransport(): void {}

  get threads(): number {
    return this.#client === undefined ? 0 : 1;
  }

  /**
   * The last failure; while the server is not healthy a subclass may report something better (a
   * child's stderr) through `recentOutput`. A healthy server's ordinary stderr (a start-up banner)
   * is not an error.
   */
  get lastError(): string | undefined {
    if (this.state === 'healthy') return this.#lastError;
    return this.recentOutput() ?? this.#lastError;
  }

  /** Recent diagnostic output of the server (a child's last stderr lines), if any. */
  protected recentOutput(): string | undefined {
    return undefined;
  }

  /** The connected SDK client, or undefined while the connection is being replaced. */
  /**
   * Runs a passed-through request (`prompts/get`, `resources/read`) during which the server's
   * own requests (sampling, elicitation, roots) go to `onServerRequest`, as a tool call's do.
   */
  async withServerRequests<T>(onServerRequest: ServerRequestHandler, run: () => Promise<T>): Promise<T> {
    const scope: RequestScope = { onServerRequest };
    this.#scopes.add(scope);
    try {
      return await run();
    } finally {
      this.#scopes.delete(scope);
    }
  }

  get client(): Client | undefined {
    return this.#client;
  }

  async start(): Promise<void> {
    try {
      await this.#connect();
    } catch (error) {
      this.state = 'stopped';
      const message = this.describeFailure(messageOf(error));
      this.#lastError = message;
      throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" failed to start: ${message}`, { server: this.name, cause: error });
    }
    this.state = 'healthy';
  }

  /**
   * Opens a connection: handshake, then the tool list; the client is used only once both succeeded.
   * `reuseEra`: a reconnection after a lost connection adopts the era the last one negotiated
   * (see {@link #era}) instead of probing again.
   */
  async #connect(reuseEra = false): Promise<void> {
    const { Client } = await loadClientSdk();
    await this.loadTransport();
    const client = new Client(
      { name: 'mcpool', version: packageVersion() },
      {
        // What a caller can answer through `onServerRequest` (server-requests.ts).
        capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
        // Not the SDK's refresh (external-tools.ts says why): it only tells us.
        listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => this.#refreshTools(client) } },
        // The newest era the server offers (2026-07-28: stateless, per-request _meta), unless the
        // config says otherwise. A stdio server silent on server/discover is a legacy one.
        versionNegotiation: this.#negotiation(),
      },
    );
    client.onerror = (error) => {
      this.#lastError = this.describeFailure(messageOf(error));
    };
    client.setNotificationHandler('notifications/message', (notification) => {
      const { level, data, logger } = notification.params;
      this.host.log({ server: this.name, level: level, data: logger === undefined ? data : { logger, data } });
    });
    for (const method of ['notifications/resources/updated', 'notifications/resources/list_changed', 'notifications/prompts/list_changed'] as const) {
      client.setNotificationHandler(method, (notification) => {
        if (client === this.#client) this.host.notify({ server: this.name, method, params: { ...notification.params } });
      });
    }
    for (const method of ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const) {
      client.setRequestHandler(method, (request, ctx) => {
        const calls = client === this.#client ? this.#channel?.calls : undefined;
        const scopes = this.#scopes.size === 0 ? (calls ?? []) : [...(calls ?? []), ...this.#scopes];
        return relayServerRequest(this.name, method, request.params, scopes, ctx.mcpReq.signal) as never;
      });
    }
    const timeout = this.#options.connectionTimeoutMs;
    try {
      const prior = reuseEra ? this.#era : undefined;
      await client.connect(this.makeTransport(), prior === undefined ? { timeout } : { timeout, prior });
      this.#era = this.#eraOf(client);
      const { tools } = await client.listTools(undefined, { timeout });
      this.#tools.set(tools as Tool[]);
    } catch (error) {
      await client.close().catch(() => undefined);
      this.releaseTransport();
      throw error;
    }
    if (this.#closing) {
      // Shut down while connecting (e.g. the manager's connectionTimeoutMs passed): drop it.
      await client.close().catch(() => undefined);
      this.releaseTransport();
      throw new McpoolError(ErrorCode.SHUTTING_DOWN, `server "${this.name}" was shut down while connecting`, { server: this.name });
    }
    client.onclose = () => this.#lost(client, 'the connection closed');
    this.#channel = this.#openChannel(client);
    this.#client = client;
  }

  /**
   * What an `auto` connection negotiated, for the next reconnection after a lost one: over stdio
   * the SDK probes on a sibling process it spawns for the purpose (measured: 270-540 ms more per
   * connect than `protocol: "legacy"`), and the same command answers the same era again. An
   * explicit `restart()` (a reload may have changed the server) probes afresh.
   */
  #eraOf(client: Client): PriorDiscovery | undefined {
    if ((this.#options.protocol ?? 'auto') !== 'auto') return undefined;
    const discover = client.getDiscoverResult();
    return discover === undefined ? { kind: 'legacy' } : { kind: 'modern', discover };
  }

  /** The SDK client's era negotiation for this server's `protocol`. */
  #negotiation(): { mode: 'auto' | 'legacy' | { pin: string }; probe?: { timeoutMs: number } } {
    const protocol = this.#options.protocol ?? 'auto';
    if (protocol === 'legacy') return { mode: 'legacy' };
    if (protocol === 'modern') return { mode: { pin: '2026-07-28' } };
    return { mode: 'auto', probe: { timeoutMs: this.type === 'stdio' ? Math.min(STDIO_PROBE_MS, this.#options.connectionTimeoutMs) : this.#options.connectionTimeoutMs } };
  }

  /** The era the current connection speaks, once connected. */
  get era(): 'legacy' | 'modern' | undefined {
    return this.#client?.getProtocolEra();
  }

  #openChannel(client: Client): ToolChannel {
    const host = this.host;
    const settled = (call: Call): boolean => {
      call.handle = undefined;
      if (this.#closing && this.#channel?.size === 0) this.#drained?.();
      return call.state === CallState.settled;
    };
    const handlers: ChannelHandlers = {
      result: (call, result) => {
        if (!settled(call)) host.settle(call, result, undefined, performance.now());
      },
      rpcError: (call, error) => {
        if (!settled(call)) host.settle(call, undefined, externalRpcError(this.name, call.tool, error), performance.now());
      },
      progress: (call, update) => host.progress(call, update),
      failed: (call, error) => {
        if (!settled(call)) host.settle(call, undefined, externalCallError(this.name, call.tool, error), performance.now());
        if (isConnectionLost(error)) this.#lost(client, messageOf(error));
      },
      error: (call, error) => {
        if (!settled(call)) host.settle(call, undefined, error, performance.now());
      },
    };
    if (client.getProtocolEra() === 'modern') return new ModernCallChannel(client, handlers);
    const lean = new CallChannel(client.transport!, handlers);
    // A 2025-11-25 server may run calls as its own tasks (task-channel.ts); an older one never does.
    return runsServerTasks(client.getNegotiatedProtocolVersion()) ? new TaskChannel(this.name, lean, client, handlers, (tool) => this.#tools.taskSupportOf(tool)) : lean;
  }

  listTools(): Tool[] {
    return this.#tools.list;
  }

  toolIndex(name: string): number {
    return this.#tools.indexOf(name);
  }

  /** Lists the tools of `client`'s connection again after `notifications/tools/list_changed`. */
  #refreshTools(client: Client): void {
    this.#tools
      .refresh(
        async () => (await client.listTools(undefined, { timeout: this.#options.connectionTimeoutMs })).tools as Tool[],
        () => client === this.#client,
        () => this.host.notify({ server: this.name, method: 'notifications/tools/list_changed', params: {} }),
      )
      .catch((error: unknown) => {
        this.#lastError = `refreshing tools failed: ${messageOf(error)}`;
      });
  }

  submit(call: Call): void {
    const client = this.#client;
    if (client === undefined) {
      const why = this.#closing ? 'is shutting down' : 'is reconnecting';
      const code = this.#closing ? ErrorCode.SHUTTING_DOWN : ErrorCode.SERVER_UNAVAILABLE;
      this.host.settle(call, undefined, new McpoolError(code, `server "${this.name}" ${why}; retry shortly`, { server: this.name, tool: call.tool }), performance.now());
      return;
    }
    this.#channel!.send(call);
  }

  stop(call: Call, error: McpoolError): void {
    this.host.settle(call, undefined, error, performance.now());
    this.#channel?.cancel(call, error.message);
    if (this.#closing && this.#channel?.size === 0) this.#drained?.();
  }

  expireOverdue(now: number): number {
    let next = Infinity;
    if (this.#channel === undefined) return next;
    for (const call of [...this.#channel.calls]) {
      if (call.state === CallState.settled) continue;
      if (call.deadline <= now) {
        this.stop(call, timeoutError(this.name, call.tool));
      } else if (call.deadline < next) next = call.deadline;
    }
    return next;
  }

  /** Pings the server within `timeoutMs`; rejects with `SERVER_UNAVAILABLE` (reconnecting) or `TRANSPORT_ERROR`. */
  async ping(timeoutMs = this.#options.connectionTimeoutMs): Promise<void> {
    const client = this.#client;
    if (client === undefined) throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" is reconnecting`, { server: this.name });
    try {
      await client.ping({ timeout: timeoutMs });
    } catch (error) {
      throw new McpoolError(ErrorCode.TRANSPORT_ERROR, `server "${this.name}" did not answer a ping: ${messageOf(error)}`, { server: this.name, cause: error });
    }
  }

  /** Forgets a connection: calls in flight on it fail with `TRANSPORT_ERROR`, and it is closed. */
  #dropConnection(client: Client, reason: string): void {
    this.#client = undefined;
    const channel = this.#channel;
    this.#channel = undefined;
    // Calls in flight on a lost connection fail now rather than wait for answers that cannot come.
    channel?.failAll(new Error(`the connection was lost: ${reason}`));
    client.onclose = () => undefined;
    void client.close().catch(() => undefined);
  }

  /** The connection `client` is gone: drop it (its pending calls fail) and schedule a new one. */
  #lost(client: Client, reason: string): void {
    if (client !== this.#client) return;
    this.#lastError = this.describeFailure(reason);
    this.#dropConnection(client, reason);
    if (this.#closing) return;
    this.state = 'degraded';
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const { delayMs, exhausted } = this.#backoff.next();
    // Past the restart budget the server is reported unhealthy, and retried at the slowest pace.
    if (exhausted) this.state = 'unhealthy';
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#reconnect();
    }, delayMs);
  }

  async #reconnect(): Promise<void> {
    if (this.#closing) return;
    this.restarts++;
    this.#backoff.attempted();
    try {
      await this.#connect(true);
    } catch (error) {
      this.#lastError = this.describeFailure(messageOf(error));
      this.#backoff.failed();
      if (!this.#closing) this.#scheduleReconnect();
      return;
    }
    this.#backoff.succeeded();
    this.state = 'healthy';
  }

  /**
   * Replaces the connection (or child process) now and clears an `unhealthy` state: calls in
   * flight on the old one fail with `TRANSPORT_ERROR`. Rejects with `SERVER_UNAVAILABLE` when the
   * new connection fails (reconnection then goes on with backoff).
   */
  async restart(): Promise<void> {
    if (this.#closing) throw new McpoolError(ErrorCode.SHUTTING_DOWN, `server "${this.name}" is shutting down`, { server: this.name });
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#backoff.reset();
    const old = this.#client;
    if (old !== undefined) {
      this.#dropConnection(old, 'restarted on request');
    }
    this.state = 'starting';
    this.restarts++;
    try {
      await this.#connect();
    } catch (error) {
      const message = this.describeFailure(messageOf(error));
      this.#lastError = message;
      this.state = 'degraded';
      this.#backoff.failed();
      if (!this.#closing) this.#scheduleReconnect();
      throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" failed to restart: ${message}`, { server: this.name, cause: error });
    }
    this.state = 'healthy';
  }

  /**
   * Graceful stop: calls in flight finish (for at most `timeoutMs`, after which they answer
   * `SHUTTING_DOWN` and are cancelled on the server), then the connection closes (a child
   * process is ended).
   */
  async shutdown(timeoutMs = Infinity): Promise<void> {
    this.#closing = true;
    this.state = 'stopped';
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    const channel = this.#channel;
    if (channel !== undefined && channel.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        if (timeoutMs !== Infinity) {
          timer = setTimeout(() => {
            const now = performance.now();
            for (const call of [...channel.calls]) {
              this.host.settle(call, undefined, new McpoolError(ErrorCode.SHUTTING_DOWN, `server "${this.name}" shut down before the call finished`, { server: this.name, tool: call.tool }), now);
              channel.cancel(call, 'the server is shutting down');
            }
            resolve();
          }, timeoutMs);
        }
      });
      clearTimeout(timer);
    }
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.onclose = () => undefined;
      await client.close().catch(() => undefined);
    }
    this.releaseTransport();
  }
}
