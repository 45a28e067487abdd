/**
 * @module workers/wasm/plugin-instance
 * One instance of an Extism plugin, called synchronously: mcpool's host adapter over the
 * Extism 1.0 JS runtime (`@extism/extism`).
 *
 * Why Extism with an adapter, and what the adapter replaces: Extism gives the kernel that every
 * PDK (Rust, Go, AssemblyScript) is written against (memory blocks, `config_get`, logging),
 * the WASI set-up with preopens, and instantiation. Its call path does not fit a thread that
 * runs frames of calls: `plugin.call` is async (so a frame's calls could not tell a trap from
 * the next call), its host side never frees blocks (call 16,384 on one instance fails unless
 * `reset()` runs after each call), `http_request` works only in its own `runInWorker` mode,
 * and it has no limit on a plugin's host memory. So the adapter instantiates through Extism,
 * then calls the export itself, synchronously, and overrides the kernel functions of the call
 * protocol (`input_*`, `output_set`, `error_set`), `alloc` (capped), the variables (kept across
 * `reset()`) and HTTP (through `HttpBridge`, checked against `allowedHosts`). `reset()` runs
 * after every call. Measured here: a trivial call costs 12-16 µs on this path (the JSON in and
 * out most of it), under the 50 µs that 20k calls/s per thread allows.
 */
import createPlugin, { type CallContext as ExtismContext, type Plugin } from '@extism/extism';
import { HostDenied, type HttpBridge } from './http-bridge.js';

/** The high 16 bits of an Extism address name its block; the low 48 the offset. */
const OFFSET_MASK = (1n << 48n) - 1n;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A failure of the plugin itself (its `error_set`, or a non-zero return): a tool error. */
export class PluginError extends Error {
  override readonly name = 'PluginError';
}

/** The plugin allocated more host memory in one call than its memory limit: a trap. */
export class HostMemoryExceeded extends Error {
  override readonly name = 'HostMemoryExceeded';
}

type HostFunction = (context: ExtismContext, ...args: bigint[]) => bigint | number | void;

/** What an instance is made from. */
export interface InstanceOptions {
  module: WebAssembly.Module;
  /** The module imports WASI (`wasi_snapshot_preview1`). */
  wasi: boolean;
  /** Plugin directory -> host directory. */
  preopens: Record<string, string>;
  config: Record<string, string>;
  /** Host memory one call may allocate (Extism blocks), in bytes. */
  hostMemoryLimit: number;
  /** Present when the plugin may make HTTP requests. */
  http: HttpBridge | undefined;
  /** `extism:host/user` functions. */
  user: Record<string, HostFunction>;
  /** Where Extism's and the plugin's `log_*` go. */
  logger: Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;
}

/** A plugin instance that runs one call at a time, synchronously. */
export class PluginInstance {
  readonly #plugin: Plugin;
  readonly #instance: WebAssembly.Instance;
  readonly #state: CallState;

  private constructor(plugin: Plugin, instance: WebAssembly.Instance, state: CallState) {
    this.#plugin = plugin;
    this.#instance = instance;
    this.#state = state;
  }

  /** Instantiates the module (its start function and WASI set-up run here). */
  static async create(options: InstanceOptions): Promise<PluginInstance> {
    const state = new CallState(options.hostMemoryLimit);
    const plugin = await createPlugin(
      { wasm: [{ module: options.module }] },
      {
        config: options.config,
        useWasi: options.wasi,
        allowedPaths: options.preopens,
        // WASI stdout and stderr go nowhere: stdout belongs to the stdio gateway.
        enableWasiOutput: false,
        runInWorker: false,
        logger: options.logger as Console,
        functions: { 'extism:host/env': envFunctions(state, options.http), 'extism:host/user': options.user },
      },
    );
    return new PluginInstance(plugin, await plugin.getInstance(), state);
  }

  /** True when the module exports a function named `name`. */
  has(name: string): boolean {
    return typeof this.#instance.exports[name] === 'function';
  }

  /**
   * Calls export `name` with `input` and returns its output. Throws what the call raised: a
   * `WebAssembly.RuntimeError` (a trap), a `PluginError`, or a host function's error. After a
   * throw the instance must not be used again.
   */
  call(name: string, input: string): string {
    const fn = this.#instance.exports[name] as (() => number) | undefined;
    if (typeof fn !== 'function') throw new PluginError(`the plugin exports no function "${name}"`);
    const state = this.#state;
    state.begin(encoder.encode(input));
    try {
      const code = fn();
      const context = state.context!;
      if (state.errorAddress !== 0n) throw new PluginError(readText(context, state.errorAddress, -1) || `the plugin's ${name} failed`);
      if (code !== 0) throw new PluginError(`the plugin's ${name} returned error code ${code}`);
      return state.outputAddress === 0n ? '' : readText(context, state.outputAddress, state.outputLength);
    } finally {
      state.end();
      // reset() frees the call's host blocks; it is async in name only (nothing awaited inside).
      void this.#plugin.reset();
    }
  }

  /** Frees the instance (its WASI file descriptors). */
  close(): Promise<void> {
    return this.#plugin.close();
  }
}

function readText(context: ExtismContext, address: bigint, length: number): string {
  const block = context.read(address);
  if (block === null) return '';
  const bytes = block.bytes();
  return decoder.decode(length < 0 ? bytes : bytes.subarray(0, length));
}

/** The adapter's side of one call: its input, where its output and error went, host memory used. */
class CallState {
  input: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.input.buffer);
  outputAddress = 0n;
  outputLength = 0;
  errorAddress = 0n;
  inputAddress = 0n;
  allocated = 0;
  status = 0;
  /** Extism's context, learnt from the first kernel call of each instance. */
  context: ExtismContext | undefined;
  readonly vars = new Map<string, Uint8Array>();

  constructor(readonly hostMemoryLimit: number) {}

  begin(input: Uint8Array): void {
    this.input = input;
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.outputAddress = 0n;
    this.outputLength = 0;
    this.errorAddress = 0n;
    this.inputAddress = 0n;
    this.allocated = 0;
  }

  end(): void {
    this.input = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

/** The kernel functions the adapter overrides (Extism's own serve the rest). */
function envFunctions(state: CallState, http: HttpBridge | undefined): Record<string, HostFunction> {
  const offset = (address: bigint): number => Number(address & OFFSET_MASK);
  return {
    input_length: (context) => {
      state.context = context;
      return BigInt(state.input.byteLength);
    },
    input_load_u8: (_context, address) => state.input[offset(address)] ?? 0,
    input_load_u64: (_context, address) => state.view.getBigUint64(offset(address), true),
    // Some PDKs read the input as a block: store it in one only when asked.
    input_offset: (context) => {
      state.context = context;
      if (state.inputAddress === 0n) state.inputAddress = context.store(state.input);
      return state.inputAddress;
    },
    output_set: (context, address, length) => {
      state.context = context;
      state.outputAddress = address!;
      state.outputLength = Number(length);
    },
    error_set: (context, address) => {
      state.context = context;
      state.errorAddress = address!;
    },
    alloc: (context, size) => {
      state.context = context;
      state.allocated += Number(size);
      if (state.allocated > state.hostMemoryLimit) {
        throw new HostMemoryExceeded(`the plugin allocated ${state.allocated} bytes of host memory in one call, more than its memory limit (${state.hostMemoryLimit})`);
      }
      return context.alloc(size);
    },
    var_get: (context, address) => {
      const key = context.read(address)?.text();
      const value = key === undefined ? undefined : state.vars.get(key);
      return value === undefined ? 0n : context.store(value);
    },
    var_set: (context, address, valueAddress) => {
      const key = context.read(address)?.text();
      if (key === undefined) return;
      if (valueAddress === 0n) {
        state.vars.delete(key);
        return;
      }
      const value = context.read(valueAddress);
      if (value !== null) state.vars.set(key, value.bytes().slice());
    },
    http_request: (context, requestAddress, bodyAddress) => {
      const text = context.read(requestAddress)?.text();
      if (text === undefined) throw new Error('http_request: no request');
      const request = JSON.parse(text) as { url?: unknown; method?: unknown; headers?: unknown };
      if (http === undefined) throw new HostDenied(`HTTP request to ${JSON.stringify(request.url)} is not allowed (the server lists no allowedHosts)`);
      const body = bodyAddress === 0n ? undefined : context.read(bodyAddress);
      const response = http.request({
        url: String(request.url),
        method: typeof request.method === 'string' ? request.method.toUpperCase() : 'GET',
        headers: typeof request.headers === 'object' && request.headers !== null ? (request.headers as Record<string, string>) : {},
        ...(body === null || body === undefined ? {} : { body: body.bytes().slice() }),
      });
      state.status = response.status;
      return response.body.byteLength === 0 ? 0n : context.store(response.body);
    },
    http_status_code: () => state.status,
  };
}
