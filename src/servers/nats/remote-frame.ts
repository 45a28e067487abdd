/**
 * @module servers/nats/remote-frame
 * A frame of calls sent over NATS, as the caller's `nats` actor tracks it: sent, then accepted
 * by one node (its ack), then answered. Which node holds it decides what a node's death means
 * for its calls (see `nats-actor`).
 */
import type { Call } from '../../engine/call.js';

/** One frame in flight. */
export class RemoteFrame {
  /** The node that accepted it (its ack), or undefined while not accepted. */
  node: string | undefined = undefined;
  /** Calls answered so far. */
  answered = 0;

  constructor(
    readonly id: number,
    /** The frame's calls; `calls[i].index === i`. */
    readonly calls: Call[],
    /** The caller's inbox subject of this frame (`<inbox>.<id>`): the key the node knows it by. */
    readonly reply: string,
    /** `performance.now()` when sent (reset when NATS comes back: what was unacknowledged waits anew). */
    public sentAt: number,
  ) {}
}
