/**
 * @module servers/nats/node-roster
 * The nodes a caller knows for one server: found by discovery (`$SRV.STATS`) or by their
 * messages (acks, results, heartbeats), with when each was last heard and what this caller has
 * sent it. A node that holds accepted frames and stays silent past `deadNodeMs` is dead; one
 * that holds nothing leaves the roster when discovery stops seeing it.
 */
import type { NodeHealth } from '../../api/server-types.js';

/** One node, as this caller sees it. */
export interface KnownNode {
  readonly id: string;
  name: string;
  /** `performance.now()` of its last message. */
  lastHeard: number;
  /** `performance.now()` of its last discovery answer (or first message). */
  lastSeen: number;
  /** Calls in frames it accepted and has not answered. */
  inFlight: number;
  /** Calls it answered, and those answered with an engine error (its crash included). */
  calls: number;
  errors: number;
  /** Frames it accepted and has not answered. */
  frames: number;
}

/** The nodes of one server. */
export class NodeRoster {
  readonly #nodes = new Map<string, KnownNode>();

  constructor(
    /** Silence, while holding frames, after which a node is dead. */
    private readonly deadNodeMs: number,
    /** Absence from discovery after which an idle node is forgotten. */
    private readonly forgetMs: number,
  ) {}

  /** A message from node `id` (its name when the message carries it). */
  heard(id: string, now: number, name?: string): KnownNode {
    let node = this.#nodes.get(id);
    if (node === undefined) {
      node = { id, name: name ?? id, lastHeard: now, lastSeen: now, inFlight: 0, calls: 0, errors: 0, frames: 0 };
      this.#nodes.set(id, node);
    }
    if (name !== undefined) node.name = name;
    node.lastHeard = now;
    return node;
  }

  /** Node `id` answered discovery. */
  seen(id: string, name: string, now: number): void {
    this.heard(id, now, name).lastSeen = now;
  }

  get(id: string): KnownNode | undefined {
    return this.#nodes.get(id);
  }

  /** Nodes holding frames that have been silent too long. */
  silent(now: number): KnownNode[] {
    return [...this.#nodes.values()].filter((node) => node.frames > 0 && now - node.lastHeard > this.deadNodeMs);
  }

  /** Forgets a node (dead, or gone from discovery while idle). */
  remove(id: string): void {
    this.#nodes.delete(id);
  }

  /** Forgets idle nodes discovery has not seen for a while. */
  prune(now: number): void {
    for (const node of this.#nodes.values()) {
      if (node.frames === 0 && now - node.lastSeen > this.forgetMs && now - node.lastHeard > this.forgetMs) this.#nodes.delete(node.id);
    }
  }

  /** NATS came back: silence while it was away says nothing about the nodes. */
  forgive(now: number): void {
    for (const node of this.#nodes.values()) {
      node.lastHeard = now;
      node.lastSeen = now;
    }
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** The live nodes, for health. */
  health(): NodeHealth[] {
    return [...this.#nodes.values()].map(({ id, name, inFlight, calls, errors }) => ({ id, name, inFlight, calls, errors }));
  }
}
