/**
 * @module servers/nats/serve-over-nats
 * The node side of the NATS hop: `serveOverNats(manager, options)` serves a manager's worker
 * (and wasm) servers on NATS until `close()`, which drains. `mcpool node` is this plus a config.
 *
 * Each server is one queue group, so NATS spreads its frames over every node that serves it. A
 * node acknowledges a frame as soon as it takes it (the caller then knows the calls were
 * accepted and will not send them elsewhere), sends heartbeats to each caller it holds frames
 * of (so a caller tells a dead node from a slow one long before a call's timeout), then the
 * progress and results. Results a node could not send because NATS was away are sent again
 * when it is back. `close()` unsubscribes (NATS routes no new frame here), finishes the frames
 * it accepted, flushes their results and only then disconnects: a draining node loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { LogRecord } from '../../api/server-types.js';
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import type { Manager } from '../../engine/manager.js';
import { natsConnectionShape } from '../../config/nats-schema.js';
import { parseOrThrow, serverNameSchema } from '../../config/schemas.js';
import { z } from 'zod';
import { ChurnMap } from '../../engine/churn.js';
import { connectNats } from './connection.js';
import { encodeResults, runFrame } from './node-frame.js';
import { ServiceApi, type EndpointStats } from './service-api.js';
import {
  cancelSubject,
  decode,
  encode,
  HEARTBEAT_TOKEN,
  ReplyKind,
  serverSubjects,
  serviceName,
  type ControlRequest,
  type WireFrame,
  type WireResult,
} from './wire.js';

/** Wait after NATS comes back before sending the replies kept meanwhile (callers resubscribe within about 0.5 s). */
const REPUBLISH_DELAY_MS = 750;

const nodeOptionsSchema = z.strictObject({
  ...natsConnectionShape,
  /** The node's name in discovery and in `WORKER_CRASHED` errors. @default `<hostname>-<pid>` */
  name: z.string().min(1).max(128).optional(),
  /** The manager's servers to serve. @default every worker and wasm server */
  servers: z.array(serverNameSchema).optional(),
  /** Interval of the heartbeats sent to callers while this node holds their frames. @default 250 */
  heartbeatMs: z.number().int().positive().default(250),
});

/** Options of `serveOverNats`. */
export type NatsNodeOptions = z.input<typeof nodeOptionsSchema>;

/** A node serving on NATS. */
export interface NatsNode {
  /** The node's instance id (the NATS service id). */
  readonly id: string;
  readonly name: string;
  /** The servers it serves. */
  readonly servers: readonly string[];
  /** Stops taking frames, finishes the ones it accepted, sends their results, disconnects. Idempotent. */
  close(): Promise<void>;
}

/** A frame this node accepted and has not answered yet. */
interface HeldFrame {
  readonly reply: string;
  readonly inbox: string;
  readonly controller: AbortController;
}

/** Serves `manager`'s worker and wasm servers (or `options.servers`) on NATS. */
export async function serveOverNats(manager: Manager, options: NatsNodeOptions): Promise<NatsNode> {
  const settings = parseOrThrow(nodeOptionsSchema, options, 'serveOverNats options');
  const deployed = manager.listServers();
  const names = settings.servers ?? deployed.filter((server) => server.type === 'worker' || server.type === 'wasm').map((server) => server.name);
  for (const name of names) {
    if (!deployed.some((server) => server.name === name)) throw new McpoolError(ErrorCode.SERVER_NOT_FOUND, `serveOverNats: the manager has no server "${name}"`, { server: name });
  }
  const nodeName = settings.name ?? `${hostname()}-${process.pid}`;
  const nc = await connectNats(settings, `mcpool node ${nodeName}`, `node "${nodeName}"`);
  return new NodeServer(manager, nc, settings, nodeName, names);
}

class NodeServer implements NatsNode {
  readonly id = randomUUID().replaceAll('-', '');
  readonly name: string;
  readonly servers: readonly string[];
  readonly #manager: Manager;
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #heartbeatMs: number;
  /** Frames being run, by reply subject (one entry per frame: a `ChurnMap`, engine/churn). */
  readonly #held = new ChurnMap<string, HeldFrame>();
  /** Frames held per caller inbox: where heartbeats go. */
  readonly #inboxes = new Map<string, number>();
  readonly #stats = new Map<string, EndpointStats>();
  readonly #subscriptions: Subscription[] = [];
  readonly #service: ServiceApi;
  readonly #heartbeat: NodeJS.Timeout;
  /**
   * Replies that could not go while NATS was away, sent once it is back; a frame whose results
   * wait here stays held (and heartbeating), so its caller does not take this node for dead.
   */
  #unsent: { subject: string; data: Uint8Array; held?: HeldFrame }[] = [];
  #connected = true;
  #idle: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  readonly #onLog = (record: LogRecord): void => {
    if (!this.#stats.has(record.server)) return;
    this.#publish(serverSubjects(this.#prefix, record.server).logs, encode([record.tool, record.level, record.data]));
  };

  constructor(manager: Manager, nc: NatsConnection, settings: z.output<typeof nodeOptionsSchema>, name: string, servers: string[]) {
    this.#manager = manager;
    this.#nc = nc;
    this.#prefix = settings.subjectPrefix;
    this.#heartbeatMs = settings.heartbeatMs;
    this.name = name;
    this.servers = servers;
    for (const server of servers) {
      const subjects = serverSubjects(this.#prefix, server);
      this.#stats.set(server, { name: server, subject: subjects.calls, queueGroup: subjects.queue, frames: 0, calls: 0, errors: 0, inFlight: 0, lastError: '', processingNs: 0 });
      this.#subscriptions.push(
        nc.subscribe(subjects.calls, { queue: subjects.queue, callback: (error, msg) => {
            if (error === null) this.#onFrame(server, msg);
          },
        }),
        nc.subscribe(subjects.control, { queue: subjects.queue, callback: (error, msg) => {
            if (error === null) this.#onControl(server, msg);
          },
        }),
      );
    }
    this.#subscriptions.push(nc.subscribe(cancelSubject(this.#prefix, this.id), { callback: (error, msg) => {
          if (error === null) this.#onCancel(msg);
        },
      }));
    this.#service = new ServiceApi(nc, { service: serviceName(this.#prefix), id: this.id, nodeName: name, started: new Date().toISOString() }, () => [...this.#stats.values()]);
    manager.on('log', this.#onLog);
    this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
    void this.#watchStatus();
  }

  async #watchStatus(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type === 'disconnect') this.#connected = false;
      else if (status.type === 'reconnect') {
        this.#connected = true;
        // Callers reconnect on their own schedule: give them time to subscribe to their inboxes again.
        setTimeout(() => this.#sendUnsent(), REPUBLISH_DELAY_MS).unref();
      }
    }
  }

  #sendUnsent(): void {
    if (!this.#connected) return;
    const unsent = this.#unsent;
    this.#unsent = [];
    for (const { subject, data, held } of unsent) {
      this.#publish(subject, data, held);
      if (held !== undefined && !this.#unsent.some((entry) => entry.held === held)) this.#release(held);
    }
  }

  /**
   * Publishes now, or keeps the message for when NATS is back (the client drops what it holds
   * while away); true if it went now.
   */
  #publish(subject: string, data: Uint8Array, held?: HeldFrame): boolean {
    if (this.#nc.isClosed()) return false;
    if (this.#connected) {
      try {
        this.#nc.publish(subject, data);
        return true;
      } catch {
        // Closing or disconnected: kept below.
      }
    }
    this.#unsent.push(held === undefined ? { subject, data } : { subject, data, held });
    return false;
  }

  #onFrame(server: string, msg: Msg): void {
    const reply = msg.reply;
    if (reply === undefined) return;
    const stats = this.#stats.get(server)!;
    stats.frames++;
    let frame: WireFrame;
    try {
      frame = decode(msg.data) as WireFrame;
      if (!Array.isArray(frame) || !Array.isArray(frame[1])) throw new Error('not a calls frame');
    } catch {
      // Acknowledged and answered with no results: the caller fails the frame's calls as unreadable.
      this.#publish(reply, encode([ReplyKind.ack, this.id, this.name, this.#heartbeatMs]));
      this.#publish(reply, encode([ReplyKind.results, 0, [], 1, 0]));
      return;
    }
    const inbox = reply.slice(0, reply.lastIndexOf('.'));
    const held: HeldFrame = { reply, inbox, controller: new AbortController() };
    this.#held.set(reply, held);
    this.#inboxes.set(inbox, (this.#inboxes.get(inbox) ?? 0) + 1);
    this.#publish(reply, encode([ReplyKind.ack, this.id, this.name, this.#heartbeatMs]));
    const count = frame[1].length / 2;
    stats.calls += count;
    stats.inFlight += count;
    const started = performance.now();
    const onProgress = (index: number, update: { progress: number; total?: number; message?: string }): void => {
      this.#publish(reply, encode([ReplyKind.progress, index, update.progress, update.total, update.message]));
    };
    runFrame(this.#manager, server, frame, held.controller.signal, onProgress).then(
      (results) => this.#answer(stats, held, results, count, started),
      (error: unknown) => {
        const failure = { ok: false as const, error: { code: ErrorCode.TRANSPORT_ERROR, message: `the node failed to run the frame: ${String(error)}` } };
        this.#answer(stats, held, new Array<WireResult>(count).fill(failure), count, started);
      },
    );
  }

  #answer(stats: EndpointStats, held: HeldFrame, results: WireResult[], count: number, started: number): void {
    stats.inFlight -= count;
    const frameMs = performance.now() - started;
    stats.processingNs += Math.round(frameMs * 1e6);
    for (const result of results) {
      if (!result.ok) {
        stats.errors++;
        stats.lastError = result.error.message;
      }
    }
    let sent = true;
    if (!held.controller.signal.aborted) {
      for (const message of encodeResults(results, this.#nc.info?.max_payload ?? 1024 * 1024, frameMs)) sent = this.#publish(held.reply, message, held) && sent;
    }
    if (sent) this.#release(held);
  }

  /** A frame is answered (its results sent): it no longer holds this node's heartbeats. */
  #release(held: HeldFrame): void {
    if (!this.#held.delete(held.reply)) return;
    const left = (this.#inboxes.get(held.inbox) ?? 1) - 1;
    if (left === 0) this.#inboxes.delete(held.inbox);
    else this.#inboxes.set(held.inbox, left);
    if (this.#held.size === 0) this.#idle?.();
  }

  #onControl(server: string, msg: Msg): void {
    if (msg.reply === undefined) return;
    let request: ControlRequest;
    try {
      request = decode(msg.data) as ControlRequest;
    } catch {
      return;
    }
    if (request[0] === 'tools') {
      void this.#manager.listTools(server).then((tools) => this.#publish(msg.reply!, encode([tools, this.id, this.name])), () => undefined);
    } else {
      this.#publish(msg.reply, encode(1));
    }
  }

  #onCancel(msg: Msg): void {
    try {
      const reply = decode(msg.data);
      if (typeof reply === 'string') this.#held.get(reply)?.controller.abort(new Error('the caller gave up on the frame'));
    } catch {
      // Not a cancellation: ignore it.
    }
  }

  /** A heartbeat to every caller this node holds frames of. */
  #beat(): void {
    if (this.#inboxes.size === 0) return;
    const beat = encode([ReplyKind.heartbeat, this.id]);
    // Heartbeats are not kept for later: a late heartbeat says nothing.
    if (!this.#connected) return;
    for (const inbox of this.#inboxes.keys()) this.#nc.publish(`${inbox}.${HEARTBEAT_TOKEN}`, beat);
  }

  close(): Promise<void> {
    this.#closing ??= this.#drain();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    // Unsubscribing first: NATS routes no new frame here; frames already delivered are still taken.
    await Promise.all(this.#subscriptions.map((subscription) => subscription.drain().catch(() => undefined)));
    if (this.#held.size > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    this.#service.stop();
    this.#manager.off('log', this.#onLog);
    clearInterval(this.#heartbeat);
    if (this.#nc.isClosed()) return;
    // Flushes what is still to send (results of the last frames), then closes.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#nc.drain().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    if (!this.#nc.isClosed()) await this.#nc.close();
  }
}
