/**
 * @module servers/worker/worker-actor
 * A worker server: one piscina pool of threads owned by this server alone, and the frame path
 * that carries its calls.
 *
 * Calls that arrive in the same turn of the event loop are packed into one frame. Frames go to
 * idle threads first; while every thread is busy, each gets at most one more frame queued
 * behind the one it runs (so it never waits for the main thread between frames) and new calls
 * wait, so the next frame grows. A burst is split over the threads. A lone call goes at once.
 * When a frame ends, its thread gets its next frame before the results of the last one are
 * answered.
 *
 * Why sessions and not one piscina task per frame: a piscina task costs about 40 µs of main
 * thread time here (its bookkeeping and an extra message), more than the frame's calls. So each
 * thread runs one long piscina task, a session, and frames travel over the session's own
 * MessagePort. piscina still owns the threads: it starts them, applies resource limits, replaces
 * a thread that dies and terminates one whose session is aborted; a session's task rejecting is
 * how this actor learns that a thread died, and exactly which frames it held.
 *
 * A timeout or abort of a call that is running synchronously stops its thread (by aborting the
 * session); the calls of that thread that had not started are sent again. The shared progress
 * table tells which call of a frame was running when its thread died.
 *
 * The pieces live next to this file: the pool's options (`thread-pool`), which threads get
 * pending calls (`frame-dispatch`) and the sizing rule (`frame-sizing`), frame slots and the
 * progress table (`frame-slots`), encoding and answering frames (`frame-wire`), stopping one
 * call early (`frame-stop`), what a dead thread's frames become (`frame-salvage`), pings
 * (`thread-pings`), the callback channels (`thread-callbacks`), notices (`session-notices`), the
 * kinds of thread (`thread-kind`) and a scaling pool's ticks (`scaling-sample`, policy in
 * `thread-scaling`); the deadline walk and the shutdown drain are shared with the NATS actor
 * (`../overdue`, `../drain`). This file ties them to the sessions' life cycle.
 */
import { randomUUID } from 'node:crypto';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import { CallState, type Call } from '../../engine/call.js';
import { RESULT_STRIDE, decodeFrame, encodeCalls } from '../../wire/codec.js';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import { shuttingDownError } from '../../errors/factories.js';
import { Deque } from '../../engine/deque.js';
import { ChurnMap } from '../../engine/churn.js';
import type { WorkerServerConfig } from '../../config/worker-schema.js';
import {
  SessionMessageKind,
  TaskKind,
  type PluginRequestMethod,
  type ChannelMessage,
  type FrameMessage,
  type ServerDescription,
  type SessionReply,
  type SessionTask,
  type ThreadData,
} from '../../wire/protocol.js';
import type { Tool } from '../../wire/mcp-types.js';
import { RestartPolicy, type RestartOptions } from '../../resilience/restart-policy.js';
import type { ServerState } from '../../api/server-types.js';
import type { ActorHost, ServerActor } from '../actor.js';
import { FRAMES_PER_THREAD, FrameSizing } from './frame-sizing.js';
import { dispatchPending } from './frame-dispatch.js';
import { FrameSlots } from './frame-slots.js';
import { salvageFrame } from './frame-salvage.js';
import { answerResults, flattenFrame, rejectUnreadable, rejectUnsendable } from './frame-wire.js';
import { stopInFrame } from './frame-stop.js';
import { WORKER_THREADS, type ThreadKind } from './thread-kind.js';
import { expireOverdueCalls } from '../overdue.js';
import { untilDrained } from '../drain.js';
import { SessionRings, sharedFramesEnabled } from './session-rings.js';
import { ThreadCallbacks } from './thread-callbacks.js';
import { createThreadPool } from './thread-pool.js';
import { answerNotice } from './session-notices.js';
import { sampleScaling, sessionsToClose } from './scaling-sample.js';
import { ThreadPings, probeIdle } from './thread-pings.js';
import { DEFAULT_IDLE_TIMEOUT_MS, MainThreadLoad, SAMPLE_MS, ThreadScaling } from './thread-scaling.js';
import { Frame, ThreadSession } from './thread-session.js';

/** Frame slots beyond those of the threads, for frames parked on their caller's answers. */
const PARKED_FRAME_SLOTS = 256;

/** A worker server's actor. */
export class WorkerActor implements ServerActor {
  readonly id = randomUUID();
  readonly type: 'worker' | 'wasm';
  readonly name: string;
  state: ServerState = 'starting';
  restarts = 0;
  lastError: string | undefined;
  readonly capacity: number;

  readonly #host: ActorHost;
  readonly #moduleUrl: string;
  readonly #pool: Piscina;
  readonly #minSessions: number;
  readonly #maxSessions: number;
  readonly #sessions: ThreadSession[] = [];
  readonly #pending = new Deque<Call>();
  /** Frames in flight by id (a `ChurnMap`: one entry per frame, engine/churn). */
  readonly #frames = new ChurnMap<number, Frame>();
  readonly #slots: FrameSlots;
  readonly #sizing = new FrameSizing();
  readonly #callbacks: ThreadCallbacks;
  readonly #pings: ThreadPings;
  #description: ServerDescription | undefined;
  #toolIndex = new Map<string, number>();
  #nextFrameId = 1;
  #flushScheduled = false;
  readonly #restartOptions: RestartOptions;
  readonly #restartPolicy: RestartPolicy;
  #restartTimer: NodeJS.Timeout | undefined;
  #closing = false;
  #drained: (() => void) | undefined;
  /** Threads that follow the load (`threads: { min, max }`); undefined for a fixed count. */
  readonly #scaling: ThreadScaling | undefined;
  /** Sessions to keep open: the minimum, or what the scaling asks for. */
  #targetSessions: number;
  #scaleTimer: NodeJS.Timeout | undefined;
  #sampledAt = 0;
  /** Calls answered since the last scaling sample. */
  #answered = 0;
  readonly #mainLoad = new MainThreadLoad();
  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.#dispatch();
  };

  constructor(config: WorkerServerConfig, host: ActorHost, kind: ThreadKind = WORKER_THREADS) {
    this.name = config.name;
    this.type = kind.type;
    this.#host = host;
    this.#moduleUrl = config.moduleUrl;
    this.#restartOptions = config.resilience.restart;
    this.#restartPolicy = new RestartPolicy(this.#restartOptions);
    const threads = config.threads;
    this.#minSessions = Math.max(1, typeof threads === 'number' ? threads : threads.min);
    this.#maxSessions = typeof threads === 'number' ? threads : threads.max;
    this.#targetSessions = this.#minSessions;
    if (this.#maxSessions > this.#minSessions && typeof threads === 'object') {
      this.#scaling = new ThreadScaling(this.#minSessions, this.#maxSessions, threads.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    }
    this.capacity = this.#maxSessions + (config.maxQueue ?? Infinity);

    // Spare slots for parked frames (calls waiting for their caller's answer), beyond what threads hold.
    this.#slots = new FrameSlots(this.#maxSessions * FRAMES_PER_THREAD + PARKED_FRAME_SLOTS);
    this.#callbacks = new ThreadCallbacks(host, config.name, this.#callFor, (call, delta) => this.#asking(call, delta));
    this.#pings = new ThreadPings((session, timeoutMs) => {
      if (session.alive && session.frames.size === 0) {
        this.lastError = `a thread did not answer a ping within ${timeoutMs} ms`;
        session.abort.abort();
      }
    });

    const workerData: ThreadData = { moduleUrl: config.moduleUrl, serverName: config.name, progress: this.#slots.buffer, mainTimeOrigin: performance.timeOrigin, ...(kind.wasm === undefined ? {} : { wasm: kind.wasm }) };
    this.#pool = createThreadPool({
      entry: kind.entry,
      minThreads: this.#minSessions,
      maxThreads: this.#maxSessions,
      scaling: this.#scaling !== undefined,
      workerData,
      memoryLimitMb: config.memoryLimitMb,
    });
    this.#pool.on('message', (message: ChannelMessage) => this.#callbacks.accept(message));
    // A thread that dies between tasks is reported here; calls are handled by their session's end.
    this.#pool.on('error', (error: unknown) => {
      this.lastError = messageOf(error);
    });
  }

  get threads(): number {
    return this.#pool.threads.length;
  }

  get queued(): number {
    return this.#pending.size;
  }

  async start(): Promise<void> {
    try {
      this.#description = (await this.#pool.run({ k: TaskKind.describe })) as ServerDescription;
    } catch (error) {
      this.state = 'stopped';
      await this.#pool.destroy();
      this.#callbacks.close();
      throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" (module ${this.#moduleUrl}) failed to start: ${messageOf(error)}`, {
        server: this.name,
        cause: error,
      });
    }
    this.#description.tools.forEach((tool, index) => this.#toolIndex.set(tool.name, index));
    for (let i = 0; i < this.#minSessions; i++) this.#openSession();
    this.state = 'healthy';
    if (this.#scaling !== undefined) {
      this.#sampledAt = performance.now();
      this.#scaleTimer = setInterval(() => this.#scale(), SAMPLE_MS);
      this.#scaleTimer.unref();
    }
  }

  listTools(): Tool[] {
    return this.#description?.tools ?? [];
  }

  toolIndex(name: string): number {
    return this.#toolIndex.get(name) ?? -1;
  }

  /** MCP methods beyond tools the threads answer (a WebAssembly plugin's prompts, resources, completion). */
  get requests(): readonly PluginRequestMethod[] {
    return this.#description?.requests ?? [];
  }

  /** The call index that runs `method` (see `ServerDescription.requests`), or -1. */
  requestIndex(method: string): number {
    const at = this.requests.indexOf(method as PluginRequestMethod);
    return at < 0 ? -1 : this.listTools().length + at;
  }

  submit(call: Call): void {
    if (this.state === 'unhealthy') {
      this.#host.settle(call, undefined, new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" is unavailable: ${this.lastError ?? 'unhealthy'}`, { server: this.name, tool: call.tool }), performance.now());
      return;
    }
    this.#pending.push(call);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  stop(call: Call, error: McpoolError): void {
    // This actor's calls are carried by frames only (the handle is this actor's to set).
    const frame = call.handle as Frame | undefined;
    const now = performance.now();
    this.#host.settle(call, undefined, error, now);
    // Still in this actor's queue: answering it is enough, dispatch skips answered calls.
    if (frame === undefined || !frame.session.alive) return;
    stopInFrame(this, frame, call, error, this.#slots);
  }

  expireOverdue(now: number): number {
    return expireOverdueCalls(this, this.#pending, this.#frames.values(), now);
  }

  /**
   * Probes the threads that are idle (a thread running a frame shows it is alive by answering
   * it, and could not answer a ping before): each must answer within `timeoutMs`. A thread that
   * does not is stuck outside any call (a tool left it looping); it is stopped and replaced, and
   * the probe rejects.
   */
  async ping(timeoutMs = 5_000): Promise<void> {
    if (this.state === 'unhealthy' || this.#sessions.every((session) => !session.alive)) {
      throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" has no live thread: ${this.lastError ?? 'not started'}`, { server: this.name });
    }
    await probeIdle(this.#pings, this.#sessions, this.name, timeoutMs);
  }

  async shutdown(timeoutMs = Infinity): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#restartTimer);
    clearInterval(this.#scaleTimer);
    this.state = 'stopped';
    const now = performance.now();
    for (const call of this.#pending.drain()) {
      this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool), now);
    }
    if (this.#frames.size > 0) {
      // Past the drain deadline, calls still running are answered SHUTTING_DOWN; destroying
      // the pool below then stops their threads.
      await untilDrained(timeoutMs, (done) => (this.#drained = done));
      const late = performance.now();
      for (const frame of this.#frames.values()) {
        for (const call of frame.calls) this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool, true), late);
      }
    }
    for (const session of this.#sessions) {
      session.alive = false;
      session.post({ k: SessionMessageKind.close });
    }
    await this.#pool.destroy();
    this.#callbacks.close();
  }

  /** Starts a session: a piscina task that holds one thread and serves frames over a port. */
  #openSession(): void {
    const { port1, port2 } = new MessageChannel();
    const session = new ThreadSession(port1);
    this.#sessions.push(session);
    const task: SessionTask = { k: TaskKind.session, port: port2, wake: session.wake.buffer, busy: session.busy.buffer };
    if (sharedFramesEnabled()) {
      // Replies come through the results ring; the port is read only where a record says so.
      const rings = new SessionRings(port1, (reply) => this.#onReply(session, reply));
      session.rings = rings;
      task.rings = [rings.calls.buffer, rings.results.buffer];
      // A running session keeps the process alive (as an open server socket would) until shutdown.
      port1.ref();
      rings.listen();
    } else {
      port1.on('message', (reply: SessionReply) => this.#onReply(session, reply));
    }
    this.#pool.run(task, { transferList: [port2], signal: session.abort }).then(
      () => this.#onSessionEnd(session, undefined),
      (error: unknown) => this.#onSessionEnd(session, error),
    );
  }

  /** Sends pending calls in frames (the rule is `frame-dispatch`'s). */
  #dispatch(): void {
    dispatchPending(this.#sessions, this.#sizing, this.#pendingCount, this.#sendFrame);
  }

  readonly #pendingCount = (): number => this.#pending.size;
  readonly #sendFrame = (session: ThreadSession, size: number): void => this.#send(session, size);

  #send(session: ThreadSession, size: number): void {
    const pending = this.#pending;
    // Every slot held (parked frames hold the spare ones): calls wait until a frame ends.
    if (this.#slots.free === 0) return;
    const calls: Call[] = [];
    while (calls.length < size && pending.size > 0) {
      const call = pending.shift()!;
      if (call.state !== CallState.settled) calls.push(call);
    }
    if (calls.length === 0) return;
    const slot = this.#slots.take();
    const frame = new Frame(this.#nextFrameId++, slot, calls, session);
    try {
      const flat = flattenFrame(frame);
      const written = session.rings?.sendFrame(slot, frame.id, flat);
      if (written === true) {
        session.wakeThread();
      } else {
        // A frame the ring refused was packed already: a copy of those bytes goes on the port, not
        // a second pack or a clone. `new Uint8Array` copies; a Buffer's `slice` would be a view of
        // msgpackr's whole buffer, which postMessage would clone entire.
        const c = written !== undefined ? new Uint8Array(written) : encodeCalls(flat, calls.length);
        const message: FrameMessage = { k: SessionMessageKind.frame, s: slot, f: frame.id, c };
        session.post(message);
      }
    } catch {
      this.#slots.release(slot);
      this.#resendSendable(calls);
      return;
    }
    this.#frames.set(frame.id, frame);
    session.frames.add(frame);
  }

  /**
   * A frame could not be encoded or posted: the calls that cannot cross a thread fail alone
   * (see `rejectUnsendable`); the others go back to the front of the queue.
   */
  #resendSendable(calls: Call[]): void {
    const retry = rejectUnsendable(this.#host, this.name, calls);
    for (let i = retry.length - 1; i >= 0; i--) this.#pending.unshift(retry[i]!);
    if (!this.#flushScheduled && retry.length > 0) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  #onReply(session: ThreadSession, reply: SessionReply): void {
    if (!('f' in reply)) {
      answerNotice(reply, this.#host, this.name, this.#pings, this.#callFor, this.#toolOf);
      return;
    }
    const frame = this.#frames.get(reply.f);
    if (frame === undefined) return;
    if (reply.unreadable !== undefined) {
      this.#release(frame);
      rejectUnreadable(this.#host, this.name, frame, reply.unreadable, performance.now());
      this.#dispatch();
      return;
    }
    let results: unknown[];
    try {
      results = decodeFrame(reply.r);
    } catch (error) {
      // A thread that sends what cannot be decoded is broken: stop it; its calls are salvaged.
      this.lastError = `a thread sent an undecodable frame: ${messageOf(error)}`;
      session.abort.abort();
      return;
    }
    const now = performance.now();
    this.#answered += results.length / RESULT_STRIDE;
    if (reply.d === 1) {
      this.#sizing.learn(reply.t ?? 0, frame.calls.length);
      this.#release(frame);
      // Send the thread its next frame before answering the last one's calls.
      this.#dispatch();
    }
    answerResults(this.#host, this.name, frame, results, now);
  }

  /**
   * A frame left its thread: free its slot; the last one to leave while shutting down ends the
   * drain (the shutdown resumes after the caller has answered the frame's calls).
   */
  #release(frame: Frame): void {
    if (frame.parked) frame.session.parked--;
    this.#frames.delete(frame.id);
    this.#slots.release(frame.slot);
    frame.session.frames.delete(frame);
    if (frame.session.draining) this.#closeIfDrained(frame.session);
    if (this.#closing && this.#frames.size === 0) this.#drained?.();
  }

  /** Closes a draining session once it holds no frame. */
  #closeIfDrained(session: ThreadSession): void {
    if (!session.alive || session.frames.size > 0) return;
    session.alive = false;
    session.post({ k: SessionMessageKind.close });
  }

  /**
   * A call started (+1) or stopped (-1) waiting for its caller's answer. A frame whose every
   * unfinished call waits is parked: its thread takes other frames meanwhile (a user may take
   * minutes to answer an elicitation).
   */
  #asking(call: Call, delta: number): void {
    const frame = call.handle as Frame | undefined;
    if (frame === undefined || this.#frames.get(frame.id) !== frame) return;
    frame.asking += delta;
    const parked = frame.asking > 0 && frame.asking >= frame.calls.filter((other) => other.state !== CallState.settled).length;
    if (parked === frame.parked) return;
    frame.parked = parked;
    frame.session.parked += parked ? 1 : -1;
    if (parked) this.#dispatch();
  }

  /** A session ended: its thread died, was stopped, or the server is shutting down. */
  #onSessionEnd(session: ThreadSession, error: unknown): void {
    session.alive = false;
    const at = this.#sessions.indexOf(session);
    if (at >= 0) this.#sessions.splice(at, 1);
    // What the thread answered before it went counts: its calls are answered, not salvaged. Its
    // last replies may still wait in the port when the task ends (a thread that exits does not
    // wait for them to be read), so they are read here before the port closes.
    if (session.rings !== undefined) session.rings.end();
    else for (let entry = receiveMessageOnPort(session.port); entry !== undefined; entry = receiveMessageOnPort(session.port)) this.#onReply(session, entry.message as SessionReply);
    session.port.close();
    const frames = [...session.frames];
    if (error === undefined && frames.length === 0) return;
    this.restarts++;
    const resend: Call[] = [];
    const now = performance.now();
    for (const frame of frames) {
      this.#release(frame);
      salvageFrame(frame, this.#slots, error, this.#host, this.name, resend, now);
    }
    // Calls sent again go first: they were admitted before anything still pending.
    for (let i = resend.length - 1; i >= 0; i--) this.#pending.unshift(resend[i]!);
    if (this.#closing) {
      for (const call of this.#pending.drain()) this.#host.settle(call, undefined, shuttingDownError(this.name, call.tool), now);
      return;
    }
    // A thread this actor stopped on purpose (timeout, abort, restart) is replaced at once; one
    // that died is a failure of the server, counted by the restart policy.
    if (session.abort.aborted) {
      this.#replaceSessions(0);
      return;
    }
    this.lastError = messageOf(error);
    const decision = this.#restartPolicy.recordFailure();
    if (decision.giveUp) this.#giveUp(error);
    else this.#replaceSessions(decision.delayMs);
  }

  /** Opens sessions up to the minimum, now or after a backoff; meanwhile live threads serve. */
  #replaceSessions(delayMs: number): void {
    const open = (): void => {
      this.#restartTimer = undefined;
      if (this.#closing || this.state === 'unhealthy') return;
      while (this.#sessions.length < this.#targetSessions) this.#openSession();
      this.#dispatch();
    };
    if (delayMs <= 0) open();
    else if (this.#restartTimer === undefined) this.#restartTimer = setTimeout(open, delayMs);
  }

  /**
   * Restarts the server: every thread is replaced (a call running synchronously dies with its
   * thread, `WORKER_CRASHED`; the others are sent again), restart counts are forgotten, and an
   * `unhealthy` server serves again.
   */
  restart(): Promise<void> {
    if (this.#closing) return Promise.resolve();
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#restartPolicy.reset();
    this.state = 'healthy';
    const old = this.#sessions.splice(0);
    for (const session of old) {
      session.alive = false;
      session.abort.abort();
    }
    while (this.#sessions.length < this.#targetSessions) this.#openSession();
    this.#dispatch();
    return Promise.resolve();
  }

  /**
   * Samples the threads' busy time and grows or shrinks the pool as `thread-scaling` says: one
   * more session when its threads are busy and work waits; after low use, idle sessions close
   * (their threads end soon after) down to what the load needs.
   */
  #scale(): void {
    if (this.#closing || this.state === 'unhealthy' || this.#scaling === undefined) return;
    const now = performance.now();
    const { target, live } = sampleScaling(this.#scaling, this.#sessions, this.#pending.size, this.#mainLoad, now, now - this.#sampledAt, this.#answered);
    this.#sampledAt = now;
    this.#answered = 0;
    if (target === live) return;
    this.#targetSessions = target;
    if (target > live) {
      this.#openSession();
      this.#dispatch();
      return;
    }
    for (const session of sessionsToClose(this.#sessions, live, target)) {
      session.draining = true;
      this.#closeIfDrained(session);
    }
  }

  /** Threads died too often: stop replacing them and fail what waits, until a restart. */
  #giveUp(error: unknown): void {
    this.state = 'unhealthy';
    this.lastError = `threads died more than ${this.#restartOptions.maxRestarts} times within ${this.#restartOptions.withinMs} ms; last: ${messageOf(error)}`;
    const failure = new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${this.name}" is unavailable: ${this.lastError}`, { server: this.name, cause: error });
    const now = performance.now();
    for (const call of this.#pending.drain()) this.#host.settle(call, undefined, failure, now);
  }

  readonly #callFor = (frameId: number, index: number): Call | undefined => {
    const call = this.#frames.get(frameId)?.calls[index];
    return call && call.state !== CallState.settled ? call : undefined;
  };

  readonly #toolOf = (frameId: number, index: number): string | undefined => this.#frames.get(frameId)?.calls[index]?.tool;
}
