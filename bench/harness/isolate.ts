/**
 * @module bench/harness/isolate
 * Runs one system's cells in a fresh Node process (`bench-child.ts`), so the RSS and CPU
 * figures are that system's own and no heap, JIT state or threads carry over from the systems
 * measured before it. The child reports each phase and, at the end, its results as JSON lines.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { failedResult } from './measure.js';
import type { BenchCell, BenchResult, BenchTiming, PhaseListener } from './types.js';

/** What the parent sends the child (scenarios by name: the child has the same registry). */
export interface ChildTask {
  system: string;
  cells: { scenario: string; concurrency: number }[];
  timing: BenchTiming;
}

/** One line the child writes on stdout. */
export type ChildMessage = { phase: string; done: boolean } | { results: BenchResult[] };

/** Measures one system's cells in a child process. */
export async function measureSystemIsolated(name: string, cells: readonly BenchCell[], timing: BenchTiming, onPhase: PhaseListener): Promise<BenchResult[]> {
  const task: ChildTask = { system: name, cells: cells.map((cell) => ({ scenario: cell.scenario.name, concurrency: cell.concurrency })), timing };
  const child = spawn(process.execPath, [fileURLToPath(new URL('./bench-child.js', import.meta.url)), JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  let results: BenchResult[] | undefined;
  let phasesDone = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    let message: ChildMessage;
    try {
      message = JSON.parse(line) as ChildMessage;
    } catch {
      continue; // not ours: a library's stray output
    }
    if ('results' in message) {
      results = message.results;
    } else {
      if (message.done) phasesDone++;
      onPhase(message.phase, message.done);
    }
  }
  const code = await Promise.race([exited, spawnError]);
  if (results !== undefined) return results;
  const reason = code instanceof Error ? code.message : `the benchmark process for ${name} exited with code ${String(code)} before reporting`;
  // Keep the progress total right for the phases the child never reported.
  for (let i = phasesDone; i < cells.length * (timing.repeats + 1); i++) onPhase(name, true);
  return cells.map((cell) => failedResult(name, cell, new Error(reason)));
}
