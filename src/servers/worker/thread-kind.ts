/**
 * @module servers/worker/thread-kind
 * Which threads a worker actor runs: plain worker threads that import a server module, or a
 * WebAssembly server's threads (the same frame path, another piscina entry). The WebAssembly
 * actor passes its own kind; everything else gets `WORKER_THREADS`.
 */
import type { WasmThreadOptions } from '../../wire/protocol.js';

/** What makes a worker actor serve another kind of thread (a WebAssembly server's). */
export interface ThreadKind {
  type: 'worker' | 'wasm';
  /** The piscina entry of the threads. */
  entry: URL;
  /** Passed to the threads in their `workerData`. */
  wasm?: WasmThreadOptions;
}

const workerEntry = new URL('../../../workers/thread-entry.js', import.meta.url);

/** A worker server's threads: `workers/thread-entry` imports the server's module. */
export const WORKER_THREADS: ThreadKind = { type: 'worker', entry: workerEntry };
