/**
 * @module bench/harness/nats/nats-processes
 * The processes of the NATS scenario: a nats-server on a free port of 127.0.0.1 and
 * `mcpool node` processes serving the benchmark server, each started and awaited until ready,
 * stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, listening } from '../server-process.js';

const binPath = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
const benchServerPath = fileURLToPath(new URL('../bench-server.js', import.meta.url));

/** The nats-server binary: on PATH, or where the Debian package puts it. */
export function natsServerBinary(): string {
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (existsSync(candidate)) return candidate;
  return 'nats-server';
}



/** Stops a child by pid and waits for it to exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Starts a nats-server and resolves with it and its URL once it accepts connections. */
export async function startNatsServer(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(natsServerBinary(), ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await Promise.race([listening(port, child, 10_000), new Promise<never>((_, reject) => child.once('error', reject))]);
  return { child, url: `nats://127.0.0.1:${port}` };
}

/** Writes the config a node serves: the benchmark server as `bench` on `threads` threads. */
export async function writeNodeConfig(dir: string, threads: number): Promise<string> {
  const path = join(dir, `nats-node-${threads}.json`);
  await writeFile(path, JSON.stringify({ mcpServers: { bench: { type: 'worker', module: benchServerPath, threads } } }));
  return path;
}

/** Starts `mcpool node` under a subject prefix and resolves once it serves. */
export async function startNode(url: string, config: string, name: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [binPath, 'node', '--nats', url, '--config', config, '--name', name, '--subject-prefix', prefix], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(' serving ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mcpool node exited (${String(code)}): ${stderr}`)));
  });
  return child;
}
