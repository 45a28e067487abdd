/**
 * @module gateway/clients
 * Client tool sets (`gateway.clients` in the config file): each bearer token names a client,
 * which sees and calls only its servers and the tools its `toolFilter` allows (on top of each
 * server's own `toolFilter`, which the manager applies). A hidden tool, prompt or resource is
 * answered as one that does not exist. The all-seeing `--token` and stdio have no scope.
 */
import { ToolFilter, toolFilterOf, type ToolFilterSpec } from '../engine/tool-filter.js';

/** A client of the gateway as configured. */
export interface GatewayClient {
  /** The bearer token that names it. */
  token: string;
  /** The servers it sees; absent: every server. */
  servers?: readonly string[] | undefined;
  /** Globs over the servers' own tool names. */
  toolFilter?: ToolFilterSpec | undefined;
  /** Whether it may read `/metrics`. @default false */
  metrics?: boolean | undefined;
}

/** What one client may see. */
export class ClientScope {
  readonly name: string;
  readonly metrics: boolean;
  readonly #servers: ReadonlySet<string> | undefined;
  readonly #filter: ToolFilter | undefined;

  constructor(name: string, client: GatewayClient) {
    this.name = name;
    this.metrics = client.metrics === true;
    this.#servers = client.servers === undefined ? undefined : new Set(client.servers);
    this.#filter = toolFilterOf(client.toolFilter);
  }

  /** Whether the client sees `server` at all (its resources and prompts too). */
  allowsServer(server: string): boolean {
    return this.#servers === undefined || this.#servers.has(server);
  }

  /** Whether the client sees and may call `tool` of `server` (the server's own name of it). */
  allowsTool(server: string, tool: string): boolean {
    return this.allowsServer(server) && (this.#filter === undefined || this.#filter.allows(tool));
  }
}

/** The scopes of configured clients, by name. */
export function scopesOf(clients: Readonly<Record<string, GatewayClient>> | undefined): Map<string, ClientScope> {
  return new Map(Object.entries(clients ?? {}).map(([name, client]) => [name, new ClientScope(name, client)]));
}
