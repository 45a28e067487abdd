/**
 * Waits for a server thread to go idle (past `BLOCKING_IDLE_MS`) until the timer the
 * `idle-timers` fixture's `arm` set has fired: it fires only once the idle thread runs its event loop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpManager } from 'mcpool';
import { BLOCKING_IDLE_MS } from '../../workers/blocking-idle.js';

/** True once `fired` says so; each ask wakes the thread, so the asks are spaced past the wait. */
export async function timerFiredAfterIdle(manager: McpManager, server: string): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await sleep(BLOCKING_IDLE_MS * 1.5);
    const result = await manager.executeTool(server, 'fired', {});
    if ((result.structuredContent as { fired: boolean }).fired) return true;
  }
  return false;
}
