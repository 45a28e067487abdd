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
 * The pieces: `task-runner` (the task function), `session-loop` (serving a session port), `run-frame` (running a frame's calls),
 * `frame-run` (collecting and sending its results), `call-context` (a handler's `ctx`),
 * `cancellation` (signals and early cancellations) and `manager-channel` (nested tool calls).
 */
import { workerData } from 'node:worker_threads';
import type { ThreadData } from '../src/wire/protocol.js';
import { loadServerModule } from './load-server.js';
import { taskRunner } from './task-runner.js';

const data = workerData as ThreadData;

/** The piscina task entry (see `task-runner`). */
export default await taskRunner(loadServerModule(data.moduleUrl, data.serverName));
