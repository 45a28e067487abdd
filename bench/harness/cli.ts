/**
 * @module bench/harness/cli
 * What `mcpool bench` runs once its arguments are parsed: the plan from the arguments, the run
 * with a progress bar, and the table, JSON, Markdown or chart it prints. It lives in the bench
 * harness, which the command loads with `import()`, so no other command loads the harness or
 * the SDK servers it measures.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { flag, listValue, numberValue, parseNumber, stringValue } from '../../src/cli/args.js';
import type { CliIo, CommandArgs } from '../../src/cli/command.js';
import { ProgressBar } from '../../src/cli/progress.js';
import { styleFor } from '../../src/cli/style.js';
import { renderTable } from '../../src/cli/table.js';
import { ExitCode, UsageError } from '../../src/cli/usage-error.js';
import { packageVersion } from '../../src/api/version.js';
import './builtin.js';
import { renderChart } from './chart.js';
import { listScenarios, listSystems, type BenchScenario } from './registry.js';
import { benchReport } from './report-json.js';
import { markdownTable, tableAlign, tableHeaders, tableRows } from './report-table.js';
import { runBench, type BenchPlan } from './runner.js';

/** Concurrencies when `--concurrency` is not given: one caller, and enough to fill the pools. */
const DEFAULT_CONCURRENCIES = [1, 64];

/** The scenarios named by `--scenario` (all when none is named). */
function selectScenarios(names: string[]): BenchScenario[] {
  const all = listScenarios();
  if (names.length === 0) return all;
  return names.map((name) => {
    const scenario = all.find((s) => s.name === name);
    if (scenario === undefined) throw new UsageError(`unknown scenario "${name}"; scenarios: ${all.map((s) => s.name).join(', ')}`);
    return scenario;
  });
}

/** The systems named by `--system`, checked against the registry. */
function selectSystems(names: string[]): string[] | undefined {
  if (names.length === 0) return undefined;
  const known = listSystems().map((system) => system.name);
  for (const name of names) if (!known.includes(name)) throw new UsageError(`unknown system "${name}"; systems: ${known.join(', ')}`);
  return names;
}

/** The help text after the options: the scenarios and systems of the registry, and examples. */
export function benchDetails(): string {
  return [
    'Scenarios:',
    ...listScenarios().map((s) => `  ${s.name.padEnd(9)} ${s.description} (ratio vs ${s.baseline})`),
    'Systems:',
    ...listSystems().map((s) => `  ${s.name.padEnd(17)} ${s.description}`),
    '',
    'Each system runs in a fresh process (its RSS and CPU are its own). Each cell (system ×',
    'scenario × concurrency) gets a warm-up, then --repeats timed runs of --duration seconds',
    'each; the median is reported. ratio = calls/s ÷ the baseline\'s calls/s at the same',
    'concurrency, in the same run. Exit code 1 when a cell failed.',
    '',
    'Examples:',
    '  mcpool bench',
    '  mcpool bench --scenario trivial cpu --concurrency 1 16 64 --chart bench.svg',
    '  mcpool bench --duration 0.5 --json > bench.json',
  ].join('\n');
}

/** Runs `mcpool bench` with parsed arguments; resolves with the exit code. */
export async function runBenchCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const durationS = numberValue(args, 'duration', { min: 0.001, max: 3600 }) ?? 1;
  if (listValue(args, 'scenario').includes('nats')) return runNatsScenario(args, io, durationS);
  const plan: BenchPlan = {
    scenarios: selectScenarios(listValue(args, 'scenario')),
    concurrencies: listValue(args, 'concurrency').map((text) => parseNumber(text, '--concurrency', { min: 1, max: 100_000, integer: true })),
    durationMs: durationS * 1000,
    warmupMs: (numberValue(args, 'warmup', { min: 0, max: 3600 }) ?? durationS / 2) * 1000,
    repeats: numberValue(args, 'repeats', { min: 1, max: 1000, integer: true }) ?? 3,
    isolate: !flag(args, 'in-process'),
  };
  if (plan.concurrencies.length === 0) plan.concurrencies = DEFAULT_CONCURRENCIES;
  const systems = selectSystems(listValue(args, 'system'));
  if (systems !== undefined) plan.systems = systems;
  const chartPath = stringValue(args, 'chart');

  const style = styleFor(io.stderr, io.env);
  io.stderr.write(`${style.dim(`mcpool bench: ${availableParallelism()} cores, Node ${process.version}, ${plan.repeats} × ${durationS} s per cell after a ${plan.warmupMs / 1000} s warm-up`)}\n`);
  const bar = new ProgressBar({ label: 'bench', unit: 'phases', stream: io.stderr, showRate: false });
  let results;
  try {
    results = await runBench(plan, ({ done, total, label }) => {
      bar.relabel('bench', total);
      bar.update(done, label);
    });
  } finally {
    bar.finish();
  }
  const report = benchReport(plan, results, packageVersion());
  if (flag(args, 'json')) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (flag(args, 'markdown')) {
    io.stdout.write(markdownTable(results));
  } else {
    io.stdout.write(renderTable([...tableHeaders], tableRows(results), [...tableAlign], styleFor(io.stdout, io.env).bold));
  }
  if (chartPath !== undefined) {
    const subtitle = `${report.machine.cpus} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${report.machine.node}, mcpool ${report.version}, ${report.date.slice(0, 10)}; median of ${plan.repeats} × ${durationS} s`;
    const svg = renderChart(results, {
      subtitle,
      descriptions: Object.fromEntries(plan.scenarios.map((s) => [s.name, s.description])),
      batchScenarios: plan.scenarios.filter((s) => s.batchSize !== undefined).map((s) => s.name),
    });
    await writeFile(resolve(io.cwd, chartPath), svg);
    io.stderr.write(`chart written to ${chartPath}\n`);
  }
  const failures = results.filter((result) => result.error !== undefined);
  for (const failure of failures) io.stderr.write(`${style.red('failed')} ${failure.system} ${failure.scenario} ×${failure.concurrency}: ${failure.error ?? ''}\n`);
  return failures.length === 0 ? ExitCode.ok : ExitCode.failed;
}

/**
 * `--scenario nats`: in-process against one and two `mcpool node` processes over a real
 * nats-server (its own table: the CPU of each process is the point).
 */
async function runNatsScenario(args: CommandArgs, io: CliIo, durationS: number): Promise<number> {
  const { natsTable, runNatsBench } = await import('./nats/nats-bench.js');
  const options = {
    durationMs: durationS * 1000,
    warmupMs: (numberValue(args, 'warmup', { min: 0, max: 3600 }) ?? durationS / 2) * 1000,
    repeats: numberValue(args, 'repeats', { min: 1, max: 1000, integer: true }) ?? 3,
  };
  const style = styleFor(io.stderr, io.env);
  io.stderr.write(`${style.dim(`mcpool bench nats: ${availableParallelism()} cores, Node ${process.version}, ${options.repeats} × ${durationS} s per cell after a ${options.warmupMs / 1000} s warm-up; one thread per node and in-process`)}\n`);
  const rows = await runNatsBench(options, (label) => io.stderr.write(`${style.dim(`  ${label}`)}\n`));
  if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ version: packageVersion(), date: new Date().toISOString(), cores: availableParallelism(), node: process.version, rows }, null, 2)}\n`);
  else io.stdout.write(natsTable(rows, styleFor(io.stdout, io.env).bold));
  return ExitCode.ok;
}
