/**
 * @module bench/harness/piscina-worker
 * The raw-piscina baseline's task function: one task per call, `{ tool, args }` in, the tool's
 * return value out, as a user wiring piscina by hand would write it.
 */
import { benchTools, type BenchToolName } from './tools.js';

/** Runs one benchmark tool. */
export default function run({ tool, args }: { tool: BenchToolName; args: never }): unknown {
  return benchTools[tool](args);
}
