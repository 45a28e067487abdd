/**
 * @module bench/harness/tools
 * The benchmark's tools as plain functions, so every system (a direct call, raw piscina, the MCP
 * SDK, mcpool) runs the same code and only the way calls reach it differs.
 */
import { createHash } from 'node:crypto';

/** Bytes of the `payload` tool's result. */
export const PAYLOAD_BYTES = 1024 * 1024;

/** `add`: the trivial tool. */
export function add({ a, b }: { a: number; b: number }): { sum: number } {
  return { sum: a + b };
}

/** `hash`: SHA-256 hashed `rounds` times over; about 1 ms per 1,000 rounds on the reference machine. */
export function hash({ text, rounds }: { text: string; rounds: number }): { digest: string } {
  let digest = createHash('sha256').update(text).digest();
  for (let i = 1; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
  return { digest: digest.toString('hex') };
}

let payloadText: string | undefined;

/**
 * `payload`: a result of `bytes` bytes as one text content block (a CallToolResult). The text
 * is made once per thread: the benchmark measures moving a large result, not building it.
 */
export function payload({ bytes }: { bytes: number }): { content: { type: 'text'; text: string }[] } {
  if (payloadText?.length !== bytes) payloadText = 'x'.repeat(bytes);
  return { content: [{ type: 'text', text: payloadText }] };
}

/** The benchmark tools by name. */
export const benchTools = { add, hash, payload } as const;

/** A benchmark tool's name. */
export type BenchToolName = keyof typeof benchTools;
