/**
 * @module servers/external/external-tools
 * An external server's tools as last listed, each with an index that is never reused (the
 * manager keeps per-tool counters by index), and listing them again after
 * `notifications/tools/list_changed`: at once, one listing at a time, and one more if the list
 * changed meanwhile. Not the SDK's refresh: it waits for 300 ms without a change, so a server
 * whose tools keep changing would never be listed again.
 */
import type { TaskSupport, Tool } from '../../wire/mcp-types.js';

/** The tools of one external server. */
export class ExternalTools {
  #tools: Tool[] = [];
  readonly #index = new Map<string, number>();
  /** The listed tools' indices, by name. */
  #current = new Map<string, number>();
  /** The listed tools' declared task support, by name (only those that declare one). */
  #support = new Map<string, TaskSupport>();
  /** A listing is in flight / another change was announced during it. */
  #refreshing = false;
  #refreshAgain = false;

  /** The tools as last listed. */
  get list(): Tool[] {
    return this.#tools;
  }

  /** The index of a listed tool, or -1. */
  indexOf(name: string): number {
    return this.#current.get(name) ?? -1;
  }

  /** The `execution.taskSupport` the server lists for a tool, if any. */
  taskSupportOf(name: string): TaskSupport | undefined {
    return this.#support.get(name);
  }

  /** Takes a new listing. */
  set(tools: Tool[]): void {
    const current = new Map<string, number>();
    const support = new Map<string, TaskSupport>();
    for (const tool of tools) {
      const declared = tool.execution?.taskSupport;
      if (declared !== undefined) support.set(tool.name, declared);
      let index = this.#index.get(tool.name);
      if (index === undefined) {
        index = this.#index.size;
        this.#index.set(tool.name, index);
      }
      current.set(tool.name, index);
    }
    this.#tools = tools;
    this.#current = current;
    this.#support = support;
  }

  /**
   * Lists the tools again with `list`, unless a listing is in flight (then it lists once more
   * after it). A listing from a connection no longer `current` is dropped; each one taken is
   * followed by `changed`. Rejects with the listing's failure.
   */
  async refresh(list: () => Promise<Tool[]>, current: () => boolean, changed: () => void): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    try {
      do {
        this.#refreshAgain = false;
        const tools = await list();
        if (!current()) return;
        this.set(tools);
        changed();
      } while (this.#refreshAgain);
    } finally {
      this.#refreshing = false;
    }
  }
}
