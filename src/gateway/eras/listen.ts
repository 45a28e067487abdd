/**
 * @module gateway/eras/listen
 * `subscriptions/listen` of the stateless era: each open listen stream has a filter (tool,
 * prompt and resource list changes, updates of given resource URIs, given task ids), and the
 * servers' notifications reach the streams whose filter asks for them, each tagged with the
 * stream's subscription id (the listen request's id). Nothing a stream did not ask for is sent,
 * nor anything of a server its client's scope (`gateway.clients`) hides.
 */
import type { RequestId } from '../messages.js';
import { SUBSCRIPTION_ID_KEY } from './envelope.js';
import type { ClientScope } from '../clients.js';

/** A listen request's filter, as honoured (only what the gateway can deliver). */
export interface ListenFilter {
  toolsListChanged?: true;
  promptsListChanged?: true;
  resourcesListChanged?: true;
  resourceSubscriptions?: string[];
  taskIds?: string[];
}

/** One message to a listen stream. */
export type ListenWrite = (message: { jsonrpc: '2.0'; method: string; params: Record<string, unknown> }) => void;

interface Listener {
  id: RequestId;
  filter: ListenFilter;
  write: ListenWrite;
  /** The client's scope (`gateway.clients`): notifications of servers it hides are not sent. */
  scope: ClientScope | undefined;
}

/** The honoured part of a requested filter: `true` flags and non-empty URI and task lists only. */
export function honouredFilter(requested: unknown, canSubscribe: boolean, tasks: boolean): ListenFilter | undefined {
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) return undefined;
  const asked = requested as Record<string, unknown>;
  const filter: ListenFilter = {};
  if (asked.toolsListChanged === true) filter.toolsListChanged = true;
  if (asked.promptsListChanged === true) filter.promptsListChanged = true;
  if (asked.resourcesListChanged === true) filter.resourcesListChanged = true;
  const uris = stringList(asked.resourceSubscriptions);
  if (uris === null) return undefined;
  if (canSubscribe && uris.length > 0) filter.resourceSubscriptions = uris;
  const taskIds = stringList(asked.taskIds);
  if (taskIds === null) return undefined;
  if (tasks && taskIds.length > 0) filter.taskIds = taskIds;
  return filter;
}

/** A list of strings, [] when absent, null when malformed. */
function stringList(value: unknown): string[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null;
  return value;
}

/** Whether `filter` asks for a notification. */
function accepts(filter: ListenFilter, method: string, params: Record<string, unknown>): boolean {
  switch (method) {
    case 'notifications/tools/list_changed':
      return filter.toolsListChanged === true;
    case 'notifications/prompts/list_changed':
      return filter.promptsListChanged === true;
    case 'notifications/resources/list_changed':
      return filter.resourcesListChanged === true;
    case 'notifications/resources/updated':
      return typeof params.uri === 'string' && filter.resourceSubscriptions?.includes(params.uri) === true;
    case 'notifications/tasks':
      return typeof params.taskId === 'string' && filter.taskIds?.includes(params.taskId) === true;
    default:
      return false;
  }
}

/** A notification tagged with a subscription id (its other `_meta` kept). */
export function tagged(method: string, params: Record<string, unknown>, id: RequestId): { jsonrpc: '2.0'; method: string; params: Record<string, unknown> } {
  const meta = params._meta as Record<string, unknown> | undefined;
  return { jsonrpc: '2.0', method, params: { ...params, _meta: { ...meta, [SUBSCRIPTION_ID_KEY]: id } } };
}

/** The open listen streams of every modern client, over both transports. */
export class Listeners {
  readonly #open = new Set<Listener>();

  /** How many streams are open. */
  get size(): number {
    return this.#open.size;
  }

  /** Sends the acknowledgement and then what `filter` asks for through `write`; returns the stop function. */
  open(id: RequestId, filter: ListenFilter, write: ListenWrite, scope?: ClientScope): () => void {
    write(tagged('notifications/subscriptions/acknowledged', { notifications: filter }, id));
    const listener: Listener = { id, filter, write, scope };
    this.#open.add(listener);
    return () => this.#open.delete(listener);
  }

  /**
   * Delivers one notification of a server (`server`: its name) or of the gateway (a task's
   * status; no server) to the streams that asked for it and whose scope shows that server.
   */
  publish(method: string, params: Record<string, unknown>, server?: string): void {
    for (const listener of this.#open) {
      if (server !== undefined && listener.scope !== undefined && !listener.scope.allowsServer(server)) continue;
      if (accepts(listener.filter, method, params)) listener.write(tagged(method, params, listener.id));
    }
  }
}
