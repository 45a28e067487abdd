/**
 * `mcpool node` child processes for the NATS suites: started with a config that serves the
 * `nats-tools` fixture, ready once they print their serving line, stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binPath } from './cli-helpers.js';
import { fixtureModule } from './helpers.js';

/** Writes a config that serves the fixture as server `tools` on `threads` threads; returns its path. */
export async function writeNodeConfig(dir: string, threads = 2): Promise<string> {
  const path = join(dir, `node-${threads}.json`);
  await writeFile(path, JSON.stringify({ mcpServers: { tools: { type: 'worker', module: fixtureModule('nats-tools'), threads } } }));
  return path;
}

/** A running `mcpool node`. */
export interface NodeProcess {
  readonly child: ChildProcess;
  readonly name: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with its exit code (or signal name). */
  readonly exited: Promise<number | string | null>;
}

/** Starts `mcpool node --nats url --config config --name name` and waits until it serves. */
export async function startNode(url: string, config: string, name: string): Promise<NodeProcess> {
  const child = spawn(process.execPath, [binPath, 'node', '--nats', url, '--config', config, '--name', name], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(' serving ')) resolve();
    });
    void exited.then((code) => reject(new Error(`mcpool node ${name} exited (${String(code)}) before serving: ${stderr}`)));
  });
  return { child, name, stderr: () => stderr, exited };
}

/** Stops a node by pid (SIGKILL after 5 s) and waits for it to exit. */
export async function stopNode(node: NodeProcess | undefined): Promise<void> {
  if (node === undefined || node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 5_000);
  await node.exited;
  clearTimeout(timer);
}
