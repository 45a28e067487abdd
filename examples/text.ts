/**
 * Example worker server: text tools. Word counts and text statistics, and gzip compression
 * (CPU-bound for large texts), each with zod schemas.
 */
import { gzipSync } from 'node:zlib';
import { defineServer } from 'mcpool';
import { z } from 'zod';

export default defineServer({
  name: 'text',
  version: '1.0.0',
  description: 'Text statistics and compression',
  tools: {
    word_count: {
      description: 'Count the words in a text',
      inputSchema: z.object({ text: z.string() }),
      outputSchema: z.object({ words: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
    },
    text_stats: {
      description: 'Characters, words, lines, sentences and the most frequent words of a text',
      inputSchema: z.object({ text: z.string(), top: z.number().int().min(0).max(100).default(5) }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ text, top }) => {
        const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
        const counts = new Map<string, number>();
        for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
        const frequent = [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, top);
        return {
          characters: text.length,
          words: words.length,
          lines: text === '' ? 0 : text.split('\n').length,
          sentences: (text.match(/[.!?]+(\s|$)/g) ?? []).length,
          topWords: frequent.map(([word, count]) => ({ word, count })),
        };
      },
    },
    gzip_size: {
      description: 'Compress a text with gzip and report the sizes and the ratio',
      inputSchema: z.object({ text: z.string(), level: z.number().int().min(0).max(9).default(6) }),
      outputSchema: z.object({ bytes: z.number(), compressedBytes: z.number(), ratio: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ text, level }) => {
        const input = Buffer.from(text);
        const compressed = gzipSync(input, { level });
        return { bytes: input.length, compressedBytes: compressed.length, ratio: input.length === 0 ? 0 : compressed.length / input.length };
      },
    },
  },
});
