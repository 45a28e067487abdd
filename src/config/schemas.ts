/**
 * @module config/schemas
 * zod schemas for the manager's options and for server configs: validated once into resolved
 * objects with defaults; a bad field rejects with `INVALID_CONFIG` naming it.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import type { WasmThreadOptions } from '../wire/protocol.js';
import type { TaskSupport } from '../wire/mcp-types.js';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** Options of `new McpManager(options)`. */
export const managerOptionsSchema = z.strictObject({
  /** Calls admitted over all servers at once; more wait in the manager's queue. @default 1024 */
  maxConcurrentOperations: positiveInt.default(1024),
  /** Calls waiting in that queue; past it calls reject with `OVERLOADED`. @default 100_000 */
  maxQueuedOperations: nonNegativeInt.default(100_000),
  /** Per-call timeout unless the call or the server sets one; 0 disables it. @default 30_000 */
  defaultTimeoutMs: nonNegativeInt.default(30_000),
  /** Time a server has to start or connect. @default 30_000 */
  connectionTimeoutMs: positiveInt.default(30_000),
  /** Record latency histograms (counters are always kept). @default true */
  enableMetrics: z.boolean().default(true),
});

/** Options accepted by `new McpManager(options)`. */
export type ManagerOptions = z.input<typeof managerOptionsSchema>;
/** Manager options with their defaults filled in. */
export type ResolvedManagerOptions = z.output<typeof managerOptionsSchema>;

/** Server names: the gateway exposes tools as `<server>__<tool>`, the CLI as `<server>/<tool>`. */
export const serverNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must start with a letter or digit and hold only letters, digits, "_", "." and "-"')
  .max(64);

const threadsSchema = z.union([
  positiveInt,
  z
    .strictObject({ min: nonNegativeInt, max: positiveInt, idleTimeoutMs: nonNegativeInt.optional() })
    .refine((threads) => threads.min <= threads.max, { message: 'min must not exceed max' }),
]);

const rateLimitSchema = z.strictObject({ perSecond: z.number().positive(), burst: positiveInt.optional() });

/** Per-tool limits of a server. */
const toolLimitsSchema = z.strictObject({
  maxConcurrency: positiveInt.optional(),
  rateLimit: rateLimitSchema.optional(),
  timeoutMs: nonNegativeInt.optional(),
  /** Whether the gateway may run the tool's calls as tasks; overrides what the tool declares. */
  taskSupport: z.enum(['forbidden', 'optional', 'required']).optional(),
});

/** `{ allow, deny }`: globs over a server's own tool names (src/engine/tool-filter.ts). */
export const toolFilterSchema = z.strictObject({ allow: z.array(z.string().min(1)).optional(), deny: z.array(z.string().min(1)).optional() });

/**
 * Resilience options every kind of server accepts (README, "Reliability"), with their defaults: a circuit
 * breaker (on unless `false`), restart intensity and backoff, and concurrency and rate limits
 * per server and per tool. Spread into each server config schema.
 */
export const resilienceShape = {
  circuitBreaker: z
    .union([z.literal(false), z.strictObject({ failureThreshold: positiveInt.default(5), resetTimeoutMs: positiveInt.default(10_000) })])
    .default({ failureThreshold: 5, resetTimeoutMs: 10_000 }),
  restart: z
    .strictObject({
      maxRestarts: nonNegativeInt.default(5),
      withinMs: positiveInt.default(60_000),
      backoffMs: z.strictObject({ initial: nonNegativeInt.default(100), max: nonNegativeInt.default(10_000) }).default({ initial: 100, max: 10_000 }),
    })
    .default({ maxRestarts: 5, withinMs: 60_000, backoffMs: { initial: 100, max: 10_000 } }),
  /** Periodic probe (a ping); a failing probe marks the server degraded. `false` turns it off. */
  healthCheck: z
    .union([z.literal(false), z.strictObject({ intervalMs: positiveInt.default(15_000), timeoutMs: positiveInt.default(5_000) })])
    .default({ intervalMs: 15_000, timeoutMs: 5_000 }),
  /** Calls running at once on this server; more are refused with `OVERLOADED`. */
  maxConcurrency: positiveInt.optional(),
  /** Calls per second to this server; more are refused with `OVERLOADED`. */
  rateLimit: rateLimitSchema.optional(),
  /** Limits and timeouts per tool. */
  tools: z.record(z.string(), toolLimitsSchema).optional(),
  /**
   * Globs over the server's own tool names: only tools some `allow` glob matches (every tool when
   * absent) and no `deny` glob matches are listed and callable; others are `TOOL_NOT_FOUND`.
   * Here with the resilience options because every server kind takes it the same way.
   */
  toolFilter: toolFilterSchema.optional(),
};

/** Resilience options, resolved with their defaults. */
export interface ResilienceConfig {
  circuitBreaker: false | { failureThreshold: number; resetTimeoutMs: number };
  healthCheck: false | { intervalMs: number; timeoutMs: number };
  restart: { maxRestarts: number; withinMs: number; backoffMs: { initial: number; max: number } };
  maxConcurrency: number | undefined;
  rateLimit: { perSecond: number; burst?: number | undefined } | undefined;
  tools: Record<string, { maxConcurrency?: number | undefined; rateLimit?: { perSecond: number; burst?: number | undefined } | undefined; timeoutMs?: number | undefined; taskSupport?: TaskSupport | undefined }>;
  toolFilter: { allow?: string[] | undefined; deny?: string[] | undefined } | undefined;
}

/** Picks the resilience options out of a parsed server config. */
export function resilienceOf(parsed: z.output<z.ZodObject<typeof resilienceShape>>): ResilienceConfig {
  return {
    circuitBreaker: parsed.circuitBreaker,
    healthCheck: parsed.healthCheck,
    restart: parsed.restart,
    maxConcurrency: parsed.maxConcurrency,
    rateLimit: parsed.rateLimit,
    tools: parsed.tools ?? {},
    toolFilter: parsed.toolFilter,
  };
}

/** A worker server's config, as given to `deployServer`. */
export const workerServerConfigSchema = z.strictObject({
  name: serverNameSchema,
  type: z.literal('worker'),
  /** Path (relative to the current directory) or `file:` URL of the server module. */
  module: z.union([z.string().min(1), z.instanceof(URL)]),
  /** Threads, or `{ min, max }`. @default os.availableParallelism() */
  threads: threadsSchema.optional(),
  /** Per-call timeout for this server. @default the manager's defaultTimeoutMs */
  timeoutMs: nonNegativeInt.optional(),
  /** Admitted calls beyond one per thread; past it calls reject with `OVERLOADED`. @default unbounded */
  maxQueue: nonNegativeInt.optional(),
  /** Heap limit of each thread, in MB; a thread past it dies and its call fails `WORKER_CRASHED`. */
  memoryLimitMb: positiveInt.optional(),
  ...resilienceShape,
});

/** A worker server's config as users write it. */
export type WorkerServerInput = z.input<typeof workerServerConfigSchema>;

/** A worker server's config, resolved. */
export interface WorkerServerConfig {
  name: string;
  type: 'worker';
  moduleUrl: string;
  /** A fixed count, or a pool that follows the load (`idleTimeoutMs`: low use before it shrinks back to `min`). */
  threads: number | { min: number; max: number; idleTimeoutMs?: number | undefined };
  timeoutMs: number | undefined;
  maxQueue: number | undefined;
  memoryLimitMb: number | undefined;
  resilience: ResilienceConfig;
}

/**
 * A WebAssembly server's config, as given to `deployServer`: the worker-server keys plus what
 * the plugin may reach and its `config`. `memoryLimitMb` caps the plugin's own linear memory
 * here, not a thread's JavaScript heap.
 */
export const wasmServerConfigSchema = z.strictObject({
  name: serverNameSchema,
  type: z.literal('wasm'),
  /** Path (relative to the current directory) or `file:` URL of the plugin's `.wasm` file. */
  module: z.union([z.string().min(1), z.instanceof(URL)]),
  /** Threads, or `{ min, max }`. @default os.availableParallelism() */
  threads: threadsSchema.optional(),
  /** Per-call timeout; a call past it is stopped (its thread is). @default the manager's defaultTimeoutMs */
  timeoutMs: nonNegativeInt.optional(),
  /** Admitted calls beyond one per thread; past it calls reject with `OVERLOADED`. @default unbounded */
  maxQueue: nonNegativeInt.optional(),
  /** The plugin's linear memory (and the host memory one call may allocate), in MB. @default unbounded */
  memoryLimitMb: positiveInt.optional(),
  /** Host names (globs: `*`, `?`) the plugin's HTTP requests may reach. @default [] (none) */
  allowedHosts: z.array(z.string().min(1)).default([]),
  /** Host directory -> directory the plugin sees (WASI preopens). @default {} (none) */
  allowedPaths: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** What the plugin reads with `config_get`; `${env:NAME}` is expanded. @default {} */
  config: z.record(z.string(), z.string()).default({}),
  ...resilienceShape,
});

/** A WebAssembly server's config as users write it. */
export type WasmServerInput = z.input<typeof wasmServerConfigSchema>;

/** A WebAssembly server's config, resolved. */
export interface WasmServerConfig {
  name: string;
  type: 'wasm';
  moduleUrl: string;
  threads: number | { min: number; max: number };
  timeoutMs: number | undefined;
  maxQueue: number | undefined;
  resilience: ResilienceConfig;
  /** What the threads need to load and confine the plugin. */
  wasm: WasmThreadOptions;
}

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

/**
 * How either side of the NATS hop reaches the NATS server: credentials (also accepted in the URL:
 * `nats://user:pass@host:4222`, `nats://token@host:4222`), a `.creds` file and TLS.
 */
export const natsConnectionShape = {
  /** The NATS server, e.g. `nats://127.0.0.1:4222` (several: comma-separated). */
  url: z.string().regex(/^(nats|tls|wss?):\/\/[^\s]+$/, 'must be a nats://, tls:// or ws(s):// URL (several: comma-separated)'),
  /** User and password. */
  user: z.string().min(1).optional(),
  pass: z.string().optional(),
  /** Token. */
  token: z.string().min(1).optional(),
  /** A NATS `.creds` file (JWT and nkey seed). */
  credsFile: z.string().min(1).optional(),
  /** TLS: `true` for the system's CAs, or the files (PEM) of a CA, a client certificate and its key. */
  tls: z.union([z.boolean(), z.strictObject({ caFile: z.string().min(1).optional(), certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })]).optional(),
  /** Subject namespace; caller and nodes must agree. @default 'mcpool' */
  subjectPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS subject tokens (letters, digits, "_", "-") joined by "."')
    .default('mcpool'),
};

/** How to reach a NATS server, resolved. */
export type NatsConnectionConfig = z.output<z.ZodObject<typeof natsConnectionShape>>;

/** A server whose calls go over NATS to every `mcpool node` that serves it. */
export const natsServerConfigSchema = z.strictObject({
  name: serverNameSchema,
  type: z.literal('nats'),
  ...natsConnectionShape,
  /** The server's name on the nodes. @default name */
  remoteName: serverNameSchema.optional(),
  /** Per-call timeout for this server. @default the manager's defaultTimeoutMs */
  timeoutMs: nonNegativeInt.optional(),
  /** Admitted calls beyond those in flight; past it calls reject with `OVERLOADED`. @default unbounded */
  maxQueue: nonNegativeInt.optional(),
  /** Frames (many calls each) in flight at once. @default 16 */
  framesInFlight: positiveInt.default(16),
  /** A frame no node acknowledged within this time was never accepted: its calls go to another node. @default 2_000 */
  ackTimeoutMs: positiveInt.default(2_000),
  /** A node that holds accepted calls and is silent this long (missed heartbeats) is dead. @default 1_500 */
  deadNodeMs: positiveInt.default(1_500),
  /** How often the nodes are discovered (`$SRV.STATS`). @default 2_000 */
  discoveryIntervalMs: positiveInt.default(2_000),
  ...resilienceShape,
});

/** A NATS server's config as users write it. */
export type NatsServerInput = z.input<typeof natsServerConfigSchema>;
/** A NATS server's config, resolved. */
export type NatsServerConfig = z.output<typeof natsServerConfigSchema>;

/** A stdio server's config as users write it. */
export type StdioServerInput = z.input<typeof stdioServerConfigSchema>;
/** A stdio server's config, resolved. */
export type StdioServerConfig = z.output<typeof stdioServerConfigSchema>;
/** An HTTP server's config as users write it. */
export type HttpServerInput = z.input<typeof httpServerConfigSchema>;
/** An HTTP server's config, resolved. */
export type HttpServerConfig = z.output<typeof httpServerConfigSchema>;
/** The restart policy of a server, resolved. */
export type RestartPolicy = ResilienceConfig['restart'];

/** Any server config accepted by `deployServer`. */
export type ServerConfig = WorkerServerInput | WasmServerInput | StdioServerInput | HttpServerInput | NatsServerInput;

/**
 * The `INVALID_CONFIG` error for zod issues, each named by its path; an unknown key is named by
 * its own path (`mcpServers.fs.arg: unknown key`), so a typo points at itself.
 */
export function invalidConfig(what: string, error: z.ZodError, pathPrefix = ''): McpoolError {
  const details = error.issues.flatMap((issue) => {
    const path = [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: unknown key`);
    return [path ? `${path}: ${issue.message}` : issue.message];
  });
  return new McpoolError(ErrorCode.INVALID_CONFIG, `invalid ${what}: ${details.join('; ')}`, { data: error.issues });
}

/** Validates manager options. */
export function resolveManagerOptions(options: unknown): ResolvedManagerOptions {
  const parsed = managerOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw invalidConfig('manager options', parsed.error);
  return parsed.data;
}

/** Turns a module path or URL into a `file:` URL string. */
export function moduleUrlOf(module: string | URL, baseDir = process.cwd()): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('file:')) return new URL(module).href;
  return pathToFileURL(isAbsolute(module) ? module : resolve(baseDir, module)).href;
}

/** Validates a worker server's config. */
export function resolveWorkerConfig(config: unknown): WorkerServerConfig {
  const parsed = workerServerConfigSchema.safeParse(config);
  if (!parsed.success) throw invalidConfig('server config', parsed.error);
  const input = parsed.data;
  return {
    name: input.name,
    type: 'worker',
    moduleUrl: moduleUrlOf(input.module),
    threads: input.threads ?? availableParallelism(),
    timeoutMs: input.timeoutMs,
    maxQueue: input.maxQueue,
    memoryLimitMb: input.memoryLimitMb,
    resilience: resilienceOf(input),
  };
}

/** Validates a stdio server's config. */
export function resolveStdioConfig(config: unknown): StdioServerConfig {
  const parsed = stdioServerConfigSchema.safeParse(config);
  if (!parsed.success) throw invalidConfig('server config', parsed.error);
  return parsed.data;
}

/** Validates an HTTP server's config. */
export function resolveHttpConfig(config: unknown): HttpServerConfig {
  const parsed = httpServerConfigSchema.safeParse(config);
  if (!parsed.success) throw invalidConfig('server config', parsed.error);
  return parsed.data;
}

/** Validates a NATS server's config. */
export function resolveNatsConfig(config: unknown): NatsServerConfig {
  const parsed = natsServerConfigSchema.safeParse(config);
  if (!parsed.success) throw invalidConfig('server config', parsed.error);
  return parsed.data;
}
