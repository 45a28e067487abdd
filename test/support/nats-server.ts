/**
 * A real `nats-server` for the tests (the Debian package; `.ci/run` installs it): started on a
 * free port of 127.0.0.1, ready once it accepts connections, restartable on the same port (for
 * the reconnection tests), stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort, stopProcess, waitForPort } from './processes.js';

/** Where the Debian package puts the binary, if it is not on PATH. */
function natsServerBinary(): string {
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    if (existsSync(candidate)) return candidate;
  }
  return 'nats-server';
}

/** A running nats-server. */
export interface NatsServerProcess {
  readonly port: number;
  readonly url: string;
  /** The running process (undefined while stopped). */
  readonly child: ChildProcess | undefined;
  /** Stops it (SIGTERM, then SIGKILL after 3 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
}

/** Starts a nats-server on a free port and waits until it accepts connections. */
export async function startNatsServer(): Promise<NatsServerProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: NatsServerProcess = {
    port,
    url: `nats://127.0.0.1:${port}`,
    get child() {
      return child;
    },
    async start() {
      child = spawn(natsServerBinary(), ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      const failed = new Promise<never>((_, reject) => child!.once('error', reject));
      await Promise.race([waitForPort(port), failed]);
    },
    async stop() {
      await stopProcess(child);
      child = undefined;
    },
  };
  await server.start();
  return server;
}
