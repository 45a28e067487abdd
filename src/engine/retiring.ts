/**
 * @module engine/retiring
 * Servers replaced by a reload, while they drain: the calls they had admitted (or that wait in
 * the manager's queue for them) finish there; once none is left, the old actor shuts down.
 *
 * Why by replacement: Node cannot unload an ES module, and a cache-busting import would leak
 * the old module graph. A reload therefore starts a whole new actor (fresh threads load the
 * module anew; an external server is respawned or reconnected), and the manager sends new calls
 * to it once it has started; the old one is kept here, still serving what it holds.
 */
import type { ServerEntry } from './server-entry.js';

/** How often a draining server is checked for calls left. */
const CHECK_EVERY_MS = 10;

/** The servers draining after a reload. */
export class RetiringServers {
  readonly #draining = new Map<ServerEntry, Promise<void>>();

  /** Every draining server (their calls still time out and may be stopped). */
  get entries(): IterableIterator<ServerEntry> {
    return this.#draining.keys();
  }

  /** Keeps `entry` until its calls are answered, then shuts its actor down. */
  retire(entry: ServerEntry): void {
    const drained = new Promise<void>((resolve) => {
      const check = (): void => {
        if (entry.admitted > 0 || entry.waiting > 0) {
          setTimeout(check, CHECK_EVERY_MS).unref();
          return;
        }
        resolve();
      };
      check();
    }).then(async () => {
      this.#draining.delete(entry);
      await entry.actor.shutdown().catch(() => undefined);
    });
    this.#draining.set(entry, drained);
  }

  /** Shuts every draining server down now (calls still running get `timeoutMs` to finish). */
  async shutdown(timeoutMs: number): Promise<void> {
    const entries = [...this.#draining.keys()];
    this.#draining.clear();
    await Promise.all(entries.map((entry) => entry.actor.shutdown(timeoutMs).catch(() => undefined)));
  }
}
