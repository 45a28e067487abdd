/**
 * @module workers/wasm/wasm-entry
 * The piscina entry of a WebAssembly server's threads: like a worker server's entry, but the
 * server it serves is a hyper-mcp plugin (see `load-plugin`), run on the same frame path, so
 * timeouts, crash isolation and every resilience option apply as they do to worker servers.
 */
import './quiet-wasi-warning.js';
import { workerData } from 'node:worker_threads';
import { TaskKind, type ServerTask, type ThreadData } from '../../src/wire/protocol.js';
import { openManagerChannel } from '../manager-channel.js';
import { runSession } from '../session-loop.js';
import { loadWasmServer } from './load-plugin.js';

const data = workerData as ThreadData;
// A plugin that fails to load does not kill the thread: every task answers with the error.
const loaded = await loadWasmServer(data.moduleUrl, data.serverName, data.wasm ?? { memoryLimitMb: undefined, allowedHosts: [], preopens: {}, config: {} }).then(
  (server) => ({ server, error: undefined }),
  (error: unknown) => ({ server: undefined, error }),
);

openManagerChannel();

/** The piscina task entry: a session serving frames, or a describe request. */
export default function runTask(task: ServerTask): unknown {
  const server = loaded.server;
  if (server === undefined) throw loaded.error;
  switch (task.k) {
    case TaskKind.session:
      return runSession(server, task.port, task.wake);
    case TaskKind.describe:
      return server.description;
  }
}
