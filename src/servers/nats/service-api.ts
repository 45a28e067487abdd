/**
 * @module servers/nats/service-api
 * The node's side of the NATS service API (`$SRV.PING`, `$SRV.INFO`, `$SRV.STATS`, each also
 * addressed by service name and by instance id), so `nats micro ls`-style tools and the
 * callers' discovery see every node, the servers it serves and its counters.
 *
 * Implemented here rather than with `@nats-io/services`, which exists only as a pre-release
 * that pulls a second copy of the NATS client; the protocol is the few JSON replies below
 * (https://github.com/nats-io/nats-architecture-and-design, ADR-32).
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/** The version of mcpool's NATS protocol (frames, replies), reported as the service version. */
export const PROTOCOL_VERSION = '1.0.0';

/** One endpoint (served server) of a node, with its counters. */
export interface EndpointStats {
  /** The server's name. */
  name: string;
  subject: string;
  queueGroup: string;
  /** Frames received. */
  frames: number;
  /** Calls received, answered with an engine error, and running now. */
  calls: number;
  errors: number;
  inFlight: number;
  lastError: string;
  /** Time spent on frames, in nanoseconds. */
  processingNs: number;
}

/** What a node says about itself. */
export interface ServiceIdentity {
  service: string;
  id: string;
  /** The node's name (`--name`), in the metadata. */
  nodeName: string;
  started: string;
}

/** The `stats` reply's `endpoints[i].data` a caller reads (besides the standard fields). */
export interface EndpointData {
  calls: number;
  inFlight: number;
}

/** Answers the service API for one node until `stop`. */
export class ServiceApi {
  readonly #subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly identity: ServiceIdentity,
    private readonly endpoints: () => EndpointStats[],
  ) {
    const { service, id } = identity;
    for (const verb of ['PING', 'INFO', 'STATS'] as const) {
      for (const subject of [`$SRV.${verb}`, `$SRV.${verb}.${service}`, `$SRV.${verb}.${service}.${id}`]) {
        this.#subscriptions.push(
          nc.subscribe(subject, {
            callback: (error, msg) => {
              if (error === null && msg.reply) nc.publish(msg.reply, JSON.stringify(this.#reply(verb)));
            },
          }),
        );
      }
    }
  }

  #reply(verb: 'PING' | 'INFO' | 'STATS'): Record<string, unknown> {
    const { service, id, nodeName, started } = this.identity;
    const base = { name: service, id, version: PROTOCOL_VERSION, metadata: { node: nodeName } };
    if (verb === 'PING') return { type: 'io.nats.micro.v1.ping_response', ...base };
    const endpoints = this.endpoints();
    if (verb === 'INFO') {
      return {
        type: 'io.nats.micro.v1.info_response',
        ...base,
        description: 'mcpool node: worker servers served over NATS',
        endpoints: endpoints.map((e) => ({ name: e.name, subject: e.subject, queue_group: e.queueGroup, metadata: null })),
      };
    }
    return {
      type: 'io.nats.micro.v1.stats_response',
      ...base,
      started,
      endpoints: endpoints.map((e) => ({
        name: e.name,
        subject: e.subject,
        queue_group: e.queueGroup,
        num_requests: e.frames,
        num_errors: e.errors,
        last_error: e.lastError,
        processing_time: e.processingNs,
        average_processing_time: e.frames === 0 ? 0 : Math.round(e.processingNs / e.frames),
        data: { calls: e.calls, inFlight: e.inFlight } satisfies EndpointData,
      })),
    };
  }

  /** Stops answering (the node leaves discovery). */
  stop(): void {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
  }
}
