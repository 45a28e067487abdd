/**
 * @module servers/nats/wire
 * What travels on NATS between a caller's `nats` actor and a `mcpool node`, shared by both
 * sides: the subjects, the message kinds and their MessagePack encoding.
 *
 * Subjects, under a prefix `P` (default `mcpool`):
 * - `P.<server>.calls` (queue group `P.<server>`): call frames; the reply subject is the caller's
 *   `<inbox>.<frameId>`, where the node sends the frame's accept-ack, progress and results.
 * - `P.<server>.ctl` (same queue group): the tools list and pings.
 * - `P.<server>.logs`: log records of the server's tools, from every node.
 * - `P.node.<nodeId>.cancel`: frames a caller gave up on (every call stopped).
 * - `<inbox>.hb`: a node's heartbeat to a caller while it holds frames of that caller.
 * - `$SRV.PING|INFO|STATS[.<service>[.<id>]]`: the NATS service API (discovery and stats).
 *
 * A calls frame is `[timeoutMs, [tool, args, tool, args, ...], progressIndices]` (a flat array:
 * decoding allocates one array, not one per call). Replies are tuples tagged by their first
 * element ({@link NodeReply}).
 */
import { Packr } from 'msgpackr';

/** Default subject prefix. */
export const DEFAULT_SUBJECT_PREFIX = 'mcpool';

/** Values per call in a calls frame: tool name, arguments. */
export const CALL_STRIDE = 2;

/** Tags of the messages a node sends back for a frame. */
export const ReplyKind = {
  /** `[0, nodeId, nodeName, heartbeatMs]`: the node accepted the frame. */
  ack: 0,
  /** `[1, start, flatResults, done, frameMs?]`: results of calls `start...` ({@link RESULT_STRIDE}); `done` 1 (and the frame's time on the node) on the last chunk. */
  results: 1,
  /** `[2, index, progress, total?, message?]`: progress of one call. */
  progress: 2,
  /** `[3, nodeId]`: heartbeat (sent to `<inbox>.hb`). */
  heartbeat: 3,
} as const;

/** A node's reply to a frame, or its heartbeat. */
export type NodeReply =
  | [typeof ReplyKind.ack, string, string, number]
  | [typeof ReplyKind.results, number, unknown[], 0 | 1, number?]
  | [typeof ReplyKind.progress, number, number, number | undefined, string | undefined]
  | [typeof ReplyKind.heartbeat, string];

/** One call's answer as it travels: a `BatchResult`. */
export type WireResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; data?: unknown } };

/**
 * Values per result in a results message: `[payload, kind]`.
 * - `kind` a string: a structured result; `payload` is its `structuredContent` and `kind` its
 *   JSON text, and the caller builds the `CallToolResult` around them (packing and unpacking the
 *   two bare values costs a fraction of the whole result object, as on the thread path);
 * - `kind` 0: `payload` is a whole `CallToolResult`;
 * - `kind` 1: the call failed; `payload` is `{ code, message, data? }`.
 */
export const RESULT_STRIDE = 2;

/** Flattens answers into a results message's array (see {@link RESULT_STRIDE}). */
export function flattenResults(results: readonly WireResult[]): unknown[] {
  const flat = new Array<unknown>(results.length * RESULT_STRIDE);
  for (let i = 0; i < results.length; i++) {
    const answer = results[i]!;
    const at = i * RESULT_STRIDE;
    if (!answer.ok) {
      flat[at] = answer.error;
      flat[at + 1] = 1;
      continue;
    }
    const result = answer.result as { content?: unknown; structuredContent?: unknown; isError?: unknown };
    const text = structuredText(result);
    if (text !== undefined) {
      flat[at] = result.structuredContent;
      flat[at + 1] = text;
    } else {
      flat[at] = result;
      flat[at + 1] = 0;
    }
  }
  return flat;
}

/** The JSON text of a result that is exactly `{ content: [{ type: 'text', text }], structuredContent }`. */
function structuredText(result: { content?: unknown; structuredContent?: unknown; isError?: unknown }): string | undefined {
  if (result.structuredContent === undefined || result.isError !== undefined || !Array.isArray(result.content) || result.content.length !== 1) return undefined;
  const block = result.content[0] as { type?: unknown; text?: unknown; annotations?: unknown; _meta?: unknown };
  if (block.type !== 'text' || typeof block.text !== 'string' || Object.keys(block).length !== 2) return undefined;
  if (Object.keys(result).length !== 2) return undefined;
  return block.text;
}

/** A calls frame as it travels. */
export type WireFrame = [timeoutMs: number, calls: unknown[], progress: number[]];

/** A control request on `P.<server>.ctl`; `tools` is answered `[Tool[], nodeId, nodeName]`, `ping` with `1`. */
export type ControlRequest = ['tools'] | ['ping'];

/** A log record as it travels on `P.<server>.logs`: `[tool, level, data]`. */
export type WireLog = [string | undefined, string, unknown];

// `moreTypes` keeps Maps, Sets, typed arrays and Dates intact, as a thread's frames do.
// Records (msgpackr's default) make repeated object shapes cheap to decode; each message defines
// its own, so messages decode in any order and on any process.
const packr = new Packr({ moreTypes: true });

/**
 * Packs a value into a buffer that owns its memory (msgpackr reuses one buffer, and the NATS
 * client may hold a published payload until it is written); throws if a value cannot be encoded.
 */
export function encode(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(value));
}

/** Unpacks a message made by {@link encode}; throws on bytes that are not MessagePack. */
export function decode(data: Uint8Array): unknown {
  return packr.unpack(data);
}

/** The subjects of one server under one prefix. */
export interface ServerSubjects {
  calls: string;
  control: string;
  logs: string;
  queue: string;
}

/** The subjects of `server` under `prefix`. */
export function serverSubjects(prefix: string, server: string): ServerSubjects {
  return { calls: `${prefix}.${server}.calls`, control: `${prefix}.${server}.ctl`, logs: `${prefix}.${server}.logs`, queue: `${prefix}.${server}` };
}

/** The subject where a node takes cancellations. */
export function cancelSubject(prefix: string, nodeId: string): string {
  return `${prefix}.node.${nodeId}.cancel`;
}

/** The NATS service name of the nodes under a prefix (service names allow letters, digits, `-` and `_`). */
export function serviceName(prefix: string): string {
  return prefix.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The subject token of a caller's heartbeat inbox (`<inbox>.hb`). */
export const HEARTBEAT_TOKEN = 'hb';
/** The subject token of a caller's discovery inbox (`<inbox>.srv`). */
export const DISCOVERY_TOKEN = 'srv';
