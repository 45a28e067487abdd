/**
 * @module gateway/sources
 * Where the gateway's resources, resource templates, prompts and completion come from, behind
 * one interface: an external server (its MCP client) or a WebAssembly server whose plugin
 * exports them (hyper-mcp v2's `list_prompts`, `read_resource`, ...; the manager runs each as a
 * call on the plugin's threads, `McpManager.serverRequest`). Worker servers have none.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Manager } from '../engine/manager.js';
import { McpoolError } from '../errors/mcpool-error.js';
import type { ExternalActor } from '../servers/external/external-actor.js';
import type { ServerRequestHandler } from '../wire/mcp-types.js';
import { RpcCode, RpcFailure } from './errors.js';

/** What a source declares, as MCP server capabilities. */
export interface SourceCapabilities {
  resources?: { subscribe?: boolean | undefined } | undefined;
  prompts?: object | undefined;
  completions?: object | undefined;
}

/** A listed item: what the passthrough reads of prompts, resources and templates. */
export interface Named {
  name: string;
  uri?: string;
  uriTemplate?: string;
}

/** One server's resources, prompts and completion. */
export interface ServerSource {
  readonly server: string;
  capabilities(): SourceCapabilities | undefined;
  listPrompts(signal: AbortSignal): Promise<{ prompts: Named[] }>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }, signal: AbortSignal, onServerRequest?: ServerRequestHandler): Promise<unknown>;
  listResources(signal: AbortSignal): Promise<{ resources: (Named & { uri: string })[] }>;
  listResourceTemplates(signal: AbortSignal): Promise<{ resourceTemplates: (Named & { uriTemplate: string })[] }>;
  readResource(uri: string, signal: AbortSignal): Promise<unknown>;
  complete(params: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
  /** Absent: the source does not take subscriptions. */
  subscribe?(method: 'subscribe' | 'unsubscribe', uri: string, signal: AbortSignal): Promise<void>;
}

/** An external server, through its MCP client. */
export function externalSource(server: string, client: Client, actor: ExternalActor): ServerSource {
  return {
    server,
    capabilities: () => client.getServerCapabilities(),
    listPrompts: (signal) => client.listPrompts(undefined, { signal }),
    getPrompt: (params, signal, onServerRequest) => {
      const get = (): Promise<unknown> => client.getPrompt(params, { signal });
      return onServerRequest === undefined ? get() : actor.withServerRequests(onServerRequest, get);
    },
    listResources: (signal) => client.listResources(undefined, { signal }),
    listResourceTemplates: (signal) => client.listResourceTemplates(undefined, { signal }),
    readResource: (uri, signal) => client.readResource({ uri }, { signal }),
    complete: (params, signal) => client.complete(params as Parameters<Client['complete']>[0], { signal }),
    subscribe: async (method, uri, signal) => {
      if (method === 'subscribe') await client.subscribeResource({ uri }, { signal });
      else await client.unsubscribeResource({ uri }, { signal });
    },
  };
}

/** An array of `key` in a plugin's answer, or a failure that says the answer is malformed. */
function listOf<T>(server: string, method: string, result: Record<string, unknown>, key: string): T[] {
  const items = result[key];
  if (!Array.isArray(items)) throw new RpcFailure({ code: RpcCode.INTERNAL_ERROR, message: `server "${server}" answered ${method} without a "${key}" array` });
  return items as T[];
}

/** A plugin's refusal (an unknown prompt) is the client's bad request: -32602. */
function asRpc(error: unknown): never {
  if (error instanceof McpoolError && error.code === 'INVALID_ARGUMENTS') throw new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: error.message });
  throw error;
}

/** A WebAssembly server whose plugin exports prompts, resources or completion. */
export function pluginSource(server: string, manager: Manager, requests: readonly string[]): ServerSource {
  const has = (method: string): boolean => requests.includes(method);
  const ask = (method: string, params: Record<string, unknown>, signal: AbortSignal, onServerRequest?: ServerRequestHandler): Promise<Record<string, unknown>> =>
    manager.serverRequest(server, method, params, { signal, ...(onServerRequest === undefined ? {} : { onServerRequest }) });
  const empty = <T>(): Promise<T[]> => Promise.resolve([]);
  return {
    server,
    capabilities: () => ({
      ...(has('prompts/list') ? { prompts: {} } : {}),
      ...(has('resources/list') || has('resources/templates/list') || has('resources/read') ? { resources: {} } : {}),
      ...(has('completion/complete') ? { completions: {} } : {}),
    }),
    listPrompts: async (signal) => ({ prompts: has('prompts/list') ? listOf<Named>(server, 'prompts/list', await ask('prompts/list', {}, signal), 'prompts') : await empty<Named>() }),
    getPrompt: (params, signal, onServerRequest) => ask('prompts/get', params, signal, onServerRequest).catch(asRpc),
    listResources: async (signal) => ({
      resources: has('resources/list') ? listOf<Named & { uri: string }>(server, 'resources/list', await ask('resources/list', {}, signal), 'resources') : await empty<Named & { uri: string }>(),
    }),
    listResourceTemplates: async (signal) => ({
      resourceTemplates: has('resources/templates/list')
        ? listOf<Named & { uriTemplate: string }>(server, 'resources/templates/list', await ask('resources/templates/list', {}, signal), 'resourceTemplates')
        : await empty<Named & { uriTemplate: string }>(),
    }),
    readResource: (uri, signal) => ask('resources/read', { uri }, signal),
    complete: (params, signal) => (has('completion/complete') ? ask('completion/complete', params, signal).catch(asRpc) : Promise.resolve({ completion: { values: [], hasMore: false } })),
  };
}
