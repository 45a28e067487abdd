/**
 * @module servers/nats/nats-actor
 * The caller's side of a server served by `mcpool node` processes over NATS: the same frame path
 * as threads (many calls per message, several frames in flight), with NATS's queue group
 * spreading the frames over the nodes.
 *
 * A call runs at most once unless its tool says it may run twice:
 * - a frame no node acknowledged within `ackTimeoutMs` was never accepted: its calls go out
 *   again (NATS routes them to a live node);
 * - a node that accepted frames and then misses its heartbeats for `deadNodeMs` is dead: its
 *   calls fail `WORKER_CRASHED` (`data.node`), except those of tools annotated
 *   `idempotentHint: true`, which go out again;
 * - no node at all: NATS answers "no responders" at once, and the frame's calls fail
 *   `SERVER_UNAVAILABLE`.
 * While NATS is away nothing is sent and nobody is declared dead; calls wait, for at most their
 * timeout, and go out when it is back. Every failure above is the node's, so it feeds the
 * server's circuit breaker like a thread's would.
 *
 * Frame sizes follow the time per call the nodes report (`frame-packing`); the nodes are learnt
 * from the NATS service API (`$SRV.STATS`) and from their messages (`node-roster`). Beside this
 * file: reading the nodes' messages (`inbox-messages`), fetching the tools (`tool-fetch`) and
 * what a dead node's calls become (`node-death`); the deadline walk and the shutdown drain are
 * shared with the worker actor (`../overdue`, `../drain`).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { CallState, type Call } from '../../engine/call.js';
import { Deque } from '../../engine/deque.js';
import { ChurnMap } from '../../engine/churn.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import { shuttingDownError } from '../../errors/factories.js';
import type { NatsServerConfig } from '../../config/nats-schema.js';
import type { CallToolResult, Tool } from '../../wire/mcp-types.js';
import { structuredResult } from '../../wire/result.js';
import type { NodeHealth, ServerState } from '../../api/server-types.js';
import type { ActorHost, ServerActor } from '../actor.js';
import { connectNats, redact } from './connection.js';
import { readStatsAnswer } from './discovery.js';
import { NatsFrameSizing, packFrames } from './frame-packing.js';
import { NodeRoster } from './node-roster.js';
import { RemoteFrame } from './remote-frame.js';
import { decodeReply, logRecordOf, remoteError } from './inbox-messages.js';
import { failAcceptedCalls, type DeadNode } from './node-death.js';
import { fetchTools } from './tool-fetch.js';
import { expireOverdueCalls } from '../overdue.js';
import { untilDrained } from '../drain.js';
import {
  cancelSubject,
  DISCOVERY_TOKEN,
  encode,
  HEARTBEAT_TOKEN,
  ReplyKind,
  serverSubjects,
  serviceName,
  type ServerSubjects,
  RESULT_STRIDE,
} from './wire.js';

/** NATS's status code for "no responders". */
const NO_RESPONDERS = 503;

/** A server on other processes, reached over NATS. */
export class NatsActor implements ServerActor {
  readonly id = randomUUID();
  readonly type = 'nats' as const;
  readonly name: string;
  state: ServerState = 'starting';
  restarts = 0;
  lastError: string | undefined;
  readonly capacity: number;

  readonly #config: NatsServerConfig;
  readonly #host: ActorHost;
  readonly #remote: string;
  readonly #subjects: ServerSubjects;
  readonly #pending = new Deque<Call>();
  /** Frames in flight by id (one entry per frame: a `ChurnMap`, engine/churn). */
  readonly #frames = new ChurnMap<number, RemoteFrame>();
  readonly #sizing = new NatsFrameSizing();
  readonly #roster: NodeRoster;
  #nc: NatsConnection | undefined;
  #inbox = '';
  #tools: Tool[] = [];
  #toolIndex = new Map<string, number>();
  /** Per tool index: may the call run twice (`annotations.idempotentHint`)? */
  #idempotent: boolean[] = [];
  #nextFrameId = 1;
  #connected = false;
  #closing = false;
  #flushScheduled = false;
  #ticker: NodeJS.Timeout | undefined;
  #discovery: NodeJS.Timeout | undefined;
  #drained: (() => void) | undefined;
  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.#dispatch();
  };
  /** Answers a call that cannot travel (too big, unencodable). */
  readonly #reject = (call: Call, error: McpoolError): void => this.#host.settle(call, undefined, error, performance.now());

  constructor(config: NatsServerConfig, host: ActorHost) {
    this.name = config.name;
    this.#config = config;
    this.#host = host;
    this.#remote = config.remoteName ?? config.name;
    this.#subjects = serverSubjects(config.subjectPrefix, this.#remote);
    this.#roster = new NodeRoster(config.deadNodeMs, config.discoveryIntervalMs * 2.5);
    this.capacity = config.maxQueue === undefined ? Infinity : config.maxQueue + config.framesInFlight;
  }

  /** Live nodes: each one serving this server is one "thread" of it. */
  get threads(): number {
    return this.#roster.size;
  }

  get queued(): number {
    return this.#pending.size;
  }

  readonly nodes = (): NodeHealth[] => this.#roster.health();

  async start(): Promise<void> {
    const nc = await connectNats(this.#config, `mcpool ${this.name}`, `server "${this.name}"`);
    this.#nc = nc;
    this.#connected = true;
    this.#inbox = `_INBOX.${randomUUID().replaceAll('-', '')}`;
    // Both end with the connection (shutdown closes it).
    nc.subscribe(`${this.#inbox}.>`, {
        callback: (error, msg) => {
          if (error === null) this.#onInbox(msg);
        },
      });
    nc.subscribe(this.#subjects.logs, {
      callback: (error, msg) => {
        if (error === null) this.#onLog(msg);
      },
    });
    void this.#watchStatus(nc);
    try {
      this.#learnTools(await this.#fetchTools());
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
    const tick = Math.max(20, Math.min(this.#config.ackTimeoutMs, this.#config.deadNodeMs) / 4);
    this.#ticker = setInterval(() => this.#check(), tick);
    this.#ticker.unref();
    this.#discover();
    this.#discovery = setInterval(() => this.#discover(), this.#config.discoveryIntervalMs);
    this.#discovery.unref();
    this.state = 'healthy';
  }

  /** Asks any node for the server's tools until one answers (the manager bounds the wait). */
  async #fetchTools(): Promise<Tool[]> {
    const [tools, nodeId, nodeName] = await fetchTools(this.#nc!, this.#subjects.control, this.name, () => this.#closing, (error) => {
      this.lastError = `no node serves "${this.#remote}" on NATS at ${redact(this.#config.url)} yet (${messageOf(error)})`;
    });
    // The node that answered is live: health lists it before the first discovery round.
    this.#roster.seen(nodeId, nodeName, performance.now());
    return tools;
  }

  #learnTools(tools: Tool[]): void {
    this.#tools = tools;
    this.#toolIndex = new Map(tools.map((tool, index) => [tool.name, index]));
    this.#idempotent = tools.map((tool) => tool.annotations?.idempotentHint === true);
  }

  async #watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.#connected = false;
        if (this.state === 'healthy') this.state = 'degraded';
        this.lastError = `lost the connection to NATS at ${redact(this.#config.url)}; reconnecting`;
      } else if (status.type === 'reconnect') {
        this.#connected = true;
        if (this.state === 'degraded') this.state = 'healthy';
        const now = performance.now();
        // What was unacknowledged waits for its ack anew, and silence while away proves nothing.
        for (const frame of this.#frames.values()) if (frame.node === undefined) frame.sentAt = now;
        this.#roster.forgive(now);
        this.#dispatch();
      }
    }
  }

  listTools(): Tool[] {
    return this.#tools;
  }

  toolIndex(name: string): number {
    return this.#toolIndex.get(name) ?? -1;
  }

  submit(call: Call): void {
    this.#pending.push(call);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /** Sends pending calls in frames while frame slots are free and NATS is there. */
  #dispatch(): void {
    const nc = this.#nc;
    if (nc === undefined || !this.#connected || this.#closing) return;
    const pending = this.#pending;
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    while (pending.size > 0 && this.#frames.size < this.#config.framesInFlight) {
      const size = this.#sizing.next(pending.size, this.#config.framesInFlight - this.#frames.size);
      const calls: Call[] = [];
      while (calls.length < size && pending.size > 0) {
        const call = pending.shift()!;
        if (call.state !== CallState.settled) calls.push(call);
      }
      if (calls.length === 0) continue;
      const now = performance.now();
      for (const packed of packFrames(calls, maxPayload, now, this.name, this.#reject)) {
        const id = this.#nextFrameId++;
        const frame = new RemoteFrame(id, packed.calls, `${this.#inbox}.${id}`, now);
        packed.calls.forEach((call, index) => {
          call.remote = frame;
          call.index = index;
        });
        this.#frames.set(frame.id, frame);
        try {
          nc.publish(this.#subjects.calls, packed.bytes, { reply: frame.reply });
        } catch (error) {
          // The connection closed under us: the calls wait for it like any other.
          this.#frames.delete(frame.id);
          this.lastError = `cannot publish to NATS: ${messageOf(error)}`;
          for (let i = packed.calls.length - 1; i >= 0; i--) pending.unshift(packed.calls[i]!);
          return;
        }
      }
    }
  }

  #onInbox(msg: Msg): void {
    const token = msg.subject.slice(this.#inbox.length + 1);
    if (token === HEARTBEAT_TOKEN) {
      const reply = decodeReply(msg);
      const node = reply?.[0] === ReplyKind.heartbeat ? this.#roster.get(reply[1]) : undefined;
      if (node !== undefined) node.lastHeard = performance.now();
      return;
    }
    if (token === DISCOVERY_TOKEN) {
      const node = readStatsAnswer(msg.data, this.#subjects.calls);
      if (node !== undefined) this.#roster.seen(node.id, node.name, performance.now());
      return;
    }
    const frame = this.#frames.get(Number(token));
    if (msg.headers?.code === NO_RESPONDERS) {
      if (frame !== undefined) this.#noResponders(frame);
      return;
    }
    const reply = decodeReply(msg);
    if (reply === undefined) return;
    if (frame === undefined) {
      // A late ack of a frame given up on (its calls went elsewhere or were stopped): tell the node to drop it.
      if (reply[0] === ReplyKind.ack) this.#nc?.publish(cancelSubject(this.#config.subjectPrefix, reply[1]), encode(msg.subject));
      return;
    }
    const now = performance.now();
    switch (reply[0]) {
      case ReplyKind.ack: {
        const node = this.#roster.heard(reply[1], now, reply[2]);
        frame.node = node.id;
        node.frames++;
        node.inFlight += frame.calls.length - frame.answered;
        break;
      }
      case ReplyKind.results:
        this.#onResults(frame, reply[1], reply[2], reply[3] === 1, reply[4], now);
        break;
      case ReplyKind.progress: {
        if (frame.node !== undefined) this.#roster.heard(frame.node, now);
        const call = frame.calls[reply[1]];
        if (call !== undefined && call.state !== CallState.settled) {
          this.#host.progress(call, { progress: reply[2], ...(reply[3] == null ? {} : { total: reply[3] }), ...(reply[4] == null ? {} : { message: reply[4] }) });
        }
        break;
      }
      default:
        break;
    }
  }

  #onResults(frame: RemoteFrame, start: number, flat: unknown[], done: boolean, frameMs: number | undefined, now: number): void {
    const node = frame.node === undefined ? undefined : this.#roster.heard(frame.node, now);
    const host = this.#host;
    for (let i = 0, at = 0; at < flat.length; i++, at += RESULT_STRIDE) {
      const call = frame.calls[start + i];
      // Stopped here already (timeout, abort), or a result sent twice: nothing to answer.
      if (call === undefined || call.state === CallState.settled) continue;
      const payload = flat[at];
      const kind = flat[at + 1];
      frame.answered++;
      if (node !== undefined) {
        node.inFlight--;
        node.calls++;
        if (kind === 1) node.errors++;
      }
      if (typeof kind === 'string') host.settle(call, structuredResult(payload as Record<string, unknown>, kind), undefined, now);
      else if (kind === 0) host.settle(call, payload as CallToolResult, undefined, now);
      else host.settle(call, undefined, remoteError(this.name, call, payload as { code: string; message: string; data?: unknown }), now);
    }
    if (!done) return;
    if (frameMs !== undefined) this.#sizing.learn(frameMs, frame.calls.length);
    // A node that could not read the frame answered none of its calls.
    for (const call of frame.calls) {
      if (call.state !== CallState.settled) {
        this.#host.settle(call, undefined, new McpoolError(ErrorCode.INVALID_ARGUMENTS, `a node could not read the frame of this call`, { server: this.name, tool: call.tool }), now);
      }
    }
    this.#release(frame);
    this.#dispatch();
  }

  /** A frame left the path (answered, given up, or its node died): free its slot and its node's count. */
  #release(frame: RemoteFrame): void {
    if (!this.#frames.delete(frame.id)) return;
    const node = frame.node === undefined ? undefined : this.#roster.get(frame.node);
    if (node !== undefined) {
      node.frames--;
      node.inFlight -= frame.calls.length - frame.answered;
    }
    if (this.#closing && this.#frames.size === 0) this.#drained?.();
  }

  /** No node serves the server: NATS said so at once. */
  #noResponders(frame: RemoteFrame): void {
    this.#release(frame);
    this.lastError = `no node serves "${this.#remote}" on NATS at ${redact(this.#config.url)}`;
    const now = performance.now();
    for (const call of frame.calls) {
      this.#host.settle(call, undefined, new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" is unavailable: ${this.lastError}; start a node (mcpool node --nats ...)`, { server: this.name, tool: call.tool }), now);
    }
    this.#dispatch();
  }

  /** The periodic check: frames never acknowledged, and nodes gone silent. */
  #check(): void {
    if (!this.#connected) return;
    const now = performance.now();
    const resend: Call[] = [];
    for (const frame of this.#frames.values()) {
      if (frame.node !== undefined || now - frame.sentAt <= this.#config.ackTimeoutMs) continue;
      // Never accepted: no node ran these calls, so they may go to another one.
      this.#release(frame);
      this.lastError = `no node acknowledged a frame within ${this.#config.ackTimeoutMs} ms (ackTimeoutMs); its calls were sent again`;
      for (const call of frame.calls) if (call.state !== CallState.settled) resend.push(call);
    }
    for (const node of this.#roster.silent(now)) this.#nodeDied(node.id, node.name, now, resend);
    this.#roster.prune(now);
    if (this.#closing) {
      for (const call of resend) this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool), now);
    } else if (resend.length > 0) {
      for (let i = resend.length - 1; i >= 0; i--) {
        resend[i]!.resends++;
        this.#pending.unshift(resend[i]!);
      }
      this.#dispatch();
    }
  }

  /** A node that held frames went silent: what it accepted ran at most once, unless the tool may run twice. */
  #nodeDied(id: string, name: string, now: number, resend: Call[]): void {
    this.restarts++;
    this.lastError = `node "${name}" (${id}) stopped answering (no heartbeat for ${this.#config.deadNodeMs} ms)`;
    const dead: DeadNode = { id, name, why: this.lastError, known: this.#roster.get(id) };
    for (const frame of [...this.#frames.values()]) {
      if (frame.node !== id) continue;
      this.#release(frame);
      failAcceptedCalls(frame, dead, this.#idempotent, this.#host, this.name, resend, now);
    }
    this.#roster.remove(id);
  }

  /** Asks every node for its stats; answers arrive on `<inbox>.srv`. */
  #discover(): void {
    if (!this.#connected || this.#closing) return;
    try {
      this.#nc?.publish(`$SRV.STATS.${serviceName(this.#config.subjectPrefix)}`, undefined, { reply: `${this.#inbox}.${DISCOVERY_TOKEN}` });
    } catch {
      // The connection is closing: discovery resumes with it.
    }
  }

  #onLog(msg: Msg): void {
    const record = logRecordOf(this.name, msg);
    if (record !== undefined) this.#host.log(record);
  }

  stop(call: Call, error: McpoolError): void {
    this.#host.settle(call, undefined, error, performance.now());
    const frame = call.remote as RemoteFrame | undefined;
    if (frame === undefined || !this.#frames.has(frame.id)) return;
    if (frame.calls.some((other) => other.state !== CallState.settled)) return;
    // Every call of the frame is answered: free its slot and tell its node to stop the work.
    this.#release(frame);
    if (frame.node !== undefined && this.#connected) this.#nc?.publish(cancelSubject(this.#config.subjectPrefix, frame.node), encode(frame.reply));
    this.#dispatch();
  }

  expireOverdue(now: number): number {
    // A copy: stopping a frame's last call releases the frame from the map.
    return expireOverdueCalls(this, this.#pending, [...this.#frames.values()], now);
  }

  /** Probes the nodes: one must answer within `timeoutMs`. */
  async ping(timeoutMs = 5_000): Promise<void> {
    const nc = this.#nc;
    if (nc === undefined || nc.isClosed()) throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" is not connected to NATS`, { server: this.name });
    try {
      await nc.request(this.#subjects.control, encode(['ping']), { timeout: timeoutMs });
    } catch (error) {
      throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `no node of server "${this.name}" answered a ping within ${timeoutMs} ms: ${messageOf(error)}`, { server: this.name, cause: error });
    }
  }

  /** Learns the tools and the nodes again. */
  async restart(): Promise<void> {
    if (this.#closing || this.#nc === undefined) return;
    this.#learnTools(await this.#fetchTools());
    this.#discover();
  }

  async shutdown(timeoutMs = Infinity): Promise<void> {
    this.#closing = true;
    this.state = 'stopped';
    clearInterval(this.#discovery);
    const now = performance.now();
    for (const call of this.#pending.drain()) this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool), now);
    if (this.#frames.size > 0 && this.#connected) await untilDrained(timeoutMs, (done) => (this.#drained = done));
    clearInterval(this.#ticker);
    const late = performance.now();
    for (const frame of [...this.#frames.values()]) {
      this.#release(frame);
      for (const call of frame.calls) this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool, true), late);
      // Past the drain deadline: the node need not finish what nobody waits for.
      if (frame.node !== undefined && this.#connected) this.#nc?.publish(cancelSubject(this.#config.subjectPrefix, frame.node), encode(frame.reply));
    }
    await this.#nc?.close().catch(() => undefined);
  }
}
