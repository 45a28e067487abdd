/**
 * @module cli/commands/serve
 * `mcpool serve [--config f] [--stdio | --http] [--host 127.0.0.1] [--port 3000] [--token T]`:
 * deploys the config's servers (or the built-in examples) and serves them all as one MCP
 * server. SIGHUP re-reads the config; `--watch` also reloads a server whose module file changes
 * and re-reads the config when its file changes (see cli/config-reload).
 * Over stdio nothing but JSON-RPC goes to stdout; logs go to stderr. SIGINT/SIGTERM
 * (or the stdio client hanging up) stop it cleanly: calls in flight finish, then the servers
 * shut down.
 *
 * `serveCommand` is an entry of the CLI's command table (src/cli/commands/index.ts); the bin
 * (`mcpool serve`) is the only way to start it, so benchmarks measure the process users run.
 * Its flags and their parsing into `ServeOptions` are cli/commands/serve-options.
 */
import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import type { AccessRecord } from '../../gateway/transports/http/access-log.js';
import type { RunningGateway } from '../../gateway/gateway.js';
import type { Manager } from '../../engine/manager.js';
import type { ServerHealth } from '../../api/manager-types.js';
import type { ServerConfig } from '../../config/server-config.js';
import { createLogger, type Logger } from '../logger.js';
import { readServeConfig } from '../serve-config.js';
import { exampleServers } from '../servers.js';
import { StartupRetry } from '../startup-retry.js';
import { untilStopSignal } from '../stop-signal.js';
import { startHeapPolicy, type LeanHeap } from '../lean-heap.js';
import { serveOptions, serveOptionsOf, type ServeOptions } from './serve-options.js';

/** A running `mcpool serve`. */
export interface RunningServe {
  manager: Manager;
  gateway: RunningGateway;
  /** Servers that failed to start and are being retried. */
  pending: StartupRetry;
  /** Re-reads the config file (what SIGHUP does) and applies it. */
  reread(): Promise<void>;
  /** Stops the gateway (calls in flight finish), then the servers. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Takes stdout for the stdio gateway alone: what anything else writes there (a `console.log` in
 * the main thread, or in a tool's worker thread, whose output Node forwards through
 * `process.stdout.write`) goes to stderr instead, so it cannot corrupt the JSON-RPC stream.
 */
function claimStdout(): Writable {
  const stdout = process.stdout;
  // A failed write (EPIPE: the client left) reaches the gateway through the write callback below.
  stdout.on('error', () => undefined);
  const write = stdout.write.bind(stdout) as (chunk: string, callback?: (error?: Error | null) => void) => boolean;
  // Same object, same overloads: stderr's write stands in for stdout's.
  Object.defineProperty(process.stdout, 'write', { value: process.stderr.write.bind(process.stderr), configurable: true, writable: true });
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'), callback);
    },
  });
}

/** True for an address that only this machine reaches. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/**
 * Deploys every server of the config at once. A server that fails to start is handed to
 * `pending` to be retried, unless `strict` (or the failure is a config error, which waiting
 * cannot heal): then the first failure rejects.
 */
async function deployAll(manager: Manager, servers: ServerConfig[], pending: StartupRetry, strict: boolean, log: Logger): Promise<void> {
  const outcomes = await Promise.allSettled(servers.map((server) => manager.deployServer(server)));
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    const error: unknown = outcome.reason;
    const permanent = !(error instanceof McpoolError) || error.code === ErrorCode.INVALID_CONFIG || error.code === ErrorCode.SERVER_EXISTS;
    if (strict || permanent) throw error;
    log.error(messageOf(error), { server: String(servers[i]!.name), code: error.code });
    pending.add(servers[i]!, error);
  }
}

/** Starts the servers and the gateway; rejects with `INVALID_CONFIG` / `SERVER_UNAVAILABLE` (with `strict`) leaving nothing running. */
export async function serve(options: ServeOptions, log: Logger = createLogger({ name: 'mcpool serve', level: options.logLevel, format: options.logFormat })): Promise<RunningServe> {
  if (options.stdio === true && options.http === true) throw new McpoolError(ErrorCode.INVALID_CONFIG, '--stdio and --http exclude each other');
  // A long-running server starts one thread per example and grows under load: idle, it holds less memory.
  const examples = exampleServers({ min: 1, max: availableParallelism() });
  // Read and validated in a thread: zod never loads on the gateway's main thread (cli/serve-config).
  const { config, manager: managerOptions, servers } = await readServeConfig(options.config, process.cwd(), process.env, examples);
  const token = options.token ?? process.env.MCPOOL_TOKEN;
  const clients = config?.gateway.clients;
  const http = options.http === true;
  if (http && !isLoopback(options.host) && (token === undefined || token === '') && clients === undefined && options.insecure !== true) {
    throw new McpoolError(
      ErrorCode.INVALID_CONFIG,
      `--host ${options.host} reaches beyond this machine and no token is set: anyone who reaches the port could call every tool. Set --token (or MCPOOL_TOKEN, or gateway.clients in the config), or pass --insecure`,
    );
  }
  // Before any server starts, so their threads' output never reaches the JSON-RPC stream.
  const output = http ? undefined : claimStdout();
  // The engine and the gateway load when serve runs, not for `mcpool --help`.
  const [{ Manager }, { healthReport, startGateway }, { ConfigReloader }] = await Promise.all([
    import('../../engine/manager.js'),
    import('../../gateway/gateway.js'),
    import('../config-reload.js'),
  ]);
  const manager = new Manager(managerOptions);
  const pending = new StartupRetry(manager, log);
  let gateway: RunningGateway;
  try {
    await deployAll(manager, servers, pending, options.strict === true, log);
    const order = servers.map((server) => String(server.name));
    const health = (): unknown => {
      const report = healthReport(manager) as { status: string; servers: ServerHealth[] };
      if (pending.names.length === 0) return report;
      const all = [...report.servers, ...pending.health()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
      return { status: 'degraded', servers: all };
    };
    const accessLog = log.enabled('info') ? (record: AccessRecord): void => log.info('request', { ...record }) : undefined;
    gateway = await startGateway(manager, {
      prefixes: config?.prefixes ?? {},
      toolSearch: config?.gateway.toolSearch === true,
      tasks: config?.gateway.tasks,
      ...(output === undefined
        ? { http: { host: options.host, port: options.port, token: token === '' ? undefined : token, clients, health, onRequest: accessLog, sseCloseAfterMs: config?.gateway.sseCloseAfterMs, sseRetryMs: config?.gateway.sseRetryMs } }
        : { stdio: { output } }),
    });
  } catch (error) {
    pending.stop();
    await manager.shutdown();
    throw error;
  }
  if (http && !isLoopback(options.host) && (token === undefined || token === '') && clients === undefined) {
    log.warn(`serving beyond loopback (${options.host}) without a token (--insecure): anyone who reaches the port can call every tool`);
  }
  const reloader = new ConfigReloader(manager, config, { watch: options.watch === true, log: (message) => log.info(message) });
  let stopping: Promise<void> | undefined;
  return {
    manager,
    gateway,
    pending,
    reread: () => reloader.reread(),
    stop: () => {
      pending.stop();
      reloader.close();
      stopping ??= gateway.close().then(() => manager.shutdown());
      return stopping;
    },
  };
}

/** What SIGHUP does: re-read the config and apply it (the process stays up, unlike Node's default of exiting). */
export function onReloadSignal(running: RunningServe, log: Logger): void {
  log.info('SIGHUP received: re-reading the config');
  void running.reread();
}

/** The exit code of a failure to start: 2 for what the user must fix (the config, the port), else 1. */
function startFailureCode(error: unknown): number {
  if (error instanceof McpoolError && (error.code === ErrorCode.INVALID_CONFIG || error.code === ErrorCode.SERVER_UNAVAILABLE)) return 2;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' ? 2 : 1;
}

/** The `error CODE: message` line of a failure to start, as every mcpool command writes it. */
function startFailureLine(error: unknown, options: ServeOptions): string {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'EADDRINUSE') return `error EADDRINUSE: port ${options.port} on ${options.host} is already in use; stop what listens there or pick another with --port`;
  if (error instanceof McpoolError) return `error ${error.code}: ${error.message}`;
  return `error ${typeof errno === 'string' ? errno : 'ERROR'}: ${messageOf(error)}`;
}

/** Runs `mcpool serve` until SIGINT/SIGTERM (or stdin ends over stdio); resolves with the exit code. */
export async function runServe(options: ServeOptions): Promise<number> {
  const log = createLogger({ name: 'mcpool serve', level: options.logLevel, format: options.logFormat });
  let running: RunningServe | undefined;
  // Installed before anything listens: Node's default for SIGHUP is to exit.
  const reload = (): void => {
    if (running === undefined) log.info('SIGHUP received while starting; ignored');
    else onReloadSignal(running, log);
  };
  process.on('SIGHUP', reload);
  let heap: LeanHeap | undefined;
  try {
    heap = startHeapPolicy(options.heap);
    running = await serve(options, log);
  } catch (error) {
    heap?.stop();
    process.off('SIGHUP', reload);
    if (options.logFormat === 'json') log.error(messageOf(error), { code: (error as { code?: string }).code });
    else process.stderr.write(`mcpool serve: ${startFailureLine(error, options)}\n`);
    return startFailureCode(error);
  }
  const started = running;
  const names = started.manager.listServers().map((server) => server.name);
  const where = started.gateway.url === undefined ? 'over stdio' : `at ${started.gateway.url}`;
  const waiting = started.pending.names;
  log.info(`serving ${names.join(', ')} ${where}${waiting.length > 0 ? `; not started yet (retrying): ${waiting.join(', ')}` : ''}`);
  await untilStopSignal(started.gateway.ended);
  process.off('SIGHUP', reload);
  log.info('stopping: calls in flight finish');
  await started.stop();
  heap?.stop();
  return 0;
}

/** The `serve` entry for the CLI's command table (src/cli/commands/index.ts). */
export const serveCommand = {
  name: 'serve',
  summary: 'Serve every deployed server as one MCP server (stdio or Streamable HTTP)',
  usage: 'mcpool serve [--config f] [--stdio | --http] [--host 127.0.0.1] [--port 3000] [--token T] [--watch] [--strict] [--log-level info] [--log-format json] [--heap node|lean]',
  details:
    'Tools are named <server>__<tool>. Over HTTP the endpoint is /mcp and /health reports the servers. A server that fails to start is retried with backoff while the others are served (--strict: exit 2 instead). SIGHUP re-reads the config (it does not stop the process). Exit codes: 0 stopped cleanly, 2 bad usage or config (or the port is in use).',
  options: serveOptions,
  positionals: { min: 0, max: 0 },
  run: async (args: { values: Record<string, string | boolean | string[] | undefined> }): Promise<number> => runServe(serveOptionsOf(args.values)),
};
