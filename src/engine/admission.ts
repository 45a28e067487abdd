/**
 * @module engine/admission
 * Which calls may run now: a call passes its server's guards (circuit, rate limits) on
 * arrival, then takes one of the manager's `maxConcurrentOperations` slots and a place in its
 * server's bounds (`maxQueue`, `maxConcurrency`, per-tool limits), or waits in one bounded queue
 * (`maxQueuedOperations`); past a bound it is refused with `OVERLOADED` and nothing starts.
 * Admission keeps its own counters (on the server entries); metrics only read them.
 */
import { performance } from 'node:perf_hooks';
import type { McpoolError } from '../errors/mcpool-error.js';
import { overloadedError, refusedError, timeoutError } from '../errors/factories.js';
import { CallState } from './call.js';
import { Deque } from './deque.js';
import type { EngineCall, ServerEntry } from './server-entry.js';

/** The manager-wide bounds. */
export interface AdmissionLimits {
  maxConcurrentOperations: number;
  maxQueuedOperations: number;
}

/** Admits, queues or refuses calls; one per manager. */
export class Admission {
  readonly #waiting = new Deque<EngineCall>();
  #inFlight = 0;

  constructor(
    readonly limits: AdmissionLimits,
    /** Answers a call the engine refused or timed out while it waited. */
    readonly fail: (call: EngineCall, error: McpoolError, now: number) => void,
  ) {}

  /** Calls admitted over all servers and not answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Calls waiting for a slot. */
  get waitingCount(): number {
    return this.#waiting.size;
  }

  /** Admits a call, queues it, or refuses it when a bound is reached. */
  submit(call: EngineCall): void {
    const entry = call.target;
    const refusal = entry.guards.onArrival(call.toolIndex);
    if (refusal !== undefined) {
      this.fail(call, refusedError(entry.name, call.tool, refusal), performance.now());
    } else if (this.#inFlight < this.limits.maxConcurrentOperations && this.#waiting.size === 0) {
      this.#admit(call);
    } else if (this.#waiting.size >= this.limits.maxQueuedOperations) {
      this.fail(call, overloadedError(entry.name, call.tool, 'the manager queue (maxQueuedOperations)'), performance.now());
    } else {
      call.state = CallState.waiting;
      entry.waiting++;
      this.#waiting.push(call);
    }
  }

  #admit(call: EngineCall): void {
    const entry = call.target;
    if (entry.admitted >= entry.actor.capacity) {
      this.fail(call, overloadedError(entry.name, call.tool, `the server queue (maxQueue)`), performance.now());
      return;
    }
    const toolAdmitted = entry.toolAdmitted[call.toolIndex] ?? 0;
    const refusal = entry.guards.onAdmission(call.toolIndex, entry.admitted, toolAdmitted);
    if (refusal !== undefined) {
      this.fail(call, refusedError(entry.name, call.tool, refusal), performance.now());
      return;
    }
    call.state = CallState.admitted;
    this.#inFlight++;
    entry.admitted++;
    entry.toolAdmitted[call.toolIndex] = toolAdmitted + 1;
    entry.actor.submit(call);
  }

  /**
   * Frees what an answered call held (`previous`: its state before it was answered) and tells
   * its server's guards how it ended. Call `refill` once the answer is delivered.
   */
  release(call: EngineCall, previous: CallState, errorCode: string | undefined): void {
    const entry = call.target;
    if (previous === CallState.admitted) {
      this.#inFlight--;
      entry.admitted--;
      entry.toolAdmitted[call.toolIndex]!--;
      entry.guards.onAnswer(errorCode);
    } else if (previous === CallState.waiting) {
      entry.waiting--;
    }
  }

  /** Admits waiting calls into free slots. */
  refill(): void {
    const waiting = this.#waiting;
    while (waiting.size > 0 && this.#inFlight < this.limits.maxConcurrentOperations) {
      const call = waiting.shift()!;
      if (call.state !== CallState.waiting) continue;
      call.target.waiting--;
      call.state = CallState.arriving;
      this.#admit(call);
    }
  }

  /** Times out the waiting calls past their deadline; returns the earliest deadline left. */
  expireWaiting(now: number): number {
    let next = Infinity;
    this.#waiting.forEach((call) => {
      if (call.state !== CallState.waiting) return;
      if (call.deadline <= now) this.fail(call, timeoutError(call.target.name, call.tool), now);
      else if (call.deadline < next) next = call.deadline;
    });
    return next;
  }

  /** Answers every waiting call of `entry` (every server when undefined) with `errorOf(call)`. */
  failWaiting(entry: ServerEntry | undefined, errorOf: (call: EngineCall) => McpoolError): void {
    const now = performance.now();
    this.#waiting.forEach((call) => {
      if (call.state === CallState.waiting && (entry === undefined || call.target === entry)) this.fail(call, errorOf(call), now);
    });
  }
}
