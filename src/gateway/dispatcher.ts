/**
 * @module gateway/dispatcher
 * The gateway's MCP server logic, shared by the stdio and HTTP transports: `initialize`,
 * `ping`, `tools/list` and `tools/call` answered by the manager for every deployed server
 * (names `<server>__<tool>`), resources and prompts of external servers passed through,
 * progress and cancellation passed both ways.
 *
 * Why not the SDK's `McpServer` here: measured on this machine the SDK's Streamable HTTP
 * server answers about 4.4k trivial calls/s and its stdio server is bound the same way by
 * per-message schema parsing and per-request bookkeeping, while the engine behind the gateway
 * does hundreds of thousands; the gateway's targets (5x the SDK over HTTP, 2x over stdio)
 * need a thin path. So this module speaks JSON-RPC itself for the handful of methods a
 * gateway serves, with the SDK's protocol versions (src/gateway/versions.ts, checked against the SDK by a test); the SDK is
 * still what talks to external servers, and the tests check this server with the SDK's
 * clients (v1 and v2), the Inspector, the Python SDK and the conformance suite.
 *
 * Beside it: the exposed tools and their listings (`exposed-tools`), `initialize` and the
 * capabilities (`initialize`), the tool list per client (`tool-view`), resources and prompts of
 * external servers (`passthrough`).
 */
import type { Manager } from '../engine/manager.js';
import type { ExecuteOptions } from '../api/manager-types.js';
import type { CallToolResult, ProgressUpdate, ServerNotification, TaskSupport } from '../wire/mcp-types.js';
import { AbortHandle } from '../engine/abort-handle.js';
import { Listeners } from './eras/listen.js';
import { isLogLevel } from './logs.js';
import { RpcCode, RpcFailure, toolCallFailure } from './errors.js';
import type { Namer, Target } from './names.js';
import { Passthrough } from './passthrough.js';
import type { ClientSession } from './client-session.js';
import type { ClientScope } from './clients.js';
import type { Notify, Reply, RequestId, RpcNotification, RpcRequest } from './messages.js';
import { CALL_TOOL, SEARCH_TOOL, searchResult } from './tool-search.js';
import { ToolView } from './tool-view.js';
import type { ParamHeader } from './eras/param-headers.js';
import { exposeTools } from './exposed-tools.js';
import { capabilitiesOf, initializeSession, type GatewayInfo } from './initialize.js';
import { activeTracer, SpanKind, startSpan, traced, traceparentOf } from '../engine/tracing.js';

export type { Notify, Reply, RpcNotification, RpcRequest, RpcResponse } from './messages.js';
export type { GatewayInfo } from './initialize.js';

/** How the dispatcher lists tools. */
export interface DispatcherOptions {
  /** List `search_tools` and `call_tool` instead of every tool. @default false */
  toolSearch?: boolean | undefined;
}

/** Answers MCP requests from the manager. */
export class Dispatcher {
  readonly #manager: Manager;
  readonly #namer: Namer;
  readonly #info: GatewayInfo;
  readonly #passthrough: Passthrough;
  /** The `subscriptions/listen` streams of modern clients, fed with the servers' notifications. */
  readonly listeners = new Listeners();
  /** Exposed tool name -> server and tool, rebuilt when a name is not found. */
  #tools = new Map<string, Target>();
  /** Exposed tool name -> its declared task support, for the tools that declare one. */
  #taskSupport = new Map<string, TaskSupport>();
  /** The tool list as each client sees it (client scopes, search mode). */
  readonly #view: ToolView;
  /**
   * The session era's listing: the same tools without `execution.taskSupport`. Session clients
   * get no tasks (the gateway offers 2025-11-25's `capabilities.tasks` to none), so every tool
   * is a plain call for them; an SDK v1 client would refuse to call a tool listed as
   * task-required.
   */
  readonly #sessionView: ToolView;
  /** The `x-mcp-header` declarations of the exposed tools that have any (SEP-2243). */
  #paramHeaders = new Map<string, ParamHeader[]>();

  constructor(manager: Manager, namer: Namer, info: GatewayInfo, options: DispatcherOptions = {}) {
    this.#manager = manager;
    this.#namer = namer;
    this.#info = info;
    this.#passthrough = new Passthrough(manager, namer);
    this.#view = new ToolView(options.toolSearch === true);
    this.#sessionView = new ToolView(options.toolSearch === true);
  }

  /** Name and version announced to clients. */
  get info(): GatewayInfo {
    return this.#info;
  }

  /** Resources, prompts and completion of the external servers. */
  get passthrough(): Passthrough {
    return this.#passthrough;
  }

  /** Every tool `scope` sees, as exposed (refreshed from the manager), as `tools/list` answers it. */
  async toolList(scope?: ClientScope): Promise<unknown[]> {
    await this.refreshTools();
    return this.#view.list(scope);
  }

  /** The capabilities announced to clients of either era. */
  capabilities(): Record<string, unknown> {
    return capabilitiesOf(this.#passthrough.canSubscribe());
  }

  /** The server and tool of an exposed tool name as last listed (no refresh, no scope): the fast path. */
  knownTarget(name: string): Target | undefined {
    return this.#tools.get(name);
  }

  /** The `Mcp-Param-*` headers an exposed tool's calls carry, as last listed (undefined: none). */
  paramHeaders(name: string): readonly ParamHeader[] | undefined {
    return this.#paramHeaders.get(name);
  }

  /**
   * The server and tool an exposed tool name stands for, for a client with `scope`; `-32602`
   * when none, or when the scope hides it (a hidden tool is answered as an unknown one).
   */
  async target(name: string, scope?: ClientScope): Promise<Target> {
    let target = this.#tools.get(name);
    if (target === undefined) {
      await this.refreshTools();
      target = this.#tools.get(name);
    }
    if (target === undefined || (scope !== undefined && !scope.allowsTool(target.server, target.name))) {
      throw new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: `unknown tool: ${name} (tools/list shows the tools)`, data: { code: 'TOOL_NOT_FOUND' } });
    }
    return target;
  }

  /**
   * What a `tools/call` of either era runs, for a client with `scope`: the target and arguments,
   * or, in search mode, `search_tools`' answer (`call_tool` unwrapped to the tool it names).
   */
  async toolCall(params: Record<string, unknown>, scope: ClientScope | undefined): Promise<{ target: Target; name: string; args: Record<string, unknown>; result?: undefined } | { result: CallToolResult }> {
    let name = params.name;
    if (typeof name !== 'string') throw invalidParams('tools/call needs a "name" string');
    let args = params.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw invalidParams('tools/call "arguments" must be an object');
    if (this.#view.search && (name === SEARCH_TOOL || name === CALL_TOOL)) {
      const inner = args as Record<string, unknown>;
      if (name === SEARCH_TOOL) {
        await this.refreshTools();
        return { result: searchResult(this.#view.visible(scope), inner) };
      }
      name = inner.name;
      args = inner.arguments ?? {};
      if (typeof name !== 'string') throw invalidParams('call_tool needs a "name" string (a tool search_tools returned)');
      if (typeof args !== 'object' || args === null || Array.isArray(args)) throw invalidParams('call_tool "arguments" must be an object');
    }
    return { target: await this.target(name, scope), name, args: args as Record<string, unknown> };
  }

  /** Whether an exposed tool's calls may run as tasks (as last listed): what it declares, else `optional`. */
  taskSupportOf(name: string): TaskSupport {
    return this.#taskSupport.get(name) ?? 'optional';
  }

  /** Runs one tool call for either era. */
  execute(target: Target, args: Record<string, unknown>, options: ExecuteOptions): Promise<CallToolResult> {
    return this.#manager.executeTool(target.server, target.name, args, options);
  }

  /** Reads every server's tools and checks that no two expose the same name (`INVALID_CONFIG`). */
  async refreshTools(): Promise<void> {
    const { tools, taskSupport, exposed, targets, sessionExposed, paramHeaders } = exposeTools(await this.#manager.listTools(), this.#namer);
    this.#tools = tools;
    this.#taskSupport = taskSupport;
    this.#view.set(exposed, targets);
    this.#sessionView.set(sessionExposed, targets);
    this.#paramHeaders = paramHeaders;
  }

  /** Checks that no two servers expose the same tool, prompt or resource name (`INVALID_CONFIG`). */
  async checkNames(): Promise<void> {
    await this.refreshTools();
    await this.#passthrough.checkNames(AbortSignal.timeout(30_000));
  }

  /** Answers one request. Never rejects: every failure becomes a JSON-RPC error. */
  async handle(request: RpcRequest, session: ClientSession, notify: Notify | undefined): Promise<Reply> {
    const { id } = request;
    try {
      const result = await this.#dispatch(request, session, notify);
      return { response: { jsonrpc: '2.0', id, result }, status: 200 };
    } catch (error) {
      if (error instanceof RpcFailure) return { response: { jsonrpc: '2.0', id, error: error.rpc }, status: error.httpStatus };
      const failure = toolCallFailure(error);
      if (failure instanceof RpcFailure) return { response: { jsonrpc: '2.0', id, error: failure.rpc }, status: failure.httpStatus };
      return { response: { jsonrpc: '2.0', id, result: failure }, status: 200 };
    } finally {
      session.inFlight.delete(id);
    }
  }

  /**
   * Whether a server's notification goes to `session`: a resource update to the sessions that
   * subscribed to its URI, a list change to every session, neither to a client whose scope hides the server.
   */
  static wants(notification: ServerNotification, session: ClientSession): boolean {
    if (session.closed || (session.scope !== undefined && !session.scope.allowsServer(notification.server))) return false;
    if (notification.method !== 'notifications/resources/updated') return true;
    return typeof notification.params.uri === 'string' && session.subscriptions.has(notification.params.uri);
  }

  /** Handles a notification from the client. */
  notification(message: RpcNotification, session: ClientSession): void {
    if (message.method === 'notifications/cancelled') {
      const requestId = message.params?.requestId as RequestId | undefined;
      if (requestId === undefined) return;
      const controller = session.inFlight.get(requestId);
      if (controller === undefined) return;
      session.cancelled.add(requestId);
      controller.abort(new Error(typeof message.params?.reason === 'string' ? message.params.reason : 'cancelled by the client'));
    }
    // notifications/initialized, roots/list_changed, progress: nothing to do.
  }

  #signal(request: RpcRequest, session: ClientSession): AbortSignal {
    const controller = new AbortController();
    session.inFlight.set(request.id, controller);
    return controller.signal;
  }

  async #dispatch(request: RpcRequest, session: ClientSession, notify: Notify | undefined): Promise<unknown> {
    const params = request.params ?? {};
    switch (request.method) {
      case 'tools/call':
        return this.#callTool(request, params, session, notify);
      case 'ping':
        return {};
      case 'initialize':
        return initializeSession(params, session, this.#info, this.capabilities());
      case 'tools/list':
        await this.refreshTools();
        return { tools: this.#sessionView.list(session.scope) };
      case 'resources/list':
        return this.#passthrough.listResources(this.#signal(request, session), session.scope);
      case 'resources/templates/list':
        return this.#passthrough.listResourceTemplates(this.#signal(request, session), session.scope);
      case 'resources/read':
        if (typeof params.uri !== 'string') throw invalidParams('resources/read needs a "uri" string');
        return this.#passthrough.readResource(params.uri, this.#signal(request, session), session.scope);
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        if (typeof params.uri !== 'string') throw invalidParams(`${request.method} needs a "uri" string`);
        return this.#subscription(request, params.uri, session);
      case 'prompts/list':
        return this.#passthrough.listPrompts(this.#signal(request, session), session.scope);
      case 'prompts/get':
        if (typeof params.name !== 'string') throw invalidParams('prompts/get needs a "name" string');
        return this.#passthrough.getPrompt(params as { name: string; arguments?: Record<string, string> }, this.#signal(request, session), undefined, session.scope);
      case 'completion/complete':
        if (typeof params.ref !== 'object' || params.ref === null) throw invalidParams('completion/complete needs a "ref"');
        return this.#passthrough.complete(params as Parameters<Passthrough['complete']>[0], this.#signal(request, session), session.scope);
      case 'logging/setLevel':
        if (!isLogLevel(params.level)) throw invalidParams('logging/setLevel needs a "level": debug, info, notice, warning, error, critical, alert or emergency');
        session.logLevel = params.level;
        return {};
      default:
        throw new RpcFailure({ code: RpcCode.METHOD_NOT_FOUND, message: `method not found: ${request.method}` });
    }
  }

  /** Forwards a (un)subscription to the server and remembers it: updates reach subscribed sessions only. */
  async #subscription(request: RpcRequest, uri: string, session: ClientSession): Promise<object> {
    const subscribe = request.method === 'resources/subscribe';
    const result = await this.#passthrough.subscription(subscribe ? 'subscribe' : 'unsubscribe', uri, this.#signal(request, session), session.scope);
    if (subscribe) session.subscriptions.add(uri);
    else session.subscriptions.delete(uri);
    return result;
  }

  async #callTool(request: RpcRequest, params: Record<string, unknown>, session: ClientSession, notify: Notify | undefined): Promise<CallToolResult> {
    const call = await this.toolCall(params, session.scope);
    if (call.result !== undefined) return call.result;
    const { target, name, args } = call;
    const cancel = new AbortHandle();
    session.inFlight.set(request.id, cancel);
    const signal = cancel.signal;
    const meta = params._meta as { progressToken?: unknown; traceparent?: unknown } | undefined;
    const token = meta?.progressToken;
    const onServerRequest = session.onServerRequest;
    // With an OpenTelemetry SDK registered: the gateway's span, continuing the client's trace.
    const tracer = activeTracer();
    const span = tracer === undefined ? undefined : startSpan(tracer, `tools/call ${name}`, SpanKind.SERVER, meta?.traceparent, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': name });
    const traceparent = span === undefined ? undefined : traceparentOf(span);
    if (notify !== undefined && (typeof token === 'string' || typeof token === 'number')) {
      const onProgress = (update: ProgressUpdate): void => notify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, ...update } });
      return traced(this.execute(target, args, { signal, onProgress, onServerRequest, traceparent }), span);
    }
    return traced(this.execute(target, args, { signal, onServerRequest, traceparent }), span);
  }
}

function invalidParams(message: string): RpcFailure {
  return new RpcFailure({ code: RpcCode.INVALID_PARAMS, message });
}
