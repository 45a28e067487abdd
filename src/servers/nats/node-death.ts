/**
 * @module servers/nats/node-death
 * What a node's death means for the calls it had accepted: they may have run, so they are not
 * run again (`WORKER_CRASHED`, naming the node) unless their tool says it may run twice
 * (`annotations.idempotentHint: true`), in which case they go out again to another node.
 */
import { CallState, type Call } from '../../engine/call.js';
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import type { ActorHost } from '../actor.js';
import type { KnownNode } from './node-roster.js';
import type { RemoteFrame } from './remote-frame.js';

/** The dead node, as the errors name it. */
export interface DeadNode {
  readonly id: string;
  readonly name: string;
  /** Why it is held dead (the actor's last error), for the message. */
  readonly why: string;
  /** Its roster entry while it is still listed: its error count grows by the calls that fail. */
  readonly known: KnownNode | undefined;
}

/**
 * Answers or collects the unanswered calls of `frame`, which `dead` had accepted: calls of
 * idempotent tools (by tool index in `idempotent`) are pushed onto `resend`, the others fail.
 */
export function failAcceptedCalls(frame: RemoteFrame, dead: DeadNode, idempotent: readonly boolean[], host: ActorHost, server: string, resend: Call[], now: number): void {
  for (const call of frame.calls) {
    if (call.state === CallState.settled) continue;
    if (idempotent[call.toolIndex] === true) {
      resend.push(call);
      continue;
    }
    if (dead.known !== undefined) dead.known.errors++;
    const error = new McpoolError(
      ErrorCode.WORKER_CRASHED,
      `the node running tool "${call.tool}" of server "${server}" died (${dead.why}); the call may have run, and is not run again (the tool is not annotated idempotentHint)`,
      { server, tool: call.tool, data: { node: dead.name, nodeId: dead.id } },
    );
    host.settle(call, undefined, error, now);
  }
}
