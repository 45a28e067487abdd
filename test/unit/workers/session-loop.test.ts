/**
 * An idle server thread stops blocking for frames after `BLOCKING_IDLE_MS` and waits in its event
 * loop, so what runs there (V8's memory reducer, a handler's timers) is not held up for good. A
 * thread that blocked for good never fired a timer its synchronous handler set. The frame path
 * cases (test/support/frame-path-cases) check calls after such a wait, on both paths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from 'mcpool';
import { fixtureModule } from '../../support/helpers.js';
import { timerFiredAfterIdle } from '../../support/idle-thread.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('an idle server thread', () => {
  it('runs its event loop: a timer a synchronous handler set fires once the thread is idle', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'timers', type: 'worker', module: fixtureModule('idle-timers'), threads: 1 });
    await manager.executeTool('timers', 'arm', {});
    expect(await timerFiredAfterIdle(manager, 'timers')).toBe(true);
  });
});
