/**
 * @module bench/harness/registry
 * The systems and scenarios `mcpool bench` knows. Built-in ones register in `builtin.ts`; other
 * modules (the MCP gateway's scenarios) add theirs with `registerSystem` / `registerScenario`
 * and one import in `builtin.ts`, without touching the runner, the table, the JSON or the chart.
 */

/** A started system, ready to run calls. */
export interface BenchTarget {
  /** Runs one call and resolves when it is answered; rejects if the call failed. */
  call(tool: string, args: Record<string, unknown>): Promise<unknown>;
  /** Runs `count` calls together through the system's batch API, where it has one. */
  batch?(tool: string, args: Record<string, unknown>, count: number): Promise<unknown>;
  /**
   * Loads the system with its own load generator (wrk over HTTP, a minimal JSON-RPC client over
   * stdio) instead of calls from this process, for scenarios with `loadGenerator` set.
   */
  load?(tool: string, args: Record<string, unknown>, concurrency: number, durationMs: number): Promise<LoadRun>;
  /** Processes besides this one that do the system's work: their RSS and CPU count toward it. */
  childPids?(): number[];
  /** Stops the system and frees everything it holds. */
  close(): Promise<void>;
}

/** What a load generator measured. */
export interface LoadRun {
  calls: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Calls that failed (the cell fails when any did). */
  failures: number;
  /** CPU time and RSS of the server, when the generator measured them (else the target's childPids are read). */
  cpuMs?: number;
  rssMb?: number;
}

/** A way of running tool calls that the benchmark compares. */
export interface BenchSystem {
  /** Stable name, used in the table and `--json` (`mcpool`, `piscina`, `mcp-sdk-stdio`, ...). */
  name: string;
  /** One line saying what it is. */
  description: string;
  /** Starts it (threads, a child process, a connection). */
  start(): Promise<BenchTarget>;
}

/** One benchmark scenario: a tool call repeated under load. */
export interface BenchScenario {
  name: string;
  description: string;
  /** The system the others are compared with (`ratio` = calls/s ÷ the baseline's calls/s). */
  baseline: string;
  /** The systems it runs on (the baseline included). */
  systems: readonly string[];
  tool: string;
  args: Record<string, unknown>;
  /**
   * Calls per operation: one operation is a batch of this many calls, one batch at a time, and
   * the reported concurrency is the batch size. Unset: one call per operation, at each
   * `--concurrency`.
   */
  batchSize?: number;
  /**
   * Load each system with its own generator (`BenchTarget.load`) where it has one: a server in
   * another process is then measured without this process's client in the way.
   */
  loadGenerator?: boolean;
}

const systems = new Map<string, BenchSystem>();
const scenarios = new Map<string, BenchScenario>();

/** Adds a system; a second one with the same name replaces the first. */
export function registerSystem(system: BenchSystem): void {
  systems.set(system.name, system);
}

/** Adds a scenario; a second one with the same name replaces the first. */
export function registerScenario(scenario: BenchScenario): void {
  scenarios.set(scenario.name, scenario);
}

/** The system with this name, or undefined. */
export function findSystem(name: string): BenchSystem | undefined {
  return systems.get(name);
}

/** Every registered system, in registration order. */
export function listSystems(): BenchSystem[] {
  return [...systems.values()];
}

/** Every registered scenario, in registration order. */
export function listScenarios(): BenchScenario[] {
  return [...scenarios.values()];
}
