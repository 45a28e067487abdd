/**
 * @module gateway/exposed-tools
 * Every deployed server's tools as the gateway exposes them (`<server>__<tool>`, checked for
 * clashes by the namer): which server and tool a name stands for, the task support each tool
 * declares, its `x-mcp-header` parameters (SEP-2243), and the two listings: the modern era's,
 * and the session era's without `execution.taskSupport`.
 */
import type { Tool, TaskSupport } from '../wire/mcp-types.js';
import type { Namer, Target } from './names.js';
import type { SearchableTool } from './tool-search.js';
import { paramHeadersOf, type ParamHeader } from './eras/param-headers.js';

/** A server's tool under its exposed name. */
export type ExposedTool = Tool & SearchableTool;

/** The exposed tools, made anew on each refresh from the manager's list. */
export interface ExposedTools {
  /** Exposed tool name -> server and tool (`INVALID_CONFIG` when two servers expose one name). */
  readonly tools: Map<string, Target>;
  /** Exposed tool name -> its declared task support, for the tools that declare one. */
  readonly taskSupport: Map<string, TaskSupport>;
  /** The tools under their exposed names, in the manager's order. */
  readonly exposed: ExposedTool[];
  /** The server and tool of each of `exposed`, in the same order. */
  readonly targets: Target[];
  /** `exposed` as the session era lists it (see `withoutTaskSupport`). */
  readonly sessionExposed: ExposedTool[];
  /** The `x-mcp-header` declarations of the exposed tools that have any. */
  readonly paramHeaders: Map<string, ParamHeader[]>;
}

/** Exposes `all` (every server's tools) under the namer's names. */
export function exposeTools(all: readonly { server: string; tool: Tool }[], namer: Namer): ExposedTools {
  const tools = namer.index(
    all.map(({ server, tool }) => ({ server, name: tool.name })),
    'tool',
  );
  const support = new Map<string, TaskSupport>();
  for (const { server, tool } of all) {
    const declared = tool.execution?.taskSupport;
    if (declared !== undefined) support.set(namer.expose(server, tool.name), declared);
  }
  const exposed = all.map(({ server, tool }) => ({ ...tool, name: namer.expose(server, tool.name) }));
  const targets = all.map(({ server, tool }) => ({ server, name: tool.name }));
  const paramHeaders = new Map<string, ParamHeader[]>();
  for (const tool of exposed) {
    const declared = paramHeadersOf(tool.inputSchema);
    if (declared.length > 0) paramHeaders.set(tool.name, declared);
  }
  return { tools, taskSupport: support, exposed, targets, sessionExposed: support.size === 0 ? exposed : exposed.map(withoutTaskSupport), paramHeaders };
}

/**
 * A tool as the session era lists it: its `execution` without `taskSupport` (dropped when
 * nothing else is in it). Session clients get no tasks, so every tool is a plain call for them;
 * an SDK v1 client would refuse to call a tool listed as task-required.
 */
function withoutTaskSupport<T extends { execution?: { taskSupport?: TaskSupport; [key: string]: unknown } }>(tool: T): T {
  if (tool.execution?.taskSupport === undefined) return tool;
  const execution: Record<string, unknown> = { ...tool.execution };
  delete execution.taskSupport;
  const copy = { ...tool };
  if (Object.keys(execution).length === 0) delete copy.execution;
  else copy.execution = execution;
  return copy;
}
