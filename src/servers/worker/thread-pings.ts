/**
 * @module servers/worker/thread-pings
 * Liveness probes of a worker server's idle threads: a ping goes on a session's port and the
 * thread must answer within a deadline. A thread that does not is stuck outside any call (a
 * tool left it looping) and is handed to `onSilent` to be stopped.
 */
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import { SessionMessageKind } from '../../wire/protocol.js';
import type { ThreadSession } from './thread-session.js';

/** Pings in flight, by id. */
export class ThreadPings {
  readonly #answers = new Map<number, () => void>();
  readonly #onSilent: (session: ThreadSession, timeoutMs: number) => void;
  #nextId = 1;

  constructor(onSilent: (session: ThreadSession, timeoutMs: number) => void) {
    this.#onSilent = onSilent;
  }

  /** Pings one session; resolves false (after `onSilent`) when it does not answer in time. */
  probe(session: ThreadSession, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#answers.delete(id);
        this.#onSilent(session, timeoutMs);
        resolve(false);
      }, timeoutMs);
      this.#answers.set(id, () => {
        clearTimeout(timer);
        resolve(true);
      });
      session.post({ k: SessionMessageKind.ping, id });
    });
  }

  /** A thread answered ping `id`. */
  answer(id: number): void {
    this.#answers.get(id)?.();
    this.#answers.delete(id);
  }
}

/**
 * Probes the sessions that are idle (a thread running a frame shows it is alive by answering
 * it, and could not answer a ping before): each must answer within `timeoutMs`. A thread that
 * does not is handed to the pings' `onSilent` (stopped and replaced), and this rejects
 * `SERVER_UNAVAILABLE` saying how many.
 */
export async function probeIdle(pings: ThreadPings, sessions: readonly ThreadSession[], server: string, timeoutMs: number): Promise<void> {
  const idle = sessions.filter((session) => session.alive && session.frames.size === 0);
  const answers = await Promise.all(idle.map((session) => pings.probe(session, timeoutMs)));
  const stuck = answers.filter((answered) => !answered).length;
  if (stuck > 0) {
    throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `${stuck} idle thread(s) of server "${server}" did not answer a ping within ${timeoutMs} ms and were replaced`, { server });
  }
}
