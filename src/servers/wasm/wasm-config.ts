/**
 * @module servers/wasm/wasm-config
 * The config of a WebAssembly server (`type: 'wasm'`): the worker-server keys (module, threads,
 * timeouts, queue, resilience) plus what the plugin may reach (`allowedHosts`, `allowedPaths`)
 * and its `config` (`${env:NAME}` expanded). `memoryLimitMb` caps the plugin's own linear
 * memory here, not a thread's JavaScript heap.
 */
import { statSync } from 'node:fs';
import { isAbsolute, posix, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ErrorCode, McpoolError } from '../../errors.js';
import { invalidConfig, moduleUrlOf, resilienceOf, resilienceShape, serverNameSchema, type ResilienceConfig } from '../../options.js';
import type { WasmThreadOptions } from '../../protocol.js';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** A WebAssembly server's config, as given to `deployServer`. */
export const wasmServerConfigSchema = z.strictObject({
  name: serverNameSchema,
  type: z.literal('wasm'),
  /** Path (relative to the current directory) or `file:` URL of the plugin's `.wasm` file. */
  module: z.union([z.string().min(1), z.instanceof(URL)]),
  /** Threads, or `{ min, max }`. @default os.availableParallelism() */
  threads: z.union([positiveInt, z.strictObject({ min: nonNegativeInt, max: positiveInt }).refine((t) => t.min <= t.max, { message: 'min must not exceed max' })]).optional(),
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
  const parsed = wasmServerConfigSchema.safeParse(config);
  if (!parsed.success) throw invalidConfig('server config', parsed.error);
  const input = parsed.data;
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
