/**
 * @module workers/call-context
 * The `ctx` a tool handler gets: its abort signal (made only if the handler asks for it),
 * progress and log notifications, nested tool calls through the manager, and requests to the
 * caller (elicitation, sampling, roots).
 */
import { messageOf } from '../src/errors/mcpool-error.js';
import { PROGRESS_STRIDE, type ServerNotificationMethod, type SessionReply } from '../src/wire/protocol.js';
import type { CallToolResult, LogLevel } from '../src/wire/mcp-types.js';
import { signalOf } from './cancellation.js';
import type { FrameRun } from './frame-run.js';
import { askManagerClient, callManagerTool } from './manager-channel.js';
import { askManagerClientBlocking } from './blocking-ask.js';
import type { AskOptions } from '../src/api/define-server.js';

/** The `ctx` of one call; the abort signal is made only if the handler asks for it. */
export class CallContext {
  readonly #run: FrameRun;
  readonly #index: number;

  constructor(run: FrameRun, index: number) {
    this.#run = run;
    this.#index = index;
  }

  get signal(): AbortSignal {
    return signalOf(this.#run.frameId, this.#index);
  }

  // Progress and logs travel on the session port, like results, so they reach the manager
  // before the result of the call that sent them.
  progress(progress: number, total?: number, message?: string): void {
    const reply: SessionReply = { progress: [this.#run.frameId, this.#index, progress, total, message] };
    this.#run.session.reply(reply);
  }

  log(level: LogLevel, data: unknown): void {
    const reply: SessionReply = { log: [this.#run.frameId, this.#index, level, data] };
    try {
      this.#run.session.reply(reply);
    } catch (error) {
      reply.log[3] = `(log data that cannot be sent: ${messageOf(error)})`;
      this.#run.session.reply(reply);
    }
  }

  callTool(serverName: string, tool: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return callManagerTool(serverName, tool, args);
  }

  // Requests to the caller go through the manager, which finds the call by frame and index.
  elicit(params: Record<string, unknown>, options?: AskOptions): Promise<Record<string, unknown>> {
    return askManagerClient(this.#run.frameId, this.#index, 'elicitation/create', params, options);
  }

  createMessage(params: Record<string, unknown>, options?: AskOptions): Promise<Record<string, unknown>> {
    return askManagerClient(this.#run.frameId, this.#index, 'sampling/createMessage', params, options);
  }

  listRoots(options?: AskOptions): Promise<Record<string, unknown>> {
    return askManagerClient(this.#run.frameId, this.#index, 'roots/list', {}, options);
  }

  /**
   * Asks the caller and blocks the thread until the answer (internal: a WebAssembly plugin's
   * `create_elicitation`, `create_message` and `list_roots`, which are synchronous).
   */
  askBlocking(method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list', params: Record<string, unknown>, timeoutMs?: number): Record<string, unknown> {
    return askManagerClientBlocking(this.#run.frameId, this.#index, method, params, timeoutMs);
  }

  /** Sends a notification of the server (internal: WebAssembly plugins' `notify_*` host functions). */
  notify(method: ServerNotificationMethod, params: Record<string, unknown> = {}): void {
    const reply: SessionReply = { notify: [method, params] };
    this.#run.session.reply(reply);
  }

  /**
   * Marks this call as the one running on the thread, or not (internal). The frame runner does
   * it for calls it runs synchronously; a runner that starts a call later (a plugin waiting for
   * a fresh instance) marks it itself, so a thread stopped under it names the right call.
   */
  running(on: boolean): void {
    this.#run.progressTable[this.#run.slot * PROGRESS_STRIDE] = on ? this.#index + 1 : 0;
  }
}
