/**
 * @module api/mcp-manager
 * `McpManager`, the class users construct: the engine's manager (engine/manager) with its
 * options validated at once. The engine's class takes resolved options so that `mcpool serve`,
 * whose config is resolved in a thread (cli/serve-config), never loads the schemas on its main
 * thread; everything else a manager does is the engine's.
 */
import { resolveManagerOptions, type ManagerOptions } from '../config/manager-options.js';
import { Manager } from '../engine/manager.js';

/** Deploys MCP servers as isolated actors and executes their tools. */
export class McpManager extends Manager {
  /** Creates a manager; options are validated at once (`INVALID_CONFIG`). */
  constructor(options: ManagerOptions = {}) {
    super(resolveManagerOptions(options));
  }
}
