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
 */
import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import type { RunningGateway } from '../../gateway/gateway.js';
import type { McpManager } from '../../engine/manager.js';
import { configOption, exampleServers, readConfig } from '../servers.js';

/** Parsed options of `mcpool serve`. */
export interface ServeOptions {
  /** Config file; default `./mcpool.json` when it exists, else the built-in example servers. */
  config?: string | undefined;
  /** Serve over stdio (the default when neither is given). */
  stdio?: boolean | undefined;
  /** Serve over Streamable HTTP. */
  http?: boolean | undefined;
  /** @default '127.0.0.1' */
  host: string;
  /** @default 3000 */
  port: number;
  /** Bearer token for HTTP; default `MCPOOL_TOKEN`. */
  token?: string | undefined;
  /** Reload a server when its module file changes, and re-read the config when it changes. */
  watch?: boolean | undefined;
}

/** A running `mcpool serve`. */
export interface RunningServe {
  manager: McpManager;
  gateway: RunningGateway;
  /** Re-reads the config file (what SIGHUP does) and applies it. */
  reread(): Promise<void>;
  /** Stops the gateway (calls in flight finish), then the servers. Idempotent. */
  stop(): Promise<void>;
}

/** Writes one log line to stderr (stdout belongs to the stdio gateway). */
function log(message: string): void {
  process.stderr.write(`mcpool serve: ${message}\n`);
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

/** Starts the servers and the gateway; rejects with `INVALID_CONFIG` / `SERVER_UNAVAILABLE` leaving nothing running. */
export async function serve(options: ServeOptions): Promise<RunningServe> {
  if (options.stdio === true && options.http === true) throw new McpoolError(ErrorCode.INVALID_CONFIG, '--stdio and --http exclude each other');
  const config = await readConfig(options.config, process.cwd(), process.env);
  // Before any server starts, so their threads' output never reaches the JSON-RPC stream.
  const output = options.http === true ? undefined : claimStdout();
  // The engine and the gateway load when serve runs, not for `mcpool --help`.
  const [{ McpManager }, { startGateway }, { ConfigReloader }] = await Promise.all([import('../../engine/manager.js'), import('../../gateway/gateway.js'), import('../config-reload.js')]);
  const manager = new McpManager(config?.manager ?? {});
  let gateway: RunningGateway;
  try {
    // A long-running server starts one thread per example and grows under load: idle, it holds less memory.
    await Promise.all((config?.servers ?? exampleServers({ min: 1, max: availableParallelism() })).map((server) => manager.deployServer(server)));
    const token = options.token ?? process.env.MCPOOL_TOKEN;
    gateway = await startGateway(manager, {
      prefixes: config?.prefixes ?? {},
      ...(output === undefined ? { http: { host: options.host, port: options.port, token: token === '' ? undefined : token } } : { stdio: { output } }),
    });
  } catch (error) {
    await manager.shutdown();
    throw error;
  }
  const reloader = new ConfigReloader(manager, config, { watch: options.watch === true, log });
  let stopping: Promise<void> | undefined;
  return {
    manager,
    gateway,
    reread: () => reloader.reread(),
    stop: () => {
      reloader.close();
      stopping ??= gateway.close().then(() => manager.shutdown());
      return stopping;
    },
  };
}

/** Runs `mcpool serve` until SIGINT/SIGTERM (or stdin ends over stdio); resolves with the exit code. */
export async function runServe(options: ServeOptions): Promise<number> {
  let running: RunningServe;
  try {
    running = await serve(options);
  } catch (error) {
    log(messageOf(error));
    return error instanceof McpoolError && (error.code === ErrorCode.INVALID_CONFIG || error.code === ErrorCode.SERVER_UNAVAILABLE) ? 2 : 1;
  }
  const names = running.manager.listServers().map((server) => server.name);
  log(`serving ${names.join(', ')} ${running.gateway.url === undefined ? 'over stdio' : `at ${running.gateway.url}`}`);
  // SIGHUP re-reads the config (and no longer ends the process, as it would by default).
  const reread = (): void => void running.reread();
  process.on('SIGHUP', reread);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', reread);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void running.gateway.ended.then(stop);
  });
  log('stopping: calls in flight finish');
  await running.stop();
  return 0;
}

/** Options of `mcpool serve`, in the CLI's option-table shape. */
const serveOptions = {
  config: configOption,
  stdio: { type: 'boolean', description: 'Serve over stdio (the default): JSON-RPC on stdin/stdout, logs on stderr' },
  http: { type: 'boolean', description: 'Serve over Streamable HTTP at /mcp (and /health)' },
  host: { type: 'string', valueName: '<host>', description: 'Interface to bind for --http', defaultText: '127.0.0.1' },
  port: { type: 'string', short: 'p', valueName: '<port>', description: 'Port for --http', defaultText: '3000' },
  token: { type: 'string', valueName: '<token>', description: 'Require Authorization: Bearer <token> over HTTP', defaultText: '$MCPOOL_TOKEN' },
  watch: { type: 'boolean', description: 'Reload a server when its module file changes; re-read the config when it changes (SIGHUP always does)' },
} as const;

/** Turns parsed flag values into `ServeOptions`; throws `INVALID_CONFIG` on a bad port. */
export function serveOptionsOf(values: Record<string, string | boolean | string[] | undefined>): ServeOptions {
  const port = values.port === undefined ? 3000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new McpoolError(ErrorCode.INVALID_CONFIG, `--port must be an integer from 0 to 65535 (got ${String(values.port)})`);
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  return { config: str('config'), stdio: values.stdio === true, http: values.http === true, host: str('host') ?? '127.0.0.1', port, token: str('token'), watch: values.watch === true };
}

/** The `serve` entry for the CLI's command table (src/cli/commands/index.ts). */
export const serveCommand = {
  name: 'serve',
  summary: 'Serve every deployed server as one MCP server (stdio or Streamable HTTP)',
  usage: 'mcpool serve [--config f] [--stdio | --http] [--host 127.0.0.1] [--port 3000] [--token T] [--watch]',
  details: 'Tools are named <server>__<tool>. Over HTTP the endpoint is /mcp and /health reports the servers. Exit codes: 0 stopped cleanly, 2 bad usage or config.',
  options: serveOptions,
  positionals: { min: 0, max: 0 },
  run: async (args: { values: Record<string, string | boolean | string[] | undefined> }): Promise<number> => runServe(serveOptionsOf(args.values)),
};
