/**
 * @module workers/wasm/wasm-entry
 * The piscina entry of a WebAssembly server's threads: like a worker server's entry, but the
 * server it serves is a hyper-mcp plugin (see `load-plugin`), run on the same frame path, so
 * timeouts, crash isolation and every resilience option apply as they do to worker servers.
 */
import './quiet-wasi-warning.js';
import { workerData } from 'node:worker_threads';
import type { ThreadData } from '../../src/wire/protocol.js';
import { taskRunner } from '../task-runner.js';
import { loadWasmServer } from './load-plugin.js';

const data = workerData as ThreadData;

/** The piscina task entry (see `task-runner`). */
export default await taskRunner(loadWasmServer(data.moduleUrl, data.serverName, data.wasm ?? { memoryLimitMb: undefined, allowedHosts: [], preopens: {}, config: {} }));
