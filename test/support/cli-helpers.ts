/** Helpers for the CLI suites: run the built `mcpool` bin as a child process, temporary configs. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureModule } from './helpers.js';

/** The built bin. */
export const binPath = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** What a run of the bin produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/src/cli/main.js ...args`; `input` is written to its stdin. */
export function mcpool(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the bin may exit before reading all its input
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary folder, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpool-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a config file with the cli-tools fixture server (and the math example) into `dir`. */
export async function writeFixtureConfig(dir: string, name = 'mcpool.json'): Promise<string> {
  const path = join(dir, name);
  const config = {
    mcpServers: {
      fixture: { type: 'worker', module: fixtureModule('cli-tools'), threads: 1 },
    },
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}
