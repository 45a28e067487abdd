/**
 * What users read: CLI errors with CLI advice, `--version` in `--help`, and `require('mcpool')`
 * saying the package is ESM only. Through the bin and a CommonJS child process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mcpool } from '../support/cli-helpers.js';

const run = promisify(execFile);

describe('CLI messages', () => {
  it('an unknown tool advises mcpool tools, a timeout advises --timeout', async () => {
    const unknown = await mcpool(['call', 'math/nope', '{}']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('mcpool tools');
    expect(unknown.stderr).not.toContain('listTools(');
    const slow = await mcpool(['call', 'math/count_primes', '{"below":100000000}', '--timeout', '20']);
    expect(slow.stderr).toContain('TIMEOUT');
    expect(slow.stderr).toContain('--timeout');
    expect(slow.stderr).not.toContain('timeoutMs');
  });

  it('--help lists --version', async () => {
    const help = await mcpool(['--help']);
    expect(help.stdout).toContain('--version');
    expect((await mcpool(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("require('mcpool') fails with a message that says ESM only and how to import it", async () => {
    const failure = await run(process.execPath, ['-e', "require('mcpool')"]).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain('mcpool is ESM only');
    expect(failure).toContain("import('mcpool')");
  });
});
