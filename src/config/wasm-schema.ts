/**
 * @module config/wasm-schema
 * A WebAssembly server's config (`type: 'wasm'`, an Extism plugin run on a pool of worker
 * threads): its schema and the input and resolved types. It is resolved by
 * servers/wasm/wasm-config, which loads only when the first wasm server is deployed.
 */
import { z } from 'zod';
import type { WasmThreadOptions } from '../wire/protocol.js';
import { resilienceShape, type ResilienceConfig } from './resilience-schema.js';
import { nonNegativeInt, positiveInt, serverNameSchema, threadsSchema } from './schemas.js';

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
