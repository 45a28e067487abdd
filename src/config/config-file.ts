/**
 * @module config/config-file
 * The config file (`mcpool.json`): the `mcpServers` format of MCP clients (Claude Desktop,
 * Cursor) or the `servers` format (VS Code), extended with worker-server entries and a
 * `manager` section. `${env:NAME}` is expanded in every string; relative module paths and a
 * stdio entry's relative paths resolve against the config file's folder; `"disabled": true`
 * skips an entry. Errors are `INVALID_CONFIG` and name the JSON path (an unknown key too).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ErrorCode, McpoolError, messageOf } from '../errors/mcpool-error.js';
import { httpServerConfigSchema, stdioServerConfigSchema } from './external-schema.js';
import { managerOptionsSchema, type ManagerOptions } from './manager-options.js';
import { natsServerConfigSchema } from './nats-schema.js';
import { toolFilterSchema } from './resilience-schema.js';
import { moduleUrlOf, parseOrThrow, serverNameSchema } from './schemas.js';
import type { ServerConfig } from './server-config.js';
import { wasmServerConfigSchema, type WasmServerInput } from './wasm-schema.js';
import { workerServerConfigSchema, type WorkerServerInput } from './worker-schema.js';

const workerEntrySchema = workerServerConfigSchema.omit({ name: true });
const wasmEntrySchema = wasmServerConfigSchema.omit({ name: true });
const natsEntrySchema = natsServerConfigSchema.omit({ name: true });

// Strict, as worker entries are: a typo (`"arg"`) is an error naming it, never silently dropped.
const stdioEntrySchema = z.strictObject({ ...stdioServerConfigSchema.omit({ name: true }).shape, type: z.literal('stdio').optional() });
const httpEntrySchema = z.strictObject({ ...httpServerConfigSchema.omit({ name: true }).shape, type: z.enum(['http', 'streamable-http']).optional() });

/** True for a path written relative to something (`./x`, `bin/x`), not a bare command name (`node`). */
function isRelativePath(value: string): boolean {
  return !isAbsolute(value) && (value.includes('/') || value.includes('\\'));
}

/**
 * A stdio entry's paths, resolved as a worker module is: against the config file's folder, so
 * the file works whatever folder the launcher (an IDE, a desktop app) starts the gateway in.
 * `command` when it is a path (a bare name is looked up on PATH); `cwd`; and each argument that
 * names an existing file there (arguments such as `-y` or a package name stay as written). With
 * a `cwd`, an argument that names a file in that folder is left for the child to find.
 */
function stdioPaths(entry: { command: string; args?: string[] | undefined; cwd?: string | undefined }, baseDir: string): Record<string, unknown> {
  const cwd = entry.cwd === undefined ? undefined : resolve(baseDir, entry.cwd);
  const resolved: Record<string, unknown> = {};
  if (isRelativePath(entry.command)) resolved.command = resolve(baseDir, entry.command);
  if (cwd !== undefined) resolved.cwd = cwd;
  if (entry.args !== undefined) {
    resolved.args = entry.args.map((arg) => {
      if (arg.startsWith('-') || isAbsolute(arg)) return arg;
      if (cwd !== undefined && existsSync(resolve(cwd, arg))) return arg;
      const candidate = resolve(baseDir, arg);
      return existsSync(candidate) ? candidate : arg;
    });
  }
  return resolved;
}

/** One client of the gateway (`gateway.clients.<name>`): its token, and what it may see and call. */
const gatewayClientSchema = z.strictObject({
  /** The bearer token that names this client (`${env:NAME}` keeps it out of the file). */
  token: z.string().min(1),
  /** The servers it sees; absent: every server. */
  servers: z.array(serverNameSchema).optional(),
  /** Globs over the servers' own tool names; both this and the server's `toolFilter` must allow a tool. */
  toolFilter: toolFilterSchema.optional(),
  /** Whether it may read `/metrics`. @default false */
  metrics: z.boolean().optional(),
});

/** The `gateway` section: who may use the gateway, and how tools are listed. */
const gatewaySectionSchema = z.strictObject({
  clients: z.record(serverNameSchema, gatewayClientSchema).optional(),
  /** List `search_tools` and `call_tool` instead of every tool. @default false */
  toolSearch: z.boolean().optional(),
  /** The tasks extension: task lifetime, suggested poll interval, how many are kept, when a call becomes one (GatewayOptions.tasks). */
  tasks: z
    .strictObject({
      ttlMs: z.number().int().positive().optional(),
      pollIntervalMs: z.number().int().positive().optional(),
      maxTasks: z.number().int().positive().optional(),
      promoteAfterMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** SSE polling over HTTP (SEP-1699): session-era calls running longer than this get their stream closed; the client resumes it. */
  sseCloseAfterMs: z.number().int().positive().optional(),
  /** The `retry` (ms) the HTTP gateway's SSE streams announce. @default 1000 */
  sseRetryMs: z.number().int().nonnegative().optional(),
});

/** The `gateway` section, validated. */
export type GatewaySection = z.output<typeof gatewaySectionSchema>;
/** One client of `gateway.clients`, validated. */
export type GatewayClientConfig = z.output<typeof gatewayClientSchema>;

/** The config file's shape. */
export const configFileSchema = z.looseObject({
  mcpServers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  servers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  manager: managerOptionsSchema.partial().optional(),
  gateway: gatewaySectionSchema.optional(),
});

/** A config file, read and resolved into what the manager takes. */
export interface LoadedConfig {
  /** Manager options from the `manager` section. */
  manager: ManagerOptions;
  /** One deployable config per server entry, in file order. */
  servers: ServerConfig[];
  /**
   * Gateway tool-name prefixes set by entries with a `"prefix"` key (`""`: expose the server's
   * names unchanged). Servers without one use `<server>__`.
   */
  prefixes: Record<string, string>;
  /** The `gateway` section (clients and their tool sets, tool search), as written. */
  gateway: GatewaySection;
  /** The config file's path. */
  path: string;
}

/** Replaces `${env:NAME}` in every string of a JSON value; a missing variable is an error. */
function expandEnv(value: unknown, path: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw new McpoolError(ErrorCode.INVALID_CONFIG, `${path}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expandEnv(item, `${path}.${i}`, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandEnv(item, path ? `${path}.${key}` : key, env)]));
  }
  return value;
}

/** Turns one server entry into a deployable config. */
function serverConfigOf(name: string, entry: Record<string, unknown>, path: string, baseDir: string): ServerConfig {
  parseOrThrow(serverNameSchema, name, 'config file', path);
  const { type } = entry;
  if (type === 'worker') {
    const parsed = parseOrThrow(workerEntrySchema, entry, 'config file', path);
    // The entry as written (validated); deployServer fills in the defaults.
    return { ...(entry as WorkerServerInput), name, module: moduleUrlOf(parsed.module, baseDir) };
  }
  if (type === 'wasm') {
    const parsed = parseOrThrow(wasmEntrySchema, entry, 'config file', path);
    // Relative module and host directories resolve against the config file's folder.
    const allowedPaths = Object.fromEntries(Object.entries(parsed.allowedPaths).map(([hostDir, pluginDir]) => [resolve(baseDir, hostDir), pluginDir]));
    return { ...(entry as WasmServerInput), name, module: moduleUrlOf(parsed.module, baseDir), ...(entry.allowedPaths === undefined ? {} : { allowedPaths }) };
  }
  if (type === 'nats') {
    parseOrThrow(natsEntrySchema, entry, 'config file', path);
    return { ...entry, name, type: 'nats' } as ServerConfig;
  }
  if (type === 'http' || type === 'streamable-http' || (type === undefined && 'url' in entry)) {
    parseOrThrow(httpEntrySchema, entry, 'config file', path);
    return { ...entry, name, type: 'http' } as ServerConfig;
  }
  if (type === 'stdio' || (type === undefined && 'command' in entry)) {
    parseOrThrow(stdioEntrySchema, entry, 'config file', path);
    const written = entry as { command: string; args?: string[]; cwd?: string };
    return { ...entry, ...stdioPaths(written, baseDir), name, type: 'stdio' } as ServerConfig;
  }
  throw new McpoolError(
    ErrorCode.INVALID_CONFIG,
    `${path}: a server entry needs "type": "worker" or "wasm" with a "module", "type": "nats" with a "url", a "command" (stdio) or a "url" (Streamable HTTP)`,
  );
}

/** Each client names servers of this file, and no two clients share a token. */
function checkClients(gateway: GatewaySection, servers: ServerConfig[]): void {
  const tokens = new Map<string, string>();
  for (const [name, client] of Object.entries(gateway.clients ?? {})) {
    for (const [i, server] of (client.servers ?? []).entries()) {
      if (!servers.some((config) => config.name === server)) {
        throw new McpoolError(ErrorCode.INVALID_CONFIG, `gateway.clients.${name}.servers.${i}: no server named "${server}" in this config`);
      }
    }
    const other = tokens.get(client.token);
    if (other !== undefined) throw new McpoolError(ErrorCode.INVALID_CONFIG, `gateway.clients.${name}.token: the same token as gateway.clients.${other}; give each client its own`);
    tokens.set(client.token, name);
  }
}

/** The file without its `"disabled": true` entries, whose `${env:...}` need not be set. */
function withoutDisabled(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const copy: Record<string, unknown> = { ...raw };
  for (const key of ['mcpServers', 'servers']) {
    const entries = copy[key];
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) continue;
    copy[key] = Object.fromEntries(Object.entries(entries).filter(([, entry]) => (entry as { disabled?: unknown } | null)?.disabled !== true));
  }
  return copy;
}

/** Validates a parsed config file; `baseDir` is the folder relative paths resolve against. */
export function parseConfig(raw: unknown, baseDir: string, path = '<config>', env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const expanded = expandEnv(withoutDisabled(raw), '', env);
  const file = parseOrThrow(configFileSchema, expanded, `config file ${path}`);
  const servers: ServerConfig[] = [];
  const prefixes: Record<string, string> = {};
  for (const key of ['mcpServers', 'servers'] as const) {
    for (const [name, { prefix, disabled, ...entry }] of Object.entries(file[key] ?? {})) {
      const at = `${key}.${name}`;
      if (disabled !== undefined && typeof disabled !== 'boolean') throw new McpoolError(ErrorCode.INVALID_CONFIG, `${at}.disabled: must be true or false`);
      // Claude Desktop and Cursor turn an entry off this way: it is not deployed at all.
      if (disabled === true) continue;
      if (servers.some((server) => server.name === name)) {
        throw new McpoolError(ErrorCode.INVALID_CONFIG, `${at}: a server named "${name}" appears twice`);
      }
      if (prefix !== undefined) {
        if (typeof prefix !== 'string') throw new McpoolError(ErrorCode.INVALID_CONFIG, `${at}.prefix: must be a string`);
        prefixes[name] = prefix;
      }
      servers.push(serverConfigOf(name, entry, at, baseDir));
    }
  }
  const gateway = file.gateway ?? {};
  checkClients(gateway, servers);
  return { manager: file.manager ?? {}, servers, prefixes, gateway, path };
}

/** Reads and validates a config file. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new McpoolError(ErrorCode.INVALID_CONFIG, `cannot read config file ${path}: ${messageOf(error)}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new McpoolError(ErrorCode.INVALID_CONFIG, `config file ${path} is not valid JSON: ${messageOf(error)}`, { cause: error });
  }
  return parseConfig(raw, dirname(path), path, env);
}
