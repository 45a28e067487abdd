/**
 * Memory of `mcpool serve --http` with one worker server of one thread (`examples/math`,
 * `threads: 1`), started through the bin as users start it (`npm run build && node
 * dist/bench/gateway-memory.js [--rounds N] [--baseline DIR] [--json]`): RSS 10 s after the
 * start, RSS 30 s after it (V8's memory reducer has run by then), then the peak RSS (VmHWM) and
 * the CPU per 1,000 calls under wrk at 64 connections for 10 s (`tools/call` of `math__add` in a
 * 2025-11-25 session). The issue 8 targets: 70 MB idle, 100 MB under that load.
 *
 * `--baseline DIR` measures another built checkout (a clone of main with `npm run build` run in
 * it) in the same run, its gateway started before this tree's in every round, so the two see the
 * same machine. Each variant adds Node options (`MEMORY_NODE_OPTIONS`, space-separated, e.g.
 * `--import ./preload.mjs`), `serve` flags (`MEMORY_SERVE_ARGS`, e.g. `--heap node`) or server
 * config fields (`MEMORY_SERVER_CONFIG`, JSON) to this tree's run only, to measure an idea
 * without changing the code; `MEMORY_BASELINE_SERVE_ARGS` gives the baseline's `serve` flags
 * (`--baseline . ` with `--heap node` compares the heap policies of one build). `--gc` starts
 * each gateway with `--trace-gc-nvp` and adds what its scavenges promoted to the old generation
 * under the load, per call (all its isolates; engine/churn says why it matters). Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promotedBytes } from './harness/gc-trace.js';
import { cpuMs } from './harness/process-tree.js';
import { freePort, listening, stopProcessTree } from './harness/server-process.js';
import { wrk } from './harness/wrk.js';

const IDLE_FIRST_S = 10;
const IDLE_REDUCED_S = 30;
const LOAD_S = 10;
const CONNECTIONS = 64;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const rounds = Number(option('--rounds') ?? 3);
const traceGc = process.argv.includes('--gc');
const baseline = option('--baseline');
const json = process.argv.includes('--json');
const thisTree = fileURLToPath(new URL('../..', import.meta.url));

interface Variant {
  label: string;
  root: string;
  nodeOptions: string[];
  serveArgs: string[];
  serverConfig: Record<string, unknown>;
}

/** One gateway's figures. */
interface MemoryRow {
  label: string;
  idleMb: number;
  idleReducedMb: number;
  peakMb: number;
  callsPerSec: number;
  cpuMsPerKCalls: number;
  /** Bytes promoted by scavenges per call under the load (`--gc` only). */
  promotedBytesPerCall?: number;
  failures: number;
}

/** A space-separated list (an environment variable), as words. */
function words(list: string | undefined): string[] {
  return (list ?? '').split(' ').filter(Boolean);
}

const variants: Variant[] = [
  ...(baseline === undefined ? [] : [{ label: 'baseline', root: resolve(baseline), nodeOptions: [], serveArgs: words(process.env.MEMORY_BASELINE_SERVE_ARGS), serverConfig: {} }]),
  {
    label: 'this tree',
    root: thisTree,
    nodeOptions: words(process.env.MEMORY_NODE_OPTIONS),
    serveArgs: words(process.env.MEMORY_SERVE_ARGS),
    serverConfig: JSON.parse(process.env.MEMORY_SERVER_CONFIG ?? '{}') as Record<string, unknown>,
  },
];

/** Resident memory of `pid` in MB: now (`VmRSS`) or the peak (`VmHWM`). */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : Number.NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, Math.max(0, ms)));
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Initializes a 2025-11-25 session; returns the headers its requests carry. */
async function session(url: string): Promise<Record<string, string>> {
  const init = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };
  const response = await fetch(url, { method: 'POST', headers: mcpHeaders, body: JSON.stringify(init) });
  await response.text();
  const headers = { ...mcpHeaders, 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': response.headers.get('mcp-session-id') ?? '' };
  await (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
  return headers;
}

async function measure(variant: Variant): Promise<MemoryRow> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpool-memory-'));
  const config = join(dir, 'mcpool.json');
  const server = { type: 'worker', module: join(variant.root, 'dist/examples/math.js'), threads: 1, ...variant.serverConfig };
  writeFileSync(config, JSON.stringify({ mcpServers: { math: server } }));
  const port = await freePort();
  const started = Date.now();
  const bin = join(variant.root, 'dist/src/cli/main.js');
  const nodeOptions = traceGc ? ['--trace-gc-nvp', ...variant.nodeOptions] : variant.nodeOptions;
  const child = spawn(process.execPath, [...nodeOptions, bin, 'serve', '--http', '--port', String(port), '--config', config, ...variant.serveArgs], { stdio: ['ignore', traceGc ? 'pipe' : 'ignore', 'ignore'] });
  // V8's trace of each collection, one line each (`--gc`): kept only while the load runs.
  let trace: string[] | undefined;
  child.stdout?.setEncoding('utf8').on('data', (text: string) => trace?.push(text));
  try {
    await listening(port, child);
    const pid = child.pid!;
    await sleep(IDLE_FIRST_S * 1000 - (Date.now() - started));
    const idleMb = memoryMb(pid, 'VmRSS');
    await sleep(IDLE_REDUCED_S * 1000 - (Date.now() - started));
    const idleReducedMb = memoryMb(pid, 'VmRSS');
    const url = `http://127.0.0.1:${port}/mcp`;
    const headers = await session(url);
    const cpuBefore = cpuMs(pid);
    if (traceGc) trace = [];
    const result = await wrk(url, headers, 'tools/call', { name: 'math__add', arguments: { a: 1, b: 2 } }, CONNECTIONS, LOAD_S);
    const cpu = cpuMs(pid) - cpuBefore;
    const promoted = trace === undefined ? undefined : promotedBytes(trace.join(''));
    return {
      label: variant.label,
      idleMb,
      idleReducedMb,
      peakMb: memoryMb(pid, 'VmHWM'),
      callsPerSec: Math.round(result.callsPerSec),
      cpuMsPerKCalls: Math.round((cpu / Math.max(1, result.requests)) * 10_000) / 10,
      ...(promoted === undefined ? {} : { promotedBytesPerCall: Math.round(promoted / Math.max(1, result.requests)) }),
      failures: result.failures,
    };
  } finally {
    await stopProcessTree(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: MemoryRow[] = [];
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    const row = await measure(variant);
    rows.push(row);
    process.stderr.write(`round ${round + 1} ${row.label}: idle ${row.idleMb} MB, after the reducer ${row.idleReducedMb} MB, peak under wrk c=${CONNECTIONS} ${row.peakMb} MB, ${row.callsPerSec} calls/s, ${row.cpuMsPerKCalls} ms CPU per 1k calls, ${row.promotedBytesPerCall === undefined ? '' : `${row.promotedBytesPerCall} bytes promoted per call, `}${row.failures} failures\n`);
  }
}

if (json) process.stdout.write(JSON.stringify({ rounds, results: rows }, null, 2) + '\n');
else {
  for (const variant of variants) {
    const mine = rows.filter((row) => row.label === variant.label);
    const all = (key: keyof MemoryRow): string => mine.map((row) => row[key]).join(' / ');
    process.stdout.write(`${variant.label.padEnd(10)} idle ${all('idleMb')} MB | reduced ${all('idleReducedMb')} MB | peak ${all('peakMb')} MB | ${all('callsPerSec')} calls/s | ${all('cpuMsPerKCalls')} ms/1k${traceGc ? ` | ${all('promotedBytesPerCall')} B promoted/call` : ''}\n`);
  }
}
