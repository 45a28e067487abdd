/**
 * Gateway benchmarks (run: `npm run build && node dist/bench/gateway.bench.js [--json]`).
 * Every figure is measured in the same run, on 127.0.0.1, each server in its own process:
 *
 * - `gateway-http`: the Streamable HTTP gateway serving a worker tool (`math__add`) vs the
 *   SDK's own Streamable HTTP server (v2, stateful and stateless) serving the same tool vs a
 *   plain `node:http` server answering a fixed body (the floor). Load: wrk, one thread, a
 *   distinct JSON-RPC id per request. Ratio against the SDK's stateful server.
 * - `gateway-stdio`: the stdio gateway vs the SDK's stdio server, the same small JSON-RPC
 *   client keeping `concurrency` calls in flight. Ratio against the SDK's stdio server.
 * - `front-stdio`: mcpool serving a stdio MCP server (the SDK's, `add`) over HTTP as a
 *   transparent proxy, vs supergateway and mcp-proxy fronting the same server when they can
 *   be run (`npx`); wrk as above. Ratio against the best of those proxies.
 *
 * Environment: BENCH_SECONDS (default 5), BENCH_CONCURRENCY (default "16,64"), BENCH_SCENARIOS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, processTree, rssMb } from './harness/process-tree.js';
import { freePort, listening, stopProcessTree } from './harness/server-process.js';
import { stdioLoad } from './harness/stdio-load.js';
import { wrk } from './harness/wrk.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '16,64').split(',').map(Number);
const scenarios = new Set((process.env.BENCH_SCENARIOS ?? 'gateway-http,gateway-stdio,front-stdio').split(','));
const json = process.argv.includes('--json');

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
/** `mcpool serve` through the bin, as users start it. */
const serveArgs = [here('../src/cli/main.js'), 'serve'];
const floorServer = here('./gateway/floor-server.js');
const sdkHttpServer = here('./harness/sdk-http-server.js');
const sdkStdioServer = here('./harness/sdk-stdio-server.js');
const mathModule = here('../examples/math.js');

/** One result row, in the shape of `mcpool bench --json` (docs/CLI.md), plus what it measured against. */
interface Row {
  system: string;
  variant?: string;
  scenario: string;
  concurrency: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number;
  baseline: string;
  rssMb: number;
  cpuMsPerKCalls: number;
  failures: number;
}

const rows: Row[] = [];

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function writeConfig(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mcpool-bench-')), 'mcpool.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Initializes an MCP session over HTTP; returns the headers later requests need. */
async function session(url: string): Promise<Record<string, string>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: mcpHeaders,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }),
  });
  await response.text();
  const id = response.headers.get('mcp-session-id');
  const headers: Record<string, string> = { ...mcpHeaders, 'mcp-protocol-version': '2025-11-25', ...(id ? { 'mcp-session-id': id } : {}) };
  await (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
  return headers;
}

/** Starts a server process, loads it with wrk at each concurrency, stops it. */
async function httpSystem(
  scenario: string,
  system: string,
  variant: string | undefined,
  start: (port: number) => ChildProcess,
  path: string,
  tool: string,
  /** `true`: a 2025 session (initialize); `'modern'`: stateless 2026-07-28 requests (headers and `_meta`). */
  initialize: boolean | 'modern',
): Promise<Row[]> {
  const port = await freePort();
  const child = start(port);
  const url = `http://127.0.0.1:${port}${path}`;
  const out: Row[] = [];
  try {
    // npx may fetch a proxy first.
    await listening(port, child, 60_000);
    const modern = initialize === 'modern';
    const headers = modern
      ? { ...mcpHeaders, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool }
      : initialize
        ? await session(url)
        : mcpHeaders;
    const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const params = modern ? { name: tool, arguments: { a: 1, b: 2 }, _meta: envelope } : { name: tool, arguments: { a: 1, b: 2 } };
    await wrk(url, headers, 'tools/call', params, 8, 1); // warm-up
    for (const concurrency of concurrencies) {
      const pids = processTree(child.pid!);
      const cpuBefore = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
      const result = await wrk(url, headers, 'tools/call', params, concurrency, seconds);
      const cpu = processTree(child.pid!).reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
      const row: Row = {
        system,
        ...(variant === undefined ? {} : { variant }),
        scenario,
        concurrency,
        callsPerSec: Math.round(result.callsPerSec),
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        ratio: Number.NaN,
        baseline: '',
        rssMb: Math.round(processTree(child.pid!).reduce((sum, pid) => sum + rssMb(pid), 0)),
        cpuMsPerKCalls: Math.round((cpu / Math.max(1, result.requests)) * 1000 * 10) / 10,
        failures: result.failures,
      };
      log(`${scenario} ${system}${variant ? ` (${variant})` : ''} c=${concurrency}: ${row.callsPerSec} calls/s p50 ${row.p50Ms} ms p99 ${row.p99Ms} ms rss ${row.rssMb} MB cpu ${row.cpuMsPerKCalls} ms/1k failures ${row.failures}`);
      out.push(row);
    }
  } finally {
    await stopProcessTree(child);
  }
  return out;
}

const node = (args: string[]): ChildProcess => spawn(process.execPath, args, { stdio: 'ignore' });

/** Sets `ratio` of each row against the baseline row of the same concurrency. */
function ratios(list: Row[], isBaseline: (row: Row) => boolean, name: string): void {
  for (const row of list) {
    const base = list.filter((other) => other.concurrency === row.concurrency && isBaseline(other)).sort((a, b) => b.callsPerSec - a.callsPerSec)[0];
    row.ratio = base ? Math.round((row.callsPerSec / base.callsPerSec) * 100) / 100 : Number.NaN;
    row.baseline = name;
  }
  rows.push(...list);
}

async function gatewayHttp(): Promise<void> {
  const config = writeConfig({ mcpServers: { math: { type: 'worker', module: mathModule, threads: 1 } } });
  const list = [
    ...(await httpSystem('gateway-http', 'node-http', 'floor', (port) => node([floorServer, String(port)]), '/mcp', 'add', false)),
    ...(await httpSystem('gateway-http', 'mcp-sdk-http', 'stateful', (port) => node([sdkHttpServer, String(port), 'stateful']), '/mcp', 'add', true)),
    ...(await httpSystem('gateway-http', 'mcp-sdk-http', 'stateless', (port) => node([sdkHttpServer, String(port), 'stateless']), '/mcp', 'add', true)),
    ...(await httpSystem('gateway-http', 'mcpool-gateway-http', undefined, (port) => node([...serveArgs, '--http', '--port', String(port), '--config', config]), '/mcp', 'math__add', true)),
    // The same gateway, a 2026-07-28 (stateless) client: no session, the _meta envelope and headers on every request.
    ...(await httpSystem('gateway-http', 'mcpool-gateway-http', 'modern', (port) => node([...serveArgs, '--http', '--port', String(port), '--config', config]), '/mcp', 'math__add', 'modern')),
  ];
  ratios(list, (row) => row.system === 'mcp-sdk-http' && row.variant === 'stateful', 'mcp-sdk-http stateful');
}

async function gatewayStdio(): Promise<void> {
  const config = writeConfig({ mcpServers: { math: { type: 'worker', module: mathModule, threads: 1 } } });
  const list: Row[] = [];
  for (const [system, args, tool] of [
    ['mcp-sdk-stdio', [sdkStdioServer], 'add'],
    ['mcpool-gateway-stdio', [...serveArgs, '--stdio', '--config', config], 'math__add'],
  ] as const) {
    for (const concurrency of concurrencies) {
      const result = await stdioLoad(process.execPath, [...args], tool, { a: 1, b: 2 }, concurrency, seconds);
      const row: Row = {
        system,
        scenario: 'gateway-stdio',
        concurrency,
        callsPerSec: Math.round(result.callsPerSec),
        p50Ms: Math.round(result.p50Ms * 1000) / 1000,
        p99Ms: Math.round(result.p99Ms * 1000) / 1000,
        ratio: Number.NaN,
        baseline: '',
        rssMb: Math.round(result.rssMb),
        cpuMsPerKCalls: Math.round(result.cpuMsPerKCalls * 10) / 10,
        failures: result.failures,
      };
      log(`gateway-stdio ${system} c=${concurrency}: ${row.callsPerSec} calls/s p50 ${row.p50Ms} ms p99 ${row.p99Ms} ms rss ${row.rssMb} MB cpu ${row.cpuMsPerKCalls} ms/1k failures ${row.failures}`);
      list.push(row);
    }
  }
  ratios(list, (row) => row.system === 'mcp-sdk-stdio', 'mcp-sdk-stdio');
}

async function frontStdio(): Promise<void> {
  const config = writeConfig({ mcpServers: { sdk: { command: process.execPath, args: [sdkStdioServer], prefix: '' } } });
  const list: Row[] = [];
  list.push(...(await httpSystem('front-stdio', 'mcpool-gateway-http', 'fronting a stdio server', (port) => node([...serveArgs, '--http', '--port', String(port), '--config', config]), '/mcp', 'add', true)));
  const target = `${process.execPath} ${sdkStdioServer}`;
  const proxies: [string, (port: number) => ChildProcess, string][] = [
    ['supergateway', (port) => spawn('npx', ['-y', 'supergateway@3', '--stdio', target, '--outputTransport', 'streamableHttp', '--stateful', '--port', String(port)], { stdio: 'ignore' }), '/mcp'],
    ['mcp-proxy', (port) => spawn('npx', ['-y', 'mcp-proxy@5', '--port', String(port), '--host', '127.0.0.1', process.execPath, sdkStdioServer], { stdio: 'ignore' }), '/mcp'],
  ];
  for (const [system, start, path] of proxies) {
    try {
      list.push(...(await httpSystem('front-stdio', system, undefined, start, path, 'add', true)));
    } catch (error) {
      log(`front-stdio ${system}: not measured (${String(error)})`);
    }
  }
  ratios(list, (row) => row.system === 'supergateway' || row.system === 'mcp-proxy', 'best of supergateway, mcp-proxy');
}

if (scenarios.has('gateway-http')) await gatewayHttp();
if (scenarios.has('gateway-stdio')) await gatewayStdio();
if (scenarios.has('front-stdio')) await frontStdio();

if (json) process.stdout.write(JSON.stringify({ seconds, results: rows }, null, 2) + '\n');
else {
  for (const row of rows) {
    process.stdout.write(
      `${row.scenario.padEnd(14)} ${(row.system + (row.variant ? ` (${row.variant})` : '')).padEnd(44)} c=${String(row.concurrency).padEnd(4)} ${String(row.callsPerSec).padStart(7)} calls/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  rss ${row.rssMb} MB  cpu ${row.cpuMsPerKCalls} ms/1k  x${row.ratio} vs ${row.baseline}\n`,
    );
  }
}
