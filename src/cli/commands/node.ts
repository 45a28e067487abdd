/**
 * @module cli/commands/node
 * `mcpool node --nats URL [--config f] [--name n]`: deploys the config's worker servers (or the
 * built-in examples) and serves their calls on NATS, as one node of a scale-out (see
 * `serveOverNats`). SIGTERM or SIGINT drains it: it stops taking frames, finishes the calls it
 * accepted, sends their results, then exits 0. The NATS node code (and the config schemas it
 * imports, with zod) loads with `import()` when the command runs: the command table is loaded by
 * every command, `--help` included.
 */
import { stringValue } from '../args.js';
import type { CliCommand } from '../command.js';
import { configOption, openServers } from '../servers.js';
import { ExitCode, UsageError } from '../usage-error.js';
import { untilStopSignal } from '../stop-signal.js';
import { heapOption, startHeapPolicy } from '../lean-heap.js';

/** The `node` command. */
export const nodeCommand: CliCommand = {
  name: 'node',
  summary: "Serve the config's worker servers to callers over NATS (a scale-out node)",
  usage: 'mcpool node --nats nats://host:4222 [--config f] [--name n] [--heap node|lean]',
  details: [
    'Callers reach these servers with { "type": "nats", "url": "nats://host:4222" } entries.',
    'SIGTERM drains the node (it finishes what it accepted) and exits 0.',
    '',
    'Examples:',
    '  mcpool node --nats nats://127.0.0.1:4222',
    '  mcpool node --nats nats://10.0.0.5:4222 --config mcpool.json --name node-a',
  ].join('\n'),
  options: {
    nats: { type: 'string', valueName: '<url>', description: 'The NATS server (credentials may be in the URL: nats://user:pass@host:4222)' },
    config: configOption,
    name: { type: 'string', valueName: '<name>', description: "The node's name in discovery and errors", defaultText: '<hostname>-<pid>' },
    'subject-prefix': { type: 'string', valueName: '<prefix>', description: 'Subject namespace (callers must use the same)', defaultText: 'mcpool' },
    creds: { type: 'string', valueName: '<file>', description: 'A NATS .creds file' },
    heap: heapOption,
  },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const url = stringValue(args, 'nats') ?? io.env.NATS_URL;
    if (url === undefined) throw new UsageError('--nats <url> is required (or set NATS_URL)');
    const heap = startHeapPolicy(stringValue(args, 'heap'));
    const { manager, names } = await openServers(stringValue(args, 'config'), io.cwd, io.env);
    const name = stringValue(args, 'name');
    const prefix = stringValue(args, 'subject-prefix');
    const creds = stringValue(args, 'creds');
    const { serveOverNats } = await import('../../servers/nats/serve-over-nats.js');
    let node;
    try {
      node = await serveOverNats(manager, { url, ...(name === undefined ? {} : { name }), ...(prefix === undefined ? {} : { subjectPrefix: prefix }), ...(creds === undefined ? {} : { credsFile: creds }) });
    } catch (error) {
      await manager.shutdown();
      throw error;
    }
    io.stderr.write(`mcpool node: ${node.name} (${node.id}) serving ${node.servers.join(', ') || 'nothing'} of ${names.length} server(s) on NATS\n`);
    await untilStopSignal();
    io.stderr.write('mcpool node: draining\n');
    await node.close();
    await manager.shutdown();
    io.stderr.write('mcpool node: stopped\n');
    heap?.stop();
    return ExitCode.ok;
  },
};
