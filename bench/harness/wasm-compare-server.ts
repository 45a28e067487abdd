/**
 * @module bench/harness/wasm-compare-server
 * The example plugin's tools (`echo`, `sha256`) as a worker server in plain JavaScript, the same
 * results and the same SHA-256 algorithm: what the `wasm` scenarios compare the plugin with.
 */
import { z } from 'zod';
import { defineServer } from '../../src/api/define-server.js';
import { sha256Rounds } from './sha256-js.js';

/** `echo` as the plugin answers it: one text block. */
export function echo({ text }: { text: string }): { content: { type: 'text'; text: string }[] } {
  return { content: [{ type: 'text', text }] };
}

/** `sha256` as the plugin answers it: the digest as text and structured content. */
export function sha256({ text, rounds = 1 }: { text: string; rounds?: number }): { content: { type: 'text'; text: string }[]; structuredContent: { digest: string; rounds: number } } {
  const digest = sha256Rounds(text, rounds);
  return { content: [{ type: 'text', text: digest }], structuredContent: { digest, rounds } };
}

export default defineServer({
  name: 'wasm-compare',
  version: '1.0.0',
  tools: {
    echo: { inputSchema: z.object({ text: z.string() }), handler: echo },
    sha256: { inputSchema: z.object({ text: z.string(), rounds: z.number().int().min(1).optional() }), handler: sha256 },
  },
});
