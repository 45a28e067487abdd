/**
 * @module cli/commands/serve-options
 * The flags of `mcpool serve`: their table (what `mcpool serve --help` lists and `parseArgs`
 * reads) and `serveOptionsOf`, which turns the parsed values into `ServeOptions`, rejecting a
 * bad `--port`, `--log-level` or `--log-format` with `INVALID_CONFIG`. Starting and running the
 * gateway is cli/commands/serve.
 */
import { ErrorCode, McpoolError } from '../../errors/mcpool-error.js';
import { isCliLogLevel, type CliLogFormat, type CliLogLevel } from '../logger.js';
import { configOption } from '../servers.js';
import { heapOption } from '../lean-heap.js';

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
  /** Any server that fails to start is fatal (exit 2), instead of being retried while the others serve. */
  strict?: boolean | undefined;
  /** Allow binding beyond loopback without any token. */
  insecure?: boolean | undefined;
  /** @default 'info' */
  logLevel?: CliLogLevel | undefined;
  /** @default 'text' */
  logFormat?: CliLogFormat | undefined;
  /** Reload a server when its module file changes, and re-read the config when it changes. */
  watch?: boolean | undefined;
  /** The process's heap policy (cli/lean-heap); `runServe` applies it. @default 'lean' */
  heap?: string | undefined;
}

/** Options of `mcpool serve`, in the CLI's option-table shape. */
export const serveOptions = {
  config: configOption,
  stdio: { type: 'boolean', description: 'Serve over stdio (the default): JSON-RPC on stdin/stdout, logs on stderr' },
  http: { type: 'boolean', description: 'Serve over Streamable HTTP at /mcp (and /health)' },
  host: { type: 'string', valueName: '<host>', description: 'Interface to bind for --http (beyond loopback needs a token or --insecure)', defaultText: '127.0.0.1' },
  port: { type: 'string', short: 'p', valueName: '<port>', description: 'Port for --http', defaultText: '3000' },
  token: { type: 'string', valueName: '<token>', description: 'Require Authorization: Bearer <token> over HTTP', defaultText: '$MCPOOL_TOKEN' },
  strict: { type: 'boolean', description: 'Exit 2 when any server fails to start (default: serve the others, retry it)' },
  insecure: { type: 'boolean', description: 'Allow --host beyond loopback without any token' },
  'log-level': { type: 'string', valueName: '<level>', description: 'error, warn, info (an access line per HTTP request) or debug', defaultText: 'info' },
  'log-format': { type: 'string', valueName: '<format>', description: 'text, or json (one JSON object per line on stderr)', defaultText: 'text' },
  watch: { type: 'boolean', description: 'Reload a server when its module file changes; re-read the config when it changes (SIGHUP always does)' },
  heap: heapOption,
} as const;

/** Turns parsed flag values into `ServeOptions`; throws `INVALID_CONFIG` on a bad port. */
export function serveOptionsOf(values: Record<string, string | boolean | string[] | undefined>): ServeOptions {
  const port = values.port === undefined ? 3000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new McpoolError(ErrorCode.INVALID_CONFIG, `--port must be an integer from 0 to 65535 (got ${String(values.port)})`);
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const logLevel = str('log-level');
  if (logLevel !== undefined && !isCliLogLevel(logLevel)) throw new McpoolError(ErrorCode.INVALID_CONFIG, `--log-level must be error, warn, info or debug (got ${logLevel})`);
  const logFormat = str('log-format');
  if (logFormat !== undefined && logFormat !== 'text' && logFormat !== 'json') throw new McpoolError(ErrorCode.INVALID_CONFIG, `--log-format must be text or json (got ${logFormat})`);
  return {
    config: str('config'),
    stdio: values.stdio === true,
    http: values.http === true,
    host: str('host') ?? '127.0.0.1',
    port,
    token: str('token'),
    strict: values.strict === true,
    insecure: values.insecure === true,
    logLevel,
    logFormat,
    watch: values.watch === true,
    heap: str('heap'),
  };
}
