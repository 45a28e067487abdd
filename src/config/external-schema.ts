/**
 * @module config/external-schema
 * The configs of external MCP servers, the two kinds servers/external/ speaks to: `stdio` (a
 * child process) and `http` / `streamable-http` (Streamable HTTP). The fields both share, their
 * schemas, input and resolved types, and `resolveStdioConfig` / `resolveHttpConfig`.
 */
import { z } from 'zod';
import { resilienceShape } from './resilience-schema.js';
import { nonNegativeInt, parseOrThrow, positiveInt, serverNameSchema } from './schemas.js';

const stringMap = z.record(z.string(), z.string());

/** Fields every external server config shares. */
const externalFields = {
  name: serverNameSchema,
  /** Per-call timeout for this server. @default the manager's defaultTimeoutMs */
  timeoutMs: nonNegativeInt.optional(),
  /** Calls in flight on the connection at once; more reject with `OVERLOADED`. @default unbounded */
  maxQueue: nonNegativeInt.optional(),
  /** Circuit breaker, restart (reconnect) policy and limits, as for every server. */
  ...resilienceShape,
  /**
   * Which MCP era mcpool speaks to the server: `auto` asks with `server/discover` first and
   * speaks 2026-07-28 (stateless) when the server offers it, else the 2025 handshake; `legacy`
   * skips the question; `modern` insists on 2026-07-28. @default 'auto'
   */
  protocol: z.enum(['auto', 'legacy', 'modern']).default('auto'),
};

/** An external MCP server started as a child process and spoken to over stdio. */
export const stdioServerConfigSchema = z.strictObject({
  ...externalFields,
  type: z.literal('stdio'),
  /** The executable (looked up on PATH). */
  command: z.string().min(1),
  /** Its arguments. @default [] */
  args: z.array(z.string()).default([]),
  /** Variables added to the child's environment (over the SDK's safe default set). @default {} */
  env: stringMap.default({}),
  /** Working directory of the child. @default the current directory */
  cwd: z.string().min(1).optional(),
});

/** An external MCP server reached over Streamable HTTP. */
export const httpServerConfigSchema = z.strictObject({
  ...externalFields,
  type: z.enum(['http', 'streamable-http']),
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:9000/mcp`. */
  url: z.url({ protocol: /^https?$/ }),
  /** Headers sent with every request (e.g. `Authorization`). @default {} */
  headers: stringMap.default({}),
  /** Keep-alive connections to the server at most. @default 16 */
  maxConnections: positiveInt.default(16),
});

/** A stdio server's config as users write it. */
export type StdioServerInput = z.input<typeof stdioServerConfigSchema>;
/** A stdio server's config, resolved. */
export type StdioServerConfig = z.output<typeof stdioServerConfigSchema>;
/** An HTTP server's config as users write it. */
export type HttpServerInput = z.input<typeof httpServerConfigSchema>;
/** An HTTP server's config, resolved. */
export type HttpServerConfig = z.output<typeof httpServerConfigSchema>;

/** Validates a stdio server's config. */
export function resolveStdioConfig(config: unknown): StdioServerConfig {
  return parseOrThrow(stdioServerConfigSchema, config, 'server config');
}

/** Validates an HTTP server's config. */
export function resolveHttpConfig(config: unknown): HttpServerConfig {
  return parseOrThrow(httpServerConfigSchema, config, 'server config');
}
