/**
 * `npm start`: the main job runs the example servers' CPU-bound tools through mcpool and on the
 * main thread, and prints the comparison. Run here with fewer calls; the output's shape and the
 * exit code are what a new user sees first.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const mainJob = fileURLToPath(new URL('../../dist/src/cli/main-job.js', import.meta.url));

describe('the main job (npm start)', () => {
  it('answers every call through mcpool and directly, and prints both rows and the ratio', async () => {
    const { stdout, stderr } = await run(process.execPath, [mainJob], { env: { ...process.env, MCPOOL_JOB_CALLS: '200' }, timeout: 60_000 });
    expect(stderr).toContain('mcpool main job: 200 CPU-bound calls');
    const rows = stdout.split('\n').filter((line) => /^(mcpool|direct) \(/.test(line));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // calls, failed: every call answered, none failed.
      expect(row).toMatch(/\)\s+200\s+0\s/);
    }
    expect(stdout).toMatch(/mcpool ran the batch \d+\.\d+x as fast as the main thread alone/);
  });
});
