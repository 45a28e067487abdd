/**
 * @module gateway/eras/modern
 * The stateless era (MCP 2026-07-28) of the gateway, for both transports: no session, every
 * request validated on its own in the order the specification's conformance suite checks
 * (`_meta` envelope -32602, header vs body version -32020, supported version -32022, method
 * -32601, routing headers -32020, client capability -32021), then answered from the same
 * dispatcher as the session era, every result marked with `resultType` and, where cacheable,
 * caching hints. `subscriptions/listen` is handed back to the transport, which owns the stream.
 * The tasks extension (src/gateway/tasks/) is offered in `server/discover` and served here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher, Reply } from '../dispatcher.js';
import { RpcCode, RpcFailure, toolCallFailure, type RpcError } from '../errors.js';
import type { RequestId } from '../messages.js';
import { MODERN_PROTOCOL_VERSIONS } from '../versions.js';
import { completeResult } from './caching.js';
import { HEADER_MISMATCH, MISSING_CAPABILITY, UNSUPPORTED_VERSION } from './classify.js';
import { declaresTasks, readEnvelope, SERVER_INFO_KEY, TASKS_EXTENSION, type Envelope } from './envelope.js';
import { routingHeaderMismatch, versionHeaderMismatch } from './headers.js';
import { paramHeaderMismatch } from './param-headers.js';
import { honouredFilter, type ListenFilter } from './listen.js';
import { ModernToolCalls } from './mrtr.js';
import type { ModernRequest } from './modern-request.js';
import type { ClientScope } from '../clients.js';
import { missingTasksError } from './missing-tasks.js';
import { taskMethod } from '../tasks/task-methods.js';
import { TaskStore, type TaskLimits } from '../tasks/task-store.js';

/** The tasks extension's settings (`GatewayOptions.tasks`). */
export type TaskOptions = { [Key in keyof TaskLimits]?: TaskLimits[Key] | undefined } & {
  /** A task-capable call that has neither ended nor asked the client by then becomes a task. @default 250 */
  promoteAfterMs?: number | undefined;
};

/** How long a task-capable call runs before it becomes a task, unless it says otherwise. */
const DEFAULT_PROMOTE_AFTER_MS = 250;

/** Methods of the stateless era this gateway answers; any other is 404 / -32601. */
const METHODS = new Set([
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'subscriptions/listen',
  'tasks/get',
  'tasks/update',
  'tasks/cancel',
]);

/** What a transport does with a modern request: send a reply, or open a listen stream. */
export type ModernOutcome = Reply | { listen: ListenFilter; id: RequestId; scope?: ClientScope | undefined };

function reply(id: RequestId, result: unknown, status = 200): Reply {
  return { response: { jsonrpc: '2.0', id, result }, status };
}

function failure(id: RequestId, status: number, error: RpcError): Reply {
  return { response: { jsonrpc: '2.0', id, error }, status };
}

/** Answers the stateless era's requests. */
export class ModernEra {
  readonly #dispatcher: Dispatcher;
  readonly #calls: ModernToolCalls;
  readonly #tasks: TaskStore;

  constructor(dispatcher: Dispatcher, tasks: TaskOptions = {}) {
    this.#dispatcher = dispatcher;
    const { promoteAfterMs, ...limits } = tasks;
    this.#tasks = new TaskStore(limits);
    // A task's status changes reach the listen streams that asked for its id.
    this.#tasks.onChange = (task) => dispatcher.listeners.publish('notifications/tasks', { ...task.detailed() });
    this.#calls = new ModernToolCalls(dispatcher, this.#tasks, promoteAfterMs ?? DEFAULT_PROMOTE_AFTER_MS);
  }

  /** Cancels what waits for clients that will not come back (parked calls, running tasks); the gateway is closing. */
  close(): void {
    this.#calls.close();
    this.#tasks.close();
  }

  /** Answers one request; never rejects. */
  async handle(incoming: ModernRequest): Promise<ModernOutcome> {
    const { request, headers } = incoming;
    const { id, method } = request;
    const params = request.params ?? {};
    const envelope = readEnvelope(params);
    if (typeof envelope === 'string') return failure(id, 400, { code: RpcCode.INVALID_PARAMS, message: `Invalid params: ${envelope}` });
    if (headers !== undefined) {
      const mismatch = versionHeaderMismatch(headers, envelope.version);
      if (mismatch !== undefined) return failure(id, 400, { code: HEADER_MISMATCH, message: `Bad Request: the request headers and body disagree: ${mismatch}` });
    }
    if (!MODERN_PROTOCOL_VERSIONS.includes(envelope.version)) {
      return failure(id, 400, {
        code: UNSUPPORTED_VERSION,
        message: `Unsupported protocol version ${envelope.version} (this gateway speaks ${MODERN_PROTOCOL_VERSIONS.join(', ')} statelessly, and the 2024-11-05 … 2025-11-25 revisions through initialize)`,
        data: { supported: [...MODERN_PROTOCOL_VERSIONS], requested: envelope.version },
      });
    }
    if (!METHODS.has(method)) return failure(id, 404, { code: RpcCode.METHOD_NOT_FOUND, message: `Method not found: ${method}` });
    if (headers !== undefined) {
      const mismatch = routingHeaderMismatch(headers, method, params);
      if (mismatch !== undefined) return failure(id, 400, { code: HEADER_MISMATCH, message: `Bad Request: the request headers and body disagree: ${mismatch}` });
    }
    if (method.startsWith('tasks/') && !declaresTasks(envelope.capabilities)) return missingTasks(id);
    try {
      // tools/call, the hot one, skips #dispatch's async frame.
      return await (method === 'tools/call' ? this.#toolCall(incoming, params, envelope) : this.#dispatch(incoming, params, envelope));
    } catch (error) {
      const rpc = error instanceof RpcFailure ? error : toolCallFailure(error);
      if (rpc instanceof RpcFailure) {
        // -32002 (resource not found) is gone in this era: a missing resource is -32602.
        const code = rpc.rpc.code === RpcCode.RESOURCE_NOT_FOUND ? RpcCode.INVALID_PARAMS : rpc.rpc.code;
        return failure(id, code === MISSING_CAPABILITY ? 400 : rpc.httpStatus, { ...rpc.rpc, code });
      }
      return reply(id, completeResult(method, rpc));
    }
  }

  async #dispatch(incoming: ModernRequest, params: Record<string, unknown>, envelope: Envelope): Promise<ModernOutcome> {
    // A client's scope (gateway.clients) hides servers and tools exactly as in the session era.
    const { request, cancel, scope } = incoming;
    const { id, method } = request;
    const passthrough = this.#dispatcher.passthrough;
    if (method === 'prompts/get') return this.#calls.prompt(incoming, params, envelope);
    // The SDK's client wants a real AbortSignal for the external servers' methods.
    const controller = new AbortController();
    cancel.addEventListener('abort', () => controller.abort(cancel.reason));
    const signal = controller.signal;
    switch (method) {
      case 'server/discover':
        return reply(id, this.#discover());
      case 'tools/list':
        return reply(id, completeResult(method, { tools: await this.#dispatcher.toolList(scope) }));
      case 'resources/list': {
        const { resources, hints } = await passthrough.listResources(signal, scope);
        return reply(id, completeResult(method, { resources, ...hints }));
      }
      case 'resources/templates/list': {
        const { resourceTemplates, hints } = await passthrough.listResourceTemplates(signal, scope);
        return reply(id, completeResult(method, { resourceTemplates, ...hints }));
      }
      case 'resources/read':
        if (typeof params.uri !== 'string') throw invalidParams('resources/read needs a "uri" string');
        return reply(id, completeResult(method, copy(await passthrough.readResource(params.uri, signal, scope))));
      case 'prompts/list': {
        const { prompts, hints } = await passthrough.listPrompts(signal, scope);
        return reply(id, completeResult(method, { prompts, ...hints }));
      }
      case 'completion/complete':
        if (typeof params.ref !== 'object' || params.ref === null) throw invalidParams('completion/complete needs a "ref"');
        return reply(id, completeResult(method, copy(await passthrough.complete(params as Parameters<typeof passthrough.complete>[0], signal, scope))));
      case 'subscriptions/listen': {
        const tasks = declaresTasks(envelope.capabilities);
        const asked = (params.notifications as { taskIds?: unknown } | undefined)?.taskIds;
        if (!tasks && Array.isArray(asked) && asked.length > 0) return missingTasks(id);
        const filter = honouredFilter(params.notifications, passthrough.canSubscribe(), tasks);
        if (filter === undefined) throw invalidParams('subscriptions/listen needs "notifications": a filter object (toolsListChanged, promptsListChanged, resourcesListChanged, resourceSubscriptions, taskIds)');
        // Only the principal's own tasks are honoured (another's id looks unknown).
        if (filter.taskIds !== undefined) {
          const own = filter.taskIds.filter((taskId) => this.#tasks.owns(taskId, incoming.principal));
          if (own.length > 0) filter.taskIds = own;
          else delete filter.taskIds;
        }
        return { listen: filter, id, scope };
      }
      default:
        return reply(id, taskMethod(this.#tasks, method, params, incoming.principal));
    }
  }

  /** A `tools/call`: its `Mcp-Param-*` headers checked, then the call (may throw an `RpcFailure`). */
  #toolCall(incoming: ModernRequest, params: Record<string, unknown>, envelope: Envelope): Promise<Reply> {
    const listing = incoming.headers === undefined ? undefined : this.#checkParamHeaders(params, incoming.headers);
    if (listing !== undefined) return listing.then(() => this.#calls.call(incoming, params, envelope));
    return this.#calls.call(incoming, params, envelope);
  }

  /**
   * The `Mcp-Param-*` headers of a `tools/call` fit its arguments (SEP-2243), else `-32020` / 400.
   * Synchronous for a listed tool (undefined, or throws): a promise only when the list must be
   * read first, so a common call pays no extra await.
   */
  #checkParamHeaders(params: Record<string, unknown>, headers: IncomingHttpHeaders): Promise<void> | undefined {
    const name = params.name;
    if (typeof name !== 'string') return undefined;
    const declared = this.#dispatcher.paramHeaders(name);
    if (declared === undefined && this.#dispatcher.knownTarget(name) === undefined) {
      // Not listed yet (or unknown): the list is read before the call is refused or let through.
      return this.#dispatcher.refreshTools().then(() => this.#checkDeclared(this.#dispatcher.paramHeaders(name), params, headers));
    }
    this.#checkDeclared(declared, params, headers);
    return undefined;
  }

  /** Throws the `-32020` of headers that do not fit the arguments of a tool that declares some. */
  #checkDeclared(declared: ReturnType<Dispatcher['paramHeaders']>, params: Record<string, unknown>, headers: IncomingHttpHeaders): void {
    if (declared === undefined) return;
    const mismatch = paramHeaderMismatch(declared, params.arguments, headers);
    if (mismatch !== undefined) throw new RpcFailure({ code: HEADER_MISMATCH, message: `Bad Request: the request headers and body disagree: ${mismatch}` }, 400);
  }

  #discover(): Record<string, unknown> {
    const { name, version, instructions } = this.#dispatcher.info;
    return completeResult('server/discover', {
      supportedVersions: [...MODERN_PROTOCOL_VERSIONS],
      capabilities: { ...this.#dispatcher.capabilities(), extensions: { [TASKS_EXTENSION]: {} } },
      ...(instructions === undefined ? {} : { instructions }),
      _meta: { [SERVER_INFO_KEY]: { name, version } },
    });
  }
}

/** The -32021 of a tasks method (or a task-required tool) called without the tasks extension. */
export function missingTasks(id: RequestId): Reply {
  return failure(id, 400, missingTasksError());
}

function copy(result: unknown): Record<string, unknown> {
  return { ...(result as Record<string, unknown>) };
}

function invalidParams(message: string): RpcFailure {
  return new RpcFailure({ code: RpcCode.INVALID_PARAMS, message });
}
