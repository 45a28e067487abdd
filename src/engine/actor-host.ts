/**
 * @module engine/actor-host
 * What the manager offers every actor (`ActorHost`): answering a call, passing a running call's
 * progress and logs to its caller, publishing servers' notifications and running nested tool
 * calls. A caller's callback that throws must not break the call it reports on.
 */
import type { EventEmitter } from 'node:events';
import type { ActorHost } from '../servers/actor.js';
import type { McpManagerEvents } from '../api/manager-types.js';
import type { McpoolError } from '../errors/mcpool-error.js';
import type { CallToolResult } from '../wire/mcp-types.js';
import type { EngineCall } from './server-entry.js';

/**
 * The host of a manager's actors. `settle` and `callTool` are used as they are (no wrapper:
 * `settle` is the hot path); `events` gets the `log` and `serverNotification` events.
 */
export function createActorHost(
  events: EventEmitter<McpManagerEvents>,
  // Actors hand back the calls the engine gave them (ActorHost's methods take any Call).
  settle: (call: EngineCall, result: CallToolResult | undefined, error: McpoolError | undefined, now: number) => void,
  callTool: (server: string, tool: string, args: unknown) => Promise<CallToolResult>,
): ActorHost {
  return {
    settle,
    progress: (call, update) => {
      try {
        call.onProgress?.(update);
      } catch {
        // A throwing progress callback must not break the call it reports on.
      }
    },
    log: (record, call) => {
      events.emit('log', record);
      try {
        call?.onLog?.(record);
      } catch {
        // A throwing log callback must not break the call that logged.
      }
    },
    notify: (notification) => {
      events.emit('serverNotification', notification);
    },
    callTool,
  };
}
