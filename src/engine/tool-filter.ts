/**
 * @module engine/tool-filter
 * A server's `toolFilter: { allow, deny }`: globs over the server's own tool names (`*` any
 * run of characters, `?` one). A tool is visible when some `allow` glob matches it (or there is
 * no `allow`) and no `deny` glob does. The manager applies it to listings and calls, so a hidden
 * tool is `TOOL_NOT_FOUND` everywhere: library, CLI and gateway alike.
 */

/** A tool filter as written in a config. */
export interface ToolFilterSpec {
  /** Globs of the tools to show; absent: every tool. */
  allow?: readonly string[] | undefined;
  /** Globs of the tools to hide, applied after `allow`. */
  deny?: readonly string[] | undefined;
}

/** A glob as a regular expression anchored at both ends. */
export function globRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** A compiled filter; decisions are remembered per tool name (tool names are few, calls many). */
export class ToolFilter {
  readonly #allow: RegExp[] | undefined;
  readonly #deny: RegExp[];
  readonly #decided = new Map<string, boolean>();

  constructor(spec: ToolFilterSpec) {
    this.#allow = spec.allow === undefined ? undefined : spec.allow.map(globRegExp);
    this.#deny = (spec.deny ?? []).map(globRegExp);
  }

  /** Whether `tool` passes the filter. */
  allows(tool: string): boolean {
    let decided = this.#decided.get(tool);
    if (decided === undefined) {
      decided = (this.#allow === undefined || this.#allow.some((glob) => glob.test(tool))) && !this.#deny.some((glob) => glob.test(tool));
      // A server that keeps renaming its tools must not grow this map without bound.
      if (this.#decided.size > 10_000) this.#decided.clear();
      this.#decided.set(tool, decided);
    }
    return decided;
  }
}

/** The filter of a spec, or undefined when the spec hides nothing (the hot path then skips it). */
export function toolFilterOf(spec: ToolFilterSpec | undefined): ToolFilter | undefined {
  if (spec === undefined || (spec.allow === undefined && (spec.deny ?? []).length === 0)) return undefined;
  return new ToolFilter(spec);
}
