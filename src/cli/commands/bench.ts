/**
 * @module cli/commands/bench
 * `mcpool bench`: measures mcpool beside what users would pick instead (a direct call, raw
 * piscina, the MCP SDK in memory and over stdio) in one run, and prints a table, `--json`, and
 * optionally an SVG chart. Progress goes to stderr (a bar on a TTY).
 *
 * This entry holds only the command's name and options: the harness (bench/harness/, with the
 * SDK servers it measures) is loaded with `import()` when the command runs or shows its help,
 * so no other command pays for it.
 */
import type { CliCommand } from '../command.js';

/** The harness, loaded on first use. */
const harness = (): Promise<typeof import('../../../bench/harness/cli.js')> => import('../../../bench/harness/cli.js');

/** The `bench` command. */
export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Benchmark mcpool beside a direct call, raw piscina and the MCP SDK (in memory, stdio)',
  usage: 'mcpool bench [--scenario name...] [--duration s] [--concurrency n...] [--json] [--chart f.svg]',
  loadDetails: async () => (await harness()).benchDetails(),
  options: {
    scenario: { type: 'string', variadic: true, short: 's', valueName: '<name>', description: 'Scenarios to run', defaultText: 'all' },
    system: { type: 'string', variadic: true, valueName: '<name>', description: "Systems to run (each scenario's baseline always runs)", defaultText: 'all' },
    duration: { type: 'string', short: 'd', valueName: '<s>', description: 'Seconds per timed repeat', defaultText: '1' },
    warmup: { type: 'string', valueName: '<s>', description: 'Seconds of warm-up per cell', defaultText: 'half of --duration' },
    repeats: { type: 'string', short: 'r', valueName: '<n>', description: 'Timed repeats per cell (median reported)', defaultText: '3' },
    concurrency: { type: 'string', variadic: true, short: 'n', valueName: '<n>', description: 'Calls in flight', defaultText: '1 64' },
    json: { type: 'boolean', description: 'Print one JSON object with a results array instead of the table' },
    markdown: { type: 'boolean', description: 'Print the table as Markdown (for a README)' },
    'in-process': { type: 'boolean', description: 'Measure every system in this process instead of a fresh process per system' },
    chart: { type: 'string', valueName: '<f.svg>', description: 'Also write an SVG chart of the results' },
  },
  positionals: { min: 0, max: 0 },
  run: async (args, io) => (await harness()).runBenchCommand(args, io),
};
