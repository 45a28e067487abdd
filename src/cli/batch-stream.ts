/**
 * @module cli/batch-stream
 * The streaming core of `mcpool batch`: JSONL calls in, one `BatchResult` per line out, in
 * input order. Lines are cut into chunks that run as `executeBatch` calls (the engine's fast
 * path); a few chunks run at once (together at most `concurrency` calls), results are written
 * as soon as every earlier line is answered, and the next input is read only when a chunk's
 * results have been written and the output has drained, so memory stays bounded whatever the
 * input size. A malformed line becomes a failed result for its slot; a failed result carries its
 * input line number (`error.line`); a blank line is answered by a blank line, so output line N
 * always answers input line N.
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { BatchResult } from '../api/batch-types.js';
import { ErrorCode } from '../errors/mcpool-error.js';
import type { BatchCall } from '../api/manager-types.js';
import type { Manager } from '../engine/manager.js';
import { readLineChunks, type InputLine } from './jsonl.js';

/** Progress of a streaming batch. */
export interface StreamProgress {
  done: number;
  failed: number;
  bytesRead: number;
}

/** Options of {@link runBatchStream}. */
export interface BatchStreamOptions {
  /** Calls in flight at most. @default 1024 */
  concurrency?: number;
  /** Per-call timeout in ms. */
  timeoutMs?: number;
  /** Called after each chunk of results is written. */
  onProgress?: (progress: StreamProgress) => void;
}

/** What a streaming batch did. */
export interface BatchSummary {
  calls: number;
  ok: number;
  /** Failed calls by code: engine codes, and `TOOL_ERROR` for results with `isError: true`. */
  failures: Record<string, number>;
  elapsedMs: number;
}

/** The code under which tool errors (`isError: true` results) are counted. */
export const TOOL_ERROR = 'TOOL_ERROR';

type Parsed = { call: BatchCall } | { failure: BatchResult };

function invalidLine(line: number, message: string): { failure: BatchResult } {
  return { failure: { ok: false, error: { code: ErrorCode.INVALID_ARGUMENTS, message: `line ${line}: ${message}`, data: { line }, line } } as BatchResult };
}

/** Parses one input line into a call, or the failed result that answers it. */
export function parseCallLine(line: InputLine): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return invalidLine(line.number, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalidLine(line.number, 'expected a JSON object {"server","tool","arguments"}');
  const { server, tool, arguments: args } = value as Record<string, unknown>;
  if (typeof server !== 'string' || typeof tool !== 'string') return invalidLine(line.number, '"server" and "tool" must be strings');
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return invalidLine(line.number, '"arguments" must be a JSON object');
  return { call: { server, tool, arguments: (args ?? {}) as Record<string, unknown> } };
}

/** A line's result; null for a blank line, which is answered by a blank line (output line N answers input line N). */
type LineResult = BatchResult | null;

/** Runs one chunk of lines and resolves with its results, in line order. */
async function runChunk(manager: Manager, lines: InputLine[], timeoutMs: number | undefined): Promise<LineResult[]> {
  const results = new Array<LineResult>(lines.length);
  const calls: BatchCall[] = [];
  const slots: number[] = [];
  lines.forEach((line, i) => {
    if (line.text.trim() === '') {
      results[i] = null;
      return;
    }
    const parsed = parseCallLine(line);
    if ('failure' in parsed) {
      results[i] = parsed.failure;
    } else {
      calls.push(parsed.call);
      slots.push(i);
    }
  });
  if (calls.length > 0) {
    const answers = await manager.executeBatch(calls, timeoutMs === undefined ? {} : { timeoutMs });
    answers.forEach((answer, j) => {
      const slot = slots[j]!;
      // A failure names its input line, as a malformed line's does.
      results[slot] = answer.ok ? answer : ({ ok: false, error: { ...answer.error, line: lines[slot]!.number } } as BatchResult);
    });
  }
  return results;
}

/** Writes text, waiting for `drain` when the stream's buffer is full (output backpressure). */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Streams JSONL calls from `input` through `manager` to `output`, in order. */
export async function runBatchStream(manager: Manager, input: Readable, output: Writable, options: BatchStreamOptions = {}): Promise<BatchSummary> {
  const started = performance.now();
  const concurrency = Math.max(1, options.concurrency ?? 1024);
  const maxChunks = Math.min(4, concurrency);
  const chunkSize = Math.ceil(concurrency / maxChunks);
  const summary: BatchSummary = { calls: 0, ok: 0, failures: {}, elapsedMs: 0 };
  let failed = 0;

  /** Writes one chunk's results once they are in, and counts them. */
  const writeResults = async (chunk: Promise<LineResult[]>, bytesRead: number): Promise<void> => {
    const results = await chunk;
    let text = '';
    for (const result of results) {
      if (result === null) {
        text += '\n';
        continue;
      }
      text += `${JSON.stringify(result)}\n`;
      summary.calls++;
      const code = result.ok ? (result.result.isError === true ? TOOL_ERROR : undefined) : result.error.code;
      if (code === undefined) {
        summary.ok++;
      } else {
        failed++;
        summary.failures[code] = (summary.failures[code] ?? 0) + 1;
      }
    }
    await write(output, text);
    options.onProgress?.({ done: summary.calls, failed, bytesRead });
  };

  // Writes are chained in input order and run as soon as their chunk is answered, independent
  // of the reader (a producer that waits for answers before sending more is not held up); the
  // reader waits only when `maxChunks` chunks are not yet written.
  let written: Promise<void> = Promise.resolve();
  const unwritten: Promise<void>[] = [];
  const running: Promise<LineResult[]>[] = [];
  try {
    for await (const chunk of readLineChunks(input)) {
      // Blank lines are not calls: each is answered by a blank line, so output line N answers input line N.
      const lines = chunk.lines;
      for (let at = 0; at < lines.length; at += chunkSize) {
        const results = runChunk(manager, lines.slice(at, at + chunkSize), options.timeoutMs);
        running.push(results);
        written = written.then(() => writeResults(results, chunk.bytesRead));
        unwritten.push(written);
        if (unwritten.length >= maxChunks) {
          await unwritten.shift();
          void running.shift(); // that chunk is written, so its promise has settled
        }
      }
    }
    await written;
  } finally {
    // On an input or output failure, nothing still running is left unhandled.
    await Promise.allSettled([...running, ...unwritten]);
  }
  summary.elapsedMs = performance.now() - started;
  return summary;
}
