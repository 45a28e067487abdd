/**
 * @module cli/commands/health
 * `mcpool health`: each server's health (state, threads, counters, circuit) as a table or, with
 * `--json`, as a JSON array of `ServerHealth` objects. Exits 1 when a server is not healthy, so
 * it can serve as a start-up check in scripts.
 */
import type { ServerHealth } from '../../api/manager-types.js';
import { flag, stringValue } from '../args.js';
import type { CliCommand } from '../command.js';
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
    health.lastError ?? '',
  ];
}

/** The `health` command. */
export const healthCommand: CliCommand = {
  name: 'health',
  summary: "Start the servers and print each one's health (table, or --json)",
  usage: 'mcpool health [--config f] [--json]',
  details: ['Exit codes: 0 every server is healthy; 1 one is not; 2 bad usage or config.', '', 'Examples:', '  mcpool health', '  mcpool health --config mcpool.json --json'].join('\n'),
  options: {
    config: configOption,
    json: { type: 'boolean', description: 'Print a JSON array of ServerHealth objects' },
  },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const { manager, names } = await openServers(stringValue(args, 'config'), io.cwd, io.env);
    try {
      const health = names.map((name) => manager.getServerHealth(name));
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(health, null, 2)}\n`);
      } else {
        const headers = ['SERVER', 'TYPE', 'STATE', 'THREADS', 'IN-FLIGHT', 'QUEUED', 'CALLS', 'ERRORS', 'RESTARTS', 'CIRCUIT', 'LAST ERROR'];
        const align = ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'] as const;
        io.stdout.write(renderTable(headers, health.map(row), align, styleFor(io.stdout, io.env).bold));
      }
      return health.every((server) => server.state === 'healthy') ? ExitCode.ok : ExitCode.failed;
    } finally {
      await manager.shutdown();
    }
  },
};
