import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixtureModule } from '../support/helpers.js';

/** Runs the fixture script (it always shuts down) and resolves with its exit code and output; kills it if it hangs. */
function runScript(): Promise<{ code: number | null; stdout: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fixtureModule('exits-on-its-own')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // A guard against a hang, not a timing assertion: the script needs well under a second.
    const guard = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, killed });
    });
  });
}

describe('the process exits on its own', () => {
  it('after shutdown no thread, port or timer is left behind', async () => {
    expect(await runScript()).toEqual({ code: 0, stdout: 'done\n', killed: false });
  });
});
