/**
 * @module engine/task-support
 * A server config's per-tool `taskSupport` overrides (`tools: { "<tool>": { "taskSupport":
 * "required" } }`): they replace what the tool declares (a worker tool's `taskSupport`, an
 * external tool's `execution.taskSupport`) in the server's tool listing, so the library, the CLI
 * and the gateway all see the same value.
 */
import type { TaskSupport, Tool } from '../wire/mcp-types.js';

/** The overrides of a server's `tools` config, or undefined when it has none (the common case). */
export function taskSupportOverrides(tools: Readonly<Record<string, { taskSupport?: TaskSupport | undefined }>>): ReadonlyMap<string, TaskSupport> | undefined {
  const overrides = new Map<string, TaskSupport>();
  for (const [name, limits] of Object.entries(tools)) if (limits.taskSupport !== undefined) overrides.set(name, limits.taskSupport);
  return overrides.size === 0 ? undefined : overrides;
}

/** `tools` with the overrides applied (new objects for the overridden tools only). */
export function withTaskSupport(tools: Tool[], overrides: ReadonlyMap<string, TaskSupport> | undefined): Tool[] {
  if (overrides === undefined) return tools;
  return tools.map((tool) => {
    const taskSupport = overrides.get(tool.name);
    return taskSupport === undefined ? tool : { ...tool, execution: { ...tool.execution, taskSupport } };
  });
}
