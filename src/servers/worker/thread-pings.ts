/**
 * @module servers/worker/thread-pings
 * Liveness probes of a worker server's idle threads: a ping goes on a session's port and the
 * thread must answer within a deadline. A thread that does not is stuck outside any call (a
 * tool left it looping) and is handed to `onSilent` to be stopped.
 */
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
