/**
 * @module workers/wasm/host-functions
 * hyper-mcp's host functions (`extism:host/user`) in mcpool terms, for the call running now:
 * `notify_progress` -> `ctx.progress`, `notify_logging_message` -> `ctx.log`,
 * `notify_*_list_changed` and `notify_resource_updated` -> the server's notifications, and the
 * three that need the MCP client's answer, `create_elicitation` -> `ctx.elicit`,
 * `create_message` -> `ctx.createMessage`, `list_roots` -> `ctx.listRoots`, relayed as a
 * worker tool's are (the library's `onServerRequest`, or the gateway's client in its era's
 * form). Those are synchronous in hyper-mcp (each takes and returns a JSON block), so the
 * thread blocks until the answer comes (`workers/blocking-ask`). When no one can answer, the
 * call fails with `TRANSPORT_ERROR` (`data.reason`), as `ctx.elicit` rejects; hyper-mcp's own
 * `get_access_token` and `get_keyring_secret` fail the call with a tool error.
 */
import type { CallContext as ExtismContext } from '@extism/extism';
import { ErrorCode, McpoolError, messageOf } from '../../src/errors/mcpool-error.js';
import { CallFailure } from '../call-failure.js';
import type { ServerNotificationMethod } from '../../src/wire/protocol.js';
import type { LogLevel } from '../../src/wire/mcp-types.js';

/** What a host function reaches of the call running now. */
export interface RunningCall {
  progress(progress: number, total?: number, message?: string): void;
  log(level: LogLevel, data: unknown): void;
  notify(method: ServerNotificationMethod, params?: Record<string, unknown>): void;
  askBlocking(method: AskMethod, params: Record<string, unknown>, timeoutMs?: number): Record<string, unknown>;
}

/** The requests to the client a plugin can make. */
type AskMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

/** Thrown by a host function the plugin may not use here: the call becomes a tool error. */
export class HostFunctionUnavailable extends Error {
  override readonly name = 'HostFunctionUnavailable';
}

const LOG_LEVELS = new Set<string>(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

type HostFunction = (context: ExtismContext, ...args: bigint[]) => bigint | void;

function readJson(context: ExtismContext, address: bigint, what: string): Record<string, unknown> {
  const block = context.read(address);
  if (block === null) throw new Error(`${what}: the plugin passed no message`);
  const value = JSON.parse(block.text()) as unknown;
  if (typeof value !== 'object' || value === null) throw new Error(`${what}: the message must be a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * hyper-mcp's Rust PDK writes the `date-time` string format as `date_time`; hyper-mcp mends it
 * before the request reaches the client, and so does mcpool.
 */
function mendFormats(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mendFormats);
  if (typeof value !== 'object' || value === null) return value;
  const mended: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) mended[key] = key === 'format' && item === 'date_time' ? 'date-time' : mendFormats(item);
  return mended;
}

/**
 * A host function that asks the client and returns its answer as a JSON block. A failure to get
 * one fails the call with the engine's code (the plugin cannot catch a host function's error).
 */
function asking(name: string, method: AskMethod, current: () => RunningCall | undefined, request: (context: ExtismContext, address: bigint | undefined) => { params: Record<string, unknown>; timeoutMs?: number | undefined }): HostFunction {
  return (context, address) => {
    const call = current();
    if (call === undefined) throw new CallFailure(ErrorCode.TRANSPORT_ERROR, `the plugin called ${name} outside a tool call: there is no caller to ask`, { reason: 'no-call' });
    const { params, timeoutMs } = request(context, address);
    let answer: Record<string, unknown>;
    try {
      answer = call.askBlocking(method, params, timeoutMs);
    } catch (error) {
      if (error instanceof McpoolError) throw new CallFailure(error.code, `${name}: ${error.message}`, error.data);
      throw new CallFailure(ErrorCode.TRANSPORT_ERROR, `${name}: ${messageOf(error)}`, { reason: 'client-error' });
    }
    return context.store(JSON.stringify(answer));
  };
}

function unavailable(name: string, why: string): HostFunction {
  return () => {
    throw new HostFunctionUnavailable(`the plugin called ${name}, which mcpool does not offer to WebAssembly servers (${why})`);
  };
}

/** The `extism:host/user` functions, each acting on `current()` (the call running now). */
export function hostFunctions(current: () => RunningCall | undefined): Record<string, HostFunction> {
  const notify = (method: ServerNotificationMethod): HostFunction => () => {
    current()?.notify(method);
  };
  return {
    notify_progress: (context, address) => {
      const message = readJson(context, address, 'notify_progress');
      const progress = Number(message.progress);
      const total = typeof message.total === 'number' ? message.total : undefined;
      current()?.progress(Number.isFinite(progress) ? progress : 0, total, typeof message.message === 'string' ? message.message : undefined);
    },
    notify_logging_message: (context, address) => {
      const message = readJson(context, address, 'notify_logging_message');
      const level = typeof message.level === 'string' && LOG_LEVELS.has(message.level) ? (message.level as LogLevel) : 'info';
      current()?.log(level, message.data);
    },
    notify_tool_list_changed: notify('notifications/tools/list_changed'),
    notify_prompt_list_changed: notify('notifications/prompts/list_changed'),
    notify_resource_list_changed: notify('notifications/resources/list_changed'),
    notify_resource_updated: (context, address) => {
      const message = readJson(context, address, 'notify_resource_updated');
      current()?.notify('notifications/resources/updated', typeof message.uri === 'string' ? { uri: message.uri } : {});
    },
    notify_url_elicitation_completed: () => undefined,
    // ElicitRequestParam plus hyper-mcp's `timeout`, in seconds (its host reads DurationSeconds<f64>).
    create_elicitation: asking('create_elicitation', 'elicitation/create', current, (context, address) => {
      const { timeout, ...params } = readJson(context, address!, 'create_elicitation');
      return { params: mendFormats(params) as Record<string, unknown>, timeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout * 1000 : undefined };
    }),
    create_message: asking('create_message', 'sampling/createMessage', current, (context, address) => ({ params: readJson(context, address!, 'create_message') })),
    list_roots: asking('list_roots', 'roots/list', current, () => ({ params: {} })),
    get_access_token: unavailable('get_access_token', "hyper-mcp's OAuth store"),
    get_keyring_secret: unavailable('get_keyring_secret', "hyper-mcp's keyring"),
  };
}
