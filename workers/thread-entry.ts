/**
 * @module workers/thread-entry
 * The server actor inside each thread of a worker server's piscina pool: the pool's entry.
 *
 * It loads the server module once per thread. The manager then opens one session per thread (a
 * piscina task that lasts as long as the thread serves) and sends frames of calls over the
 * session's port: the thread decodes each frame, validates each call's arguments with the
 * tool's zod schema, runs the handler with its context, and sends the results back on the same
 * port. Results of calls that finish early are sent at once (a slow call must not hold back
 * finished ones); the last message of a frame is marked done.
 *
 * Before running a call it writes the call's index into the shared progress table, so that if
 * this thread dies or is stopped, the manager knows which call was running and which never
 * started (those are sent again on another thread).
 *
 * The pieces: `session` (serving a session port), `run-frame` (running a frame's calls),
 * `frame-run` (collecting and sending its results), `call-context` (a handler's `ctx`),
 * `cancellation` (signals and early cancellations) and `manager-channel` (nested tool calls).
 */
import { workerData } from 'node:worker_threads';
import { TaskKind, type ServerTask, type ThreadData } from '../src/wire/protocol.js';
import { loadServerModule } from './load-server.js';
import { openManagerChannel } from './manager-channel.js';
import { runSession } from './session-loop.js';

const data = workerData as ThreadData;
// A module that fails to load does not kill the thread: every task answers with the load error,
// so deployServer can report it (naming the module and the cause) instead of waiting for a
// thread that never becomes ready.
const loaded = await loadServerModule(data.moduleUrl, data.serverName).then(
  (server) => ({ server, error: undefined }),
  (error: unknown) => ({ server: undefined, error }),
);

// One callback channel per thread, opened once: nested tool calls go to the manager over it.
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
