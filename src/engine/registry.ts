/**
 * @module engine/registry
 * The deployed servers, by name and by id, in deployment order, and the snapshots read from
 * them. It is the one place the manager, the Prometheus exporter and the gateway find servers:
 * they reach it as `manager.registry` (internal: not in the published types).
 */
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import type { ServerActor } from '../servers/actor.js';
import type { ServerEntry } from './server-entry.js';

/** What an exporter or the gateway reads of one server: its actor, counters and guards. */
export type ServerSnapshot = Pick<ServerEntry, 'name' | 'actor' | 'stats' | 'guards' | 'admitted' | 'waiting'>;

/** The servers of one manager. */
export class ServerRegistry {
  readonly #byName = new Map<string, ServerEntry>();
  readonly #byId = new Map<string, ServerEntry>();
  /** Names being deployed, so two deployments of one name cannot race. */
  readonly #starting = new Set<string>();

  /** Claims `name` for a deployment; `SERVER_EXISTS` when it is deployed or being deployed. */
  reserve(name: string): void {
    if (this.#byName.has(name) || this.#starting.has(name)) {
      throw new McpoolError(ErrorCode.SERVER_EXISTS, `a server named "${name}" is already deployed; shut it down first or pick another name`, { server: name });
    }
    this.#starting.add(name);
  }

  /** Ends a deployment's claim on `name` (it is added, or it failed). */
  release(name: string): void {
    this.#starting.delete(name);
  }

  add(entry: ServerEntry): void {
    this.#byName.set(entry.name, entry);
    this.#byId.set(entry.id, entry);
  }

  remove(entry: ServerEntry): void {
    this.#byName.delete(entry.name);
    this.#byId.delete(entry.id);
  }

  /** Puts a reloaded server's new entry where its old one was (same name, id and order). */
  replace(old: ServerEntry, next: ServerEntry): void {
    this.#byName.set(old.name, next);
    this.#byId.set(old.id, next);
  }

  /** A deployed server by name or id. */
  lookup(nameOrId: string): ServerEntry | undefined {
    return this.#byName.get(nameOrId) ?? this.#byId.get(nameOrId);
  }

  /** Every deployed server, in deployment order. */
  entries(): IterableIterator<ServerEntry> {
    return this.#byName.values();
  }

  /** Every server's name, in deployment order. */
  names(): string[] {
    return [...this.#byName.keys()];
  }

  /** Read-only views of every server, for exporters. */
  snapshots(): ServerSnapshot[] {
    return [...this.#byName.values()];
  }

  /** The actor of a deployed server, by name or id. */
  actorOf(nameOrId: string): ServerActor | undefined {
    return this.lookup(nameOrId)?.actor;
  }
}
