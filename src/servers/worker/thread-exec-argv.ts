/**
 * @module servers/worker/thread-exec-argv
 * The Node options a server's threads start with: the process's own, plus the `mcpool-thread`
 * export condition, under which a server module's `import ... from 'mcpool'` resolves to the
 * authoring entry (src/thread-api.ts) instead of the whole library (measured on an idle
 * `mcpool serve` with one thread: 8-10 MB less RSS per thread), and on Node 20 no require(esm).
 *
 * Passing `execArgv` explicitly makes Node check it, and V8 or per-process flags the process was
 * started with (`--max-semi-space-size`, `--expose-gc`, ...) are refused for a thread, though an
 * inherited list may hold them. They act process-wide anyway, so they are dropped: Node names
 * them only in the message of `ERR_WORKER_INVALID_EXEC_ARGV`, which is read once per process.
 */
import { Worker } from 'node:worker_threads';

/** The export condition of the threads' entry of the package (package.json `exports`). */
export const THREAD_CONDITION = '--conditions=mcpool-thread';

/**
 * On Node 20 only, threads load ES modules without `require()`. There a thread terminated while
 * piscina loads its entry with require(esm) can abort the whole process ("FATAL ERROR:
 * v8::Module::IsGraphAsync must be used on an instantiated module"): 1-3 in 300 failed server
 * starts did (`mcpool tools` with a missing server module: its pool is destroyed while its
 * other threads load), and none of 300 with this flag, piscina then loading the entry with
 * `import()`, which a termination just stops. Node 22.23 and 24.21 did not abort (0 in 150
 * each). The cost, on Node 20 only: a server's CommonJS code cannot `require()` an ES module in
 * its thread, as on Node 20 before 20.19.
 */
const NODE_20_THREAD_FLAGS = process.versions.node.startsWith('20.') ? ['--no-experimental-require-module'] : [];

let cached: string[] | undefined;

/** The flags Node would refuse for a thread, as its error names them. */
function refusedFlags(argv: string[]): Set<string> {
  try {
    // Validation happens before the thread starts; a list that passes starts a no-op thread.
    void new Worker('', { eval: true, execArgv: argv, stdout: true, stderr: true }).terminate();
    return new Set();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const listed = /flags: (.*)$/.exec((error as Error).message)?.[1] ?? '';
    return new Set(listed.split(', '));
  }
}

/** `execArgv` for a server's threads (computed once per process). */
export function threadExecArgv(): string[] {
  if (cached !== undefined) return cached;
  const argv = [...process.execArgv, THREAD_CONDITION, ...NODE_20_THREAD_FLAGS];
  if (process.execArgv.length > 0) {
    const refused = refusedFlags(argv);
    cached = argv.filter((flag) => !refused.has(flag));
  } else {
    cached = argv;
  }
  return cached;
}
