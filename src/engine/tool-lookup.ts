/**
 * @module engine/tool-lookup
 * A server's tools as callers see them: what its actor lists, with the config's task support
 * over it, less what its `toolFilter` hides. A hidden tool is not found, exactly as one the
 * server does not have.
 */
import type { Tool } from '../wire/mcp-types.js';
import type { ServerEntry } from './server-entry.js';
import { withTaskSupport } from './task-support.js';

/** A server's tools that its `toolFilter` shows. */
export function visibleTools({ actor, filter, taskSupport }: ServerEntry): Tool[] {
  const tools = withTaskSupport(actor.listTools(), taskSupport);
  return filter === undefined ? tools : tools.filter((tool) => filter.allows(tool.name));
}

/** A tool's index on a server, or -1 when it has none or its `toolFilter` hides it. */
export function toolIndexOf(entry: ServerEntry, tool: string): number {
  const index = entry.actor.toolIndex(tool);
  return index >= 0 && entry.filter !== undefined && !entry.filter.allows(tool) ? -1 : index;
}
