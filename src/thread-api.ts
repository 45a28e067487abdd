/**
 * @module thread-api
 * What `import ... from 'mcpool'` gives a server module inside a server's worker thread: the
 * authoring API (`defineServer`) and the error class and codes a tool may throw or test. The
 * threads resolve the package through the `mcpool-thread` export condition, so a thread does
 * not load the manager, the gateway and the config schemas it never uses (measured: the full
 * entry cost each thread 8-10 MB of RSS). The main thread's entry is `index.ts`.
 */
export { defineServer } from './api/define-server.js';
export type { ServerDefinition, ServerDefinitionInput, ToolContext, ToolDefinition } from './api/define-server.js';
export { McpoolError, ErrorCode } from './errors/mcpool-error.js';
export type { McpoolErrorDetails } from './errors/mcpool-error.js';
export type { CallToolResult, ContentBlock, LogLevel, ProgressUpdate, TaskSupport, Tool, ToolAnnotations } from './wire/mcp-types.js';
