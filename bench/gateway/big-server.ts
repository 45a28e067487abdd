/**
 * A worker server for the compression benchmark: 400 tools with descriptions and schemas (a
 * big `tools/list`, as an aggregate of many servers makes) and `blob`, whose result is about
 * 1 MB of JSON text.
 */
import { defineServer } from 'mcpool';
import { z } from 'zod';

const tools: Record<string, { description: string; inputSchema: z.ZodObject; handler: (args: Record<string, unknown>) => unknown }> = {};
for (let i = 0; i < 400; i++) {
  tools[`tool_${i}`] = {
    description: `Tool number ${i}: reads the record with the given id from collection ${i % 17}, filters it by the given fields and returns the matching rows with their metadata.`,
    inputSchema: z.object({
      id: z.string().describe('The record id'),
      fields: z.array(z.string()).describe('Fields to return').optional(),
      limit: z.number().int().min(1).max(1000).describe('Most rows returned').optional(),
    }),
    handler: () => ({ ok: true }),
  };
}
const rows = Array.from({ length: 9_000 }, (_, i) => ({ id: `row-${i}`, name: `name ${i}`, score: (i * 7919) % 1000, tags: ['a', 'b', `t${i % 13}`] }));

export default defineServer({
  name: 'big',
  version: '1.0.0',
  tools: {
    ...tools,
    blob: { description: 'About 1 MB of rows', inputSchema: z.object({}), handler: () => ({ rows }) },
  },
});
