/**
 * @module workers/wasm/host-functions
 * hyper-mcp's host functions (`extism:host/user`) in mcpool terms, for the call running now:
 * `notify_progress` -> `ctx.progress`, `notify_logging_message` -> `ctx.log`,
 * `notify_*_list_changed` and `notify_resource_updated` -> the server's notifications. Those
 * that need an answer from the MCP client (`create_elicitation`, `create_message`,
 * `list_roots`) and hyper-mcp's own (`get_access_token`, `get_keyring_secret`) fail the call
 * with a tool error that says so: mcpool's worker threads have no way to ask the client yet.
 */
import type { CallContext as ExtismContext } from '@extism/extism';
import type { ServerNotificationMethod } from '../../src/wire/protocol.js';
import type { LogLevel } from '../../src/wire/mcp-types.js';

/** What a host function reaches of the call running now. */
export interface RunningCall {
  progress(progress: number, total?: number, message?: string): void;
  log(level: LogLevel, data: unknown): void;
  notify(method: ServerNotificationMethod, params?: Record<string, unknown>): void;
}

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

function unavailable(name: string, why: string): HostFunction {
  return () => {
    throw new HostFunctionUnavailable(`the plugin called ${name}, which mcpool does not offer to WebAssembly servers yet (${why})`);
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
    create_elicitation: unavailable('create_elicitation', 'elicitation from a thread needs ctx.elicit'),
    create_message: unavailable('create_message', 'sampling from a thread needs ctx.createMessage'),
    list_roots: unavailable('list_roots', "the client's roots are not passed to threads"),
    get_access_token: unavailable('get_access_token', "hyper-mcp's OAuth store"),
    get_keyring_secret: unavailable('get_keyring_secret', "hyper-mcp's keyring"),
  };
}
