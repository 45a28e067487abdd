/**
 * @module mcpool
 * The public API. Every export is listed by name: anything added here becomes public API.
 */
export { McpManager } from './manager.js';
export type {
  BatchCall,
  BatchOptions,
  ExecuteOptions,
  McpManagerEvents,
  ServerHealth,
  ServerInfo,
  ShutdownOptions,
} from './manager.js';
export { defineServer } from './define.js';
export type { AskOptions, ServerDefinition, ServerDefinitionInput, ToolContext, ToolDefinition } from './define.js';
export { McpoolError, ErrorCode } from './errors.js';
export type { McpoolErrorDetails } from './errors.js';
export type { BatchError, BatchProgress, BatchResult } from './batch.js';
export type { HttpServerInput, ManagerOptions, ServerConfig, StdioServerInput, WorkerServerInput } from './options.js';
export type { LogRecord, ServerState, ServerType } from './actors/actor.js';
export type { Metrics, ServerMetrics, ToolMetrics } from './metrics/server-stats.js';
export type { LatencySummary } from './metrics/histogram.js';
export type { CallToolResult, ContentBlock, LogLevel, ProgressUpdate, ServerNotification, ServerRequest, ServerRequestHandler, Tool, ToolAnnotations } from './types.js';
export { loadConfig, parseConfig } from './config.js';
export type { LoadedConfig } from './config.js';
export { createPrometheusRegistry } from './metrics/prometheus.js';
export { startGateway } from './gateway/gateway.js';
export type { GatewayOptions, RunningGateway } from './gateway/gateway.js';
export type { GatewayInfo } from './gateway/dispatcher.js';
export type { HttpGatewayOptions } from './gateway/http.js';
