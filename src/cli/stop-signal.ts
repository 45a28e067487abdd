/**
 * @module cli/stop-signal
 * How long-running commands (`serve`, `node`) wait to be stopped: SIGINT or SIGTERM, or
 * another end the command names (the stdio client hanging up).
 */

/** Resolves on the first SIGINT or SIGTERM, or when `alsoOn` settles; removes its listeners. */
export function untilStopSignal(alsoOn?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void alsoOn?.then(stop, stop);
  });
}
