/**
 * @module config/config-file
 * The config file (`mcpool.json`): the `mcpServers` format of MCP clients (Claude Desktop,
 * Cursor) or the `servers` format (VS Code), extended with worker-server entries and a
 * `manager` section. `${env:NAME}` is expanded in every string; relative module paths resolve
 * against the config file's folder. Errors are `INVALID_CONFIG` and name the JSON path.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ErrorCode, McpoolError, messageOf } from '../errors/mcpool-error.js';
import {
  invalidConfig,
  managerOptionsSchema,
  moduleUrlOf,
  httpServerConfigSchema,
  serverNameSchema,
  stdioServerConfigSchema,
  workerServerConfigSchema,
  natsServerConfigSchema,
  type ManagerOptions,
  type ServerConfig,
  type WasmServerInput,
  type WorkerServerInput,
  wasmServerConfigSchema,
} from './schemas.js';

const workerEntrySchema = workerServerConfigSchema.omit({ name: true });
const wasmEntrySchema = wasmServerConfigSchema.omit({ name: true });
const natsEntrySchema = natsServerConfigSchema.omit({ name: true });

// Entries written for other MCP clients carry keys of their own (`disabled`, `autoApprove`,
// `envFile`, ...): plain objects strip unknown keys instead of failing on them.
const stdioEntrySchema = z.object({ ...stdioServerConfigSchema.omit({ name: true }).shape, type: z.literal('stdio').optional() });
const httpEntrySchema = z.object({ ...httpServerConfigSchema.omit({ name: true }).shape, type: z.enum(['http', 'streamable-http']).optional() });

/** The entry's own keys that the schema knows (validated already): defaults are left to `deployServer`. */
function knownKeys(shape: object, entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => key in shape));
}

/** The config file's shape. */
export const configFileSchema = z.looseObject({
  mcpServers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  servers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  manager: managerOptionsSchema.partial().optional(),
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
  const nameCheck = serverNameSchema.safeParse(name);
  if (!nameCheck.success) throw invalidConfig('config file', nameCheck.error, path);
  const { type } = entry;
  if (type === 'worker') {
    const parsed = workerEntrySchema.safeParse(entry);
    if (!parsed.success) throw invalidConfig('config file', parsed.error, path);
    // The entry as written (validated); deployServer fills in the defaults.
    return { ...(entry as WorkerServerInput), name, module: moduleUrlOf(parsed.data.module, baseDir) };
  }
  if (type === 'wasm') {
    const parsed = wasmEntrySchema.safeParse(entry);
    if (!parsed.success) throw invalidConfig('config file', parsed.error, path);
    // Relative module and host directories resolve against the config file's folder.
    const allowedPaths = Object.fromEntries(Object.entries(parsed.data.allowedPaths).map(([hostDir, pluginDir]) => [resolve(baseDir, hostDir), pluginDir]));
    return { ...(entry as WasmServerInput), name, module: moduleUrlOf(parsed.data.module, baseDir), ...(entry.allowedPaths === undefined ? {} : { allowedPaths }) };
  }
  if (type === 'nats') {
    const parsed = natsEntrySchema.safeParse(entry);
    if (!parsed.success) throw invalidConfig('config file', parsed.error, path);
    return { ...entry, name, type: 'nats' } as ServerConfig;
  }
  if (type === 'http' || type === 'streamable-http' || (type === undefined && 'url' in entry)) {
    const parsed = httpEntrySchema.safeParse(entry);
    if (!parsed.success) throw invalidConfig('config file', parsed.error, path);
    return { ...knownKeys(httpEntrySchema.shape, entry), name, type: 'http' } as ServerConfig;
  }
  if (type === 'stdio' || (type === undefined && 'command' in entry)) {
    const parsed = stdioEntrySchema.safeParse(entry);
    if (!parsed.success) throw invalidConfig('config file', parsed.error, path);
    const cwd = parsed.data.cwd === undefined ? undefined : resolve(baseDir, parsed.data.cwd);
    return { ...knownKeys(stdioEntrySchema.shape, entry), ...(cwd === undefined ? {} : { cwd }), name, type: 'stdio' } as ServerConfig;
  }
  throw new McpoolError(
    ErrorCode.INVALID_CONFIG,
    `${path}: a server entry needs "type": "worker" or "wasm" with a "module", "type": "nats" with a "url", a "command" (stdio) or a "url" (Streamable HTTP)`,
  );
}

/** Validates a parsed config file; `baseDir` is the folder relative paths resolve against. */
export function parseConfig(raw: unknown, baseDir: string, path = '<config>', env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const expanded = expandEnv(raw, '', env);
  const parsed = configFileSchema.safeParse(expanded);
  if (!parsed.success) throw invalidConfig(`config file ${path}`, parsed.error);
  const servers: ServerConfig[] = [];
  const prefixes: Record<string, string> = {};
  for (const key of ['mcpServers', 'servers'] as const) {
    for (const [name, { prefix, ...entry }] of Object.entries(parsed.data[key] ?? {})) {
      const at = `${key}.${name}`;
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
  return { manager: parsed.data.manager ?? {}, servers, prefixes, path };
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
