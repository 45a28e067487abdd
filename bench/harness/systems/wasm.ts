/**
 * @module bench/harness/systems/wasm
 * The systems of the `wasm` scenarios, each on one thread (the figures are per thread): the
 * example plugin as a WebAssembly server (`mcpool-wasm`), the same tools in plain JavaScript as
 * a worker server (`mcpool-worker-js`) and called directly (`direct-js`). And the system of the
 * `reload` scenario: the benchmark server reloaded every second while it is measured
 * (`mcpool-reloading`; any call that fails fails the cell).
 */
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import type { BenchSystem } from '../registry.js';
import { benchManager, managerTarget } from './manager-target.js';

/** Reloads per second in the `reload` scenario. */
export const RELOAD_EVERY_MS = 1_000;

const helloPlugin = fileURLToPath(new URL('../../../../examples/wasm/hello.wasm', import.meta.url));

/** The example plugin on one thread. */
export const wasmSystem: BenchSystem = {
  name: 'mcpool-wasm',
  description: 'mcpool WebAssembly server: the example plugin (AssemblyScript) on one thread',
  async start() {
    const target = await benchManager();
    await target.deployServer({ name: 'bench', type: 'wasm', module: helloPlugin, threads: 1 });
    return managerTarget(target);
  },
};

/** The same tools in plain JavaScript, as a worker server on one thread. */
export const workerJsSystem: BenchSystem = {
  name: 'mcpool-worker-js',
  description: 'mcpool worker server: the same tools in plain JavaScript on one thread',
  async start() {
    const target = await benchManager();
    await target.deployServer({ name: 'bench', type: 'worker', module: new URL('../wasm-compare-server.js', import.meta.url), threads: 1 });
    return managerTarget(target);
  },
};

/** The same tools in plain JavaScript, called on the main thread. */
export const directJsSystem: BenchSystem = {
  name: 'direct-js',
  description: 'the same tools in plain JavaScript, a function call on the main thread',
  async start() {
    const { echo, sha256 } = await import('../wasm-compare-server.js');
    const tools: Record<string, (args: never) => unknown> = { echo, sha256 };
    return {
      call: (tool, args) => Promise.resolve(tools[tool]!(args as never)),
      close: () => Promise.resolve(),
    };
  },
};

/** The benchmark server reloaded every second under the load. */
export const reloadingSystem: BenchSystem = {
  name: 'mcpool-reloading',
  description: `mcpool worker server (one thread per core) reloaded every ${RELOAD_EVERY_MS} ms`,
  async start() {
    const target = await benchManager();
    await target.deployServer({ name: 'bench', type: 'worker', module: new URL('../bench-server.js', import.meta.url), threads: availableParallelism() });
    let failure: Error | undefined;
    const timer = setInterval(() => {
      target.reloadServer('bench').catch((error: unknown) => (failure = error instanceof Error ? error : new Error(String(error))));
    }, RELOAD_EVERY_MS);
    const base = managerTarget(target, () => clearInterval(timer));
    return {
      ...base,
      call: async (tool, args) => {
        if (failure !== undefined) throw failure;
        return base.call(tool, args);
      },
    };
  },
};
