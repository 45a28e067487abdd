/**
 * @module bench/harness/scenarios
 * The built-in scenarios: `trivial` (add two numbers), `cpu` (~1 ms of hashing), `batch`
 * (10,000 trivial calls as one batch) and `payload` (a 1 MB result). Each names its baseline:
 * raw piscina for the pool-overhead scenarios (what mcpool replaces), a direct call for `cpu`
 * (what threads should beat).
 */
import type { BenchScenario } from './registry.js';
import { PAYLOAD_BYTES } from './tools.js';

/** The five systems every core scenario runs on. */
export const coreSystems = ['direct', 'piscina', 'mcpool', 'mcp-sdk-inmemory', 'mcp-sdk-stdio'] as const;

/** Hash rounds of the `cpu` scenario: about 1 ms of work per call. */
export const CPU_ROUNDS = 1000;

/** Calls in one operation of the `batch` scenario. */
export const BATCH_SIZE = 10_000;

/** The core scenarios, in the order they run. */
export const coreScenarios: readonly BenchScenario[] = [
  { name: 'trivial', description: 'add two numbers: the cost of getting a call to a tool and back', baseline: 'piscina', systems: coreSystems, tool: 'add', args: { a: 1, b: 2 } },
  { name: 'cpu', description: `~1 ms of SHA-256 hashing (${CPU_ROUNDS} rounds): does it use every core?`, baseline: 'direct', systems: coreSystems, tool: 'hash', args: { text: 'mcpool', rounds: CPU_ROUNDS } },
  { name: 'batch', description: `${BATCH_SIZE.toLocaleString('en-US')} trivial calls submitted together (mcpool: executeBatch)`, baseline: 'piscina', systems: coreSystems, tool: 'add', args: { a: 1, b: 2 }, batchSize: BATCH_SIZE },
  { name: 'payload', description: `a ${PAYLOAD_BYTES / 1024 / 1024} MB text result: the cost of moving large data`, baseline: 'piscina', systems: coreSystems, tool: 'payload', args: { bytes: PAYLOAD_BYTES } },
];

/**
 * The gateway scenarios: the trivial tool through an MCP server in another process, over
 * Streamable HTTP (against the SDK's own stateful HTTP server) and over stdio (against the SDK's
 * stdio server), each loaded by a generator outside this process's client code (wrk; a minimal
 * JSON-RPC client over stdio), the same for both sides.
 */
export const gatewayScenarios: readonly BenchScenario[] = [
  {
    name: 'gateway-http',
    description: 'add two numbers through an MCP server over Streamable HTTP, loaded by wrk',
    baseline: 'mcp-sdk-http',
    systems: ['mcp-sdk-http', 'mcpool-gateway-http'],
    tool: 'add',
    args: { a: 1, b: 2 },
    loadGenerator: true,
  },
  {
    name: 'gateway-stdio',
    description: 'add two numbers through an MCP server over stdio, loaded by one minimal client',
    baseline: 'mcp-sdk-stdio',
    systems: ['mcp-sdk-stdio', 'mcpool-gateway-stdio'],
    tool: 'add',
    args: { a: 1, b: 2 },
    loadGenerator: true,
  },
];

/** Hash rounds of the `wasm-cpu` scenario (the plain-JS algorithm, about 1.5 ms here). */
export const WASM_CPU_ROUNDS = 1000;

/**
 * The WebAssembly scenarios: the example plugin's tools as a plugin, as a worker server in plain
 * JavaScript and called directly, each on one thread (figures per thread). The baseline is the
 * same code in a worker server: what a user would run instead of a plugin.
 */
export const wasmScenarios: readonly BenchScenario[] = [
  {
    name: 'wasm',
    description: 'echo a short text: a plugin vs the same tool in JS (worker server, direct), one thread',
    baseline: 'mcpool-worker-js',
    systems: ['direct-js', 'mcpool-worker-js', 'mcpool-wasm'],
    tool: 'echo',
    args: { text: 'mcpool' },
  },
  {
    name: 'wasm-cpu',
    description: `SHA-256 hashed ${WASM_CPU_ROUNDS} times over: AssemblyScript plugin vs the same algorithm in JS, one thread`,
    baseline: 'mcpool-worker-js',
    systems: ['direct-js', 'mcpool-worker-js', 'mcpool-wasm'],
    tool: 'sha256',
    args: { text: 'mcpool', rounds: WASM_CPU_ROUNDS },
  },
];

/** Reload under load: the trivial tool while its server is reloaded every second. */
export const reloadScenarios: readonly BenchScenario[] = [
  {
    name: 'reload',
    description: 'add two numbers while the server is reloaded every second (no call may fail)',
    baseline: 'mcpool',
    systems: ['mcpool', 'mcpool-reloading'],
    tool: 'add',
    args: { a: 1, b: 2 },
  },
];
