/**
 * @module cli/commands/health
 * `mcpool health`: each server's health (state, threads, counters, circuit) as a table or, with
 * `--json`, as a JSON array of `ServerHealth` objects: of the config's servers started for the
 * check, or with `--url` of a running gateway (its `/health`). Exits 1 when a server is not
 * healthy (or the gateway cannot be reached or refuses the token), so it can serve as a check
 * in scripts.
 */
import type { ServerHealth } from '../../api/manager-types.js';
import { flag, stringValue } from '../args.js';
import type { CliCommand, CliIo } from '../command.js';
import { messageOf } from '../../errors/mcpool-error.js';
import { configOption, openServers } from '../servers.js';
import { styleFor } from '../style.js';
import { renderTable } from '../table.js';
import { ExitCode } from '../usage-error.js';

function row(health: ServerHealth): string[] {
  return [
    health.name,
    health.type,
    health.state,
    String(health.threads),
    String(health.inFlight),
    String(health.queued),
    String(health.calls),
    String(health.errors),
    String(health.restarts),
    health.circuit,
    oneLine(health.lastError ?? ''),
  ];
}

/** A multi-line message (a child's stderr) as one table cell: lines joined, cut to a width. */
export function oneLine(text: string, width = 100): string {
  const joined = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' | ');
  return joined.length > width ? `${joined.slice(0, width - 1)}…` : joined;
}

function table(health: readonly ServerHealth[], io: CliIo): string {
  const headers = ['SERVER', 'TYPE', 'STATE', 'THREADS', 'IN-FLIGHT', 'QUEUED', 'CALLS', 'ERRORS', 'RESTARTS', 'CIRCUIT', 'LAST ERROR'];
  const align = ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'] as const;
  return renderTable(headers, health.map(row), align, styleFor(io.stdout, io.env).bold);
}

/** `--url`: what a running gateway's `/health` answers; exit 1 when unreachable, refused or not healthy. */
async function remoteHealth(url: string, token: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const base = url.replace(/\/+$/, '').replace(/\/mcp$/, '');
  const where = `${base}/health`;
  let response: Response;
  try {
    response = await fetch(where, { headers: token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    io.stderr.write(`error UNREACHABLE: cannot reach ${where}: ${messageOf((error as { cause?: unknown }).cause ?? error)} (is mcpool serve --http running there?)\n`);
    return ExitCode.failed;
  }
  if (response.status === 401) {
    io.stderr.write(`error UNAUTHORIZED: ${where} refused the ${token === undefined ? 'request without a token (pass --token or set MCPOOL_TOKEN)' : 'token'}\n`);
    return ExitCode.failed;
  }
  const text = await response.text();
  let report: { status?: unknown; servers?: ServerHealth[] };
  try {
    report = JSON.parse(text) as typeof report;
  } catch {
    io.stderr.write(`error BAD_RESPONSE: ${where} answered ${response.status} with something other than JSON\n`);
    return ExitCode.failed;
  }
  if (!response.ok || !Array.isArray(report.servers)) {
    io.stderr.write(`error HTTP_${response.status}: ${where} answered ${text.slice(0, 200)}\n`);
    return ExitCode.failed;
  }
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : table(report.servers, io));
  return report.status === 'ok' && report.servers.every((server) => server.state === 'healthy') ? ExitCode.ok : ExitCode.failed;
}

/** The `health` command. */
export const healthCommand: CliCommand = {
  name: 'health',
  summary: "Print each server's health (table, or --json): of servers started for the check, or of a running gateway (--url)",
  usage: 'mcpool health [--config f] [--json] | mcpool health --url http://127.0.0.1:3000 [--token T] [--json]',
  details: [
    'Without --url the config\'s servers are started for the check and stopped after it.',
    'With --url it reads a running gateway\'s /health (the URL of the gateway, with or without /mcp).',
    'Exit codes: 0 every server is healthy; 1 one is not, or the gateway is unreachable or refused the token; 2 bad usage or config.',
    '',
    'Examples:',
    '  mcpool health',
    '  mcpool health --config mcpool.json --json',
    '  mcpool health --url http://127.0.0.1:3000 --token "$MCPOOL_TOKEN"',
  ].join('\n'),
  options: {
    config: configOption,
    json: { type: 'boolean', description: 'Print JSON: an array of ServerHealth objects (with --url: what /health answers)' },
    url: { type: 'string', valueName: '<url>', description: "A running gateway's URL: read its /health instead of starting servers" },
    token: { type: 'string', valueName: '<token>', description: 'Bearer token for --url', defaultText: '$MCPOOL_TOKEN' },
  },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const url = stringValue(args, 'url');
    if (url !== undefined) return remoteHealth(url, stringValue(args, 'token') ?? io.env.MCPOOL_TOKEN, flag(args, 'json'), io);
    const { manager, names } = await openServers(stringValue(args, 'config'), io.cwd, io.env);
    try {
      const health = names.map((name) => manager.getServerHealth(name));
      io.stdout.write(flag(args, 'json') ? `${JSON.stringify(health, null, 2)}\n` : table(health, io));
      return health.every((server) => server.state === 'healthy') ? ExitCode.ok : ExitCode.failed;
    } finally {
      await manager.shutdown();
    }
  },
};
