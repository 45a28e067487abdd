/**
 * @module gateway/passthrough
 * Resources, resource templates and prompts of external servers and of WebAssembly plugins
 * that export them (`gateway/sources`), passed through the gateway under namespaced names
 * (worker servers have none). Resource URIs stay as the server wrote them; the gateway
 * remembers which server listed a URI to route `resources/read` to it.
 * Each method takes the client's scope (`gateway.clients`): servers it hides take no part.
 */
// Type only: the external kinds' code loads when such a server is deployed (servers/create-actor).
import type { ExternalActor } from '../servers/external/external-actor.js';
import type { ServerRequestHandler } from '../wire/mcp-types.js';
import type { Manager } from '../engine/manager.js';
import { messageOf } from '../errors/mcpool-error.js';
import { RpcCode, RpcFailure } from './errors.js';
import type { Namer } from './names.js';
import type { ClientScope } from './clients.js';
import { hintsOf, mergeHints, type CacheHints } from './eras/caching.js';
import { externalSource, pluginSource, type ServerSource, type SourceCapabilities } from './sources.js';

/** A list answer's items under `key`, and the whole answer (for its caching hints). */
function itemsOf<R, K extends keyof R>(result: R, key: K): { items: R[K]; result: unknown } {
  return { items: result[key], result };
}

/** Reads resources and prompts of every server that has them. */
export class Passthrough {
  /** URI (or URI template) -> server that listed it. */
  readonly #uris = new Map<string, string>();
  /** Exposed prompt name -> server that listed it (two servers with prefix "" share a namespace). */
  readonly #prompts = new Map<string, string>();

  constructor(
    readonly manager: Manager,
    readonly namer: Namer,
  ) {}

  /** The servers with `capability` (that `scope` shows), in config order. */
  #remotes(capability: keyof SourceCapabilities, scope?: ClientScope): ServerSource[] {
    const remotes: ServerSource[] = [];
    for (const { id, name, type } of this.manager.listServers()) {
      if (type === 'worker' || (scope !== undefined && !scope.allowsServer(name))) continue;
      const actor = this.manager.registry.actorOf(id);
      let source: ServerSource | undefined;
      if (actor !== undefined && (type === 'stdio' || type === 'http')) {
        const external = actor as ExternalActor;
        const client = external.client;
        if (client !== undefined) source = externalSource(name, client, external);
      } else if (actor?.requests !== undefined && actor.requests.length > 0) {
        source = pluginSource(name, this.manager, actor.requests);
      }
      if (source?.capabilities()?.[capability] !== undefined) remotes.push(source);
    }
    return remotes;
  }

  /**
   * What every server with `capability` lists, each item with the server that listed it, in
   * server order (config order, then each server's own order), and the caching hints of every
   * answer (a legacy server gives none). A server that fails to answer lists nothing: the others
   * still answer.
   */
  async #collect<T>(capability: 'resources' | 'prompts', list: (source: ServerSource) => Promise<{ items: T[]; result: unknown }>, scope?: ClientScope): Promise<{ server: string; item: T }[] & { hints?: (CacheHints | undefined)[] }> {
    const answers = await Promise.all(
      this.#remotes(capability, scope).map(async (source) => {
        const answer = await list(source).catch(() => ({ items: [] as T[], result: undefined }));
        return { items: answer.items.map((item) => ({ server: source.server, item })), hints: hintsOf(answer.result) };
      }),
    );
    const items: { server: string; item: T }[] & { hints?: (CacheHints | undefined)[] } = answers.flatMap((answer) => answer.items);
    items.hints = answers.map((answer) => answer.hints);
    return items;
  }

  /**
   * Checks that no two servers expose the same prompt or resource name (possible with
   * `"prefix": ""`): `INVALID_CONFIG`, as for tools. A server that cannot list them is skipped.
   */
  async checkNames(signal: AbortSignal): Promise<void> {
    const [prompts, resources] = await Promise.all([
      this.#collect('prompts', async (source) => itemsOf(await source.listPrompts(signal), 'prompts')),
      this.#collect('resources', async (source) => itemsOf(await source.listResources(signal), 'resources')),
    ]);
    this.namer.index(
      prompts.map(({ server, item }) => ({ server, name: item.name })),
      'prompt',
    );
    this.namer.index(
      resources.map(({ server, item }) => ({ server, name: item.name })),
      'resource',
    );
  }

  async listResources(signal: AbortSignal, scope?: ClientScope): Promise<{ resources: unknown[]; hints: CacheHints }> {
    const listed = await this.#collect('resources', async (source) => itemsOf(await source.listResources(signal), 'resources'), scope);
    return {
      resources: listed.map(({ server, item }) => {
        this.#uris.set(item.uri, server);
        return { ...item, name: this.namer.expose(server, item.name) };
      }),
      hints: mergeHints(listed.hints ?? []),
    };
  }

  async listResourceTemplates(signal: AbortSignal, scope?: ClientScope): Promise<{ resourceTemplates: unknown[]; hints: CacheHints }> {
    const listed = await this.#collect('resources', async (source) => itemsOf(await source.listResourceTemplates(signal), 'resourceTemplates'), scope);
    return {
      resourceTemplates: listed.map(({ server, item }) => {
        this.#uris.set(item.uriTemplate, server);
        return { ...item, name: this.namer.expose(server, item.name) };
      }),
      hints: mergeHints(listed.hints ?? []),
    };
  }

  async readResource(uri: string, signal: AbortSignal, scope?: ClientScope): Promise<unknown> {
    const remotes = this.#remotes('resources', scope);
    const known = this.#uris.get(uri);
    // The server that listed the URI first; a URI made from a template may belong to any server.
    const ordered = known === undefined ? remotes : [...remotes.filter((r) => r.server === known), ...remotes.filter((r) => r.server !== known)];
    let last: unknown;
    for (const source of ordered) {
      try {
        return await source.readResource(uri, signal);
      } catch (error) {
        last = error;
      }
    }
    throw new RpcFailure({ code: RpcCode.RESOURCE_NOT_FOUND, message: `no server has resource ${uri}${last === undefined ? '' : `: ${messageOf(last)}`}`, data: { uri } });
  }

  /**
   * `resources/subscribe` and `resources/unsubscribe`, sent to the server that listed the URI.
   * The server's update notifications reach the subscribed sessions through the manager's
   * `serverNotification` event (src/gateway/gateway.ts).
   */
  async subscription(method: 'subscribe' | 'unsubscribe', uri: string, signal: AbortSignal, scope?: ClientScope): Promise<object> {
    const remotes = this.#remotes('resources', scope).filter((source) => source.subscribe !== undefined && source.capabilities()?.resources?.subscribe === true);
    const known = this.#uris.get(uri);
    const remote = remotes.find((r) => r.server === known) ?? remotes[0];
    if (remote === undefined) throw new RpcFailure({ code: RpcCode.METHOD_NOT_FOUND, message: `no server behind this gateway supports resources/${method}` });
    await remote.subscribe!(method, uri, signal);
    return {};
  }

  /** True when some external server supports resource subscriptions. */
  canSubscribe(): boolean {
    return this.#remotes('resources').some((source) => source.subscribe !== undefined && source.capabilities()?.resources?.subscribe === true);
  }

  async listPrompts(signal: AbortSignal, scope?: ClientScope): Promise<{ prompts: unknown[]; hints: CacheHints }> {
    const listed = await this.#collect('prompts', async (source) => itemsOf(await source.listPrompts(signal), 'prompts'), scope);
    return {
      prompts: listed.map(({ server, item }) => {
        const name = this.namer.expose(server, item.name);
        this.#prompts.set(name, server);
        return { ...item, name };
      }),
      hints: mergeHints(listed.hints ?? []),
    };
  }

  /** The server and own name of an exposed prompt name: the server that listed it, else the first whose prefix fits. */
  async #promptTarget(exposed: string, capability: 'prompts' | 'completions', signal: AbortSignal, scope?: ClientScope): Promise<{ remote: ServerSource; name: string }> {
    if (!this.#prompts.has(exposed)) await this.listPrompts(signal);
    const remotes = this.#remotes(capability, scope);
    const lister = remotes.find((remote) => remote.server === this.#prompts.get(exposed));
    if (lister !== undefined) return { remote: lister, name: exposed.slice(this.namer.prefixOf(lister.server).length) };
    for (const remote of remotes) {
      const prefix = this.namer.prefixOf(remote.server);
      if (exposed.startsWith(prefix)) return { remote, name: exposed.slice(prefix.length) };
    }
    throw new RpcFailure({ code: RpcCode.INVALID_PARAMS, message: `no prompt named "${exposed}"` });
  }

  /** Gets a prompt; the server's requests to its client meanwhile go to `onServerRequest` (when given). */
  async getPrompt(params: { name: string; arguments?: Record<string, string> }, signal: AbortSignal, onServerRequest?: ServerRequestHandler, scope?: ClientScope): Promise<unknown> {
    const { remote, name } = await this.#promptTarget(params.name, 'prompts', signal, scope);
    return remote.getPrompt({ ...params, name }, signal, onServerRequest);
  }

  async complete(params: { ref: { type: string; name?: string; uri?: string }; argument: { name: string; value: string } }, signal: AbortSignal, scope?: ClientScope): Promise<unknown> {
    const empty = { completion: { values: [], hasMore: false } };
    const { ref } = params;
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const { remote, name } = await this.#promptTarget(ref.name, 'completions', signal, scope);
      return remote.complete({ ...params, ref: { type: 'ref/prompt', name } }, signal);
    }
    if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
      const server = this.#uris.get(ref.uri);
      const remote = this.#remotes('completions', scope).find((r) => r.server === server);
      return remote ? remote.complete(params, signal) : empty;
    }
    return empty;
  }
}
