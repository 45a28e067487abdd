/** Test helpers: `mcpool serve` as a real child process, with a config file written to a temp folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleModule, fixtureModule } from './helpers.js';
import { everythingServer, freePort, waitForPort } from './processes.js';

/** The built `mcpool serve` entry. */
/** The `mcpool serve` command line through the bin, as users start it: spread it before the flags. */
export const serveArgs = [fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url)), 'serve'];

/** A config with the math example (worker), the stdio fixture and server-everything (stdio). */
export function standardConfig(manager: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mcpServers: {
      math: { type: 'worker', module: exampleModule('math'), threads: 1 },
      fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] },
      everything: { command: process.execPath, args: [everythingServer, 'stdio'] },
    },
    manager,
  };
}

/** Writes a config file to a new temp folder and returns its path. */
export function writeConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpool-test-'));
  const file = join(dir, 'mcpool.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** A gateway process serving over HTTP. */
export interface HttpGatewayProcess {
  child: ChildProcess;
  port: number;
  url: string;
  stderr: () => string;
}

/** Starts `mcpool serve --http` on a free port and waits until it listens. */
export async function startHttpGateway(config: unknown, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<HttpGatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...serveArgs, '--http', '--port', String(port), '--config', writeConfig(config), ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${stderr}`))));
  await Promise.race([waitForPort(port, 30_000), exited]);
  exited.catch(() => undefined);
  return { child, port, url: `http://127.0.0.1:${port}/mcp`, stderr: () => stderr };
}

/** Runs `mcpool serve` with these arguments until it exits; resolves with its exit code and stderr. */
export async function runServe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...serveArgs, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}
