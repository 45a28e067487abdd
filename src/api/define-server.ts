/**
 * @module api/define-server
 * Server authoring: `defineServer` and the types a server module is written against.
 * A server module is a plain ES module whose default export is `defineServer({...})`.
 */
import type { z } from 'zod';
import type { CallToolResult, LogLevel, TaskSupport, ToolAnnotations } from '../wire/mcp-types.js';

/** What a tool handler gets besides its arguments. */
export interface ToolContext {
  /** Aborted when the call times out, the caller aborts it, or the server shuts down. */
  readonly signal: AbortSignal;
  /** Reports progress to the caller's `onProgress` (and to MCP clients through the gateway). */
  progress(progress: number, total?: number, message?: string): void;
  /** Sends a log record to the manager (`manager.on('log', ...)`, MCP `notifications/message`). */
  log(level: LogLevel, data: unknown): void;
  /** Calls a tool of any deployed server, through the manager. */
  callTool(server: string, tool: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /**
   * Asks the user through the caller (MCP `elicitation/create`): resolves with the client's
   * `{ action, content? }`. The caller is the call's `onServerRequest` (library), or the
   * gateway's client in its era's form (a legacy server-to-client request, an MRTR
   * `input_required` round, a task's `input_required`). Rejects `TRANSPORT_ERROR` with
   * `data.reason` when no one can answer. `options.key` names the request in MRTR
   * `inputRequests` (default: made by the gateway, unique within the call).
   */
  elicit(params: { message: string; requestedSchema: Record<string, unknown>; [key: string]: unknown }, options?: AskOptions): Promise<Record<string, unknown>>;
  /** Asks the caller's LLM (MCP `sampling/createMessage`), relayed like {@link ToolContext.elicit}. */
  createMessage(params: { messages: unknown[]; maxTokens: number; [key: string]: unknown }, options?: AskOptions): Promise<Record<string, unknown>>;
  /** The caller's roots (MCP `roots/list`), relayed like {@link ToolContext.elicit}. */
  listRoots(options?: AskOptions): Promise<Record<string, unknown>>;
}

/** Options of a tool's request to its caller. */
export interface AskOptions {
  /** The request's key in MRTR `inputRequests` (unique within the call). */
  key?: string;
  /**
   * Ask before the call becomes a task: a gateway client that declared the tasks extension gets
   * it as an MRTR `input_required` round on its `tools/call`, and the task is made only once
   * the tool has its answers (a tool that gathers input, then works long). Without it, a
   * request of a call that may become a task makes it one, and the client answers through
   * `tasks/get` / `tasks/update`. Ignored where there are no tasks. @default false
   */
  beforeTask?: boolean;
}

/** One tool of a worker server. */
export interface ToolDefinition<Input extends z.ZodType = z.ZodType> {
  /** Shown to clients and models in `tools/list`. */
  description?: string;
  /** A human-readable display name. */
  title?: string;
  /** MCP tool annotations. */
  annotations?: ToolAnnotations;
  /**
   * Whether the gateway may run a call of this tool as a task (the tasks extension), listed as
   * the tool's `execution.taskSupport`: `forbidden` never; `optional` when the call runs long
   * or asks its client something; `required` for every call of a client with the extension
   * (one without it is refused, `-32021`). A server config's `tools.<name>.taskSupport`
   * overrides it. @default 'optional'
   */
  taskSupport?: TaskSupport;
  /** zod object schema of the arguments; the handler gets the parsed value. */
  inputSchema: Input;
  /** Optional zod object schema of the returned value; a mismatch fails with `INVALID_RESULT`. */
  outputSchema?: z.ZodType;
  /**
   * Runs the tool. A plain object becomes `structuredContent` (and a JSON text block), a string a
   * text block, an object with a `content` array passes through, and a throw becomes a tool
   * error (`isError: true`).
   */
  handler(args: z.output<Input>, ctx: ToolContext): unknown;
}

/** A server definition: what a server module default-exports. */
export interface ServerDefinition {
  name: string;
  version: string;
  description?: string;
  tools: Record<string, ToolDefinition>;
}

/** The input of {@link defineServer}; infers each handler's argument type from its schema. */
export interface ServerDefinitionInput<Schemas extends Record<string, z.ZodType>> {
  /** Server name reported to clients (the deployed name may differ). */
  name: string;
  /** Server version reported to clients. */
  version: string;
  description?: string;
  tools: { [Name in keyof Schemas]: ToolDefinition<Schemas[Name]> };
}

/** Marks a server definition so a worker can tell it from any other default export. */
export const serverDefinitionBrand: unique symbol = Symbol.for('mcpool.serverDefinition');

/**
 * Defines a worker server. Use it as the default export of a server module:
 * `export default defineServer({ name, version, tools: { ... } })`.
 */
export function defineServer<Schemas extends Record<string, z.ZodType>>(
  definition: ServerDefinitionInput<Schemas>,
): ServerDefinition {
  return Object.assign(definition as unknown as ServerDefinition, { [serverDefinitionBrand]: true });
}
