/**
 * @module workers/task-runner
 * The piscina task function both thread entries export (worker servers and WebAssembly
 * servers): a session serving frames, or a describe request, for the server the entry loads.
 *
 * A server that fails to load does not kill the thread: every task answers with the load error,
 * so deployServer can report it (naming the module and the cause) instead of waiting for a
 * thread that never becomes ready.
 */
import { TaskKind, type ServerTask } from '../src/wire/protocol.js';
import { BusyClock } from './busy-clock.js';
import type { LoadedServer } from './load-server.js';
import { openManagerChannel } from './manager-channel.js';
import { runSession } from './session-loop.js';
import { ThreadRings } from './thread-rings.js';

/** Waits for `loading`, opens the thread's callback channel, and returns the task function. */
export async function taskRunner(loading: Promise<LoadedServer>): Promise<(task: ServerTask) => unknown> {
  const loaded = await loading.then(
    (server) => ({ server, error: undefined }),
    (error: unknown) => ({ server: undefined, error }),
  );
  // One callback channel per thread, opened once: nested tool calls go to the manager over it.
  openManagerChannel();
  return function runTask(task: ServerTask): unknown {
    const server = loaded.server;
    if (server === undefined) throw loaded.error;
    switch (task.k) {
      case TaskKind.session:
        return runSession(server, task.port, task.wake, task.rings === undefined ? undefined : new ThreadRings(task.rings[0], task.rings[1], task.port), new BusyClock(task.busy));
      case TaskKind.describe:
        return server.description;
    }
  };
}
