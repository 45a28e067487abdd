/**
 * @module gateway/names
 * How the gateway names what it serves: `<server><separator><name>` (`math__add`), or a
 * server's own names when its config sets `"prefix": ""` (a transparent proxy). The same rule
 * applies to tools, prompts and resource names.
 */
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';

/** The default separator between a server's name and a tool's. */
export const DEFAULT_SEPARATOR = '__';

/** What an exposed name points at. */
export interface Target {
  server: string;
  name: string;
}

/** Turns server names into exposed prefixes and back. */
export class Namer {
  constructor(
    readonly prefixes: Readonly<Record<string, string>> = {},
    readonly separator = DEFAULT_SEPARATOR,
  ) {}

  /** The prefix of a server's names. */
  prefixOf(server: string): string {
    return this.prefixes[server] ?? `${server}${this.separator}`;
  }

  /** The exposed name of a server's item. */
  expose(server: string, name: string): string {
    return this.prefixOf(server) + name;
  }

  /**
   * Maps every exposed name to its server and name; a name two servers would expose is an
   * `INVALID_CONFIG` (set a prefix on one of them).
   */
  index(items: Iterable<Target>, what: string): Map<string, Target> {
    const map = new Map<string, Target>();
    for (const item of items) {
      const exposed = this.expose(item.server, item.name);
      const other = map.get(exposed);
      if (other !== undefined && other.server !== item.server) {
        throw new McpoolError(
          ErrorCode.INVALID_CONFIG,
          `${what} name "${exposed}" is exposed by both "${other.server}" and "${item.server}"; give one of them a "prefix" in the config`,
        );
      }
      map.set(exposed, item);
    }
    return map;
  }
}
