/**
 * @module engine/deploy
 * Bringing a created actor into service, for a deploy and for a reload alike: start it within
 * `connectionTimeoutMs` (one that does not start is shut down, so nothing it opened is left
 * behind), then make the manager's entry for it and start its health probe.
 */
import type { ServerActor } from '../servers/actor.js';
import type { CreatedActor } from '../servers/create-actor.js';
import type { ServerConfig } from '../config/server-config.js';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';
import { ServerStats } from '../metrics/server-stats.js';
import { ServerGuards } from '../resilience/guards.js';
import { HealthProbe } from '../resilience/health-probe.js';
import { ServerEntry } from './server-entry.js';
import { toolFilterOf } from './tool-filter.js';
import { taskSupportOverrides } from './task-support.js';

/** Starts `actor`; rejects `SERVER_UNAVAILABLE` after `timeoutMs`, and shuts it down on any failure. */
export async function startWithin(actor: ServerActor, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `server "${actor.name}" did not start within ${timeoutMs} ms (connectionTimeoutMs)`, { server: actor.name }));
    }, timeoutMs);
  });
  try {
    await Promise.race([actor.start(), timedOut]);
  } catch (error) {
    await actor.shutdown().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The manager's record of a started actor; its health probe starts. */
export function entryOf({ actor, timeoutMs, resilience }: CreatedActor, config: ServerConfig, id: string): ServerEntry {
  const toolNames = actor.listTools().map((tool) => tool.name);
  const probe = resilience.healthCheck === false ? undefined : new HealthProbe((ms) => actor.ping(ms), resilience.healthCheck);
  probe?.start();
  return new ServerEntry(actor.name, actor, new ServerStats(toolNames), timeoutMs, new ServerGuards(resilience, toolNames), probe, id, config, toolFilterOf(resilience.toolFilter), taskSupportOverrides(resilience.tools));
}
