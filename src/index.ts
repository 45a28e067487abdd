/**
 * @module mcpool
 * The public API. Every export is listed by name: anything added here becomes public API.
 */
export { McpManager } from './api/mcp-manager.js';
export type {
  BatchCall,
  BatchOptions,
  ExecuteOptions,
  McpManagerEvents,
  ServerHealth,
  ServerInfo,
  ServerTaskOptions,
  ServerTaskState,
  ServerTaskStatus,
  ShutdownOptions,
} from './api/manager-types.js';
export { defineServer } from './api/define-server.js';
export type { AskOptions, ServerDefinition, ServerDefinitionInput, ToolContext, ToolDefinition } from './api/define-server.js';
export { McpoolError, ErrorCode } from './errors/mcpool-error.js';
export type { McpoolErrorDetails } from './errors/mcpool-error.js';
export type { BatchError, BatchProgress, BatchResult } from './api/batch-types.js';
export type { ManagerOptions } from './config/manager-options.js';
export type { ServerConfig } from './config/server-config.js';
export type { HttpServerInput, StdioServerInput } from './config/external-schema.js';
export type { NatsServerInput } from './config/nats-schema.js';
export type { WasmServerInput } from './config/wasm-schema.js';
export type { WorkerServerInput } from './config/worker-schema.js';
export type { CircuitState, LogRecord, NodeHealth, ServerState, ServerType } from './api/server-types.js';
export { serveOverNats } from './servers/nats/serve-over-nats.js';
export type { NatsNode, NatsNodeOptions } from './servers/nats/serve-over-nats.js';
export type { Metrics, ServerMetrics, ToolMetrics } from './metrics/server-stats.js';
export type { LatencySummary } from './metrics/histogram.js';
export type { CallToolResult, ContentBlock, LogLevel, ProgressUpdate, ServerNotification, ServerRequest, ServerRequestHandler, TaskSupport, Tool, ToolAnnotations } from './wire/mcp-types.js';
export { loadConfig, parseConfig } from './config/config-file.js';
export type { LoadedConfig } from './config/config-file.js';
export { createPrometheusRegistry } from './metrics/prometheus.js';
export { startGateway } from './gateway/gateway.js';
export type { GatewayOptions, RunningGateway } from './gateway/gateway.js';
export type { TaskOptions } from './gateway/eras/modern.js';
export type { GatewayInfo } from './gateway/dispatcher.js';
export type { HttpGatewayOptions } from './gateway/transports/http/http-options.js';
