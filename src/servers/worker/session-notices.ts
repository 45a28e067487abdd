/**
 * @module servers/worker/session-notices
 * What a thread sends besides results, answered on the main thread: a pong, a call's progress, a
 * server notification, a log record.
 */
import type { Call } from '../../engine/call.js';
import type { LogLevel } from '../../wire/mcp-types.js';
import type { SessionReply } from '../../wire/protocol.js';
import type { ActorHost } from '../actor.js';
import type { ThreadPings } from './thread-pings.js';

/** A reply that is not results. */
export type SessionNotice = Exclude<SessionReply, { f: number }>;

/** Answers one notice of server `server`; `callFor` finds the unfinished call of `[frame id, index]`, `toolOf` any call's tool. */
export function answerNotice(
  notice: SessionNotice,
  host: ActorHost,
  server: string,
  pings: ThreadPings,
  callFor: (frameId: number, index: number) => Call | undefined,
  toolOf: (frameId: number, index: number) => string | undefined,
): void {
  if ('pong' in notice) {
    pings.answer(notice.pong);
  } else if ('progress' in notice) {
    const [frameId, index, progress, total, message] = notice.progress;
    const call = callFor(frameId, index);
    if (call) host.progress(call, { progress, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) });
  } else if ('notify' in notice) {
    const [method, params] = notice.notify;
    host.notify({ server, method, params });
  } else {
    const [frameId, index, level, data] = notice.log;
    const tool = toolOf(frameId, index);
    host.log({ server, ...(tool === undefined ? {} : { tool }), level: level as LogLevel, data }, callFor(frameId, index));
  }
}
