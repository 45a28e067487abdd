/**
 * @module cli/commands/tools
 * `mcpool tools`: every deployed server's tools, as a table (name, server, description) or,
 * with `--json`, as a JSON array of MCP `Tool` objects each with its `server`.
 */
import { flag, stringValue } from '../args.js';
import type { CliCommand } from '../command.js';
import { configOption, openServers } from '../servers.js';
import { styleFor } from '../style.js';
import { renderTable } from '../table.js';
import { ExitCode } from '../usage-error.js';

/** The `tools` command. */
export const toolsCommand: CliCommand = {
  name: 'tools',
  summary: 'List the tools of every server (table, or --json)',
  usage: 'mcpool tools [--config f] [--json]',
  details: ['Examples:', '  mcpool tools', '  mcpool tools --json | jq \'.[] | select(.server == "math") | .name\''].join('\n'),
  options: {
    config: configOption,
    json: { type: 'boolean', description: 'Print a JSON array of { server, name, description, inputSchema, ... }' },
  },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const { manager, names } = await openServers(stringValue(args, 'config'), io.cwd, io.env);
    try {
      // Config order, then each server's own tool order (the sort is stable).
      const tools = (await manager.listTools()).sort((a, b) => names.indexOf(a.server) - names.indexOf(b.server));
      if (flag(args, 'json')) {
        io.stdout.write(`${JSON.stringify(tools.map(({ server, tool }) => ({ server, ...tool })), null, 2)}\n`);
      } else {
        const rows = tools.map(({ server, tool }) => [tool.name, server, tool.description ?? '']);
        io.stdout.write(renderTable(['NAME', 'SERVER', 'DESCRIPTION'], rows, [], styleFor(io.stdout, io.env).bold));
      }
      return ExitCode.ok;
    } finally {
      await manager.shutdown();
    }
  },
};
