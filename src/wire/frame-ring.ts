/**
 * @module wire/frame-ring
 * Frames and replies of a worker session in shared memory: the record formats both sides of a
 * thread boundary write into and read from the session's two rings (`wire/ring`), and the rule
 * for what takes the ring and what the session's MessagePort.
 *
 * Which path wins, per frame size (`bench/wire/ring.bench.ts`: bursts of frames echoed by a
 * thread; this 2-core machine, shared with other jobs; median of 3 interleaved rounds):
 *
 * | frame bytes | ring / port frames/s, Node 24 | main µs/frame port → ring, Node 24 (thread CPU) | Node 20 ring / port | Node 20 main µs/frame port → ring (event-loop active) |
 * |---:|---:|---:|---:|---:|
 * | 64 | 8.4x | 2.03 → 0.17 | 4.2x | 3.32 → 0.73 |
 * | 512 | 8.5x | 2.12 → 0.23 | 10.4x | 3.95 → 0.53 |
 * | 4 KB | 4.5x | 2.89 → 0.85 | 3.7x | 3.79 → 1.65 |
 * | 32 KB | 1.2x | 9.0 → 6.2 | 1.5x | 9.7 → 10.9 |
 * | 256 KB | 1.6x | 46 → 49 | 1.3x | 61 → 165 |
 * | 1 MB | 2.2x | 209 → 208 | 0.76x | 240 → 415 |
 *
 * So frames and packed results up to {@link RING_RECORD_MAX} bytes take the ring (their main
 * thread cost is a fraction of a `postMessage`, most of which is per message, not per byte);
 * larger ones keep the port, where the main thread's cost per byte is no worse and Node 20's
 * clone of a big message beats copying it through the ring. Replies that are not packed results
 * (progress, logs, pongs, large results sent by structured clone) travel on the port too, but in
 * order: the thread writes a {@link ReplyKind.port} record after posting one, and the main
 * thread, which reads its port only when such a record says so, takes it at that point.
 */

/** Bytes of each ring of a session (per direction). */
export const RING_BYTES = 512 * 1024;
/** The largest record sent through a ring; larger frames and results take the port. */
export const RING_RECORD_MAX = 64 * 1024;

/** Bytes before a calls record's packed calls: Int32 frame slot, Int32 frame id. */
export const CALLS_HEADER = 8;
/** Bytes before a reply record's packed results: Int32 kind, Int32 frame id, Float64 frame ms. */
export const REPLY_HEADER = 16;

/** Kinds of reply record. */
export const ReplyKind = {
  /** Results of a frame, more to come. */
  results: 0,
  /** The frame's last results: it is done, and its running time follows. */
  done: 1,
  /** The next message on the session port is the next reply (no payload here). */
  port: 2,
} as const;
export type ReplyKind = (typeof ReplyKind)[keyof typeof ReplyKind];
