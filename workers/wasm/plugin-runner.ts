/**
 * @module workers/wasm/plugin-runner
 * The plugin of one thread: a live instance that runs calls one after another, synchronously,
 * and a spare made in the background. A call that traps (or that a host function aborted)
 * leaves its instance broken, so the spare takes over at once and the next call runs on it,
 * in the same frame; a new spare is made. Only when two calls in a row break instances faster
 * than spares are made does a call wait (asynchronously) for a fresh one.
 */
import { ErrorCode } from '../../src/errors/mcpool-error.js';
import { CallFailure } from '../call-failure.js';
import type { RunningCall } from './host-functions.js';
import { HostMemoryExceeded, PluginInstance, type InstanceOptions } from './plugin-instance.js';

/** The part of a call's `ctx` the runner uses. */
export interface RunnerContext extends RunningCall {
  running(on: boolean): void;
}

/** True for what leaves the module's own state unknown: a trap, a stack overflow, the memory cap. */
function isTrap(error: unknown): boolean {
  return error instanceof WebAssembly.RuntimeError || error instanceof HostMemoryExceeded || (error instanceof RangeError && /call stack/i.test(error.message));
}

/** Runs a thread's plugin calls. */
export class PluginRunner {
  readonly #options: InstanceOptions;
  readonly #serverName: string;
  #live: PluginInstance | undefined;
  #spare: Promise<PluginInstance>;
  #spareReady: PluginInstance | undefined;
  #current: RunningCall | undefined;

  private constructor(options: InstanceOptions, serverName: string, live: PluginInstance) {
    this.#options = options;
    this.#serverName = serverName;
    this.#live = live;
    this.#spare = this.#makeSpare();
  }

  /** Makes the first instance (a module that cannot be instantiated rejects here). */
  static async start(options: InstanceOptions, serverName: string): Promise<PluginRunner> {
    return new PluginRunner(options, serverName, await PluginInstance.create(options));
  }

  /** The call a host function acts on. */
  get current(): RunningCall | undefined {
    return this.#current;
  }

  /** True when the plugin exports a function `name`. */
  has(name: string): boolean {
    return this.#live?.has(name) ?? false;
  }

  /** Calls export `name`: synchronously when an instance is ready, else once one is. */
  call(name: string, input: string, ctx: RunnerContext | undefined): string | Promise<string> {
    const live = this.#live ?? this.#takeSpare();
    if (live !== undefined) return this.#run(live, name, input, ctx);
    return this.#spare.then(() => this.#callLater(name, input, ctx));
  }

  /** A call that waited for an instance: it marks itself running, as the frame runner would. */
  #callLater(name: string, input: string, ctx: RunnerContext | undefined): string | Promise<string> {
    const live = this.#live ?? this.#takeSpare();
    if (live === undefined) return this.#spare.then(() => this.#callLater(name, input, ctx));
    ctx?.running(true);
    try {
      return this.#run(live, name, input, ctx);
    } finally {
      ctx?.running(false);
    }
  }

  #run(instance: PluginInstance, name: string, input: string, ctx: RunningCall | undefined): string {
    this.#current = ctx;
    try {
      return instance.call(name, input);
    } catch (error) {
      // The instance stopped mid-call: its memory is in an unknown state. Drop it.
      this.#live = undefined;
      void instance.close().catch(() => undefined);
      if (isTrap(error)) {
        const trap = error instanceof Error ? error.message : String(error);
        throw new CallFailure(ErrorCode.WORKER_CRASHED, `the plugin of server "${this.#serverName}" trapped in ${name}: ${trap}; it was re-instantiated`, { trap });
      }
      throw error;
    } finally {
      this.#current = undefined;
    }
  }

  #takeSpare(): PluginInstance | undefined {
    const spare = this.#spareReady;
    if (spare === undefined) return undefined;
    this.#live = spare;
    this.#spareReady = undefined;
    this.#spare = this.#makeSpare();
    return spare;
  }

  #makeSpare(): Promise<PluginInstance> {
    const made = PluginInstance.create(this.#options);
    made.then(
      (instance) => {
        if (this.#spare === made) this.#spareReady = instance;
      },
      () => undefined,
    );
    return made;
  }
}
