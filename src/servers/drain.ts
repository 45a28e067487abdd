/**
 * @module servers/drain
 * The graceful part of an actor's shutdown: wait until the calls already sent to the server
 * have been answered, or until the drain deadline passes, whichever comes first. The actor
 * keeps the `done` callback and calls it when its last frame leaves.
 */

/**
 * Resolves once `done` (handed to `hold`) is called or after `timeoutMs` (`Infinity`: no
 * deadline). The timer is cleared either way, so a drain that ends early leaves nothing behind.
 */
export async function untilDrained(timeoutMs: number, hold: (done: () => void) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    hold(resolve);
    if (timeoutMs !== Infinity) timer = setTimeout(resolve, timeoutMs);
  });
  clearTimeout(timer);
}
