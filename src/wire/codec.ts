/**
 * @module wire/codec
 * How frames of calls and results cross a thread boundary, shared by both sides.
 *
 * A frame is a flat array (`[tool, args, deadline, tool, args, deadline, ...]` for calls,
 * `[index, payload, ...]` for results) so that decoding allocates one array, not one per call.
 * Calls frames below {@link PACK_MIN_CALLS} travel as that array by structured clone; larger ones
 * are packed with msgpackr. Results are always packed: msgpackr's records decode repeated result
 * shapes several times faster than a structured clone on the main thread, which is the
 * bottleneck, and packing in the worker lets a result that cannot be encoded fail alone
 * (`INVALID_RESULT`) instead of breaking the message (measured with a throwaway prototype when
 * the frame path was designed; `npm run bench` measures the whole path).
 * Packed frames own their memory: msgpackr packs into a shared, reused buffer, and cloning a
 * view would copy that whole buffer. Results with large texts (64 KB and up) are the exception:
 * they travel by structured clone, which copies big strings natively and beats packing them.
 */
import { Packr, isNativeAccelerationEnabled } from 'msgpackr';

/** Calls from which a calls frame is packed with MessagePack rather than cloned. */
export const PACK_MIN_CALLS = 8;

/**
 * Values per call in a calls frame: tool index, arguments, deadline (0 = none). The deadline is
 * the main thread's `performance.now()` rounded up to whole milliseconds: a small integer, which
 * costs no heap number per call and packs in 5 bytes instead of 9 (an epoch time would need both);
 * the thread knows the main thread's clock origin from its `ThreadData`.
 */
export const CALL_STRIDE = 3;

/**
 * Values per result in a results frame: `[index, payload, text]`.
 * - `index >= 0`, `text` a string: a structured result; `payload` is its `structuredContent` and
 *   `text` its JSON, and the receiver builds the `CallToolResult` around them. (Packing and
 *   unpacking the two bare values costs a third of packing the whole result object.)
 * - `index >= 0`, `text` 0: `payload` is a whole `CallToolResult`.
 * - `index < 0`: call `-index - 1` failed; `payload` is a `WireError`.
 */
export const RESULT_STRIDE = 3;

/** A frame as it travels: a plain array (small frames) or a MessagePack buffer (large ones). */
export type Encoded = unknown[] | Uint8Array;

/**
 * Record structures both threads know in advance: the shapes of MCP results. They are fixed
 * (`maxSharedStructures` stops msgpackr from adding to them), so every buffer decodes on its own
 * in any thread and in any order; other object shapes are defined inline in the buffer.
 * (msgpackr's `sequential` mode is not usable here: it assumes one reader reading every buffer
 * in order, and results arrive from several threads over two ports.)
 */
const sharedStructures = (): string[][] => [
  ['content', 'structuredContent'],
  ['type', 'text'],
  ['content', 'isError'],
  ['content', 'structuredContent', 'isError'],
];

// `moreTypes` keeps Maps, Sets, typed arrays and Dates intact, as a structured clone would.
const packr = new Packr({ structures: sharedStructures(), maxSharedStructures: sharedStructures().length, moreTypes: true });

/**
 * The reader of frames decoded in place from shared memory (see `frame-ring`): binary values are
 * copied out, since the ring's bytes are reused once a record is read.
 */
const ringReader = new Packr({ structures: sharedStructures(), maxSharedStructures: sharedStructures().length, moreTypes: true, copyBuffers: true });
const range = { start: 0, end: 0 };

/** Encodes a flat calls frame of `count` calls. */
export function encodeCalls(flat: unknown[], count: number): Encoded {
  return count < PACK_MIN_CALLS ? flat : pack(flat);
}

/** Packs any value into a buffer that owns its memory; throws if a value cannot be encoded. */
export function pack(value: unknown): Uint8Array {
  return new Uint8Array(packr.pack(value));
}

/**
 * Packs any value into msgpackr's reused buffer: the view is valid only until the next pack, so
 * its bytes must be copied out (into a ring) at once. Throws if a value cannot be encoded.
 */
export function packView(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Non-shared memory a shared record is copied into before decoding (see {@link unpackRange}). */
let scratch = new Uint8Array(4096);

/**
 * Decodes the packed value in `bytes[start, end)` (shared memory included), copying binary values out.
 *
 * msgpackr's native string extractor (`msgpackr-extract`, on whenever it loaded) refuses a
 * SharedArrayBuffer by throwing, and msgpackr catches that on every decode that holds a string:
 * measured on Node 20, a 325-byte calls frame decoded in 11.2 µs in place against 3.3 µs copied
 * out first, a 21-byte result the same either way. So with the extractor on, a record in shared
 * memory is copied into a reused plain buffer first (a memcpy of at most half a ring).
 */
export function unpackRange(bytes: Uint8Array, start: number, end: number): unknown {
  if (isNativeAccelerationEnabled && bytes.buffer instanceof SharedArrayBuffer) {
    const length = end - start;
    if (scratch.length < length) scratch = new Uint8Array(2 ** Math.ceil(Math.log2(length)));
    scratch.set(bytes.subarray(start, end));
    bytes = scratch;
    start = 0;
    end = length;
  }
  range.start = start;
  range.end = end;
  return ringReader.unpack(bytes, range);
}

/** Decodes a frame made by {@link encodeFrame}. */
export function decodeFrame(encoded: Encoded): unknown[] {
  return encoded instanceof Uint8Array ? (packr.unpack(encoded) as unknown[]) : encoded;
}
