/**
 * @module gateway/tool-view
 * What `tools/list` shows each client: every tool of the servers behind the gateway (under its
 * exposed name), less what the client's scope (`gateway.clients`) hides, or the two tools of
 * search mode. A client's listing is computed once per tool list, not per request.
 */
import type { ClientScope } from './clients.js';
import type { Target } from './names.js';
import { searchModeTools, type SearchableTool } from './tool-search.js';

/** The tools of the gateway as each client sees them. */
export class ToolView {
  readonly #search: boolean;
  #tools: SearchableTool[] = [];
  #targets: Target[] = [];
  #scoped = new WeakMap<ClientScope, SearchableTool[]>();

  constructor(search: boolean) {
    this.#search = search;
  }

  /** True in search mode (`search_tools` and `call_tool` instead of every tool). */
  get search(): boolean {
    return this.#search;
  }

  /** Takes a new tool list: `tools[i]` (exposed name) is `targets[i]`. */
  set(tools: SearchableTool[], targets: Target[]): void {
    this.#tools = tools;
    this.#targets = targets;
    this.#scoped = new WeakMap();
  }

  /** Every tool `scope` sees, under its exposed name. */
  visible(scope: ClientScope | undefined): SearchableTool[] {
    if (scope === undefined) return this.#tools;
    let tools = this.#scoped.get(scope);
    if (tools === undefined) {
      tools = this.#tools.filter((_, i) => scope.allowsTool(this.#targets[i]!.server, this.#targets[i]!.name));
      this.#scoped.set(scope, tools);
    }
    return tools;
  }

  /** What `tools/list` answers to `scope`. */
  list(scope: ClientScope | undefined): unknown[] {
    return this.#search ? searchModeTools : this.visible(scope);
  }
}
