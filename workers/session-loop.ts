/**
 * @module workers/session-loop
 * A session on a server thread: one long piscina task that serves frames on its port until the
 * manager closes it, blocking on a shared counter while no call runs.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { messageOf } from '../src/errors/mcpool-error.js';
import { SessionMessageKind, type SessionMessage, type SessionReply } from '../src/wire/protocol.js';
import { cancel } from './cancellation.js';
import type { LoadedServer } from './load-server.js';
import type { FrameOwner } from './frame-run.js';
import { runFrame } from './run-frame.js';

/**
 * Serves frames on a session port until the manager closes it.
 *
 * While no call is running, the thread blocks in `Atomics.wait` on the session's wake-up
 * counter and reads messages with `receiveMessageOnPort`: a futex wake-up is much quicker than
 * waking an event loop, which is what a lone call's latency is made of (piscina does the same
 * between tasks). While an async handler is pending the thread stays in its event loop, so its
 * timers, I/O and callbacks run, and messages arrive as events.
 */
export class SessionLoop implements FrameOwner {
  readonly #server: LoadedServer;
  readonly #port: MessagePort;
  readonly #wake: Int32Array;
  #seen = 0;
  #open = true;
  /** Frames whose calls have not all finished. */
  #active = 0;
  readonly ended: Promise<void>;
  #end!: () => void;

  constructor(server: LoadedServer, port: MessagePort, wake: SharedArrayBuffer) {
    this.#server = server;
    this.#port = port;
    this.#wake = new Int32Array(wake);
    this.ended = new Promise<void>((resolve) => {
      this.#end = resolve;
    });
    port.on('message', (message: SessionMessage) => this.#handle(message));
    port.on('close', () => this.#close());
  }

  /** Blocks for messages while idle; returns to the event loop when a call is pending or the session ended. */
  serveWhileIdle(): void {
    while (this.#open && this.#active === 0) {
      // Flag the wait first: the manager only notifies a thread that says it sleeps.
      Atomics.store(this.#wake, 1, 1);
      Atomics.wait(this.#wake, 0, this.#seen);
      Atomics.store(this.#wake, 1, 0);
      this.#seen = Atomics.load(this.#wake, 0);
      for (let entry = receiveMessageOnPort(this.#port); entry !== undefined && this.#open; entry = receiveMessageOnPort(this.#port)) {
        this.#handle(entry.message as SessionMessage);
      }
    }
  }

  /** A frame ended; if nothing else runs, go back to blocking. */
  frameEnded(): void {
    this.#active--;
    // Leave the event loop's current callback first, so the frame's last message is flushed.
    if (this.#active === 0) setImmediate(() => this.serveWhileIdle());
  }

  #handle(message: SessionMessage): void {
    switch (message.k) {
      case SessionMessageKind.frame:
        this.#active++;
        try {
          if (runFrame(this.#server, message, this.#port, this)) this.#active--;
        } catch (error) {
          // Only a frame that cannot be read gets here (each call's own failures are caught):
          // say so for the whole frame, and keep serving.
          this.#active--;
          const reply: SessionReply = { f: message.f, unreadable: messageOf(error) };
          this.#port.postMessage(reply);
        }
        break;
      case SessionMessageKind.cancel:
        cancel(message);
        break;
      case SessionMessageKind.ping: {
        const reply: SessionReply = { pong: message.id };
        this.#port.postMessage(reply);
        break;
      }
      case SessionMessageKind.close:
        this.#close();
        break;
    }
  }

  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#port.close();
    this.#end();
  }
}

/** Serves a session; the task ends when the manager closes it. */
export function runSession(server: LoadedServer, port: MessagePort, wake: SharedArrayBuffer): Promise<void> {
  const session = new SessionLoop(server, port, wake);
  session.serveWhileIdle();
  return session.ended;
}

