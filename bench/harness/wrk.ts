/**
 * @module bench/harness/wrk
 * Runs wrk (Debian's `wrk`) against a JSON-RPC endpoint with one POST per request, each with a
 * distinct JSON-RPC id (a Lua counter; one wrk thread so ids never repeat), and reads its
 * requests/s and latency percentiles.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadRun } from './registry.js';

const run = promisify(execFile);

/** One wrk run's figures. */
export interface WrkResult {
  requests: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not 2xx, and socket errors. */
  failures: number;
}

function lua(headers: Record<string, string>, method: string, params: unknown): string {
  const lines = ['local counter = 0', 'wrk.method = "POST"'];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  const before = `{"jsonrpc":"2.0","id":`;
  const after = `,"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
  lines.push('request = function()', '  counter = counter + 1', `  return wrk.format(nil, nil, nil, ${JSON.stringify(before)} .. counter .. ${JSON.stringify(after)})`, 'end');
  return lines.join('\n');
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** Loads `url` with `connections` connections for `seconds`. */
export async function wrk(url: string, headers: Record<string, string>, method: string, params: unknown, connections: number, seconds: number): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpool-wrk-'));
  const script = join(dir, 'post.lua');
  writeFileSync(script, lua(headers, method, params));
  let stdout: string;
  try {
    ({ stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { timeout: (seconds + 30) * 1000 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const total = /(\d+) requests in/.exec(stdout);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) + Number(socket[4]) : 0;
  return {
    requests: total ? Number(total[1]) : 0,
    callsPerSec: rps ? Number(rps[1]) : 0,
    p50Ms: p50 ? toMs(p50[1]!, p50[2]!) : Number.NaN,
    p99Ms: p99 ? toMs(p99[1]!, p99[2]!) : Number.NaN,
    failures: (non2xx ? Number(non2xx[1]) : 0) + socketErrors,
  };
}

let installed: boolean | undefined;

/** True when the `wrk` command can be run here (Debian: `apt-get install wrk`). */
export function wrkInstalled(): boolean {
  installed ??= spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  return installed;
}

/** A wrk run as a `BenchTarget.load` run: `tools/call` of `tool` for about `durationMs` (whole seconds, at least one). */
export async function wrkLoadRun(url: string, headers: Record<string, string>, tool: string, args: unknown, connections: number, durationMs: number): Promise<LoadRun> {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  const result = await wrk(url, headers, 'tools/call', { name: tool, arguments: args }, connections, seconds);
  return {
    calls: result.requests,
    elapsedMs: result.callsPerSec > 0 ? (result.requests / result.callsPerSec) * 1000 : seconds * 1000,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    failures: result.failures,
  };
}
