/**
 * @module servers/nats/node-frame
 * Runs one calls frame on a node's manager and cuts its results into messages under the NATS
 * server's `max_payload`. Calls whose caller wants progress run one by one (`executeTool` with
 * `onProgress`); the others run as one `executeBatch` (no promise per call).
 */
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import type { Manager } from '../../engine/manager.js';
import type { BatchCall } from '../../api/manager-types.js';
import type { ProgressUpdate } from '../../wire/mcp-types.js';
import { CALL_STRIDE, encode, flattenResults, ReplyKind, type WireFrame, type WireResult } from './wire.js';

/** Runs the calls of `frame` for `server`; resolves with one result per call, in order. */
export async function runFrame(
  manager: Manager,
  server: string,
  frame: WireFrame,
  signal: AbortSignal,
  onProgress: (index: number, update: ProgressUpdate) => void,
): Promise<WireResult[]> {
  const [timeoutMs, flat, progress] = frame;
  const count = flat.length / CALL_STRIDE;
  const results = new Array<WireResult>(count);
  const wantsProgress = new Set(progress);
  const batch: BatchCall[] = [];
  const batchIndex: number[] = [];
  const single: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const tool = flat[i * CALL_STRIDE] as string;
    const args = (flat[i * CALL_STRIDE + 1] ?? {}) as Record<string, unknown>;
    if (!wantsProgress.has(i)) {
      batch.push({ server, tool, arguments: args });
      batchIndex.push(i);
      continue;
    }
    single.push(
      manager
        .executeTool(server, tool, args, { timeoutMs, signal, onProgress: (update) => onProgress(i, update) })
        .then(
          (result) => {
            results[i] = { ok: true, result };
          },
          (error: unknown) => {
            results[i] = { ok: false, error: wireError(error) };
          },
        ),
    );
  }
  if (batch.length > 0) {
    const answers = await manager.executeBatch(batch, { timeoutMs, signal });
    for (let j = 0; j < answers.length; j++) results[batchIndex[j]!] = answers[j] as WireResult;
  }
  await Promise.all(single);
  return results;
}

/** An engine error as it travels. */
export function wireError(error: unknown): { code: string; message: string; data?: unknown } {
  if (error instanceof McpoolError) return error.data === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, data: error.data };
  return { code: ErrorCode.TRANSPORT_ERROR, message: messageOf(error) };
}

/**
 * Encodes the results of a frame as one message or, past `maxPayload` bytes, as several
 * (`[results, start, chunk, done, frameMs]`); a single result too big for a message, or that cannot be
 * encoded, becomes `INVALID_RESULT` alone.
 */
export function encodeResults(results: WireResult[], maxPayload: number, frameMs: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const cut = (start: number, end: number, last: boolean): void => {
    const chunk = flattenResults(start === 0 && end === results.length ? results : results.slice(start, end));
    let bytes: Uint8Array | undefined;
    try {
      bytes = encode(last ? [ReplyKind.results, start, chunk, 1, frameMs] : [ReplyKind.results, start, chunk, 0]);
    } catch {
      bytes = undefined;
    }
    if (bytes !== undefined && bytes.length <= maxPayload) {
      out.push(bytes);
      return;
    }
    if (end - start > 1) {
      const middle = start + Math.ceil((end - start) / 2);
      cut(start, middle, false);
      cut(middle, end, last);
      return;
    }
    const why = bytes === undefined ? 'cannot be encoded as MessagePack' : `is ${bytes.length} bytes encoded, over the NATS server's max_payload of ${maxPayload} bytes`;
    const failed = [{ code: ErrorCode.INVALID_RESULT, message: `the result of this call ${why}` }, 1];
    out.push(encode(last ? [ReplyKind.results, start, failed, 1, frameMs] : [ReplyKind.results, start, failed, 0]));
  };
  cut(0, results.length, true);
  return out;
}
