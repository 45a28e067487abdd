/**
 * @module servers/wasm/wasm-config
 * Resolves a WebAssembly server's config (schema: `wasmServerConfigSchema` in config/wasm-schema):
 * host directories checked and turned into WASI preopens (plugin directory -> host directory),
 * `${env:NAME}` expanded in the plugin's `config`, the module path made a `file:` URL.
 */
import { statSync } from 'node:fs';
import { isAbsolute, posix, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import { resilienceOf } from '../../config/resilience-schema.js';
import { moduleUrlOf, parseOrThrow } from '../../config/schemas.js';
import { wasmServerConfigSchema, type WasmServerConfig } from '../../config/wasm-schema.js';

/** Expands `${env:NAME}` in a config value; a missing variable is `INVALID_CONFIG`. */
function expandEnv(value: string, at: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const found = env[name];
    if (found === undefined) throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: ${at}: environment variable ${name} is not set`);
    return found;
  });
}

/** Validates a WebAssembly server's config; relative paths resolve against `baseDir`. */
export function resolveWasmConfig(config: unknown, baseDir = process.cwd(), env: NodeJS.ProcessEnv = process.env): WasmServerConfig {
  const input = parseOrThrow(wasmServerConfigSchema, config, 'server config');
  const preopens: Record<string, string> = {};
  for (const [hostDir, pluginDir] of Object.entries(input.allowedPaths)) {
    const at = `allowedPaths.${hostDir}`;
    const hostPath = isAbsolute(hostDir) ? hostDir : resolve(baseDir, hostDir);
    let isDirectory = false;
    try {
      isDirectory = statSync(hostPath).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: ${at}: ${hostPath} is not a directory`);
    if (!pluginDir.startsWith('/')) throw new McpoolError(ErrorCode.INVALID_CONFIG, `invalid server config: ${at}: the plugin's directory must be absolute (got "${pluginDir}")`);
    preopens[posix.normalize(pluginDir)] = hostPath;
  }
  const pluginConfig = Object.fromEntries(Object.entries(input.config).map(([key, value]) => [key, expandEnv(value, `config.${key}`, env)]));
  return {
    name: input.name,
    type: 'wasm',
    moduleUrl: moduleUrlOf(input.module, baseDir),
    threads: input.threads ?? availableParallelism(),
    timeoutMs: input.timeoutMs,
    maxQueue: input.maxQueue,
    resilience: resilienceOf(input),
    wasm: { memoryLimitMb: input.memoryLimitMb, allowedHosts: input.allowedHosts, preopens, config: pluginConfig },
  };
}
