/**
 * @module cli/commands/batch
 * `mcpool batch <calls.jsonl|->`: streams calls from a JSONL file or stdin, writes one
 * `BatchResult` per line (same order) to stdout or `--out`, shows a progress bar on a TTY and a
 * summary on stderr. Exits 1 when any call failed (all results are still written).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { Manager } from '../../engine/manager.js';
import { numberValue, stringValue } from '../args.js';
import { runBatchStream, type BatchSummary } from '../batch-stream.js';
import type { CliCommand, CliIo } from '../command.js';
import { formatCount, ProgressBar } from '../progress.js';
import { configOption, openServers } from '../servers.js';
import { styleFor } from '../style.js';
import { ExitCode, UsageError } from '../usage-error.js';

/** The input stream and its size in bytes (undefined for stdin). */
async function openInput(path: string, io: CliIo): Promise<{ stream: Readable; size: number | undefined }> {
  if (path === '-') return { stream: io.stdin, size: undefined };
  const file = resolve(io.cwd, path);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${path} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { stream: createReadStream(file, { highWaterMark: 256 * 1024 }), size };
}

/** Opens the `--out` file; a path that cannot be written is bad usage (exit 2). */
async function openOutput(path: string): Promise<Writable> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return stream;
}

/** The summary printed on stderr at the end. */
export function formatSummary(summary: BatchSummary, manager: Manager, style = styleFor({})): string {
  const seconds = summary.elapsedMs / 1000;
  const failures = Object.entries(summary.failures)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ${formatCount(count)}`);
  const lines = [
    `${style.bold('batch')}: ${formatCount(summary.calls)} calls in ${seconds.toFixed(2)} s (${formatCount(seconds > 0 ? summary.calls / seconds : 0)} calls/s)`,
    `  ok ${formatCount(summary.ok)}, failed ${formatCount(summary.calls - summary.ok)}${failures.length > 0 ? ` (${failures.join(', ')})` : ''}`,
  ];
  // Latency per call, as the manager measured it (calls rejected before reaching a server are not in it).
  for (const [name, server] of Object.entries(manager.getMetrics().servers)) {
    if (server.calls === 0) continue;
    lines.push(`  ${name}: ${formatCount(server.calls)} calls, latency p50 ${server.latencyMs.p50.toFixed(2)} ms, p99 ${server.latencyMs.p99.toFixed(2)} ms`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `batch` command. */
export const batchCommand: CliCommand = {
  name: 'batch',
  summary: 'Run JSONL calls from a file or stdin; one BatchResult per line out, same order',
  usage: 'mcpool batch <calls.jsonl|-> [--config f] [--out f|-] [--concurrency n] [--timeout ms]',
  details: [
    'Each input line is {"server": "...", "tool": "...", "arguments": {...}}. Each output line is',
    '{"ok":true,"result":<CallToolResult>} or {"ok":false,"error":{"code","message"}}, in input order.',
    'Output line N answers input line N: a blank input line gets a blank output line, and every failed',
    'result carries its input line number (error.line); a malformed line fails with INVALID_ARGUMENTS.',
    'Input and output stream with backpressure: any input size runs in bounded memory.',
    '',
    'Exit codes: 0 every call succeeded; 1 a call failed (its result says why); 2 bad usage or config.',
    '',
    'Examples:',
    '  mcpool batch calls.jsonl --out results.jsonl',
    '  seq 1 100000 | jq -c \'{server:"math",tool:"add",arguments:{a:.,b:1}}\' | mcpool batch - > out.jsonl',
  ].join('\n'),
  options: {
    config: configOption,
    out: { type: 'string', short: 'o', valueName: '<file|->', description: 'Where results go', defaultText: '- (stdout)' },
    concurrency: { type: 'string', short: 'n', valueName: '<n>', description: 'Calls in flight at most', defaultText: '1024' },
    timeout: { type: 'string', short: 't', valueName: '<ms>', description: 'Timeout of each call in ms (0: none)' },
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const concurrency = numberValue(args, 'concurrency', { min: 1, max: 1_000_000, integer: true }) ?? 1024;
    const timeoutMs = numberValue(args, 'timeout', { min: 0, integer: true });
    const input = await openInput(args.positionals[0]!, io);
    const outPath = stringValue(args, 'out') ?? '-';
    let output: Writable = io.stdout;
    let manager: Manager;
    try {
      if (outPath !== '-') output = await openOutput(resolve(io.cwd, outPath));
      ({ manager } = await openServers(stringValue(args, 'config'), io.cwd, io.env));
    } catch (error) {
      input.stream.destroy();
      if (output !== io.stdout) output.destroy();
      throw error;
    }
    const bar = new ProgressBar({ label: 'batch', unit: 'calls', stream: io.stderr });
    const style = styleFor(io.stderr, io.env);
    try {
      const summary = await runBatchStream(manager, input.stream, output, {
        concurrency,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        onProgress: ({ done, failed, bytesRead }) => {
          const note = failed > 0 ? style.red(`${formatCount(failed)} failed`) : undefined;
          bar.update(done, note, input.size ? bytesRead / input.size : undefined);
        },
      });
      bar.finish();
      if (output !== io.stdout) {
        output.end();
        await finished(output);
      }
      io.stderr.write(formatSummary(summary, manager, style));
      return summary.ok === summary.calls ? ExitCode.ok : ExitCode.failed;
    } finally {
      bar.finish();
      await manager.shutdown();
    }
  },
};
