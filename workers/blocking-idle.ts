/**
 * @module workers/blocking-idle
 * How long an idle server thread blocks for its next frame before it waits in its event loop
 * (see `SessionLoop`), in a module of its own so tests can read it without loading a thread.
 */

/** Milliseconds. Calls closer together than this keep the quick futex wake-up. */
export const BLOCKING_IDLE_MS = 1000;
