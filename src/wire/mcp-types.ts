/**
 * @module wire/mcp-types
 * MCP result and tool shapes used across mcpool. They match the MCP specification's
 * `CallToolResult` and `Tool`, without pulling the SDK into the engine's hot path.
 */

/** One MCP content block (`text`, `image`, `audio`, `resource_link`, `resource`). */
export interface ContentBlock {
  type: string;
  [key: string]: unknown;
}

/** The MCP result of a tool call. */
export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  [key: string]: unknown;
}

/** MCP tool annotations (hints for clients; never trusted for security). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * Whether a tool's calls may run as tasks (the tasks extension, `io.modelcontextprotocol/tasks`):
 * `forbidden` never, `optional` when the gateway decides (a call that runs long or asks the
 * client), `required` always (a client without the extension is refused, `-32021`).
 */
export type TaskSupport = 'forbidden' | 'optional' | 'required';

/** An MCP `Tool` as returned by `tools/list`: schemas are JSON Schema objects. */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  outputSchema?: { type: 'object'; [key: string]: unknown };
  annotations?: ToolAnnotations;
  /** MCP's `execution` field: the tool's task support, when declared (absent: `optional` at the gateway). */
  execution?: { taskSupport?: TaskSupport; [key: string]: unknown };
}

/** Progress of one call, as given to `onProgress`. */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** Log levels of MCP's `notifications/message` (RFC 5424 syslog levels). */
export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/**
 * A request a server sends to its client while one of its tools runs: MCP's
 * `sampling/createMessage` (ask the client's LLM), `elicitation/create` (ask the user) or
 * `roots/list` (the client's roots); an external server's, or a worker tool's
 * (`ctx.createMessage`, `ctx.elicit`, `ctx.listRoots`).
 */
export interface ServerRequest {
  /** The server that asked. */
  server: string;
  method: 'sampling/createMessage' | 'elicitation/create' | 'roots/list';
  params: Record<string, unknown>;
  /**
   * The key a worker tool gave the request (MRTR `inputRequests` key); the gateway makes one
   * when absent. Keys are unique within one call.
   */
  key?: string;
  /**
   * A worker tool asked it before its call becomes a task (`AskOptions.beforeTask`): for a
   * client with the tasks extension the gateway puts it as an MRTR round on the original
   * request and makes the task only after it is answered.
   */
  beforeTask?: boolean;
}

/**
 * Answers a `ServerRequest` with the MCP result (for example `{ role, content, model }` for
 * sampling, `{ action, content }` for elicitation), or rejects (the server gets an error).
 * `signal` fires when the server gives up on the request.
 */
export type ServerRequestHandler = (request: ServerRequest, signal: AbortSignal) => Promise<Record<string, unknown>>;

/**
 * A notification an external server sent that concerns its clients, not one call: a resource
 * it was asked to watch changed, or its list of resources, prompts or tools changed.
 */
export interface ServerNotification {
  /** The server that sent it. */
  server: string;
  method: 'notifications/resources/updated' | 'notifications/resources/list_changed' | 'notifications/prompts/list_changed' | 'notifications/tools/list_changed';
  params: Record<string, unknown>;
}
