/**
 * @module cli/lean-heap
 * The heap policy of a long-running mcpool process (`mcpool serve`, `mcpool node`), `--heap`:
 * - `lean` (the default): an HTTP gateway of one worker server under wrk at 64 connections
 *   peaks at 92-93 MB instead of 107-110 MB with V8's defaults (the 100 MB target of issue 8),
 *   for about 10% more main-thread time per call at that saturating load (5 interleaved runs:
 *   median 57.9 against 52.7 ms per 1,000 calls);
 * - `node`: V8's defaults, for the most calls per second whatever the memory.
 * (bench/gateway-memory.ts with `MEMORY_BASELINE_SERVE_ARGS="--heap node"`; README, "Memory of
 * the gateway".) A 16 MB young generation peaked at 105-107 MB; a 20% old-generation growth
 * did not lower the peak. Only the CLI applies a policy: the flags are process-wide and the
 * process is the CLI's own, so the library never sets them behind a user's back.
 *
 * Three V8 flags, each read by V8 at each collection, so they act when set at run time:
 * - `--heap-growing-percent`: after a full collection the old generation may grow by this
 *   share of what is live before the next one starts (V8 picks up to 300% on its own);
 * - `--semi-space-growth-factor=1` while the main thread's young generation is at its cap:
 *   it stops growing there (V8's maximum, `--max-semi-space-size`, is read only when an isolate
 *   starts, so it cannot be set from here). The young generation is V8's to shrink (an idle
 *   process's memory reducer does), and may grow again back to the cap: the flag is set again
 *   after every collection, which also undoes Node 20's reset of run-time flags when a worker
 *   thread starts. The flag is process-wide: a worker thread's young generation stops growing
 *   while the main thread's is at its cap;
 * - `--no-parallel-scavenge`: a young generation this small is scavenged about four times as
 *   often, and on a few cores the helper threads of each parallel scavenge compete with the
 *   busy main and server threads (process CPU per call, 6 interleaved runs: median 40.4 ms per
 *   1,000 calls without them, 44.7 with them, 39.7 with V8's defaults).
 *
 * `stop` gives V8 its defaults back (0, 2 and parallel scavenges, on Node 20 to 26).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';

/** A policy's two settings. */
export interface LeanHeapOptions {
  /** The main thread's young generation (new space) grows no further than this. */
  youngCapMb: number;
  /** The old generation's growth after a full collection, in % of what is live. */
  oldGrowthPercent: number;
}

/** The policies `--heap` names, beside `node` (none). */
const HEAP_POLICIES = {
  lean: { youngCapMb: 8, oldGrowthPercent: 30 },
} as const satisfies Record<string, LeanHeapOptions>;

/** The policy while it runs. */
export interface LeanHeap {
  /** Stops watching and gives V8 its defaults back. */
  stop(): void;
}

const MB = 1_048_576;

/** The main thread's young-generation size, as V8 reports it. */
function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** Applies a policy to this process until `stop`. */
export function leanHeap(options: LeanHeapOptions): LeanHeap {
  const youngCap = options.youngCapMb * MB;
  const growth = `--heap-growing-percent=${options.oldGrowthPercent}`;
  const apply = (): void => {
    v8.setFlagsFromString(growth);
    v8.setFlagsFromString('--no-parallel-scavenge');
    v8.setFlagsFromString(youngGenerationBytes() >= youngCap ? '--semi-space-growth-factor=1' : '--semi-space-growth-factor=2');
  };
  apply();
  // After each collection (delivered once the collecting turn ends): no timer, nothing at idle.
  const collections = new PerformanceObserver(apply);
  collections.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      collections.disconnect();
      v8.setFlagsFromString('--heap-growing-percent=0');
      v8.setFlagsFromString('--parallel-scavenge');
      v8.setFlagsFromString('--semi-space-growth-factor=2');
    },
  };
}

/** The `--heap` option of the long-running commands. */
export const heapOption = {
  type: 'string',
  valueName: '<policy>',
  description: "lean (less memory, a little more CPU per call: the young generation grows to 8 MB at most, the old one by 30% of what is live) or node (V8's defaults, the most calls per second)",
  defaultText: 'lean',
} as const;

/** Starts the policy `--heap` names (`undefined`: `lean`, the default; `node`: none); `INVALID_CONFIG` for any other value. */
export function startHeapPolicy(value: string | undefined): LeanHeap | undefined {
  if (value === 'node') return undefined;
  value ??= 'lean';
  if (!Object.hasOwn(HEAP_POLICIES, value)) throw new McpoolError(ErrorCode.INVALID_CONFIG, `--heap must be lean or node (got ${value})`);
  return leanHeap(HEAP_POLICIES[value as keyof typeof HEAP_POLICIES]);
}
