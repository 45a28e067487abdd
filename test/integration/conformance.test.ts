/**
 * The official MCP conformance suite against `mcpool serve --http` and its fixtures, both
 * requirement sets (bench/gateway/conformance.sh): no scored scenario may fail, and every tasks
 * extension scenario passes. Tagged `slow`
 * (about a minute, and npx must fetch Node 24 and the suite); when npx cannot fetch them the
 * test is skipped with a message rather than failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

const script = fileURLToPath(new URL('../../bench/gateway/conformance.sh', import.meta.url));
const SUITE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';

/** Whether npx can bring Node 24 and the suite (it caches them after the first fetch). */
function suiteAvailable(): boolean {
  const probe = spawnSync('npx', ['-y', '-p', 'node@24', '-p', SUITE, '--', 'conformance', '--help'], { encoding: 'utf8', timeout: 240_000 });
  return probe.status === 0;
}

describe('the MCP conformance suite', () => {
  it('passes every scored scenario of 2026-07-28 and 2025-11-25, and the tasks scenarios', { tags: ['slow'], timeout: 600_000 }, async (context) => {
    if (!suiteAvailable()) {
      context.skip(`npx could not fetch node@24 and ${SUITE} (no registry?): the conformance run is skipped`);
      return;
    }
    const out = mkdtempSync(join(tmpdir(), 'mcpool-conformance-'));
    const run = spawnSync('bash', [script, out], { encoding: 'utf8', timeout: 540_000, env: { ...process.env, CONFORMANCE_PORT: String(await freePort()) } });
    expect(run.stdout).toContain('== mcpool-2026 (--requirements 2026-07-28): no scored failure');
    expect(run.stdout).toContain('== mcpool-2025 (--requirements 2025-11-25): no scored failure');
    // The tasks extension's scenarios, each run on its own: all pass (the suite skips tasks-status-notifications).
    const tasks = [...run.stdout.matchAll(/^== (tasks-[a-z0-9-]+): (\w+)/gm)].map(([, name, verdict]) => ({ name, verdict }));
    expect(tasks.map(({ name }) => name)).toEqual(expect.arrayContaining(['tasks-lifecycle', 'tasks-mrtr-input', 'tasks-mrtr-composition', 'tasks-required-task-error']));
    expect(tasks.filter(({ verdict }) => verdict !== 'passed')).toEqual([]);
    expect(run.status).toBe(0);
  });
});
