/**
 * @module bench/harness/bench-child
 * Entry point of the process that measures one system for `isolate.ts`: reads its task from
 * argv, measures, and writes JSON lines (phases, then results) to stdout.
 */
import './builtin.js';
import type { ChildMessage, ChildTask } from './isolate.js';
import { measureSystem } from './measure.js';
import { listScenarios } from './registry.js';
import type { BenchCell } from './types.js';

function send(message: ChildMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask;
const scenarios = listScenarios();
const cells: BenchCell[] = task.cells.map(({ scenario, concurrency }) => {
  const found = scenarios.find((s) => s.name === scenario);
  if (found === undefined) throw new Error(`no benchmark scenario named "${scenario}" in the child's registry (register it from builtin.ts)`);
  return { scenario: found, concurrency };
});
const results = await measureSystem(task.system, cells, task.timing, (phase, done) => send({ phase, done }));
send({ results });
// Exit now: a system may leave a handle open (a timer, a pipe), and its results are out.
process.stdout.write('', () => process.exit(0));
