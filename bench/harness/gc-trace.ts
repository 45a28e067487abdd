/**
 * @module bench/harness/gc-trace
 * Reading V8's `--trace-gc-nvp` output (one line per collection, `name=value` fields), for
 * `bench/gateway-memory.ts --gc` and the gateway promotion test.
 */

/** Bytes the scavenges (`gc=s`) of a `--trace-gc-nvp` trace promoted to the old generation. */
export function promotedBytes(trace: string): number {
  let promoted = 0;
  for (const line of trace.split('\n')) if (line.includes(' gc=s ')) promoted += Number(/ promoted=(\d+) /.exec(line)?.[1] ?? 0);
  return promoted;
}
