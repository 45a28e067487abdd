/**
 * @module workers/session-loop
 * A session on a server thread: one long piscina task that serves frames on its port until the
 * manager closes it, blocking on a shared counter while no call runs.
 */
import { receiveMessageOnPort, type MessagePort, type Transferable } from 'node:worker_threads';
import { messageOf } from '../src/errors/mcpool-error.js';
import { SessionMessageKind, type SessionMessage, type SessionReply } from '../src/wire/protocol.js';
import { cancel } from './cancellation.js';
import type { LoadedServer } from './load-server.js';
import type { FrameOwner } from './frame-run.js';
import { runFrame } from './run-frame.js';
import type { ThreadRings } from './thread-rings.js';
import type { BusyClock } from './busy-clock.js';
import { BLOCKING_IDLE_MS } from './blocking-idle.js';

/**
 * Serves frames on a session port until the manager closes it.
 *
 * While no call is running, the thread blocks in `Atomics.wait` on the session's wake-up
 * counter and reads messages with `receiveMessageOnPort`: a futex wake-up is much quicker than
 * waking an event loop, which is what a lone call's latency is made of (piscina does the same
 * between tasks). While an async handler is pending the thread stays in its event loop, so its
 * timers, I/O and callbacks run, and messages arrive as events.
 *
 * A thread idle for {@link BLOCKING_IDLE_MS} waits in its event loop instead, until the next
 * wake-up. V8 does its housekeeping in tasks on that loop, the memory reducer above all, which
 * shrinks a heap that start-up grew, and a blocked thread never runs them: a thread that blocked
 * for good kept 7 MB of young generation it no longer used (an idle gateway: 77 against 70 MB
 * RSS). The handler's own timers run then too.
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
  /** The shared-memory path; undefined: frames and replies take the port. */
  readonly rings: ThreadRings | undefined;
  /** An `Atomics.waitAsync` on the wake-up counter is pending (while the event loop runs). */
  #awaiting = false;
  readonly #busy: BusyClock;

  constructor(server: LoadedServer, port: MessagePort, wake: SharedArrayBuffer, rings: ThreadRings | undefined, busy: BusyClock) {
    this.#server = server;
    this.#busy = busy;
    this.#port = port;
    this.#wake = new Int32Array(wake);
    this.rings = rings;
    this.ended = new Promise<void>((resolve) => {
      this.#end = resolve;
    });
    port.on('message', (message: SessionMessage) => this.#handle(message));
    port.on('close', () => this.#close());
  }

  /**
   * Blocks for messages while idle; returns to the event loop when a call is pending, the session
   * ended, or nothing came for {@link BLOCKING_IDLE_MS}.
   */
  serveWhileIdle(): void {
    while (this.#open && this.#active === 0) {
      // Flag the wait first: the manager only notifies a thread that says it sleeps.
      Atomics.store(this.#wake, 1, 1);
      this.#busy.publish();
      this.#busy.blocking();
      const waited = Atomics.wait(this.#wake, 0, this.#seen, BLOCKING_IDLE_MS);
      this.#busy.woke();
      if (waited === 'timed-out') {
        // Idle: the next wake-up is awaited in the event loop, whichever path frames take.
        this.#awaitWake();
        return;
      }
      this.#takeWake();
    }
    // Calls are pending and the event loop runs: frames in the ring need a wake-up that reaches
    // it (port messages arrive as events).
    if (this.#open && this.rings !== undefined) this.#awaitWake();
  }

  /** Clears the sleeping flag, notes the wake-up count, and handles everything that came. */
  #takeWake(): void {
    Atomics.store(this.#wake, 1, 0);
    this.#seen = Atomics.load(this.#wake, 0);
    this.#readAll();
  }

  /** Handles every frame in the calls ring, then every message on the port. */
  #readAll(): void {
    const rings = this.rings;
    if (rings !== undefined) {
      for (let frame = rings.nextFrame(); frame !== undefined && this.#open; frame = rings.nextFrame()) this.#handle(frame);
    }
    for (let entry = receiveMessageOnPort(this.#port); entry !== undefined && this.#open; entry = receiveMessageOnPort(this.#port)) {
      this.#handle(entry.message as SessionMessage);
    }
  }

  /**
   * Waits in the event loop for the manager's next wake-up (while calls are pending, or once
   * idle for {@link BLOCKING_IDLE_MS}), then reads what came. One wait is pending at a time;
   * setting the flag is what makes the manager notify it.
   */
  #awaitWake(): void {
    Atomics.store(this.#wake, 1, 1);
    const seen = Atomics.load(this.#wake, 0);
    if (seen !== this.#seen) {
      // Something came since the last read: read it from a fresh callback, not recursively.
      setImmediate(this.#onWake);
      return;
    }
    if (this.#awaiting) return;
    this.#awaiting = true;
    const waited = Atomics.waitAsync(this.#wake, 0, seen);
    if (waited.async) void waited.value.then(this.#onWaited);
    else setImmediate(this.#onWaited);
  }

  readonly #onWaited = (): void => {
    this.#awaiting = false;
    this.#onWake();
  };

  readonly #onWake = (): void => {
    if (!this.#open) return;
    this.#takeWake();
    // Nothing running (after what came ran, or an idle thread's wake-up): block again. A
    // `serveWhileIdle` that `frameEnded` scheduled meanwhile finds the calls pending or blocks too.
    if (this.#active === 0) this.serveWhileIdle();
    else if (this.rings !== undefined) this.#awaitWake();
  };

  /** A frame ended; if nothing else runs, go back to blocking. */
  frameEnded(): void {
    this.#active--;
    this.#busy.publish();
    // Leave the event loop's current callback first, so the frame's last message is flushed.
    if (this.#active === 0) setImmediate(() => this.serveWhileIdle());
  }

  /** Sends a reply that is not packed results, in order with the rest (see `ThreadRings.post`). */
  reply(reply: SessionReply, transfer?: Transferable[]): void {
    if (this.rings !== undefined) this.rings.post(reply, transfer);
    else if (transfer === undefined) this.#port.postMessage(reply);
    else this.#port.postMessage(reply, transfer);
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
          this.reply(reply);
        }
        break;
      case SessionMessageKind.cancel:
        cancel(message);
        break;
      case SessionMessageKind.ping: {
        const reply: SessionReply = { pong: message.id };
        this.reply(reply);
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
export function runSession(server: LoadedServer, port: MessagePort, wake: SharedArrayBuffer, rings: ThreadRings | undefined, busy: BusyClock): Promise<void> {
  const session = new SessionLoop(server, port, wake, rings, busy);
  // The first figure is the thread's start-up: the manager takes it as the base, not as load.
  busy.publish();
  session.serveWhileIdle();
  return session.ended;
}

